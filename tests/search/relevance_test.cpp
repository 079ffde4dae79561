// Relevance over the judged queries of tests/search/relevance/queries.toml: the measures themselves on
// known lists, the judgements against the index, and per-mode floors slightly below the figures
// measured when they were set (docs/RELEVANCE.md), so a ranking regression fails here.
#include <catch2/catch.hpp>

#include <set>

#include <xapian.h>

#include "core/search/resources.h"
#include "core/index/schema.h"
#include "tests/search/relevance/relevance.h"
#include "tests/support/test_support.h"

using namespace treaty;
using namespace treaty::relevance;

namespace {

// One seed index and one evaluation per mode for the whole test binary.
struct Evaluation {
  std::unique_ptr<Resources> res =
      std::move(*Resources::load(ResourcePaths::in_directory(test::source_dir() / "config")));
  test::TempDir tmp;
  std::vector<JudgedQuery> queries;
  std::vector<ModeReport> reports;

  Evaluation() {
    auto loaded = load_queries(test::source_dir() / "tests" / "search" / "relevance" / "queries.toml");
    if (!loaded) throw std::runtime_error(loaded.error().describe());
    queries = std::move(*loaded);
    build_seed_index(tmp.path() / "index", *res);
    for (const Mode& mode : standard_modes()) reports.push_back(evaluate(tmp.path() / "index", *res, queries, mode));
  }

  const ModeReport& report(const std::string& mode) const {
    for (const ModeReport& r : reports)
      if (r.mode == mode) return r;
    throw std::runtime_error("no mode " + mode);
  }
};

const Evaluation& evaluation() {
  static const Evaluation e;  // built once: indexing the seed under ASan takes a while
  return e;
}

}  // namespace

TEST_CASE("score: recall@10, reciprocal rank and nDCG@10 of a ranked list") {
  struct Case {
    std::vector<std::string> ranked;
    std::vector<std::string> relevant;
    double recall, rr, ndcg;
  };
  const double d2 = 1 / std::log2(3.0), d3 = 1 / std::log2(4.0);
  const std::vector<Case> cases = {
      {{"a", "b", "c"}, {"a"}, 1, 1, 1},
      {{"x", "a", "b"}, {"a", "b"}, 1, 0.5, (d2 + d3) / (1 + d2)},
      {{"x", "y"}, {"a"}, 0, 0, 0},
      {{}, {"a", "b"}, 0, 0, 0},
      {{"b", "x", "a"}, {"a", "b", "c", "d"}, 0.5, 1, (1 + d3) / (1 + d2 + d3 + 1 / std::log2(5.0))},
      // Beyond rank 10 nothing counts.
      {{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "a"}, {"a"}, 0, 0, 0},
  };
  for (const Case& c : cases) {
    const Scores s = score(c.ranked, c.relevant);
    CHECK(s.recall == Approx(c.recall));
    CHECK(s.rr == Approx(c.rr));
    CHECK(s.ndcg == Approx(c.ndcg));
  }
}

TEST_CASE("the judged queries cover every category and name passages of the seed") {
  const Evaluation& e = evaluation();
  CHECK(e.queries.size() >= 40);
  std::map<std::string, int> per_category;
  for (const JudgedQuery& q : e.queries) ++per_category[q.category];
  for (const char* category : {"keyword", "phrase", "traditional", "english", "synonym", "decision", "organization", "date"}) {
    INFO(category);
    CHECK(per_category[category] >= 4);
  }

  Xapian::Database db((e.tmp.path() / "index").string());
  for (const JudgedQuery& q : e.queries) {
    for (const std::string& id : q.relevant) {
      INFO(q.id << ": " << id);
      CHECK(db.term_exists(std::string(schema::kPassageId) + id));
    }
  }
}

TEST_CASE("relevance does not fall below the measured figures") {
  const Evaluation& e = evaluation();
  INFO("\n" << markdown(e.reports));  // shown when a floor fails

  struct Floor {
    std::string mode;
    double recall, rr, ndcg;
  };
  // Measured values minus about 0.02 (docs/RELEVANCE.md has the full table).
  const std::vector<Floor> floors = {
      {"lexical", 0.49, 0.58, 0.50},
      {"expanded", 0.92, 0.96, 0.92},
      {"hybrid+vec", 0.94, 0.94, 0.92},
      {"hybrid+vec/2", 0.94, 0.95, 0.92},
      {"semantic", 0.57, 0.53, 0.48},
  };
  for (const Floor& f : floors) {
    INFO(f.mode);
    const Scores& s = e.report(f.mode).mean;
    CHECK(s.recall >= f.recall);
    CHECK(s.rr >= f.rr);
    CHECK(s.ndcg >= f.ndcg);
  }
}
