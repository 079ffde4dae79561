// Searching across the language versions of documents through their passage links
// (core/index/version_links.h): a query restricted to some languages also finds, by projection,
// the passages of those languages linked to its best matches in the other versions ("benefit-
// sharing" with lang=zh finds the Chinese paragraphs whose English versions say it); and a hit
// can carry its linked versions in other languages (display_lang).
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/index/dictionary.h"
#include "core/index/passage_data.h"
#include "core/index/stemmers.h"
#include "core/search/query_parser.h"
#include "core/search/vector_retrieval.h"

namespace treaty {

// Where a projected passage came from: the passage of another version that matched the query.
struct ProjectedFrom {
  std::string id;           // its passage id (the key: the same as the projected passage's when
                            // the versions number alike)
  std::string lang;         // its language
  std::size_t rank = 0;     // 1-based rank among the matches in the other languages
  double confidence = 0;    // of the link
};

struct Projection {
  // Passages in the wanted languages, by the rank of the match they were projected from, each
  // once (the best); id is a vector id (schema::vector_id()), score the link's confidence.
  std::vector<VectorCandidate> candidates;
  std::unordered_map<Xapian::docid, ProjectedFrom> from;
};

// The passages of languages `langs` linked to the best `depth` matches of `other_versions` (the
// query with every filter but the language's, and not in `langs`), that also match `allowed`
// (the match-all query under every filter). Empty when no document has linked versions.
Projection project_through_links(const Xapian::Database& db, const Xapian::Query& other_versions,
                                 const Xapian::Query& allowed, const std::vector<std::string>& langs,
                                 std::size_t depth);

// Adds to `parsed` the Chinese words that `dictionaries` translate the words of its
// semantic_text by (each word normalised by `normalizer`, stemmed per dictionary's language):
// per word with an entry, the OR of its Chinese words, each scaled by its weight; the words'
// groups OR-ed, scaled by `weight` and OR-ed into parsed.query, so that a query in English finds
// passages of documents that have only a Chinese version. Each expanded word gets an expansion
// ("word → 中文词") and its Chinese words are highlights. False when no word has an entry
// (`parsed` unchanged).
bool add_dictionary_translations(ParsedQuery& parsed, const std::vector<Dictionary>& dictionaries,
                                 const Normalizer& normalizer, const Stemmers& stemmers, double weight);

// `passage`'s linked versions in `langs` (but its own): {lang: [{id, para, confidence, text}]},
// the text read through `stored` (null: no text); a language without a linked passage has [].
// {} when the document has no links.
nlohmann::json linked_versions(const Xapian::Database& db, StoredPassages* stored, const nlohmann::json& passage,
                               const std::vector<std::string>& langs);

}  // namespace treaty
