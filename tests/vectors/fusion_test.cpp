// Reciprocal rank fusion: scores, weights, k, duplicates and deterministic ties, table-driven.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "core/vectors/fusion.h"

using namespace treaty;
using Catch::Contains;

TEST_CASE("reciprocal rank fusion") {
  struct Case {
    const char* name;
    std::vector<RankedList> lists;
    double k;
    std::vector<FusedHit> expected;
  };
  const std::vector<Case> cases = {
      {"no lists", {}, 60, {}},
      {"empty lists", {{{}}, {{}}}, 60, {}},
      {"one list keeps its order", {{{"a", "b", "c"}}}, 60,
       {{"a", 1.0 / 61, {1}}, {"b", 1.0 / 62, {2}}, {"c", 1.0 / 63, {3}}}},
      {"disjoint lists interleave, the earlier list first on ties",
       {{{"a1", "a2"}}, {{"b1", "b2"}}}, 60,
       {{"a1", 1.0 / 61, {1, 0}}, {"b1", 1.0 / 61, {0, 1}}, {"a2", 1.0 / 62, {2, 0}}, {"b2", 1.0 / 62, {0, 2}}}},
      {"ids in both lists rise",
       {{{"a", "b", "c"}}, {{"c", "a", "d"}}}, 60,
       {{"a", 1.0 / 61 + 1.0 / 62, {1, 2}},
        {"c", 1.0 / 63 + 1.0 / 61, {3, 1}},
        {"b", 1.0 / 62, {2, 0}},
        {"d", 1.0 / 63, {0, 3}}}},
      {"mirrored ranks tie exactly: the earlier list decides",
       {{{"b", "a"}}, {{"a", "b"}}}, 60,
       {{"b", 1.0 / 61 + 1.0 / 62, {1, 2}}, {"a", 1.0 / 62 + 1.0 / 61, {2, 1}}}},
      {"a heavier list wins", {{{"a"}, 1.0}, {{"b"}, 2.0}}, 60,
       {{"b", 2.0 / 61, {0, 1}}, {"a", 1.0 / 61, {1, 0}}}},
      {"a weight of zero only orders what it alone has", {{{"a", "b"}, 0.0}, {{"c"}}}, 60,
       {{"c", 1.0 / 61, {0, 1}}, {"a", 0.0, {1, 0}}, {"b", 0.0, {2, 0}}}},
      {"k = 0 is plain reciprocal rank", {{{"a", "b"}}}, 0, {{"a", 1.0, {1}}, {"b", 0.5, {2}}}},
      {"k = 60: hits both lists agree on beat either list's top",
       {{{"a", "b", "c"}}, {{"d", "e", "c"}}}, 60,
       {{"c", 2.0 / 63, {3, 3}},
        {"a", 1.0 / 61, {1, 0}},
        {"d", 1.0 / 61, {0, 1}},
        {"b", 1.0 / 62, {2, 0}},
        {"e", 1.0 / 62, {0, 2}}}},
      {"k = 0: each list's top beats them",
       {{{"a", "b", "c"}}, {{"d", "e", "c"}}}, 0,
       {{"a", 1.0, {1, 0}},
        {"d", 1.0, {0, 1}},
        {"c", 2.0 / 3, {3, 3}},
        {"b", 0.5, {2, 0}},
        {"e", 0.5, {0, 2}}}},
      {"a repeated id counts at its first rank", {{{"a", "b", "a"}}}, 60,
       {{"a", 1.0 / 61, {1}}, {"b", 1.0 / 62, {2}}}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const auto fused = reciprocal_rank_fusion(c.lists, c.k);
    REQUIRE(fused.has_value());
    REQUIRE(fused->size() == c.expected.size());
    for (std::size_t i = 0; i < c.expected.size(); ++i) {
      INFO("position " << i);
      CHECK((*fused)[i].id == c.expected[i].id);
      CHECK((*fused)[i].score == Approx(c.expected[i].score).epsilon(1e-12));
      CHECK((*fused)[i].ranks == c.expected[i].ranks);
    }
  }
}

TEST_CASE("the default k is 60") {
  const auto fused = reciprocal_rank_fusion({{{"x", "y"}}, {{"y"}}});
  REQUIRE(fused.has_value());
  REQUIRE(fused->size() == 2);
  CHECK((*fused)[0].id == "y");
  CHECK((*fused)[0].score == 1.0 / 62 + 1.0 / 61);
  CHECK((*fused)[1].score == 1.0 / 61);
}

TEST_CASE("invalid fusion parameters are errors") {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    std::vector<RankedList> lists;
    double k;
    const char* message;
  };
  const std::vector<Case> cases = {
      {{{{"a"}}}, -1, "fusion k must be a finite number >= 0"},
      {{{{"a"}}}, nan, "fusion k must be a finite number >= 0"},
      {{{{"a"}}}, inf, "fusion k must be a finite number >= 0"},
      {{{{"a"}, 1.0}, {{"b"}, -0.5}}, 60, "fusion weight of list 2 must be a finite number >= 0"},
      {{{{"a"}, nan}}, 60, "fusion weight of list 1 must be a finite number >= 0"},
      {{{{"a"}, inf}}, 60, "fusion weight of list 1 must be a finite number >= 0"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    const auto fused = reciprocal_rank_fusion(c.lists, c.k);
    REQUIRE_FALSE(fused.has_value());
    CHECK_THAT(fused.error().message, Contains(c.message));
  }
}
