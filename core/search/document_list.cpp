#include "core/search/document_list.h"

#include "core/documents/document_facts.h"
#include "core/index/schema.h"
#include "core/search/searcher.h"

#include <limits>

namespace treaty {
namespace {

using nlohmann::json;

// A document version's list entry from its stored summary (facts) and its passage count.
json document_entry(const Xapian::Database& db, const std::string& symbol, const std::string& lang) {
  const std::string version = schema::version_key(symbol, lang);
  const std::string data = db.get_metadata(std::string(schema::kMetaDocPrefix) + version);
  json summary = data.empty() ? json::object() : json::parse(data, nullptr, false);
  if (!summary.is_object()) summary = json::object();
  json facts = summary.value("facts", json::object());
  if (!facts.is_object()) facts = json::object();
  auto text = [&](const char* key) { return facts.value(key, std::string()); };
  return {{"symbol", symbol},
          {"title", text("title")},
          {"meeting", text("meeting")},
          {"meeting_label", text("meeting_label")},
          {"type", text("type")},
          {"type_label", text("type_label")},
          {"issued", text("issued")},
          {"lang", text("lang")},
          {"distribution", text("distribution")},
          {"passages", db.get_termfreq(std::string(schema::kDocVersion) + version)},
          {"source", summary.value("source", std::string())}};
}

}  // namespace

json DocumentList::to_json() const {
  json c = json::object();
  for (const Facet& f : counts) {
    json values = json::array();
    for (const FacetValue& v : f.values) values.push_back({{"value", v.value}, {"label", v.label}, {"count", v.count}});
    c[f.name] = std::move(values);
  }
  return {{"total", total},
          {"documents", documents},
          {"counts", std::move(c)},
          {"warnings", warnings},
          {"timed_out", timed_out}};
}

namespace {

// A scope on the documents' own facts applies to the list as it is; one on passages' fields
// (org, decision, symbol, year) keeps the documents with a passage in it (the list itself looks at
// header passages only). nullopt: no document is in scope.
Expected<std::optional<FilterScope>> document_scope(Searcher& searcher, const DocumentListRequest& request) {
  FilterScope own, passages;
  for (const auto& field : request.scope)
    (field.first == "doc" || field.first == "meeting" || field.first == "type" || field.first == "lang" ? own : passages)
        .push_back(field);
  if (passages.empty()) return std::optional<FilterScope>(std::move(own));
  SearchRequest probe;
  probe.scope = std::move(passages);
  probe.size = 1;
  probe.mode = SearchMode::lexical;
  probe.fields = {"id"};
  probe.facets = {"doc"};
  probe.facet_size = std::numeric_limits<std::size_t>::max();
  probe.deadline = request.deadline;
  auto found = searcher.search(probe);
  if (!found) return std::unexpected(found.error());
  std::vector<std::string> docs;
  for (const Facet& facet : found->facets)
    for (const FacetValue& v : facet.values) docs.push_back(v.value);
  if (docs.empty()) return std::optional<FilterScope>();
  own.emplace_back("doc", std::move(docs));
  return std::optional<FilterScope>(std::move(own));
}

}  // namespace

Expected<DocumentList> list_documents(Searcher& searcher, const DocumentListRequest& request) {
  const std::size_t values =
      request.docs.size() + request.meetings.size() + request.types.size() + request.langs.size() + request.issued.size();
  if (auto ok = check_filter_values(values, request.limits); !ok) return std::unexpected(ok.error());
  SearchRequest r;
  r.kinds = {"header"};  // one passage per document
  r.docs = request.docs;
  r.meetings = request.meetings;
  r.types = request.types;
  r.langs = request.langs;
  r.issued = request.issued;
  r.issued_from = request.issued_from;
  r.issued_to = request.issued_to;
  r.size = request.size;
  r.offset = request.offset;
  r.sort = SortOrder::document;
  r.mode = SearchMode::lexical;
  r.facets = {"meeting", "type"};
  r.facet_size = request.count_limit;
  r.disjunctive = request.disjunctive;
  r.fields = {"doc", "lang"};
  r.deadline = request.deadline;
  r.limits = request.limits;
  auto scope = document_scope(searcher, request);
  if (!scope) return std::unexpected(scope.error());
  if (!*scope) return DocumentList{};
  r.scope = std::move(**scope);
  r.limits.max_filter_values = values + r.kinds.size();  // checked above, without the list's own kind
  auto found = searcher.search(r);
  if (!found) return std::unexpected(found.error());

  DocumentList list;
  list.total = found->total;
  list.counts = std::move(found->facets);
  list.warnings = std::move(found->warnings);
  list.timed_out = found->timed_out;
  for (const Hit& hit : found->hits)
    list.documents.push_back(document_entry(searcher.database(), hit.passage.value("doc", std::string()),
                                            hit.passage.value("lang", std::string())));
  return list;
}

}  // namespace treaty
