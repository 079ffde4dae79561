#include "core/search/ranking.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/vectors/fusion.h"

namespace treaty {
namespace {

const std::vector<std::uint32_t>* ranks_for(const SlotTable& table, SortOrder order) {
  switch (order) {
    case SortOrder::relevance: return nullptr;
    case SortOrder::document: return &table.order_ranks();
    case SortOrder::date:
    case SortOrder::date_desc: return &table.date_ranks(order == SortOrder::date_desc);
  }
  return nullptr;
}

// Where each docid is in the lexical list and among the vector candidates.
class ListPositions {
 public:
  ListPositions(const std::vector<Ranked>& lexical, const std::vector<VectorCandidate>& candidates,
                const std::unordered_set<Xapian::docid>& deep)
      : candidates_(candidates), deep_(deep) {
    for (std::size_t i = 0; i < lexical.size(); ++i) lexical_at_.emplace(lexical[i].did, i);
    for (std::size_t i = 0; i < candidates.size(); ++i) vector_at_.emplace(candidates[i].did, i);
  }

  // An entry for `did` with its ranks in both lists (score 0).
  Ranked entry(Xapian::docid did) const {
    Ranked e{did, 0, false, 0, 0, 0};
    if (auto l = lexical_at_.find(did); l != lexical_at_.end()) {
      e.lexical = true;
      e.lexical_rank = l->second + 1;
    } else {
      e.lexical = deep_.contains(did);
    }
    if (auto v = vector_at_.find(did); v != vector_at_.end()) {
      e.vector_rank = v->second + 1;
      e.vector_score = candidates_[v->second].score;
    }
    return e;
  }

 private:
  const std::vector<VectorCandidate>& candidates_;
  const std::unordered_set<Xapian::docid>& deep_;      // candidates beyond the list the query matches
  std::unordered_map<Xapian::docid, std::size_t> lexical_at_;  // docid -> index in the lexical list
  std::unordered_map<Xapian::docid, std::size_t> vector_at_;   // docid -> index in candidates
};

// Reciprocal rank fusion of the first `depth` lexical hits and the candidates, then the lexical
// hits beyond the depth.
Expected<std::vector<Ranked>> fuse(const std::vector<Ranked>& lexical, const std::vector<VectorCandidate>& candidates,
                                   const ListPositions& positions, const VectorSearchOptions& vo) {
  RankedList lexical_list{{}, vo.lexical_weight}, vector_list{{}, vo.vector_weight};
  for (std::size_t i = 0; i < lexical.size() && i < vo.depth; ++i) lexical_list.ids.push_back(std::to_string(lexical[i].did));
  for (const VectorCandidate& c : candidates) vector_list.ids.push_back(std::to_string(c.did));
  auto fused = reciprocal_rank_fusion({lexical_list, vector_list}, vo.rrf_k);
  if (!fused) return std::unexpected(fused.error());
  std::vector<Ranked> entries;
  std::unordered_set<Xapian::docid> seen;
  for (const FusedHit& f : *fused) {
    Ranked e = positions.entry(static_cast<Xapian::docid>(std::stoul(f.id)));
    e.score = f.score;
    seen.insert(e.did);
    entries.push_back(e);
  }
  // The ranking goes on with the lexical hits beyond the fused depth, scored as RRF would.
  for (std::size_t i = vo.depth; i < lexical.size(); ++i) {
    if (seen.contains(lexical[i].did)) continue;
    Ranked e = positions.entry(lexical[i].did);
    e.score = vo.lexical_weight / (vo.rrf_k + static_cast<double>(i + 1));
    entries.push_back(e);
  }
  return entries;
}

}  // namespace

SortKeys::SortKeys(const SlotTable& table, SortOrder order)
    : order_(order), key_(order == SortOrder::relevance ? table.order_ranks() : *ranks_for(table, order)),
      ranks_(ranks_for(table, order)) {}

std::string SortKeys::RankKey::operator()(const Xapian::Document& doc) const {
  const Xapian::docid did = doc.get_docid();
  const std::uint32_t r = did < ranks_.size() ? ranks_[did] : kNoRank;
  const char bytes[4] = {static_cast<char>(r >> 24), static_cast<char>(r >> 16), static_cast<char>(r >> 8),
                         static_cast<char>(r)};
  return std::string(bytes, 4);
}

void SortKeys::apply(Xapian::Enquire& enquire) const {
  if (by_relevance()) {
    enquire.set_sort_by_relevance();
  } else {
    // Xapian keeps the pointer only: the key is not copied, and must outlive the enquire's use.
    enquire.set_sort_by_key(&key_, false);
  }
}

std::uint32_t SortKeys::rank_of(Xapian::docid did) const { return did < ranks_->size() ? (*ranks_)[did] : kNoRank; }

void SortKeys::sort(std::vector<Ranked>& entries) const {
  std::stable_sort(entries.begin(), entries.end(),
                   [&](const Ranked& a, const Ranked& b) { return rank_of(a.did) < rank_of(b.did); });
}

std::vector<Ranked> Ranking::page(std::size_t size) const {
  std::vector<Ranked> out;
  for (std::size_t i = first; i < entries.size() && out.size() < size; ++i) out.push_back(entries[i]);
  return out;
}

Ranking lexical_ranking(const Xapian::Database& db, const Xapian::Query& query, const SortKeys& sort, FacetSpy& spy,
                        std::size_t offset, std::size_t count, double time_limit) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  sort.apply(enquire);
  enquire.set_time_limit(time_limit);
  if (spy.counting()) enquire.add_matchspy(&spy);
  // check_at_least = every document: the total is exact and the spy sees the whole match set.
  const Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(offset), static_cast<Xapian::doccount>(count),
                                             db.get_doccount());
  enquire.clear_matchspies();
  Ranking ranking;
  ranking.total = mset.get_matches_estimated();
  ranking.exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it)
    ranking.entries.push_back({*it, it.get_weight(), true, offset + ranking.entries.size() + 1, 0, 0});
  return ranking;
}

Ranking semantic_ranking(const std::vector<VectorCandidate>& candidates, const SortKeys& sort, FacetSpy& spy,
                         std::size_t offset) {
  Ranking ranking;
  ranking.total = candidates.size();
  ranking.first = offset;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const VectorCandidate& c = candidates[i];
    spy.add(c.did);
    ranking.entries.push_back({c.did, c.score, false, 0, i + 1, c.score});
  }
  if (!sort.by_relevance()) sort.sort(ranking.entries);
  return ranking;
}

Expected<Ranking> hybrid_ranking(const Xapian::Database& db, const Xapian::Query& query, const SortKeys& sort,
                                 FacetSpy& spy, const std::vector<VectorCandidate>& candidates,
                                 const VectorSearchOptions& options, std::size_t offset, std::size_t size,
                                 double time_limit) {
  const std::size_t depth = options.depth;
  Ranking lexical = lexical_ranking(db, query, sort, spy, 0, std::max(offset + size, depth) + depth, time_limit);
  Ranking ranking;
  ranking.total = lexical.total;
  ranking.exact = lexical.exact;
  ranking.first = offset;

  std::vector<VectorCandidate> unranked;  // candidates outside the fetched lexical list
  std::unordered_set<Xapian::docid> fetched;
  for (const Ranked& l : lexical.entries) fetched.insert(l.did);
  for (const VectorCandidate& c : candidates)
    if (!fetched.contains(c.did)) unranked.push_back(c);
  // Those the query matches anyway (ranked further down) are already counted; the rest add to
  // the total and the facets.
  const std::unordered_set<Xapian::docid> deep = matching_docids(db, unranked, query);
  for (const VectorCandidate& c : unranked)
    if (!deep.contains(c.did)) {
      spy.add(c.did);
      ++ranking.total;
    }
  const ListPositions positions(lexical.entries, candidates, deep);

  if (sort.by_relevance()) {
    auto fused = fuse(lexical.entries, candidates, positions, options);
    if (!fused) return std::unexpected(fused.error());
    ranking.entries = std::move(*fused);
    return ranking;
  }
  // Sorted by date or document order: the fetched lexical hits (the first ones in that order)
  // and the vector-only hits, merged.
  for (const Ranked& l : lexical.entries) ranking.entries.push_back(positions.entry(l.did));
  for (const VectorCandidate& c : unranked)
    if (!deep.contains(c.did)) ranking.entries.push_back(positions.entry(c.did));
  sort.sort(ranking.entries);
  for (Ranked& e : ranking.entries) e.score = 0;
  return ranking;
}

}  // namespace treaty
