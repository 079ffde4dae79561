// What a search asks for: the request, its modes and sort orders, the hit fields and facets
// it may name. The searcher (searcher.h) answers it; searchd fills it from URL parameters.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/error.h"
#include "core/search/budget.h"
#include "core/search/date_filter.h"
#include "core/search/snippet.h"

namespace treaty {

// How a query is matched and ranked (docs/API.md, "mode").
enum class SearchMode {
  lexical,   // the words as typed: no thesaurus, no vectors
  hybrid,    // plus thesaurus expansions; fused (RRF) with dense-vector hits when vectors are
             // available (an embedder and passage vectors of its model)
  semantic,  // dense-vector hits only (falls back to hybrid's lexical list when the query
             // cannot be embedded, with a warning)
};

// "lexical", "hybrid", "semantic"; nullopt for anything else.
std::optional<SearchMode> parse_search_mode(std::string_view name);
std::string_view search_mode_name(SearchMode mode);

enum class SortOrder {
  relevance,  // BM25, ties in document order
  date,       // first date ascending; passages without dates last
  date_desc,  // first date descending; passages without dates last
  document,   // document symbol, then passage order
};

// "relevance", "date", "-date", "document"; nullopt for anything else.
std::optional<SortOrder> parse_sort_order(std::string_view name);
std::string_view sort_order_name(SortOrder order);

// Fields a hit can have: the stored passage's (schema.h, "Document data") and the search's own.
inline constexpr std::string_view kHitFields[] = {
    "id",      "doc",     "para",    "kind",    "section", "text",          "footnotes",        "orgs",
    "dates",   "decisions", "symbols", "order", "lines",   "title",         "snippet",          "snippet_source",
    "score",   "matched_expansions", "retrieval", "meeting", "type", "issued", "lang", "via", "linked"};

// Facets a request may ask for: the passages' fields, then the documents' facts (doc: the
// document's own symbol, labelled with its title; meeting; type; lang; issued: the year of the
// cover's issue date).
inline constexpr std::string_view kFacetNames[] = {"org", "year", "decision", "symbol", "month",
                                                   "doc", "meeting",  "type",   "lang",  "issued"};

// Filters imposed on a request from outside it (a scoped API key): (field, values) pairs, each
// field one of filters.h's kFilterFields, its values ORed, the fields ANDed with everything else.
using FilterScope = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct SearchRequest {
  std::string q;                       // query language (query_parser.h); empty: browse the filters
  std::vector<std::string> orgs;       // organization ids or names (any script/case); any of them
  std::vector<std::string> years;      // "2014"; any of them
  std::vector<std::string> decisions;  // "XI/1", "XI/1 D", "67/212", or facet ids "cop:11/1 D"
  std::vector<std::string> symbols;    // "UNEP/CBD/COP/12/24" (any case)
  std::vector<std::string> kinds;      // passage kinds: "header", "paragraph", "item"; any of them
  // The document's facts (filters.h says which forms each takes); any of the values of each:
  std::vector<std::string> docs;       // the document's own symbol, any case ("CBD/NP/MOP/3/4")
  std::vector<std::string> meetings;   // "np-mop:1", "COP 13", or a body alone ("cop")
  std::vector<std::string> types;      // "note", "report", … or their labels ("说明")
  std::vector<std::string> langs;      // "zh"
  bool cross_lang = true;              // with langs and words to match: also the passages of those
                                       // languages linked to the best matches in the document's
                                       // other versions (cross_language.h), fused in by RRF
  std::vector<std::string> display_langs;  // each hit's linked versions in these languages
                                           // ("linked"; codes or names, as langs)
  std::vector<std::string> issued;     // issue date ranges: "2018", "2018-05..2018-10"
  std::string issued_from;             // and documents issued in [issued_from, issued_to]:
  std::string issued_to;               //   YYYY, YYYY-MM or YYYY-MM-DD; either may be empty (open)
  std::string date_from;               // passages with a date overlapping [date_from, date_to]:
  std::string date_to;                 //   YYYY, YYYY-MM or YYYY-MM-DD; either may be empty (open)
  DateRelation date_relation = DateRelation::intersects;  // within: the date expression lies wholly
                                                          // inside [date_from, date_to] (also for
                                                          // date: in q)
  std::size_t size = 10;               // hits to return
  std::size_t offset = 0;              // hits to skip
  std::optional<SortOrder> sort;       // default: relevance with text, document order without
  std::vector<std::string> facets;     // names from kFacetNames, counted over all matches
  std::size_t facet_size = 10;         // top values per facet (by count, then value)
  bool disjunctive = false;            // count each facet as if its own filter were not set
  SnippetOptions snippet;              // highlight tags and window size
  SearchMode mode = SearchMode::hybrid;
  std::vector<std::string> fields;     // hit fields to return (kHitFields); empty: all. Without
                                       // snippet/snippet_source, no snippet is made; with only
                                       // id/score/retrieval, the stored passage is not read
  bool paragraphs = false;             // one hit per numbered paragraph: a paragraph's items are
                                       // searched as part of its lead-in passage, never returned
                                       // on their own (searchd's group=paragraph)
  bool headings = true;                // text in a section heading above a passage makes it match
                                       // (searchd's scope=all); false: its body only (scope=text)
  Deadline deadline;                   // when to stop (budget.h); default: none. Steps it leaves no
                                       // time for are skipped (SearchResponse::timed_out)
  QueryLimits limits;                  // caps on clauses, expansions and filter values
  FilterScope scope;                   // applied to everything, facets and vectors included, and
                                       // never relaxed (not by disjunctive facets either)
};

// The request's facet and field names are known ones (kFacetNames, kHitFields), and its filter
// values are at most limits.max_filter_values; the error names the first unknown name and lists
// the known ones, or gives the count and the limit.
Expected<void> check_request(const SearchRequest& request);

}  // namespace treaty
