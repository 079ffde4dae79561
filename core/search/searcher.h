// Searching the passage index: query + filters -> exact total, ranked hits with snippets, facets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/text/analyzer.h"
#include "core/base/error.h"
#include "core/search/query_parser.h"
#include "core/vectors/semantic.h"
#include "core/search/snippet.h"

namespace treaty {

struct Resources;

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
    "score",   "matched_expansions", "retrieval"};

// Facets a request may ask for.
inline constexpr std::string_view kFacetNames[] = {"org", "year", "decision", "symbol", "month"};

struct SearchRequest {
  std::string q;                       // query language (query_parser.h); empty: browse the filters
  std::vector<std::string> orgs;       // organization ids or names (any script/case); any of them
  std::vector<std::string> years;      // "2014"; any of them
  std::vector<std::string> decisions;  // "XI/1", "XI/1 D", "67/212", or facet ids "cop:11/1 D"
  std::vector<std::string> symbols;    // "UNEP/CBD/COP/12/24" (any case)
  std::vector<std::string> kinds;      // passage kinds: "header", "paragraph", "item"; any of them
  std::string date_from;               // passages with a date overlapping [date_from, date_to]:
  std::string date_to;                 //   YYYY, YYYY-MM or YYYY-MM-DD; either may be empty (open)
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
};

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
  SortOrder sort = SortOrder::relevance;
  std::vector<Hit> hits;
  std::vector<Facet> facets;          // in the order requested
  std::vector<std::string> warnings;  // e.g. unknown organization
  std::vector<std::string> expansions;  // every expansion searched ("研讨会 → 讲习班"), or for
                                        // similar(), the terms the passage was described by
  std::vector<std::string> fields;      // SearchRequest::fields: what to_json() puts in each hit

  // {"mode", "vector", "total", "sort", "hits": [passage fields + snippet, snippet_source,
  // score, matched_expansions (+ "retrieval" when vector)], "facets": {name: [{value, label,
  // count}]}, "warnings", "expansions"}
  nlohmann::json to_json() const;
};

// Every passage's facet values and sort ranks for one index revision, read once from the value
// slots so that counting facets and sorting a match set never read values per document
// (defined in searcher.cpp).
class SlotTable;

// Shares SlotTables between the Searchers of all threads: built on the first search of a new
// index revision, dropped when newer revisions replace it. Thread-safe.
class SlotTableCache {
 public:
  SlotTableCache();
  ~SlotTableCache();
  SlotTableCache(const SlotTableCache&) = delete;
  SlotTableCache& operator=(const SlotTableCache&) = delete;

  // The table of `db` at its current revision (built now if no searcher has built it yet).
  std::shared_ptr<const SlotTable> get(const Xapian::Database& db);

 private:
  std::mutex mutex_;  // held while building: other threads would only build the same table
  std::vector<std::pair<std::string, std::shared_ptr<const SlotTable>>> tables_;  // uuid:revision, newest last
};

struct SearcherOptions {
  QueryParserOptions query;                      // how query text becomes a Xapian query (heading boost)
  std::shared_ptr<SlotTableCache> slot_tables;   // shared by all threads' searchers; null: a private one
  std::shared_ptr<VectorSearch> vectors;         // dense vectors, shared by all threads' searchers;
                                                 // null: none (hybrid = lexical + thesaurus)
};

// A dense-vector query for Searcher::run (searcher.cpp).
struct VectorQuery;

// One per thread: it owns an Analyzer (not thread-safe) and uses `db`, which must outlive it.
// Reopening `db` (Xapian::Database::reopen()) between searches is fine.
class Searcher {
 public:
  Searcher(Xapian::Database& db, const Resources& resources, SearcherOptions options = {});

  // Runs `request`. Expected failures (400-type): malformed query field values or filters,
  // unknown facet names, mode=semantic without an embedder. A query that cannot be embedded
  // (server down, index without vectors or with another model's) is not a failure: the
  // lexical (+ thesaurus) results come back with a warning saying why. Xapian errors are thrown
  // (Xapian::DatabaseModifiedError: reopen and retry).
  Expected<SearchResponse> search(const SearchRequest& request);

  // Passages related to passage `id`, never the passage itself. Lexically by relevance
  // feedback: the passage's most distinctive words and Han bigrams (Xapian's expand set over it)
  // are searched as an OR query, ranked by BM25. By vectors, when the passage has a stored
  // vector: its nearest neighbours (mode=semantic), or those fused with the lexical list
  // (mode=hybrid); mode=lexical uses feedback only. request.q is ignored; filters, facets, sort,
  // paging and snippets apply as in search(). nullopt: no passage has that id. Expected failures
  // as search().
  Expected<std::optional<SearchResponse>> similar(const std::string& id, const SearchRequest& request);

  Analyzer& analyzer() { return analyzer_; }

 private:
  // Runs an already translated query with the request's filters, facets, sort and paging; with
  // `vq`, fused with (hybrid) or replaced by (semantic) its vector candidates. `warnings` are
  // added to the response's.
  Expected<SearchResponse> run(const SearchRequest& request, const ParsedQuery& parsed, const VectorQuery* vq,
                               std::vector<std::string> warnings = {});
  // The store to search when vectors can take part, or nullptr with a warning saying why not.
  std::shared_ptr<const VectorStore> usable_store(std::vector<std::string>& warnings, bool need_embedder);

  Xapian::Database* db_;
  const Resources* resources_;
  SearcherOptions options_;
  Analyzer analyzer_;
};

}  // namespace treaty
