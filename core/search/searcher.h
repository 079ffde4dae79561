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

#include <xapian.h>

#include "core/base/error.h"
#include "core/index/passage_data.h"
#include "core/search/cross_language.h"
#include "core/search/filters.h"
#include "core/search/query_parser.h"
#include "core/search/request.h"
#include "core/search/response.h"
#include "core/search/slot_table.h"
#include "core/text/analyzer.h"
#include "core/vectors/semantic.h"

namespace treaty {

struct Resources;
struct FacetPlan;
class FacetSpy;
struct Ranked;
struct Ranking;
class SortKeys;
class StepBudget;
struct VectorQuery;  // vector_retrieval.h
class VectorRetriever;

struct SearcherOptions {
  QueryParserOptions query;                      // how query text becomes a Xapian query (heading boost)
  std::shared_ptr<SlotTableCache> slot_tables;   // shared by all threads' searchers; null: a private one
  std::shared_ptr<VectorSearch> vectors;         // dense vectors, shared by all threads' searchers;
                                                 // null: none (hybrid = lexical + thesaurus)
};

// One per thread: it owns an Analyzer (not thread-safe) and uses `db`, which must outlive it.
// Reopening `db` (Xapian::Database::reopen()) between searches is fine.
class Searcher {
 public:
  Searcher(Xapian::Database& db, const Resources& resources, SearcherOptions options = {});

  // Runs `request`. Expected failures (400-type): malformed query field values or filters,
  // unknown facet names, mode=semantic without an embedder. A query that cannot be embedded
  // (server down, index without vectors or with another model's) is not a failure: the
  // lexical (+ thesaurus) results come back with a warning saying why. Xapian errors are thrown
  // (Xapian::DatabaseModifiedError: reopen and retry). Over request.limits (more clauses,
  // expansions or filter values) is an expected failure too.
  //
  // request.deadline: the clock is read once at each of these steps, in this order, and a step
  // the deadline has passed is skipped (SearchResponse::timed_out, one warning listing the cuts):
  //   1. on arrival (after check_request()): no search at all; no hits, facets without values
  //   2. before embedding the query (hybrid/semantic with vectors): lexical results only
  //   3. before the vector candidates (in run(); also for similar()): lexical results only
  //   4. before the ranking: no hits; the remaining time bounds the Xapian match
  //      (Enquire::set_time_limit: once it runs out, the best hits found are kept, the total is
  //      estimated (total_exact false) and the facets counted on the way are lower bounds)
  //   5. before each facet counted in a pass of its own (disjunctive): listed without values
  //   6. before each hit's snippet and matched expansions: later hits go without them
  // Without a deadline nothing is read and the response is as if there were none.
  Expected<SearchResponse> search(const SearchRequest& request);

  // Whether passage `id` passes every filter of `scope` (a scoped API key's), so that reading it
  // by id shows nothing the key's searches could not find; an unknown id is not in scope. An
  // empty scope lets everything through. Expected failures: a malformed scope value.
  Expected<bool> in_scope(std::string_view id, const FilterScope& scope);

  // Passages related to passage `id`, never the passage itself. Lexically by relevance
  // feedback: the passage's most distinctive words and Han bigrams (Xapian's expand set over it)
  // are searched as an OR query, ranked by BM25. By vectors, when the passage has a stored
  // vector: its nearest neighbours (mode=semantic), or those fused with the lexical list
  // (mode=hybrid); mode=lexical uses feedback only. request.q is ignored; filters, facets, sort,
  // paging and snippets apply as in search(). nullopt: no passage has that id. Expected failures
  // as search().
  Expected<std::optional<SearchResponse>> similar(const std::string& id, const SearchRequest& request);

  // How the index's analysis differs from this searcher's resources (analysis_differences() of
  // the index's record and Resources::analysis), re-read whenever the record changes (a reopen
  // onto a reindexed generation). While it differs, every response carries these as warnings and
  // queries match lexicon terms by their phrases (QueryParserOptions::lexicon_terms).
  const std::vector<std::string>& analysis_differences();

  Analyzer& analyzer() { return analyzer_; }
  // The index it searches (the database given to the constructor).
  const Xapian::Database& database() const { return *db_; }
  // Reads its database's stored passages (with the resources' gazetteer), keeping the document
  // titles it has read until the database moves on.
  StoredPassages& passages() { return passages_; }

 private:
  // Runs an already translated query with the request's filters, facets, sort and paging; with
  // `vq`, fused with (hybrid) or replaced by (semantic) its vector candidates. `warnings` are
  // added to the response's. Steps the budget leaves no time for are skipped (timed_out).
  Expected<SearchResponse> run(const SearchRequest& request, const ParsedQuery& parsed, const VectorQuery* vq,
                               StepBudget& budget, std::vector<std::string> warnings = {});
  // The answer to a request whose time ran out before the search: no hits, facets uncounted,
  // timed_out with the budget's warning. `sort`: the default order when the request names none.
  SearchResponse not_searched(const SearchRequest& request, SortOrder sort, StepBudget& budget) const;
  // The response before any search: mode, fields, the query's warnings and expansions.
  SearchResponse start_response(const SearchRequest& request, const ParsedQuery& parsed, bool vector,
                                std::vector<std::string> warnings) const;
  // The ranking of `query` (filters applied): lexical without `vectors`, else semantic or hybrid.
  // `time_limit` (seconds, 0: none) bounds the Xapian match (lexical_ranking).
  // `projected`: passages found through their linked versions (cross_language.h), fused in as
  // a list of their own (with vectors: after the vector candidates).
  Expected<Ranking> rank(const SearchRequest& request, const Xapian::Query& query, const SortKeys& sort,
                         FacetSpy& spy, const VectorRetriever* vectors, bool semantic, double time_limit,
                         const std::vector<VectorCandidate>& projected = {}) const;
  // The requested facets, in request order: the main pass's from `spy`, the others counted in a
  // pass of their own (FacetPlan::own_pass), each only if `budget` allows (else listed without
  // values). `query` is the parsed query without filters.
  Expected<std::vector<Facet>> count_facets(const SearchRequest& request, const FacetPlan& plan, const FacetSpy& spy,
                                            const SlotTable& table, const Xapian::Query& query, const Filters& filters,
                                            const VectorRetriever* vectors, bool semantic, StepBudget& budget) const;
  // mode=semantic: says which vector hits of the page the words match too.
  void mark_lexical_matches(std::vector<Ranked>& page, const Xapian::Query& query) const;
  // The passages of the request's languages linked to the query's best matches in other
  // versions (cross_language.h); none without a language filter, words to match, or in
  // mode=semantic.
  Projection project(const SearchRequest& request, const ParsedQuery& parsed, const Filters& filters,
                     bool semantic) const;
  // Each rendered hit's "via" (found through a linked version) and, with display_langs, its
  // "linked" versions.
  void add_cross_language(const SearchRequest& request, const Projection& projection, const std::vector<Ranked>& page,
                          std::vector<Hit>& hits);
  // The language codes of filter values (codes or names, as the lang filter takes them); values
  // that are no language are left out (the filter itself reports them).
  std::vector<std::string> language_codes(const std::vector<std::string>& values) const;
  // Matches in other versions looked at for projection.
  static constexpr std::size_t kProjectionDepth = 50;
  // The index's mined dictionaries (dictionary.h), read again when the index moves to another
  // revision or generation.
  const std::vector<Dictionary>& dictionaries();
  // Weight of the dictionary's Chinese words beside the query's own terms.
  static constexpr double kDictionaryWeight = 0.5;
  std::vector<Dictionary> dictionaries_;
  std::string dictionaries_of_;  // uuid:revision they were read at
  Stemmers stemmers_;
  // The store to search when vectors can take part, or nullptr with a warning saying why not.
  std::shared_ptr<const VectorStore> usable_store(std::vector<std::string>& warnings, bool need_embedder);

  Xapian::Database* db_;
  const Resources* resources_;
  SearcherOptions options_;
  Analyzer analyzer_;
  FilterBuilder filter_builder_;
  StoredPassages passages_;  // the hits' passages
  std::optional<std::string> analysis_record_;  // the record analysis_differences_ was made from
  std::vector<std::string> analysis_differences_;
};

}  // namespace treaty
