// Filters: one FilterBuilder for URL parameters and query-language fields (same query, same
// terms, errors naming the value as written), Filters (has, restricts_except, apply with and
// without a skipped field) and request_filters, checked on the seed index against brute force
// over the stored passages.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "core/index/schema.h"
#include "core/search/filters.h"
#include "core/search/query_parser.h"
#include "core/search/request.h"
#include "core/search/searcher.h"
#include "tests/search/seed_index.h"

using namespace treaty;
using nlohmann::json;
using test::Docids;
using Strings = std::vector<std::string>;
using Terms = std::set<std::string>;
using Predicate = std::function<bool(const json&)>;

namespace {

struct Fixture : test::SeedIndex {
  FilterBuilder builder{res->normalizer, res->gazetteer};
  Analyzer analyzer{res->normalizer, res->lexicon};

  Xapian::Query build(const std::string& field, const std::string& value, FilterSyntax syntax,
                      Strings& warnings) const {
    auto q = builder.value(field, value, syntax, warnings);
    INFO(field << " " << value);
    REQUIRE(q);
    return *q;
  }
  Xapian::Query build(const std::string& field, const std::string& value) const {
    Strings warnings;
    return build(field, value, FilterSyntax::parameter, warnings);
  }
  Expected<ParsedQuery> parse(const std::string& q) { return parse_query(q, analyzer, res->gazetteer); }
};

Terms terms_of(const Xapian::Query& q) { return {q.get_terms_begin(), q.get_terms_end()}; }

// What a one-term filter should be: the term at weight 0.
std::string weightless_term(const std::string& term) {
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term), 0.0).get_description();
}

bool has_org(const json& p, const std::string& id) {
  return std::any_of(p["orgs"].begin(), p["orgs"].end(), [&](const json& o) { return o["id"] == id; });
}

// A decision cited by the passage: "11/1" (any part, any kind) or with a part ("11/1", "D").
bool has_decision(const json& p, const std::string& key, const std::string& part = "") {
  for (const json& d : p["decisions"]) {
    const std::string id = d["id"];
    const std::string rest = id.substr(id.find(':') + 1);
    const std::size_t space = rest.find(' ');
    if (rest.substr(0, space) != key) continue;
    if (part.empty()) return true;
    if (space != std::string::npos && rest.substr(space + 1) == part) return true;
  }
  return false;
}

bool has_symbol(const json& p, const std::string& symbol) {
  return std::any_of(p["symbols"].begin(), p["symbols"].end(), [&](const json& s) { return s == symbol; });
}

Predicate in_days(const std::string& from, const std::string& to) {
  const int first = from.empty() ? std::numeric_limits<int>::min() : test::json_day(from, false);
  const int last = to.empty() ? std::numeric_limits<int>::max() : test::json_day(to, true);
  return [first, last](const json& p) { return test::overlaps(p, first, last); };
}

// The query-language form of a filter value (quoted when it holds a space).
std::string as_query_field(const std::string& field, const std::string& value) {
  return field + ":" + (value.find(' ') != std::string::npos ? "\"" + value + "\"" : value);
}

}  // namespace

TEST_CASE_METHOD(Fixture, "URL parameters and query fields give the same query, term and matches") {
  struct Row {
    std::string field, value;
    Terms terms;          // the query's terms
    Predicate expected;   // brute force over the stored passage
  };
  const auto org = [](std::string id) { return [id](const json& p) { return has_org(p, id); }; };
  const auto decision = [](std::string key, std::string part = "") {
    return [key, part](const json& p) { return has_decision(p, key, part); };
  };
  const auto symbol = [](std::string s) { return [s](const json& p) { return has_symbol(p, s); }; };
  const auto kind = [](std::string k) { return [k](const json& p) { return p["kind"] == k; }; };
  const std::string cop_12_24 = "UNEP/CBD/COP/12/24";
  const std::vector<Row> rows = {
      {"org", "unep", {"XOunep"}, org("unep")},
      {"org", "环境规划署", {"XOunep"}, org("unep")},
      {"org", "環境規劃署", {"XOunep"}, org("unep")},
      {"org", "Unep", {"XOunep"}, org("unep")},  // the acronym UNEP in another case
      {"org", "ＵＮＥＰ", {"XOunep"}, org("unep")},
      {"org", "太平洋区域环境规划署", {"XOsprep"}, org("sprep")},
      {"org", "fao", {"XOfao"}, org("fao")},
      {"year", "2014", {"XY2014"}, in_days("2014", "2014")},
      {"year", "２０１４", {"XY2014"}, in_days("2014", "2014")},
      {"year", "2010", {"XY2010"}, in_days("2010", "2010")},
      {"decision", "XI/1", {"XD11/1"}, decision("11/1")},
      {"decision", "xi/1", {"XD11/1"}, decision("11/1")},
      {"decision", "11/1", {"XD11/1"}, decision("11/1")},
      {"decision", "XI/1 D", {"XD11/1 d"}, decision("11/1", "D")},
      {"decision", "cop:11/1 D", {"XDcop:11/1 d"}, decision("11/1", "D")},
      {"decision", "cop:11/1 E", {"XDcop:11/1 e"}, decision("11/1", "E")},
      {"decision", "X/1", {"XD10/1"}, decision("10/1")},
      {"decision", "67/212", {"XD67/212"}, decision("67/212")},
      {"decision", "unga:67/212", {"XDunga:67/212"}, decision("67/212")},
      {"decision", "rec:3/5", {"XD3/5"}, decision("3/5")},
      {"symbol", "UNEP/CBD/COP/12/24", {"XSYM" + cop_12_24}, symbol(cop_12_24)},
      {"symbol", "unep/cbd/cop/12/24", {"XSYM" + cop_12_24}, symbol(cop_12_24)},
      {"symbol", "ＵＮＥＰ／ＣＢＤ／ＣＯＰ／１２／２４", {"XSYM" + cop_12_24}, symbol(cop_12_24)},
      {"symbol", "ｕｎｅｐ/cbd/np/cop-mop/1/inf/5", {"XSYMUNEP/CBD/NP/COP-MOP/1/INF/5"},
       symbol("UNEP/CBD/NP/COP-MOP/1/INF/5")},
      {"kind", "header", {"XKINDheader"}, kind("header")},
      {"kind", "paragraph", {"XKINDparagraph"}, kind("paragraph")},
      {"kind", "item", {"XKINDitem"}, kind("item")},
      {"date", "2014", {"XY2014"}, in_days("2014", "2014")},
      {"date", "２０１４－０５..２０１４－０６", {"XY2014"}, in_days("2014-05", "2014-06")},
      {"date", "2013-12..2014-06", {"XY2013", "XY2014"}, in_days("2013-12", "2014-06")},
      {"date", "2013-04-15/2013-04-17", {"XY2013"}, in_days("2013-04-15", "2013-04-17")},
      {"date", "2014-06-10..", {}, in_days("2014-06-10", "")},  // open: the value slot alone decides
      {"date", "..2010", {}, in_days("", "2010")},
  };
  for (const Row& row : rows) {
    INFO(row.field << " " << row.value);
    Strings parameter_warnings, field_warnings;
    const Xapian::Query parameter = build(row.field, row.value, FilterSyntax::parameter, parameter_warnings);
    const Xapian::Query field = build(row.field, row.value, FilterSyntax::query_field, field_warnings);
    CHECK(parameter.get_description() == field.get_description());
    CHECK(parameter_warnings.empty());
    CHECK(field_warnings.empty());
    CHECK(terms_of(parameter) == row.terms);
    if (row.field != "date") CHECK(parameter.get_description() == weightless_term(*row.terms.begin()));

    const Docids expected = where(row.expected);
    CHECK_FALSE(expected.empty());  // every row selects something on the seed
    CHECK(matches(parameter) == expected);

    // The query language reads the field through the same builder.
    auto parsed = parse(as_query_field(row.field, row.value));
    REQUIRE(parsed);
    CHECK(terms_of(parsed->query) == row.terms);
    CHECK(matches(parsed->query) == expected);
  }
}

TEST_CASE_METHOD(Fixture, "errors name the value as written: a URL parameter or a query field") {
  struct Row {
    std::string field, value, parameter_message, field_message;
  };
  const std::string not_decision = " is not a decision reference (e.g. XI/1, XI/1 D, 67/212)";
  const std::string not_kind = " is not a passage kind (header, paragraph, item, table_row, footnote)";
  const std::vector<Row> rows = {
      {"decision", "foo", "decision foo" + not_decision, "decision:foo" + not_decision},
      {"decision", "XI", "decision XI" + not_decision, "decision:XI" + not_decision},
      {"decision", "cop:foo", "decision cop:foo" + not_decision, "decision:cop:foo" + not_decision},
      {"kind", "chapter", "kind chapter" + not_kind, "kind:chapter" + not_kind},
      {"kind", "section", "kind section" + not_kind, "kind:section" + not_kind},
      {"colour", "red", "unknown filter field \"colour\"", "unknown filter field \"colour\""},
  };
  for (const Row& row : rows) {
    INFO(row.field << " " << row.value);
    Strings warnings;
    auto parameter = builder.value(row.field, row.value, FilterSyntax::parameter, warnings);
    REQUIRE_FALSE(parameter);
    CHECK(parameter.error().message == row.parameter_message);
    auto field = builder.value(row.field, row.value, FilterSyntax::query_field, warnings);
    REQUIRE_FALSE(field);
    CHECK(field.error().message == row.field_message);
    CHECK(warnings.empty());
    if (row.field != "colour") {  // the query parser reports the builder's message
      auto parsed = parse(as_query_field(row.field, row.value));
      REQUIRE_FALSE(parsed);
      CHECK(parsed.error().message == row.field_message);
    }
    // any_of fails on the first bad value, even after good ones.
    if (row.field == "decision") {
      auto any = builder.any_of("decision", {"XI/1", row.value}, FilterSyntax::parameter, warnings);
      REQUIRE_FALSE(any);
      CHECK(any.error().message == row.parameter_message);
    }
  }
  // Year and date errors name the field and the value (in either syntax).
  for (const auto& [field, value] : std::vector<std::pair<std::string, std::string>>{
           {"year", "20x4"}, {"year", "201"}, {"date", "2014-13"}, {"date", "2015..2014"}}) {
    for (FilterSyntax syntax : {FilterSyntax::parameter, FilterSyntax::query_field}) {
      INFO(field << " " << value);
      Strings warnings;
      auto q = builder.value(field, value, syntax, warnings);
      REQUIRE_FALSE(q);
      CHECK(q.error().message.starts_with(field));
      CHECK(q.error().message.find(value) != std::string::npos);
    }
  }
}

TEST_CASE_METHOD(Fixture, "an unknown organization is a warning and matches nothing") {
  const std::string warning = "unknown organization \"nosuchorg\" (matches nothing)";
  for (FilterSyntax syntax : {FilterSyntax::parameter, FilterSyntax::query_field}) {
    Strings warnings;
    const Xapian::Query q = build("org", "nosuchorg", syntax, warnings);
    CHECK(warnings == Strings{warning});
    CHECK(matches(q).empty());
    Filters filters;
    filters.add("org", q);
    CHECK(matches(filters.apply(Xapian::Query::MatchAll)).empty());
  }
  // Among other organizations it drops out of the OR.
  Strings warnings;
  auto any = builder.any_of("org", {"nosuchorg", "unep"}, FilterSyntax::parameter, warnings);
  REQUIRE(any);
  CHECK(warnings == Strings{warning});
  CHECK(matches(*any) == where([](const json& p) { return has_org(p, "unep"); }));
}

TEST_CASE_METHOD(Fixture, "any_of: the values ORed, one value as its own query") {
  Strings warnings;
  auto one = builder.any_of("year", {"2013"}, FilterSyntax::parameter, warnings);
  REQUIRE(one);
  CHECK(one->get_description() == build("year", "2013").get_description());

  auto two = builder.any_of("org", {"unep", "sprep"}, FilterSyntax::parameter, warnings);
  REQUIRE(two);
  Docids either = matches(build("org", "unep"));
  const Docids sprep = matches(build("org", "sprep"));
  either.insert(sprep.begin(), sprep.end());
  CHECK(matches(*two) == either);
  CHECK(matches(*two) == where([](const json& p) { return has_org(p, "unep") || has_org(p, "sprep"); }));
  CHECK(terms_of(*two) == Terms{"XOunep", "XOsprep"});

  // Weight 0: a filter adds nothing to a text query's ranking.
  auto text = parse("名古屋议定书");
  REQUIRE(text);
  Xapian::Enquire plain(db), filtered(db);
  plain.set_query(text->query);
  filtered.set_query(Xapian::Query(Xapian::Query::OP_AND, text->query, *two));
  const Xapian::MSet p = plain.get_mset(0, 100), f = filtered.get_mset(0, 100);
  REQUIRE(f.size() > 0);
  std::map<Xapian::docid, double> weights;
  for (auto it = p.begin(); it != p.end(); ++it) weights[*it] = it.get_weight();
  for (auto it = f.begin(); it != f.end(); ++it) CHECK(it.get_weight() == Approx(weights.at(*it)));
  CHECK(warnings.empty());
}

TEST_CASE_METHOD(Fixture, "Filters: has, restricts_except and apply with and without a skipped field") {
  Filters none;
  CHECK_FALSE(none.has("org"));
  CHECK_FALSE(none.restricts_except(""));
  const Xapian::Query all = Xapian::Query::MatchAll;
  CHECK(none.apply(all).get_description() == all.get_description());
  CHECK(none.apply(all, "org").get_description() == all.get_description());

  const Xapian::Query org = build("org", "unep"), year = build("year", "2014");
  Filters filters;
  filters.add("org", org);
  filters.add("year", year);
  CHECK(filters.has("org"));
  CHECK(filters.has("year"));
  CHECK_FALSE(filters.has("decision"));
  CHECK_FALSE(filters.has("date"));
  CHECK(filters.restricts_except(""));
  CHECK(filters.restricts_except("org"));   // the year filter
  CHECK(filters.restricts_except("year"));  // the org filter
  REQUIRE(filters.all().size() == 2);
  CHECK(filters.all()[0].field == "org");
  CHECK(filters.all()[1].field == "year");

  Filters only_org;
  only_org.add("org", org);
  CHECK_FALSE(only_org.restricts_except("org"));
  CHECK(only_org.restricts_except("year"));

  const Docids by_org = matches(org), by_year = matches(year);
  Docids both;
  std::set_intersection(by_org.begin(), by_org.end(), by_year.begin(), by_year.end(), std::inserter(both, both.end()));
  REQUIRE_FALSE(both.empty());
  REQUIRE(both.size() < by_org.size());
  REQUIRE(both.size() < by_year.size());
  CHECK(matches(filters.apply(all)) == both);
  CHECK(matches(filters.apply(all, "")) == both);
  CHECK(matches(filters.apply(all, "decision")) == both);  // no such filter: nothing skipped
  CHECK(matches(filters.apply(all, "org")) == by_year);
  CHECK(matches(filters.apply(all, "year")) == by_org);
  CHECK(matches(only_org.apply(all, "org")) == matches(all));
  CHECK(only_org.apply(all, "org").get_description() == all.get_description());
  CHECK(both == where([](const json& p) {
          return has_org(p, "unep") && test::overlaps(p, test::json_day("2014", false), test::json_day("2014", true));
        }));

  // On a text query: the text's matches restricted, with the text's weights.
  auto text = parse("环境规划署");
  REQUIRE(text);
  const Xapian::Query q = filters.apply(text->query, "year");
  Docids expected;
  const Docids text_matches = matches(text->query);
  std::set_intersection(text_matches.begin(), text_matches.end(), by_org.begin(), by_org.end(),
                        std::inserter(expected, expected.end()));
  CHECK(matches(q) == expected);
  CHECK(expected.size() < text_matches.size());
}

TEST_CASE_METHOD(Fixture, "request_filters: one filter per URL field, group=paragraph, dates") {
  Strings warnings;
  SearchRequest empty;
  auto none = request_filters(empty, builder, warnings);
  REQUIRE(none);
  CHECK(none->all().empty());

  SearchRequest r;
  r.orgs = {"UNEP", "sprep"};
  r.years = {"2014", "２０１３"};
  r.decisions = {"XI/1"};
  r.symbols = {"unep/cbd/cop/12/24"};
  r.kinds = {"paragraph"};
  r.date_from = "2012";
  auto filters = request_filters(r, builder, warnings);
  REQUIRE(filters);
  CHECK(warnings.empty());
  Strings fields;
  for (const FieldFilter& f : filters->all()) fields.emplace_back(f.field);
  CHECK(fields == Strings{"org", "year", "decision", "symbol", "kind", "date"});
  // Each field's values ORed by the builder; the dates as one range from date_from to date_to.
  const std::map<std::string_view, Xapian::Query> expected = {
      {"org", *builder.any_of("org", r.orgs, FilterSyntax::parameter, warnings)},
      {"year", *builder.any_of("year", r.years, FilterSyntax::parameter, warnings)},
      {"decision", build("decision", "XI/1")},
      {"symbol", build("symbol", "unep/cbd/cop/12/24")},
      {"kind", build("kind", "paragraph")},
      {"date", build("date", "2012..")},
  };
  for (const FieldFilter& f : filters->all()) {
    INFO(f.field);
    CHECK(f.query.get_description() == expected.at(f.field).get_description());
  }
  // ANDed across fields.
  r.decisions.clear();
  r.symbols.clear();
  r.date_from = "2014-06";
  auto some = request_filters(r, builder, warnings);
  REQUIRE(some);
  const Docids anded = matches(some->apply(Xapian::Query::MatchAll));
  CHECK_FALSE(anded.empty());
  CHECK(anded == where([](const json& p) {
          return (has_org(p, "unep") || has_org(p, "sprep")) && in_days("2013", "2014")(p) &&
                 p["kind"] == "paragraph" && in_days("2014-06", "")(p);
        }));

  // group=paragraph: headers and paragraphs, never items.
  SearchRequest grouped;
  grouped.paragraphs = true;
  auto group = request_filters(grouped, builder, warnings);
  REQUIRE(group);
  REQUIRE(group->all().size() == 1);
  CHECK(group->has("group"));
  const Docids not_items = matches(group->apply(Xapian::Query::MatchAll));
  CHECK(not_items == where([](const json& p) { return p["kind"] != "item"; }));
  CHECK(not_items.size() == 38);  // the header and paragraphs 1-37
  CHECK(where([](const json& p) { return p["kind"] == "item"; }).size() == 15);

  // With other filters, ANDed; dates from either end alone.
  grouped.date_to = "2010";
  grouped.orgs = {"nosuchorg", "fao"};
  auto mixed = request_filters(grouped, builder, warnings);
  REQUIRE(mixed);
  CHECK(warnings == Strings{"unknown organization \"nosuchorg\" (matches nothing)"});
  const Predicate before_2010 = in_days("", "2010");
  CHECK(matches(mixed->apply(Xapian::Query::MatchAll)) == where([&](const json& p) {
          return p["kind"] != "item" && has_org(p, "fao") && before_2010(p);
        }));
  CHECK(matches(mixed->apply(Xapian::Query::MatchAll, "org")) ==
        where([&](const json& p) { return p["kind"] != "item" && before_2010(p); }));

  // Errors name the URL parameter's value.
  SearchRequest bad;
  bad.kinds = {"paragraph", "chapter"};
  auto e = request_filters(bad, builder, warnings);
  REQUIRE_FALSE(e);
  CHECK(e.error().message == "kind chapter is not a passage kind (header, paragraph, item, table_row, footnote)");
  bad = {};
  bad.date_from = "2014-13";
  e = request_filters(bad, builder, warnings);
  REQUIRE_FALSE(e);
  CHECK(e.error().message == "date 2014-13: month must be 1-12");
}

TEST_CASE_METHOD(Fixture, "Searcher: a filter in q and as a URL parameter return the same passages") {
  Searcher searcher(db, *res);
  auto ids = [&](const SearchRequest& r) {
    SearchRequest request = r;
    request.mode = SearchMode::lexical;
    request.size = 100;
    request.fields = {"id"};
    auto s = searcher.search(request);
    REQUIRE(s);
    Strings out;
    for (const Hit& h : s->hits) out.push_back(h.id);
    CHECK(s->total == out.size());
    return out;
  };
  const auto all = passages();
  auto passage_ids = [&](const Docids& dids) {  // in document order
    std::map<int, std::string> by_order;
    for (Xapian::docid did : dids) by_order[all.at(did)["order"].get<int>()] = all.at(did)["id"].get<std::string>();
    Strings out;
    for (const auto& [order, id] : by_order) out.push_back(id);
    return out;
  };
  struct Row {
    std::string q;
    std::function<void(SearchRequest&)> set;
    Predicate expected;
  };
  const std::vector<Row> rows = {
      {"symbol:ＵＮＥＰ/CBD/COP/12/24", [](SearchRequest& r) { r.symbols = {"UNEP/CBD/COP/12/24"}; },
       [](const json& p) { return has_symbol(p, "UNEP/CBD/COP/12/24"); }},
      {"symbol:ＵＮＥＰ／ＣＢＤ／ＮＰ／ＣＯＰ－ＭＯＰ／１／ＩＮＦ／５",
       [](SearchRequest& r) { r.symbols = {"unep/cbd/np/cop-mop/1/inf/5"}; },
       [](const json& p) { return has_symbol(p, "UNEP/CBD/NP/COP-MOP/1/INF/5"); }},
      {"org:環境規劃署", [](SearchRequest& r) { r.orgs = {"Unep"}; },
       [](const json& p) { return has_org(p, "unep"); }},
      {"year:２０１４", [](SearchRequest& r) { r.years = {"2014"}; }, in_days("2014", "2014")},
      {"decision:xi/1", [](SearchRequest& r) { r.decisions = {"cop:11/1"}; },
       [](const json& p) { return has_decision(p, "11/1"); }},
      {"kind:item", [](SearchRequest& r) { r.kinds = {"item"}; }, [](const json& p) { return p["kind"] == "item"; }},
      {"date:2014-05..2014-06",
       [](SearchRequest& r) {
         r.date_from = "2014-05";
         r.date_to = "2014-06";
       },
       in_days("2014-05", "2014-06")},
      {"org:unep year:2014",
       [](SearchRequest& r) {
         r.orgs = {"unep"};
         r.years = {"2014"};
       },
       [](const json& p) { return has_org(p, "unep") && in_days("2014", "2014")(p); }},
  };
  for (const Row& row : rows) {
    INFO(row.q);
    SearchRequest by_q;
    by_q.q = row.q;
    SearchRequest by_parameter;
    row.set(by_parameter);
    const Strings expected = passage_ids(where(row.expected));
    CHECK_FALSE(expected.empty());
    CHECK(ids(by_q) == expected);  // browsing: document order
    CHECK(ids(by_parameter) == expected);
  }
}
