#include "core/search/hits.h"

#include <algorithm>

#include "core/index/passage_data.h"
#include "core/index/schema.h"
#include "core/text/analyzer.h"

namespace treaty {
namespace {

using nlohmann::json;

// Does `finder` match the passage's text, a footnote it cites or one of its section headings
// (everything a text query searches)?
bool contains_match(const json& passage, const Highlighter& finder) {
  auto in = [&](const json& j) { return j.is_string() && !finder.find(j.get<std::string>()).empty(); };
  if (in(passage.value("text", json()))) return true;
  for (const json& f : passage.value("footnotes", json::array()))
    if (f.is_object() && in(f.value("text", json()))) return true;
  for (const json& heading : passage.value("section", json::array()))
    if (in(heading)) return true;
  return false;
}

}  // namespace

HitRenderer::HitRenderer(Analyzer& analyzer, const ParsedQuery& parsed, const SearchRequest& request)
    : parsed_(parsed), request_(request), highlighter_(analyzer, parsed.highlights) {
  for (const QueryExpansion& e : parsed.expansions) expansion_finders_.emplace_back(analyzer, std::vector{e.text});
  want_snippet_ = wanted("snippet") || wanted("snippet_source");
  want_expansions_ = wanted("matched_expansions");
  // Only the id (from its value slot), score and ranks asked for: the stored passage is not read.
  want_passage_ = want_snippet_ || want_expansions_ ||
                  std::any_of(std::begin(kHitFields), std::end(kHitFields), [&](std::string_view f) {
                    return f != "id" && f != "score" && f != "retrieval" && wanted(f);
                  });
}

bool HitRenderer::wanted(std::string_view field) const {
  return request_.fields.empty() ||
         std::find(request_.fields.begin(), request_.fields.end(), field) != request_.fields.end();
}

std::vector<Hit> HitRenderer::render(const Xapian::Database& db, StoredPassages& stored,
                                     const std::vector<Ranked>& page, StepBudget* budget) const {
  std::vector<Hit> hits;
  for (const Ranked& entry : page) {
    Hit hit;
    hit.score = entry.score;
    hit.lexical_match = entry.lexical;
    hit.lexical_rank = entry.lexical_rank;
    hit.vector_rank = entry.vector_rank;
    hit.vector_score = entry.vector_score;
    const Xapian::Document doc = db.get_document(entry.did, Xapian::DOC_ASSUME_VALID);
    if (!want_passage_) {
      hit.id = doc.get_value(schema::kSlotId);
      hits.push_back(std::move(hit));
      continue;
    }
    hit.passage = stored.read(db, doc);
    hit.id = hit.passage.value("id", "");
    // Snippets and expansions analyse the text: the costly part, so the one the budget cuts.
    const bool analyse = (want_snippet_ || want_expansions_) && (!budget || budget->allows("snippets not made"));
    if (want_expansions_ && analyse) add_matched_expansions(hit);
    if (want_snippet_ && analyse) add_snippet(hit);
    hits.push_back(std::move(hit));
  }
  return hits;
}

void HitRenderer::add_matched_expansions(Hit& hit) const {
  for (std::size_t k = 0; k < expansion_finders_.size(); ++k) {
    if (!contains_match(hit.passage, expansion_finders_[k])) continue;
    for (const std::string& r : parsed_.expansions[k].replacements)
      if (std::find(hit.matched_expansions.begin(), hit.matched_expansions.end(), r) == hit.matched_expansions.end())
        hit.matched_expansions.push_back(r);
  }
}

void HitRenderer::add_snippet(Hit& hit) const {
  Snippet snippet = highlighter_.snippet(hit.passage.value("text", ""), request_.snippet);
  hit.snippet_source = "text";
  // A passage can match through a footnote it cites: show that footnote then.
  if (snippet.matched == 0 && !parsed_.highlights.empty() && hit.passage.contains("footnotes")) {
    for (const json& f : hit.passage["footnotes"]) {
      Snippet from_note = highlighter_.snippet(f.value("text", ""), request_.snippet);
      if (from_note.matched > 0) {
        snippet = std::move(from_note);
        hit.snippet_source = "footnote " + std::to_string(f.value("number", 0));
        break;
      }
    }
  }
  hit.snippet = std::move(snippet.html);
}

}  // namespace treaty
