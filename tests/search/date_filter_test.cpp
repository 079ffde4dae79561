// Date and year filter values (parse_date_bound, parse_date_range, parse_year) and
// date_filter_query on the seed index, checked against brute-force overlap with every stored
// passage date.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "core/documents/dates.h"
#include "core/search/date_filter.h"
#include "core/search/query_parser.h"
#include "tests/search/seed_index.h"

using namespace treaty;
using nlohmann::json;
using test::Docids;

namespace {

int day(int y, int m, int d) { return days_from_civil(y, m, d); }

std::set<std::string> terms_of(const Xapian::Query& q) { return {q.get_terms_begin(), q.get_terms_end()}; }

struct Fixture : test::SeedIndex {
  std::map<Xapian::docid, json> all = passages();

  // Brute force: the passages with a stored date overlapping [first, last].
  // The passages with a date expression wholly inside [first, last].
  Docids within(int first, int last) const {
    Docids out;
    for (const auto& [did, p] : all)
      for (const json& d : p["dates"])
        if (test::json_day(d["from"].get<std::string>(), false) >= first &&
            test::json_day(d["to"].get<std::string>(), true) <= last) {
          out.insert(did);
          break;
        }
    return out;
  }

  Docids overlapping(int first, int last) const {
    Docids out;
    for (const auto& [did, p] : all)
      if (test::overlaps(p, first, last)) out.insert(did);
    return out;
  }
};

}  // namespace

TEST_CASE("date values: bounds, ranges, open ends, errors") {
  CHECK(*parse_date_bound("2014", false) == day(2014, 1, 1));
  CHECK(*parse_date_bound("2014", true) == day(2014, 12, 31));
  CHECK(*parse_date_bound("2014-02", true) == day(2014, 2, 28));
  CHECK(*parse_date_bound("2016-02", true) == day(2016, 2, 29));
  CHECK(*parse_date_bound("2014-5-3", false) == day(2014, 5, 3));
  CHECK(*parse_date_bound("２０１４－０５", false) == day(2014, 5, 1));  // full-width

  auto r = parse_date_range("2014-05..2014-06");
  REQUIRE(r);
  CHECK(r->first == day(2014, 5, 1));
  CHECK(r->last == day(2014, 6, 30));
  r = parse_date_range("2014");
  REQUIRE(r);
  CHECK(r->first == day(2014, 1, 1));
  CHECK(r->last == day(2014, 12, 31));
  r = parse_date_range("2014-05-03..");
  REQUIRE(r);
  CHECK(r->first == day(2014, 5, 3));
  CHECK(r->last == std::numeric_limits<int>::max());
  r = parse_date_range("..2013");
  REQUIRE(r);
  CHECK(r->first == std::numeric_limits<int>::min());
  CHECK(r->last == day(2013, 12, 31));
  r = parse_date_range("2013-04-15/2013-04-17");
  REQUIRE(r);
  CHECK(r->first == day(2013, 4, 15));
  CHECK(r->last == day(2013, 4, 17));

  for (const char* bad : {"2014-13", "2014-02-30", "2014-00", "abc", "14", "20140", "2014-05-03-01", "2014-",
                          "2015..2014", "2014..x", ""}) {
    INFO(bad);
    auto e = parse_date_range(bad);
    REQUIRE_FALSE(e);
    CHECK_FALSE(e.error().message.empty());
  }
  CHECK(parse_date_range("2014-13").error().message == "date 2014-13: month must be 1-12");
  CHECK(parse_date_range("2014-02-30").error().message == "date 2014-02-30: day must be 1-28 in that month");
}

TEST_CASE("year values") {
  CHECK(*parse_year("2014") == "2014");
  CHECK(*parse_year(" ２０１４ ") == "2014");
  for (const char* bad : {"abc", "201", "20144", "2014a", ""}) {
    INFO(bad);
    CHECK_FALSE(parse_year(bad));
  }
}

TEST_CASE_METHOD(Fixture, "date_filter_query: every stored date is found, ranges beside it are not") {
  std::size_t dated = 0;
  for (const auto& [did, p] : all) {
    if (p["dates"].empty()) continue;
    ++dated;
    INFO(p["id"].get<std::string>());
    int earliest = std::numeric_limits<int>::max(), latest = std::numeric_limits<int>::min();
    for (const json& d : p["dates"]) {
      INFO(d.dump());
      const int from = test::json_day(d["from"].get<std::string>(), false);
      const int to = test::json_day(d["to"].get<std::string>(), true);
      earliest = std::min(earliest, from);
      latest = std::max(latest, to);
      for (const DayRange range :
           {DayRange{from, to}, DayRange{from, from}, DayRange{to, to}, DayRange{to, to + 400}}) {
        const Docids found = matches(date_filter_query(range));
        CHECK(found.contains(did));
        CHECK(found == overlapping(range.first, range.last));
      }
    }
    // Just before the first date and just after the last: not this passage.
    for (const DayRange range : {DayRange{earliest - 40, earliest - 1}, DayRange{latest + 1, latest + 40}}) {
      const Docids found = matches(date_filter_query(range));
      CHECK_FALSE(found.contains(did));
      CHECK(found == overlapping(range.first, range.last));
    }
  }
  CHECK(dated > 20);
  // Long before and after the seed: nothing.
  CHECK(matches(date_filter_query({day(1990, 1, 1), day(1999, 12, 31)})).empty());
  CHECK(matches(date_filter_query({day(2030, 1, 1), day(2030, 1, 1)})).empty());
}

TEST_CASE_METHOD(Fixture, "date_filter_query: typed ranges, open ends, year terms as candidates") {
  struct Row {
    std::string value;
    std::set<std::string> terms;  // year terms preselect bounded ranges of under 50 years
  };
  const std::vector<Row> rows = {
      {"2014", {"XY2014"}},
      {"2014-05..2014-06", {"XY2014"}},
      {"2013-04-16", {"XY2013"}},
      {"2012-09-04..2013-02-01", {"XY2012", "XY2013"}},
      {"2011-09/2011-09", {"XY2011"}},
      {"2006..2009", {"XY2006", "XY2007", "XY2008", "XY2009"}},
      {"..2012-05-22", {}},
      {"2014-08-05..", {}},
  };
  for (const Row& row : rows) {
    INFO(row.value);
    const auto range = parse_date_range(row.value);
    REQUIRE(range);
    const Xapian::Query q = date_filter_query(*range);
    CHECK(terms_of(q) == row.terms);
    const Docids expected = overlapping(range->first, range->last);
    CHECK_FALSE(expected.empty());
    CHECK(matches(q) == expected);
  }
  // Spans of 50 years and more: no year terms, the value slot alone; every dated passage.
  const Docids dated = where([](const json& p) { return !p["dates"].empty(); });
  CHECK(dated.size() < all.size());
  for (const auto& [value, year_terms] : std::vector<std::pair<std::string, std::size_t>>{
           {"1991..2040", 50}, {"1990..2040", 0}, {"1900..2100", 0}, {"..", 0}}) {
    INFO(value);
    const Xapian::Query q = date_filter_query(*parse_date_range(value));
    CHECK(terms_of(q).size() == year_terms);
    CHECK(matches(q) == dated);
  }
}

TEST_CASE_METHOD(Fixture, "date_filter_query: weight 0, and inside AND, AND_NOT and OR") {
  Analyzer analyzer(res->normalizer, res->lexicon);
  auto text = parse_query("名古屋议定书", analyzer, res->gazetteer);
  REQUIRE(text);
  const DayRange y2013{day(2013, 1, 1), day(2013, 12, 31)}, spring_2014{day(2014, 3, 1), day(2014, 6, 30)};
  const Xapian::Query in_2013 = date_filter_query(y2013), in_spring = date_filter_query(spring_2014);
  const Docids text_matches = matches(text->query);
  const Docids d2013 = overlapping(y2013.first, y2013.last), dspring = overlapping(spring_2014.first, spring_2014.last);

  // AND: the text's weights, restricted.
  Xapian::Enquire plain(db), filtered(db);
  plain.set_query(text->query);
  filtered.set_query(Xapian::Query(Xapian::Query::OP_AND, text->query, in_2013));
  const Xapian::MSet p = plain.get_mset(0, 100), f = filtered.get_mset(0, 100);
  std::map<Xapian::docid, double> weights;
  for (auto it = p.begin(); it != p.end(); ++it) weights[*it] = it.get_weight();
  Docids expected;
  std::set_intersection(text_matches.begin(), text_matches.end(), d2013.begin(), d2013.end(),
                        std::inserter(expected, expected.end()));
  REQUIRE_FALSE(expected.empty());
  CHECK(f.size() == expected.size());
  for (auto it = f.begin(); it != f.end(); ++it) {
    CHECK(expected.contains(*it));
    CHECK(it.get_weight() == Approx(weights.at(*it)));
  }
  // Alone, every match weighs 0.
  Xapian::Enquire alone(db);
  alone.set_query(in_2013);
  const Xapian::MSet a = alone.get_mset(0, 100);
  CHECK(a.size() == d2013.size());
  for (auto it = a.begin(); it != a.end(); ++it) CHECK(it.get_weight() == 0);

  // AND_NOT and OR; AND with a sparse term (the posting source is skipped to and checked).
  Docids without;
  std::set_difference(text_matches.begin(), text_matches.end(), d2013.begin(), d2013.end(),
                      std::inserter(without, without.end()));
  CHECK(matches(Xapian::Query(Xapian::Query::OP_AND_NOT, text->query, in_2013)) == without);
  Docids either = d2013;
  either.insert(dspring.begin(), dspring.end());
  CHECK(matches(Xapian::Query(Xapian::Query::OP_OR, in_2013, in_spring)) == either);
  for (const char* kind : {"item", "paragraph", "header"}) {
    INFO(kind);
    const Docids expected_kind = where([&](const json& j) {
      return j["kind"] == kind && test::overlaps(j, spring_2014.first, spring_2014.last);
    });
    const Xapian::Query kind_term(std::string(schema::kKind) + kind);
    CHECK(matches(Xapian::Query(Xapian::Query::OP_AND, kind_term, in_spring)) == expected_kind);
  }
}

TEST_CASE_METHOD(Fixture, "date_filter_query within: the date expression lies inside the range") {
  CHECK(parse_date_relation("within") == DateRelation::within);
  CHECK(parse_date_relation("intersects") == DateRelation::intersects);
  CHECK_FALSE(parse_date_relation("contains"));
  std::size_t differs = 0;
  for (int year : {2010, 2011, 2012, 2013, 2014, 2015, 2016, 2020}) {
    for (const DayRange range : {DayRange{day(year, 1, 1), day(year, 12, 31)}, DayRange{day(year, 5, 1), day(year, 6, 30)}}) {
      const Docids inside = matches(date_filter_query(range, DateRelation::within));
      CHECK(inside == within(range.first, range.last));
      const Docids overlap = matches(date_filter_query(range));
      CHECK(std::includes(overlap.begin(), overlap.end(), inside.begin(), inside.end()));
      differs += overlap.size() - inside.size();
    }
  }
  // Some expressions (2011-2020 年) overlap a year without lying inside it.
  CHECK(differs > 0);
}
