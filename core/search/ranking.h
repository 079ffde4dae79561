// Ranking a result set: the lexical list (BM25 or a sort key), the vector list (mode=semantic),
// or both fused by reciprocal rank fusion (mode=hybrid with vectors). Each counts the whole
// result set into a FacetSpy and gives an exact total; none reads a stored passage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <xapian.h>

#include "core/base/error.h"
#include "core/search/facets.h"
#include "core/search/request.h"
#include "core/search/slot_table.h"
#include "core/search/vector_retrieval.h"
#include "core/vectors/semantic.h"

namespace treaty {

// One result before its document is read: where it came from and its rank in each list.
struct Ranked {
  Xapian::docid did = 0;
  double score = 0;
  bool lexical = false;          // the lexical query matches it
  std::size_t lexical_rank = 0;  // 1-based; 0: not in the fetched lexical list
  std::size_t vector_rank = 0;   // 1-based; 0: not a vector candidate
  float vector_score = 0;
  bool operator==(const Ranked&) const = default;
};

// Sorting by a SlotTable's precomputed ranks (date, document order), or by relevance.
class SortKeys {
 public:
  // `table` must outlive the keys.
  SortKeys(const SlotTable& table, SortOrder order);
  SortKeys(const SortKeys&) = delete;
  SortKeys& operator=(const SortKeys&) = delete;

  bool by_relevance() const { return ranks_ == nullptr; }
  // Sets `enquire`'s order; the keys must outlive its get_mset() calls. Ties in relevance fall
  // back to docid order, which is document order as long as documents were added whole (a
  // per-document key here would cost a lookup per match).
  void apply(Xapian::Enquire& enquire) const;
  // Stable sort of `entries` by the order's rank. Precondition: !by_relevance().
  void sort(std::vector<Ranked>& entries) const;

 private:
  // Sorts by a precomputed rank per docid (big-endian, so byte order is rank order).
  class RankKey : public Xapian::KeyMaker {
   public:
    explicit RankKey(const std::vector<std::uint32_t>& ranks) : ranks_(ranks) {}
    std::string operator()(const Xapian::Document& doc) const override;

   private:
    const std::vector<std::uint32_t>& ranks_;
  };

  std::uint32_t rank_of(Xapian::docid did) const;

  SortOrder order_;
  mutable RankKey key_;  // mutable: Xapian takes a non-const KeyMaker*
  const std::vector<std::uint32_t>* ranks_;  // null: by relevance
};

// A ranking, as far as the requested page needs it.
struct Ranking {
  std::uint64_t total = 0;      // size of the result set; an estimate when !exact
  bool exact = true;            // false: a time limit cut the match short (total estimated,
                                // the spy saw only part of the result set)
  std::vector<Ranked> entries;  // ranked results
  std::size_t first = 0;        // the page's first entry in `entries`

  // Up to `size` entries from `first`.
  std::vector<Ranked> page(std::size_t size) const;
};

// The lexical ranking of `query` (filters applied) in `sort`'s order: entries [offset, offset +
// count) of it, each with its 1-based lexical rank. The whole match set goes through `spy`
// (when it counts any facet), and total is exact, unless `time_limit` (seconds, 0: none; Xapian's
// Enquire::set_time_limit) runs out first: then the entries are still the best ones, but the
// match stops checking further documents (Ranking::exact false).
Ranking lexical_ranking(const Xapian::Database& db, const Xapian::Query& query, const SortKeys& sort, FacetSpy& spy,
                        std::size_t offset, std::size_t count, double time_limit = 0);

// mode=semantic: `candidates` (best first) are the result set, in `sort`'s order unless by
// relevance (then by similarity), each counted by `spy`; the page starts at `offset`.
Ranking semantic_ranking(const std::vector<VectorCandidate>& candidates, const SortKeys& sort, FacetSpy& spy,
                         std::size_t offset);

// mode=hybrid with vectors: the lexical list of `query` (its first `options.depth` hits) and
// `candidates` (the vector list), fused by reciprocal rank fusion; the ranking goes on with the
// lexical hits after the fused depth, scored as RRF would. Sorted by date or document order
// instead, the fetched lexical hits and the vector-only hits merged in that order (score 0).
// Vector candidates the lexical query does not match add to the total and are counted by `spy`.
// The page starts at `offset`; enough lexical hits are fetched that `depth` fused-in vector hits
// cannot push it past them. `time_limit` bounds the lexical match (lexical_ranking). Errors:
// fusion's (invalid weights).
Expected<Ranking> hybrid_ranking(const Xapian::Database& db, const Xapian::Query& query, const SortKeys& sort,
                                 FacetSpy& spy, const std::vector<VectorCandidate>& candidates,
                                 const VectorSearchOptions& options, std::size_t offset, std::size_t size,
                                 double time_limit = 0);

}  // namespace treaty
