#include "core/index/passage_data.h"

#include <cstdio>

#include "core/documents/dates.h"
#include "core/documents/references.h"
#include "core/index/document_json.h"
#include "core/index/schema.h"

namespace treaty {
namespace {

using nlohmann::json;

// Positions in the stored MessagePack array. kId and kIssued are there only when needed (kId
// null when only kIssued is).
enum Field : std::size_t {
  kPara, kKind, kOrder, kSection, kText, kFootnotes, kOrgs, kDates, kDecisions, kSymbols,
  kFirstLine, kLastLine, kId, kIssued
};

// The issue date a reader takes from the slot for the cover's `issued` (PassageDocument::issued).
std::string issued_from_slot(const std::string& issued) {
  const auto day = issued_day(issued);
  return day ? date_of_day(*day).iso() : std::string();
}

}  // namespace

std::optional<int> issued_day(const std::string& iso) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (iso.size() != 10 || std::sscanf(iso.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  return days_from_civil(y, m, d);
}

std::string encode_passage_data(const Document& doc, std::size_t index, const PassageFields& fields,
                                const DocumentFacts& facts) {
  const Passage& p = doc.passages[index];
  json footnotes = json::array();
  for (int n : p.footnotes)
    for (const Footnote& f : doc.footnotes)
      if (f.number == n) footnotes.push_back(json::array({f.number, f.text, f.links}));
  json dates = json::array();
  for (const DateRange& d : fields.dates) dates.push_back(json::array({d.from.iso(), d.to.iso(), d.text}));
  json decisions = json::array();
  for (const DecisionRef& d : fields.decisions) {
    const std::string id = d.id(), label = d.label();
    json entry = json::array({id, d.text});
    if (decision_label(id) != label) entry.push_back(label);
    decisions.push_back(std::move(entry));
  }
  json out = json::array({p.para, static_cast<int>(p.kind), index, p.section_path, p.text, std::move(footnotes),
                          fields.orgs, std::move(dates), std::move(decisions), fields.symbols, p.first_line,
                          p.last_line});
  const bool own_id = p.id != schema::passage_id(doc.symbol, p.para);
  const bool own_issued = issued_from_slot(facts.issued) != facts.issued;
  if (own_id || own_issued) out.push_back(own_id ? json(p.id) : json());
  if (own_issued) out.push_back(facts.issued);
  const std::vector<std::uint8_t> bytes = json::to_msgpack(out);
  return std::string(bytes.begin(), bytes.end());
}

json decode_passage_data(std::string_view data, const PassageDocument& document, const Gazetteer& gazetteer) {
  json a = json::from_msgpack(data.begin(), data.end());
  json footnotes = json::array();
  for (json& f : a.at(kFootnotes))
    footnotes.push_back({{"number", std::move(f.at(0))}, {"text", std::move(f.at(1))}, {"links", std::move(f.at(2))}});
  json orgs = json::array();
  for (const json& id : a.at(kOrgs)) orgs.push_back(org_json(id.get_ref<const std::string&>(), gazetteer));
  json dates = json::array();
  for (json& d : a.at(kDates))
    dates.push_back({{"from", std::move(d.at(0))}, {"to", std::move(d.at(1))}, {"text", std::move(d.at(2))}});
  json decisions = json::array();
  for (json& d : a.at(kDecisions)) {
    json label = d.size() > 2 ? std::move(d[2]) : json(decision_label(d.at(0).get_ref<const std::string&>()));
    decisions.push_back({{"id", std::move(d.at(0))}, {"label", std::move(label)}, {"text", std::move(d.at(1))}});
  }
  const std::string& para = a.at(kPara).get_ref<const std::string&>();
  json id = a.size() > kId && !a[kId].is_null() ? std::move(a[kId]) : json(schema::passage_id(document.symbol, para));
  json issued = a.size() > kIssued ? std::move(a[kIssued]) : json(document.issued);
  return {{"id", std::move(id)},
          {"doc", document.symbol},
          {"para", std::move(a[kPara])},
          {"kind", kind_name(static_cast<PassageKind>(a.at(kKind).get<int>()))},
          {"order", std::move(a.at(kOrder))},
          {"section", std::move(a.at(kSection))},
          {"text", std::move(a.at(kText))},
          {"footnotes", std::move(footnotes)},
          {"orgs", std::move(orgs)},
          {"dates", std::move(dates)},
          {"decisions", std::move(decisions)},
          {"symbols", std::move(a.at(kSymbols))},
          {"title", document.title},
          {"lines", {std::move(a.at(kFirstLine)), std::move(a.at(kLastLine))}},
          {"meeting", document.meeting},
          {"type", document.type},
          {"issued", std::move(issued)},
          {"lang", document.lang}};
}

PassageDocument passage_document(const Xapian::Document& doc) {
  PassageDocument d;
  d.symbol = doc.get_value(schema::kSlotDoc);
  d.meeting = doc.get_value(schema::kSlotMeeting);
  d.type = doc.get_value(schema::kSlotDocType);
  d.lang = doc.get_value(schema::kSlotLang);
  const std::string issued = doc.get_value(schema::kSlotIssued);
  if (!issued.empty()) d.issued = date_of_day(static_cast<int>(Xapian::sortable_unserialise(issued))).iso();
  return d;
}

StoredPassages::StoredPassages(const Gazetteer& gazetteer) : gazetteer_(&gazetteer) {}

json StoredPassages::read(const Xapian::Database& db, const Xapian::Document& doc) {
  PassageDocument d = passage_document(doc);
  d.title = title(db, d.symbol, d.lang);
  return decode_passage_data(doc.get_data(), d, *gazetteer_);
}

std::optional<json> StoredPassages::find(const Xapian::Database& db, const std::string& id, std::string_view lang) {
  // Without a language, the version first in language-code order, as IndexReader::document().
  const std::string term = std::string(schema::kPassageId) + id;
  std::optional<Xapian::Document> best;
  std::string best_lang;
  for (Xapian::PostingIterator it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    Xapian::Document doc = db.get_document(*it);
    std::string doc_lang = doc.get_value(schema::kSlotLang);
    if (!lang.empty() && doc_lang != lang) continue;
    if (!best || doc_lang < best_lang) {
      best = std::move(doc);
      best_lang = std::move(doc_lang);
    }
  }
  if (!best) return std::nullopt;
  return read(db, *best);
}

const std::string& StoredPassages::title(const Xapian::Database& db, const std::string& symbol, const std::string& lang) {
  // A commit may have replaced the document, a reindex switched to another database.
  const Xapian::rev revision = db.get_revision();
  std::string uuid = db.get_uuid();
  if (revision != revision_ || uuid != uuid_) {
    titles_.clear();
    revision_ = revision;
    uuid_ = std::move(uuid);
  }
  auto [it, added] = titles_.try_emplace(schema::version_key(symbol, lang));
  if (added) it->second = document_title(db, symbol, lang);
  return it->second;
}

std::string document_title(const Xapian::Database& db, const std::string& symbol, const std::string& lang) {
  const std::string data = db.get_metadata(std::string(schema::kMetaDocPrefix) + schema::version_key(symbol, lang));
  const json summary = json::parse(data, nullptr, false);
  if (summary.is_object() && summary.contains("header") && summary["header"].is_object())
    return summary["header"].value("title", std::string());
  return {};
}

}  // namespace treaty
