#include "core/vectors/fusion.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_map>

namespace treaty {

Expected<std::vector<FusedHit>> reciprocal_rank_fusion(const std::vector<RankedList>& lists,
                                                       double k) {
  if (!std::isfinite(k) || k < 0) return fail("fusion k must be a finite number >= 0");
  for (std::size_t i = 0; i < lists.size(); ++i)
    if (!std::isfinite(lists[i].weight) || lists[i].weight < 0)
      return fail("fusion weight of list " + std::to_string(i + 1) + " must be a finite number >= 0");

  std::vector<FusedHit> hits;
  std::unordered_map<std::string_view, std::size_t> index;  // id -> position in hits
  std::size_t total = 0;
  for (const RankedList& list : lists) total += list.ids.size();
  hits.reserve(total);
  index.reserve(total);

  for (std::size_t l = 0; l < lists.size(); ++l) {
    const RankedList& list = lists[l];
    for (std::size_t r = 0; r < list.ids.size(); ++r) {
      const std::string& id = list.ids[r];
      // Keys view the callers' strings, which outlive this function.
      const auto [it, added] = index.try_emplace(id, hits.size());
      if (added) hits.push_back({id, 0.0, std::vector<std::size_t>(lists.size(), 0)});
      FusedHit& hit = hits[it->second];
      if (hit.ranks[l] != 0) continue;  // repeated within this list
      hit.ranks[l] = r + 1;
      // k >= 0 and ranks start at 1: never a division by zero.
      hit.score += list.weight / (k + static_cast<double>(r + 1));
    }
  }

  auto rank_key = [](std::size_t rank) {
    return rank == 0 ? std::numeric_limits<std::size_t>::max() : rank;
  };
  std::sort(hits.begin(), hits.end(), [&](const FusedHit& a, const FusedHit& b) {
    if (a.score != b.score) return a.score > b.score;
    for (std::size_t l = 0; l < a.ranks.size(); ++l)
      if (a.ranks[l] != b.ranks[l]) return rank_key(a.ranks[l]) < rank_key(b.ranks[l]);
    return a.id < b.id;
  });
  return hits;
}

}  // namespace treaty
