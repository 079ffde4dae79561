// What a search answers: the ranked hits, facets, total and warnings, and their JSON form.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/search/request.h"

namespace treaty {

struct FacetValue {
  std::string value;   // what to pass back as a filter (org id, year, decision id, symbol, month)
  std::string label;   // for display ("粮农组织 (FAO)", "COP XI/1 D")
  std::uint64_t count = 0;
  bool operator==(const FacetValue&) const = default;
};

struct Facet {
  std::string name;
  std::vector<FacetValue> values;
};

struct Hit {
  std::string id;
  double score = 0;
  std::string snippet;         // HTML: escaped text, matches in the request's tags
  std::string snippet_source;  // "text", or "footnote N" when only a cited footnote matched
  nlohmann::json passage;      // the stored passage JSON (schema.h, "Document data")
  std::vector<std::string> matched_expansions;  // the query's expansions this passage contains
                                                // (text, cited footnotes or headings): "研讨会 → 讲习班"
  // How the passage was found, when vectors took part (SearchResponse::vector):
  bool lexical_match = false;    // it matches the query's words (or, for similar(), its terms)
  std::size_t lexical_rank = 0;  // 1-based rank in the lexical ranking; 0: not ranked that far
  std::size_t vector_rank = 0;   // 1-based rank among the vector candidates; 0: not among them
  float vector_score = 0;        // cosine similarity to the query, when vector_rank > 0
};

struct SearchResponse {
  SearchMode mode = SearchMode::hybrid;  // as requested
  bool vector = false;      // dense vectors took part; false: lexical (+ thesaurus) only
  std::uint64_t total = 0;  // exact number of matching passages; with vectors, the lexical
                            // matches plus the vector candidates that are not among them
  bool total_exact = true;  // false: the time budget cut the count short; total is Xapian's
                            // estimate and facet counts are lower bounds
  bool timed_out = false;   // the time budget ran out: a step was skipped or cut short (a
                            // warning says which)
  SortOrder sort = SortOrder::relevance;
  std::vector<Hit> hits;
  std::vector<Facet> facets;          // in the order requested
  std::vector<std::string> warnings;  // e.g. unknown organization
  std::vector<std::string> expansions;  // every expansion searched ("研讨会 → 讲习班"), or for
                                        // similar(), the terms the passage was described by
  std::vector<std::string> fields;      // SearchRequest::fields: what to_json() puts in each hit

  // {"mode", "vector", "total", "total_exact", "timed_out", "sort", "hits": [passage fields +
  // snippet, snippet_source, score, matched_expansions (+ "retrieval" when vector)], "facets":
  // {name: [{value, label, count}]}, "warnings", "expansions"}
  nlohmann::json to_json() const;
};

}  // namespace treaty
