// Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): merges ranked id lists,
// e.g. the lexical (BM25) and the vector hits of mode=hybrid, using ranks only, so the lists'
// incomparable scores never meet.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/base/error.h"

namespace treaty {

struct RankedList {
  std::vector<std::string> ids;  // best first; a repeated id counts at its first rank only
  double weight = 1.0;           // multiplies this list's contributions (finite, >= 0)
};

struct FusedHit {
  std::string id;
  double score = 0;               // sum over lists of weight / (k + rank)
  std::vector<std::size_t> ranks;  // 1-based rank in each input list, 0 where absent
  bool operator==(const FusedHit&) const = default;
};

// Every id of `lists`, scored sum(weight_i / (k + rank_i)) over the lists it appears in, best
// first. Ties are broken deterministically: by the ranks list by list (the earlier list decides
// first; absent counts as worst), then by id. `k` (60 in the paper) damps the top ranks: small k
// lets a list's first hits dominate. Expected failures: k negative or not finite, a weight
// negative or not finite.
Expected<std::vector<FusedHit>> reciprocal_rank_fusion(const std::vector<RankedList>& lists,
                                                       double k = 60);

}  // namespace treaty
