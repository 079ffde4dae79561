// Ranking a result set on the seed index: lexical_ranking against a plain Xapian Enquire (total,
// ranks, pages), SortKeys against the stored passages' order and dates, Ranking::page,
// semantic_ranking and hybrid_ranking with hand-made vector candidates against reciprocal rank
// fusion computed by hand, and the facet counts each ranking feeds its FacetSpy.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/search/facets.h"
#include "core/search/query_parser.h"
#include "core/search/ranking.h"
#include "core/search/slot_table.h"
#include "core/vectors/semantic.h"
#include "tests/search/seed_index.h"

using namespace treaty;
using nlohmann::json;
using test::Docids;
using Dids = std::vector<Xapian::docid>;
using Counts = std::map<std::string, std::uint64_t>;

namespace {

struct Fixture : test::SeedIndex {
  SlotTable table{db};
  Analyzer analyzer{res->normalizer, res->lexicon};
  std::map<Xapian::docid, json> all = passages();

  Xapian::Query parse(const std::string& q) {
    auto parsed = parse_query(q, analyzer, res->gazetteer);
    REQUIRE(parsed);
    return parsed->query;
  }

  // A plain Enquire's relevance ranking of `query`: every match, best first.
  std::vector<std::pair<Xapian::docid, double>> plain(const Xapian::Query& query) const {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
    std::vector<std::pair<Xapian::docid, double>> out;
    for (auto it = mset.begin(); it != mset.end(); ++it) out.emplace_back(*it, it.get_weight());
    return out;
  }
  Dids plain_dids(const Xapian::Query& query) const {
    Dids out;
    for (const auto& [did, weight] : plain(query)) out.push_back(did);
    return out;
  }

  // The first day of a passage's dates (json_day), or nullopt when undated.
  std::optional<int> first_day(Xapian::docid did) const {
    std::optional<int> best;
    for (const json& d : all.at(did)["dates"]) {
      const int day = test::json_day(d["from"].get<std::string>(), false);
      if (!best || day < *best) best = day;
    }
    return best;
  }
  int order(Xapian::docid did) const { return all.at(did)["order"].get<int>(); }

  // `dids` sorted as `sort` should sort them, computed from the stored JSON.
  Dids sorted(Dids dids, SortOrder sort) const {
    auto key = [&](Xapian::docid did) {
      const std::optional<int> day = first_day(did);
      const int by_date = !day ? 0 : sort == SortOrder::date_desc ? -*day : *day;
      return std::tuple(sort != SortOrder::document && !day, sort == SortOrder::document ? 0 : by_date, order(did));
    };
    std::sort(dids.begin(), dids.end(), [&](Xapian::docid a, Xapian::docid b) { return key(a) < key(b); });
    return dids;
  }

  // Brute force: facet `name` counted over `dids` from the stored value slot.
  Counts slot_counts(const Dids& dids, std::string_view name) const {
    Counts out;
    for (Xapian::docid did : dids) {
      const std::string joined = db.get_document(did).get_value(kFacetDefs[*find_facet(name)].slot);
      std::set<std::string> values;
      for (std::size_t start = 0; start <= joined.size();) {
        const std::size_t end = std::min(joined.find(schema::kValueSeparator, start), joined.size());
        if (end > start) values.insert(joined.substr(start, end - start));
        start = end + 1;
      }
      for (const std::string& v : values) ++out[v];
    }
    return out;
  }

  VectorCandidate candidate(Xapian::docid did, float score) const { return {did, id_of(did), score}; }
};

Dids dids_of(const std::vector<Ranked>& entries) {
  Dids out;
  for (const Ranked& e : entries) out.push_back(e.did);
  return out;
}

Counts counts_of(const FacetSpy& spy, std::size_t i) {
  Counts out;
  for (const auto& [value, count] : spy.values(i)) out[value] = count;
  return out;
}

std::size_t rank_in(const Dids& list, Xapian::docid did) {
  const auto it = std::find(list.begin(), list.end(), did);
  return it == list.end() ? 0 : static_cast<std::size_t>(it - list.begin()) + 1;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "lexical_ranking: a plain Enquire's total and order, pages are slices of it") {
  const SortKeys relevance(table, SortOrder::relevance);
  CHECK(relevance.by_relevance());
  for (const std::string q : {"名古屋议定书", "缔约方 合作", "的", "秘书处", "合作 -缔约方"}) {
    INFO(q);
    const Xapian::Query query = parse(q);
    const auto expected = plain(query);
    REQUIRE(expected.size() > 5);
    FacetSpy spy(table, {});
    CHECK_FALSE(spy.counting());
    const Ranking full = lexical_ranking(db, query, relevance, spy, 0, 1000);
    CHECK(full.total == expected.size());
    CHECK(full.first == 0);
    REQUIRE(full.entries.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const Ranked& e = full.entries[i];
      CHECK(e.did == expected[i].first);
      CHECK(e.score == Approx(expected[i].second));
      CHECK(e.lexical);
      CHECK(e.lexical_rank == i + 1);
      CHECK(e.vector_rank == 0);
    }
    const std::size_t n = expected.size();
    for (const auto& [offset, count] : std::vector<std::pair<std::size_t, std::size_t>>{
             {0, 1}, {0, 5}, {3, 4}, {n - 2, 5}, {n - 1, 1}, {n, 3}, {n + 10, 3}, {2, 0}}) {
      INFO(offset << "+" << count);
      FacetSpy none(table, {});
      const Ranking page = lexical_ranking(db, query, relevance, none, offset, count);
      CHECK(page.total == n);  // exact, whatever the page
      const std::size_t end = std::min(n, offset + count);
      REQUIRE(page.entries.size() == (offset < end ? end - offset : 0));
      for (std::size_t i = 0; i < page.entries.size(); ++i) {
        CHECK(page.entries[i].did == full.entries[offset + i].did);
        CHECK(page.entries[i].lexical_rank == offset + i + 1);
        CHECK(page.entries[i].score == Approx(full.entries[offset + i].score));
      }
      CHECK(page.page(count) == page.entries);  // lexical pages start at entry 0
    }
  }
  // Filters at weight 0 only restrict: the total is the filtered match count.
  const Xapian::Query filtered(Xapian::Query::OP_FILTER, parse("名古屋议定书"), Xapian::Query("XY2014"));
  FacetSpy none(table, {});
  CHECK(lexical_ranking(db, filtered, relevance, none, 0, 3).total == matches(filtered).size());
}

TEST_CASE_METHOD(Fixture, "SortKeys: document order and dates from the stored passages") {
  const Xapian::Query query = parse("名古屋议定书");
  const Dids relevance_order = plain_dids(query);
  for (SortOrder order : {SortOrder::document, SortOrder::date, SortOrder::date_desc}) {
    INFO(sort_order_name(order));
    const SortKeys keys(table, order);
    CHECK_FALSE(keys.by_relevance());
    const Dids expected = sorted(relevance_order, order);
    FacetSpy none(table, {});
    const Ranking full = lexical_ranking(db, query, keys, none, 0, 100);
    CHECK(full.total == expected.size());
    CHECK(dids_of(full.entries) == expected);
    for (std::size_t i = 0; i < full.entries.size(); ++i) CHECK(full.entries[i].lexical_rank == i + 1);
    const Ranking page = lexical_ranking(db, query, keys, none, 10, 5);
    CHECK(dids_of(page.entries) == Dids(expected.begin() + 10, expected.begin() + 15));

    // sort(): the same order from any input order, stable, docids that are no passage last.
    const Xapian::docid stranger = db.get_lastdocid() + 7;
    std::vector<Ranked> entries{{stranger, 1, false, 0, 1, 0}, {stranger, 2, false, 0, 2, 0}};
    for (auto it = relevance_order.rbegin(); it != relevance_order.rend(); ++it)
      entries.push_back({*it, 0, true, 0, 0, 0});
    keys.sort(entries);
    Dids with_strangers = expected;
    with_strangers.push_back(stranger);
    with_strangers.push_back(stranger);
    CHECK(dids_of(entries) == with_strangers);
    CHECK(entries[entries.size() - 2].score == 1);  // stable
    CHECK(entries.back().score == 2);
  }
  // Document order over the whole index is the passages' "order" field.
  const SortKeys document(table, SortOrder::document);
  FacetSpy none(table, {});
  const Ranking browse = lexical_ranking(db, Xapian::Query::MatchAll, document, none, 0, 100);
  REQUIRE(browse.entries.size() == all.size());
  for (std::size_t i = 0; i < browse.entries.size(); ++i) CHECK(order(browse.entries[i].did) == static_cast<int>(i));
}

TEST_CASE("Ranking::page: up to size entries from first") {
  Ranking r;
  for (Xapian::docid did = 1; did <= 5; ++did) r.entries.push_back({did, 0, true, did, 0, 0});
  r.first = 2;
  CHECK(dids_of(r.page(2)) == Dids{3, 4});
  CHECK(dids_of(r.page(10)) == Dids{3, 4, 5});
  CHECK(r.page(0).empty());
  r.first = 0;
  CHECK(dids_of(r.page(5)) == Dids{1, 2, 3, 4, 5});
  r.first = 5;
  CHECK(r.page(3).empty());
  r.first = 9;
  CHECK(r.page(3).empty());
}

TEST_CASE_METHOD(Fixture, "semantic_ranking: candidates by similarity or sorted, all counted") {
  Dids dids;
  for (const auto& [did, p] : all) dids.push_back(did);
  const Dids picked = {dids[30], dids[3], dids[17], dids[0], dids[45], dids[22]};
  std::vector<VectorCandidate> candidates;
  for (std::size_t i = 0; i < picked.size(); ++i)
    candidates.push_back(candidate(picked[i], 0.9f - 0.1f * static_cast<float>(i)));

  const std::size_t year = *find_facet("year"), org = *find_facet("org");
  FacetSpy spy(table, {year, org});
  CHECK(spy.counting());
  const Ranking by_similarity = semantic_ranking(candidates, SortKeys(table, SortOrder::relevance), spy, 2);
  CHECK(by_similarity.total == candidates.size());
  CHECK(by_similarity.first == 2);
  REQUIRE(by_similarity.entries.size() == candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i)
    CHECK(by_similarity.entries[i] ==
          Ranked{candidates[i].did, candidates[i].score, false, 0, i + 1, candidates[i].score});
  CHECK(dids_of(by_similarity.page(3)) == Dids(picked.begin() + 2, picked.begin() + 5));
  CHECK(counts_of(spy, 0) == slot_counts(picked, "year"));
  CHECK(counts_of(spy, 1) == slot_counts(picked, "org"));
  CHECK_FALSE(counts_of(spy, 0).empty());

  for (SortOrder order : {SortOrder::document, SortOrder::date, SortOrder::date_desc}) {
    INFO(sort_order_name(order));
    FacetSpy none(table, {});
    const Ranking sorted_ranking = semantic_ranking(candidates, SortKeys(table, order), none, 0);
    CHECK(sorted_ranking.total == candidates.size());
    CHECK(dids_of(sorted_ranking.entries) == sorted(picked, order));
    for (const Ranked& e : sorted_ranking.entries) {  // each keeps its similarity rank
      const std::size_t rank = rank_in(picked, e.did);
      CHECK(e.vector_rank == rank);
      CHECK(e.vector_score == candidates[rank - 1].score);
      CHECK_FALSE(e.lexical);
    }
  }
  FacetSpy none(table, {});
  const Ranking empty = semantic_ranking({}, SortKeys(table, SortOrder::relevance), none, 0);
  CHECK(empty.total == 0);
  CHECK(empty.entries.empty());
}

namespace {

// hybrid_ranking's expected entries computed by hand: reciprocal rank fusion (score = lexical
// weight / (k + lexical rank) + vector weight / (k + vector rank)) of the first `depth` lexical
// hits and the candidates, ties by lexical rank, vector rank, then docid as text; then the
// fetched lexical hits beyond the depth, scored lexical weight / (k + rank).
std::vector<Ranked> expected_fusion(const Dids& lexical, const Docids& lexical_matches, const Dids& vectors,
                                    const std::vector<float>& vector_scores, const VectorSearchOptions& o,
                                    std::size_t fetched) {
  struct Row {
    Ranked entry;
    std::size_t fused_lexical_rank;  // 0 beyond the depth
  };
  std::vector<Row> rows;
  auto add = [&](Xapian::docid did) {
    for (const Row& r : rows)
      if (r.entry.did == did) return;
    Ranked e;
    e.did = did;
    const std::size_t rank_l = rank_in(lexical, did);
    e.lexical_rank = rank_l <= fetched ? rank_l : 0;
    e.lexical = lexical_matches.contains(did);
    e.vector_rank = rank_in(vectors, did);
    if (e.vector_rank) e.vector_score = vector_scores[e.vector_rank - 1];
    const std::size_t fused_l = rank_l <= o.depth ? rank_l : 0;
    if (fused_l) e.score += o.lexical_weight / (o.rrf_k + static_cast<double>(fused_l));
    if (e.vector_rank) e.score += o.vector_weight / (o.rrf_k + static_cast<double>(e.vector_rank));
    rows.push_back({e, fused_l});
  };
  for (std::size_t i = 0; i < lexical.size() && i < o.depth; ++i) add(lexical[i]);
  for (Xapian::docid did : vectors) add(did);
  auto worst = [](std::size_t rank) { return rank == 0 ? std::numeric_limits<std::size_t>::max() : rank; };
  std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    if (a.entry.score != b.entry.score) return a.entry.score > b.entry.score;
    if (a.fused_lexical_rank != b.fused_lexical_rank) return worst(a.fused_lexical_rank) < worst(b.fused_lexical_rank);
    if (a.entry.vector_rank != b.entry.vector_rank) return worst(a.entry.vector_rank) < worst(b.entry.vector_rank);
    return std::to_string(a.entry.did) < std::to_string(b.entry.did);
  });
  std::vector<Ranked> out;
  for (const Row& r : rows) out.push_back(r.entry);
  for (std::size_t i = o.depth; i < lexical.size() && i < fetched; ++i) {
    if (rank_in(vectors, lexical[i])) continue;
    out.push_back({lexical[i], o.lexical_weight / (o.rrf_k + static_cast<double>(i + 1)), true, i + 1, 0, 0});
  }
  return out;
}

void check_entries(const std::vector<Ranked>& actual, const std::vector<Ranked>& expected) {
  CHECK(dids_of(actual) == dids_of(expected));
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    INFO("entry " << i << ", docid " << actual[i].did);
    CHECK(actual[i].score == Approx(expected[i].score));
    CHECK(actual[i].lexical == expected[i].lexical);
    CHECK(actual[i].lexical_rank == expected[i].lexical_rank);
    CHECK(actual[i].vector_rank == expected[i].vector_rank);
    CHECK(actual[i].vector_score == expected[i].vector_score);
  }
}

}  // namespace

TEST_CASE_METHOD(Fixture, "hybrid_ranking: reciprocal rank fusion of the lexical list and the candidates") {
  const Xapian::Query query = parse("名古屋议定书");
  const Dids lexical = plain_dids(query);
  const Docids lexical_set(lexical.begin(), lexical.end());
  REQUIRE(lexical.size() == 33);
  Dids others;  // passages the query does not match
  for (const auto& [did, p] : all)
    if (!lexical_set.contains(did)) others.push_back(did);
  REQUIRE(others.size() >= 3);
  // Vector candidates: three lexical hits (one deep in the list) and three non-matching passages.
  const Dids vectors = {lexical[5], others[0], lexical[0], others[1], lexical[20], others[2]};
  const std::vector<float> scores = {0.91f, 0.85f, 0.8f, 0.7f, 0.66f, 0.5f};
  std::vector<VectorCandidate> candidates;
  for (std::size_t i = 0; i < vectors.size(); ++i) candidates.push_back(candidate(vectors[i], scores[i]));
  Dids result_set = lexical;
  result_set.insert(result_set.end(), others.begin(), others.begin() + 3);

  const VectorSearchOptions defaults;
  const std::size_t year = *find_facet("year");
  FacetSpy spy(table, {year});
  auto ranking = hybrid_ranking(db, query, SortKeys(table, SortOrder::relevance), spy, candidates, defaults, 0, 10);
  REQUIRE(ranking);
  CHECK(ranking->total == lexical.size() + 3);
  CHECK(ranking->first == 0);
  check_entries(ranking->entries, expected_fusion(lexical, lexical_set, vectors, scores, defaults, lexical.size()));
  CHECK(counts_of(spy, 0) == slot_counts(result_set, "year"));  // each result counted once
  // The fused top: lexical[0] and lexical[5] are in both lists.
  REQUIRE(ranking->entries.size() >= 2);
  CHECK(ranking->entries[0].did == lexical[0]);
  CHECK(ranking->entries[1].did == lexical[5]);

  // A later page: the same ranking, starting at the offset.
  FacetSpy none(table, {});
  auto page = hybrid_ranking(db, query, SortKeys(table, SortOrder::relevance), none, candidates, defaults, 5, 5);
  REQUIRE(page);
  CHECK(page->first == 5);
  CHECK(page->total == ranking->total);
  const Dids fused = dids_of(ranking->entries);
  CHECK(dids_of(page->page(5)) == Dids(fused.begin() + 5, fused.begin() + 10));

  // Other weights and k.
  VectorSearchOptions weighted;
  weighted.lexical_weight = 0.3;
  weighted.vector_weight = 2.0;
  weighted.rrf_k = 5;
  auto w = hybrid_ranking(db, query, SortKeys(table, SortOrder::relevance), none, candidates, weighted, 0, 10);
  REQUIRE(w);
  check_entries(w->entries, expected_fusion(lexical, lexical_set, vectors, scores, weighted, lexical.size()));
  CHECK(w->entries[0].did == lexical[5]);  // the best vector hit, also a lexical one

  weighted.vector_weight = -1;
  auto bad = hybrid_ranking(db, query, SortKeys(table, SortOrder::relevance), none, candidates, weighted, 0, 10);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "fusion weight of list 2 must be a finite number >= 0");
}

TEST_CASE_METHOD(Fixture, "hybrid_ranking: a small depth, deep lexical candidates, sorted orders") {
  const Xapian::Query query = parse("名古屋议定书");
  const Dids lexical = plain_dids(query);
  const Docids lexical_set(lexical.begin(), lexical.end());
  Dids others;
  for (const auto& [did, p] : all)
    if (!lexical_set.contains(did)) others.push_back(did);
  const Dids vectors = {others[4], lexical[20], lexical[2], others[1], lexical[7]};
  const std::vector<float> scores = {0.9f, 0.8f, 0.7f, 0.6f, 0.5f};
  std::vector<VectorCandidate> candidates;
  for (std::size_t i = 0; i < vectors.size(); ++i) candidates.push_back(candidate(vectors[i], scores[i]));
  Dids result_set = lexical;
  result_set.push_back(others[4]);
  result_set.push_back(others[1]);

  // depth 5, page 0+4: 5 + 5 lexical hits fetched; lexical[20] matches but lies beyond them.
  VectorSearchOptions small;
  small.depth = 5;
  const std::size_t year = *find_facet("year");
  FacetSpy spy(table, {year});
  auto ranking = hybrid_ranking(db, query, SortKeys(table, SortOrder::relevance), spy, candidates, small, 0, 4);
  REQUIRE(ranking);
  CHECK(ranking->total == lexical.size() + 2);  // lexical[20] is not counted twice
  CHECK(counts_of(spy, 0) == slot_counts(result_set, "year"));
  const std::vector<Ranked> expected = expected_fusion(lexical, lexical_set, vectors, scores, small, 10);
  check_entries(ranking->entries, expected);
  const auto deep = std::find_if(ranking->entries.begin(), ranking->entries.end(),
                                 [&](const Ranked& e) { return e.did == lexical[20]; });
  REQUIRE(deep != ranking->entries.end());
  CHECK(deep->lexical);
  CHECK(deep->lexical_rank == 0);  // beyond the fetched list
  CHECK(deep->vector_rank == 2);

  // Sorted by document order or date: the fetched lexical hits (in that order) and the
  // vector-only hits, merged, score 0; lexical ranks are positions in the sorted lexical list.
  for (SortOrder order : {SortOrder::document, SortOrder::date_desc}) {
    INFO(sort_order_name(order));
    FacetSpy none(table, {});
    auto s = hybrid_ranking(db, query, SortKeys(table, order), none, candidates, VectorSearchOptions{}, 0, 10);
    REQUIRE(s);
    CHECK(s->total == lexical.size() + 2);
    const Dids lexical_sorted = sorted(lexical, order);
    CHECK(dids_of(s->entries) == sorted(result_set, order));
    for (const Ranked& e : s->entries) {
      INFO(e.did);
      CHECK(e.score == 0);
      CHECK(e.lexical == lexical_set.contains(e.did));
      CHECK(e.lexical_rank == rank_in(lexical_sorted, e.did));
      CHECK(e.vector_rank == rank_in(vectors, e.did));
    }
  }

  // No candidates: the lexical ranking, scored as RRF would.
  FacetSpy none(table, {});
  auto alone = hybrid_ranking(db, query, SortKeys(table, SortOrder::relevance), none, {}, VectorSearchOptions{}, 0, 10);
  REQUIRE(alone);
  CHECK(alone->total == lexical.size());
  check_entries(alone->entries, expected_fusion(lexical, lexical_set, {}, {}, VectorSearchOptions{}, lexical.size()));
}
