// What a request may cost (budget.h): the deadline checked between the searcher's steps, with a
// fake clock that expires after a given number of reads (no wall-clock time is measured), and
// the caps on clauses, expansions and filter values.
#include <catch2/catch.hpp>

#include <memory>

#include "core/search/budget.h"
#include "core/search/document_list.h"
#include "core/search/query_parser.h"
#include "core/search/resources.h"
#include "core/search/searcher.h"
#include "tests/support/test_support.h"

using namespace treaty;
using namespace std::chrono_literals;
using Strings = std::vector<std::string>;

namespace {

using Clock = Deadline::Clock;

// A 2000 ms deadline whose clock reads its start for the first `reads` reads and an hour later
// from then on; `count` says how often it was read.
struct FakeDeadline {
  std::shared_ptr<int> count = std::make_shared<int>(0);
  Deadline deadline;

  explicit FakeDeadline(int reads) {
    const Clock::time_point start = Clock::time_point{} + 1000h;
    deadline = Deadline(start, 2000ms, [count = count, start, reads] { return (*count)++ < reads ? start : start + 1h; });
  }
};

// A clock the test moves by hand.
struct ManualClock {
  std::shared_ptr<Clock::time_point> at = std::make_shared<Clock::time_point>(Clock::time_point{} + 1000h);
  std::shared_ptr<int> count = std::make_shared<int>(0);
  Deadline deadline(std::chrono::milliseconds budget) const {
    return Deadline(*at, budget, [at = at, count = count] {
      ++*count;
      return *at;
    });
  }
};

struct Fixture {
  std::unique_ptr<Resources> res =
      std::move(*Resources::load(ResourcePaths::in_directory(test::source_dir() / "config")));
  test::TempDir tmp;
  Xapian::Database db = test::write_index(tmp.path() / "index", *res, {test::parse_file(test::seed_path())});
  Searcher searcher{db, *res};

  // Browsing two organizations' passages, both facets asked for, the org facet counted in a
  // pass of its own (disjunctive): every step of a lexical search runs.
  static SearchRequest browse() {
    SearchRequest r;
    r.orgs = {"unep", "sprep"};
    r.facets = {"org", "year"};
    r.facet_size = 1000;
    r.disjunctive = true;
    r.size = 3;
    r.mode = SearchMode::lexical;
    return r;
  }

  SearchResponse search(const SearchRequest& r) {
    auto s = searcher.search(r);
    REQUIRE(s);
    return std::move(*s);
  }
};

const Facet& facet(const SearchResponse& s, const std::string& name) {
  for (const Facet& f : s.facets)
    if (f.name == name) return f;
  FAIL("no facet " << name);
  throw;
}

Strings ids(const SearchResponse& s) {
  Strings out;
  for (const Hit& h : s.hits) out.push_back(h.id);
  return out;
}

}  // namespace

TEST_CASE("StepBudget: reads the clock once per step, records what was cut, once") {
  const Deadline none;
  StepBudget unlimited(none);
  CHECK(unlimited.allows("anything"));
  CHECK(unlimited.time_limit() == 0);
  CHECK_FALSE(unlimited.timed_out());
  CHECK(unlimited.warning().empty());

  ManualClock clock;
  const Deadline deadline = clock.deadline(2000ms);
  StepBudget budget(deadline);
  *clock.at += 500ms;
  CHECK(budget.allows("facets not counted"));
  CHECK(budget.time_limit() == Approx(1.5));
  CHECK(*clock.count == 1);
  *clock.at += 1500ms;  // exactly at the deadline: expired
  CHECK_FALSE(budget.allows("facets not counted"));
  CHECK_FALSE(budget.allows("snippets not made"));
  CHECK_FALSE(budget.allows("facets not counted"));
  CHECK(*clock.count == 2);  // once expired, never read again
  budget.cut("snippets not made");
  CHECK(budget.timed_out());
  CHECK(budget.warning() == "time budget of 2000 ms exceeded: facets not counted, snippets not made");
}

TEST_CASE_METHOD(Fixture, "deadline: each step it leaves no time for is skipped, and said so") {
  const SearchResponse full = search(browse());
  REQUIRE(full.hits.size() == 3);
  REQUIRE(full.total == 7);
  REQUIRE_FALSE(facet(full, "org").values.empty());
  REQUIRE_FALSE(facet(full, "year").values.empty());
  for (const Hit& h : full.hits) REQUIRE_FALSE(h.snippet.empty());
  CHECK_FALSE(full.timed_out);
  CHECK(full.total_exact);
  CHECK(full.to_json()["timed_out"] == false);
  CHECK(full.to_json()["total_exact"] == true);

  // Reads: 1 on arrival, 2 before the ranking, 3 before the org facet's own pass, 4-6 before
  // each hit's snippet.
  const std::string prefix = "time budget of 2000 ms exceeded: ";
  for (int reads : {0, 1}) {
    INFO(reads);
    SearchRequest r = browse();
    FakeDeadline fake(reads);
    r.deadline = fake.deadline;
    const SearchResponse s = search(r);
    CHECK(s.timed_out);
    CHECK(s.hits.empty());
    CHECK(s.total == 0);
    CHECK_FALSE(s.total_exact);
    CHECK(s.warnings == Strings{prefix + "not searched"});
    REQUIRE(s.facets.size() == 2);
    CHECK(facet(s, "org").values.empty());
    CHECK(facet(s, "year").values.empty());
    CHECK(s.sort == full.sort);
    CHECK(s.to_json()["timed_out"] == true);
    CHECK(*fake.count == reads + 1);
  }

  SECTION("out of time after the ranking: hits, the main pass's facets, no own pass, no snippets") {
    SearchRequest r = browse();
    r.deadline = FakeDeadline(2).deadline;
    const SearchResponse s = search(r);
    CHECK(s.timed_out);
    CHECK(ids(s) == ids(full));
    CHECK(s.total == full.total);
    CHECK(s.total_exact);
    CHECK(facet(s, "year").values == facet(full, "year").values);
    CHECK(facet(s, "org").values.empty());
    for (std::size_t i = 0; i < s.hits.size(); ++i) {
      CHECK(s.hits[i].snippet.empty());
      CHECK(s.hits[i].passage == full.hits[i].passage);
    }
    CHECK(s.warnings == Strings{prefix + "facets not counted, snippets not made"});
  }
  SECTION("out of time after the facets, then after the first snippet") {
    SearchRequest r = browse();
    r.deadline = FakeDeadline(3).deadline;
    const SearchResponse s = search(r);
    CHECK(facet(s, "org").values == facet(full, "org").values);
    for (const Hit& h : s.hits) CHECK(h.snippet.empty());
    CHECK(s.warnings == Strings{prefix + "snippets not made"});

    r.deadline = FakeDeadline(4).deadline;
    const SearchResponse one = search(r);
    REQUIRE(one.hits.size() == 3);
    CHECK(one.hits[0].snippet == full.hits[0].snippet);
    CHECK(one.hits[1].snippet.empty());
    CHECK(one.hits[2].snippet.empty());
    CHECK(one.hits[1].passage == full.hits[1].passage);  // the stored fields are all there
    CHECK(one.warnings == Strings{prefix + "snippets not made"});
  }
  SECTION("time to spare: the same answer as without a deadline") {
    SearchRequest r = browse();
    FakeDeadline fake(1000);
    r.deadline = fake.deadline;
    const SearchResponse s = search(r);
    CHECK(s.to_json() == full.to_json());
    CHECK(*fake.count == 6);
  }
}

TEST_CASE_METHOD(Fixture, "deadline: /similar and the document list answer at once when it has passed") {
  SearchRequest r;
  r.size = 3;
  r.facets = {"org"};
  r.deadline = FakeDeadline(0).deadline;
  auto similar = searcher.similar("UNEP/CBD/NP/COP-MOP/1/6#27(b)", r);
  REQUIRE(similar);
  REQUIRE(similar->has_value());
  CHECK((*similar)->timed_out);
  CHECK((*similar)->hits.empty());
  CHECK((*similar)->sort == SortOrder::relevance);
  CHECK((*similar)->warnings == Strings{"time budget of 2000 ms exceeded: not searched"});
  r.deadline = FakeDeadline(1000).deadline;
  auto related = searcher.similar("UNEP/CBD/NP/COP-MOP/1/6#27(b)", r);
  REQUIRE(related);
  CHECK_FALSE((*related)->timed_out);
  CHECK((*related)->hits.size() == 3);

  DocumentListRequest list;
  list.deadline = FakeDeadline(0).deadline;
  auto late = list_documents(searcher, list);
  REQUIRE(late);
  CHECK(late->timed_out);
  CHECK(late->documents.empty());
  CHECK(late->to_json()["timed_out"] == true);
  list.deadline = FakeDeadline(1000).deadline;
  auto listed = list_documents(searcher, list);
  REQUIRE(listed);
  CHECK_FALSE(listed->timed_out);
  CHECK(listed->documents.size() == 1);
  CHECK(listed->to_json()["timed_out"] == false);
}

TEST_CASE_METHOD(Fixture, "caps: clauses, expansions and filter values over the limits are errors") {
  auto error_of = [&](const SearchRequest& r) {
    auto s = searcher.search(r);
    REQUIRE_FALSE(s);
    return s.error().message;
  };
  SearchRequest r;
  r.mode = SearchMode::lexical;
  std::string words;
  for (int i = 0; i < 64; ++i) words += "w" + std::to_string(i) + " ";
  r.q = words;
  CHECK(searcher.search(r));  // 64: at the limit
  r.q = words + "org:fao";
  CHECK(error_of(r) == "query has 65 clauses; the limit is 64");
  r.limits.max_clauses = 2;
  r.q = "a (b OR c)";
  CHECK(error_of(r) == "query has 3 clauses; the limit is 2");
  r.q = "\"a b c d\" -e";  // a phrase is one clause
  CHECK(searcher.search(r));

  SearchRequest e;
  e.q = "研讨会 非洲";  // 研讨会 → 讲习班, 非洲 → Africa, …
  e.mode = SearchMode::hybrid;
  REQUIRE(searcher.search(e));
  const std::size_t expansions = searcher.search(e)->expansions.size();
  REQUIRE(expansions > 0);
  e.limits.max_expansions = 0;
  const std::string message = error_of(e);
  CHECK(message.starts_with("query expands to "));
  CHECK(message.ends_with(" thesaurus variants; the limit is 0 (fewer words, or mode=lexical)"));
  e.mode = SearchMode::lexical;  // no expansion
  CHECK(searcher.search(e));

  SearchRequest f;
  for (int i = 0; i < 40; ++i) f.orgs.push_back("org" + std::to_string(i));
  for (int i = 0; i < 25; ++i) f.years.push_back(std::to_string(1990 + i));
  CHECK(error_of(f) == "the filters have 65 values; the limit is 64");
  f.years.pop_back();
  CHECK(searcher.search(f));

  DocumentListRequest list;
  for (int i = 0; i < 65; ++i) list.meetings.push_back("cop");
  auto refused = list_documents(searcher, list);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "the filters have 65 values; the limit is 64");
}

TEST_CASE("count_clauses: words, phrases and fields of the parsed query") {
  CHECK(count_clauses(parse_query_syntax("")) == 0);
  CHECK(count_clauses(parse_query_syntax("a")) == 1);
  CHECK(count_clauses(parse_query_syntax("a (b OR c) -\"d e\" org:fao")) == 5);
  CHECK(count_clauses(parse_query_syntax("((((a))))")) == 1);
}
