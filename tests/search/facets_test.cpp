// Facet counting: plan_facets, count_without_own_filter, decision_label, make_facet, and
// FacetSpy over SlotTable against brute force over the stored passages of the seed index (slot
// values and JSON) and over a hand-made index.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/documents/references.h"
#include "core/search/facets.h"
#include "core/search/filters.h"
#include "core/search/query_parser.h"
#include "core/search/request.h"
#include "core/search/slot_table.h"
#include "tests/search/seed_index.h"

using namespace treaty;
using nlohmann::json;
using test::Docids;
using Counts = std::map<std::string, std::uint64_t>;
using Indexes = std::vector<std::size_t>;

namespace {

std::size_t facet_index(std::string_view name) {
  const auto k = find_facet(name);
  REQUIRE(k);
  return *k;
}

Counts counts_of(const FacetSpy& spy, std::size_t i) {
  Counts out;
  for (const auto& [value, count] : spy.values(i)) out[value] = count;
  return out;
}

// The values of a multi-valued slot string, each once.
std::set<std::string> split_slot(const std::string& joined) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (start <= joined.size()) {
    const std::size_t end = std::min(joined.find(schema::kValueSeparator, start), joined.size());
    if (end > start) out.insert(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

struct Fixture : test::SeedIndex {
  SlotTable table{db};
  Analyzer analyzer{res->normalizer, res->lexicon};
  FilterBuilder builder{res->normalizer, res->gazetteer};

  Xapian::Query parse(const std::string& q) {
    auto parsed = parse_query(q, analyzer, res->gazetteer);
    REQUIRE(parsed);
    return parsed->query;
  }
  Xapian::Query filter(const std::string& field, const std::string& value) {
    std::vector<std::string> warnings;
    auto q = builder.value(field, value, FilterSyntax::parameter, warnings);
    REQUIRE(q);
    return *q;
  }

  // Brute force: facet `name` over `dids`, from each document's value slot.
  Counts slot_counts(const Docids& dids, std::string_view name) const {
    Counts out;
    const Xapian::valueno slot = kFacetDefs[facet_index(name)].slot;
    for (Xapian::docid did : dids)
      for (const std::string& v : split_slot(db.get_document(did).get_value(slot))) ++out[v];
    return out;
  }

  // Brute force from the stored JSON: years every date covers, organization ids.
  Counts json_counts(const Docids& dids, std::string_view name) const {
    const auto all = passages();
    Counts out;
    for (Xapian::docid did : dids) {
      std::set<std::string> values;
      const json& p = all.at(did);
      if (name == "org")
        for (const json& o : p["orgs"]) values.insert(o["id"].get<std::string>());
      if (name == "year")
        for (const json& d : p["dates"]) {
          const int last = std::stoi(d["to"].get<std::string>().substr(0, 4));
          for (int y = std::stoi(d["from"].get<std::string>().substr(0, 4)); y <= last; ++y)
            values.insert(std::to_string(y));
        }
      for (const std::string& v : values) ++out[v];
    }
    return out;
  }

  // Every facet counted over the match set of `query` by a FacetSpy in a plain Enquire.
  std::vector<Counts> spy_counts(const Xapian::Query& query) const {
    Indexes every;
    for (std::size_t k = 0; k < std::size(kFacetDefs); ++k) every.push_back(k);
    FacetSpy spy(table, every);
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.add_matchspy(&spy);
    enquire.get_mset(0, 0, db.get_doccount());
    enquire.clear_matchspies();
    std::vector<Counts> out;
    for (std::size_t i = 0; i < every.size(); ++i) out.push_back(counts_of(spy, i));
    return out;
  }
};

}  // namespace

TEST_CASE("kFacetDefs: the request's facet names, their slots, find_facet") {
  REQUIRE(std::size(kFacetDefs) == std::size(kFacetNames));
  for (std::size_t k = 0; k < std::size(kFacetDefs); ++k) {
    CHECK(kFacetDefs[k].name == kFacetNames[k]);
    CHECK(find_facet(kFacetNames[k]) == k);
  }
  CHECK(kFacetDefs[facet_index("org")].slot == schema::kSlotOrgs);
  CHECK(kFacetDefs[facet_index("year")].slot == schema::kSlotYears);
  CHECK(kFacetDefs[facet_index("decision")].slot == schema::kSlotDecisions);
  CHECK(kFacetDefs[facet_index("symbol")].slot == schema::kSlotSymbols);
  CHECK(kFacetDefs[facet_index("month")].slot == schema::kSlotMonths);
  for (const char* unknown : {"date", "kind", "", "Org", "years"}) CHECK_FALSE(find_facet(unknown));
}

TEST_CASE("plan_facets: each facet once, disjunctive facets with their own filter in a pass of their own") {
  const std::size_t org = facet_index("org"), year = facet_index("year"), month = facet_index("month"),
                    decision = facet_index("decision");
  Filters filters;
  filters.add("org", Xapian::Query("XOunep"));
  filters.add("year", Xapian::Query("XY2014"));
  filters.add("date", Xapian::Query("XY2014"));

  SearchRequest r;
  r.facets = {"year", "org", "year", "month", "org", "decision"};
  FacetPlan plan = plan_facets(r, filters);
  CHECK(plan.main == Indexes{year, org, month, decision});
  CHECK(plan.own_pass.empty());

  r.disjunctive = true;
  plan = plan_facets(r, filters);
  CHECK(plan.main == Indexes{month, decision});  // no month or decision filter (date is no facet)
  CHECK(plan.own_pass == Indexes{year, org});    // each once, in the order asked

  plan = plan_facets(r, Filters());  // nothing to leave out
  CHECK(plan.main == Indexes{year, org, month, decision});
  CHECK(plan.own_pass.empty());

  r.facets.clear();
  plan = plan_facets(r, filters);
  CHECK(plan.main.empty());
  CHECK(plan.own_pass.empty());
}

TEST_CASE_METHOD(Fixture, "count_without_own_filter: the facet counted as if its own filter were not set") {
  const Xapian::Query text = parse("合作");
  Filters filters;
  filters.add("org", filter("org", "unep"));
  filters.add("year", filter("year", "2014"));
  for (const char* name : {"org", "year"}) {
    INFO(name);
    const std::size_t k = facet_index(name);
    FacetSpy own(table, {k});
    REQUIRE(count_without_own_filter(k, own, db, text, filters, nullptr, false));
    // The other filter alone, applied by hand.
    const Xapian::Query other = std::string(name) == "org" ? filter("year", "2014") : filter("org", "unep");
    const Docids expected = matches(Xapian::Query(Xapian::Query::OP_AND, text, other));
    REQUIRE(expected.size() > matches(filters.apply(text)).size());
    CHECK(counts_of(own, 0) == slot_counts(expected, name));
    CHECK(counts_of(own, 0) == json_counts(expected, name));
  }
  // mode=semantic without vectors: no lexical pass, nothing counted.
  FacetSpy none(table, {facet_index("org")});
  REQUIRE(count_without_own_filter(facet_index("org"), none, db, text, filters, nullptr, true));
  CHECK(none.values(0).empty());
}

TEST_CASE_METHOD(Fixture, "decision_label: DecisionRef's label for facet ids, other ids are their own label") {
  // Every decision the seed cites: the label stored at indexing (DecisionRef::label()).
  std::set<std::string> kinds;
  for (const auto& [did, p] : passages())
    for (const json& d : p["decisions"]) {
      const std::string id = d["id"];
      INFO(id);
      CHECK(decision_label(id) == d["label"].get<std::string>());
      kinds.insert(id.substr(0, id.find(':')));
    }
  CHECK(kinds == std::set<std::string>{"cop", "icnp", "unga"});  // 3/5 is the ICNP's

  DecisionRef ref;
  ref.kind = DecisionKind::cop_decision;
  ref.session = 11;
  ref.number = 1;
  ref.part = "D";
  CHECK(decision_label(ref.id()) == ref.label());
  CHECK(decision_label("cop:11/1 D") == "COP XI/1 D");  // the documented example
  CHECK(decision_label("cop:10/1") == "COP X/1");
  CHECK(decision_label("rec:3/5") == "Recommendation 3/5");
  CHECK(decision_label("unga:67/212") == "UNGA resolution 67/212");
  for (const char* other : {"", "11/1", "XI/1", "foo:11/1", "cop:11", "cop:/1", "cop:11/", "cop:x/1", "cop:11/y",
                            "COP:11/1"}) {
    INFO(other);
    CHECK(decision_label(other) == other);
  }
}

TEST_CASE_METHOD(Fixture, "make_facet: most frequent first, ties by value, limit, labels") {
  const FacetLabels labels(res->gazetteer, db);
  const std::vector<std::pair<std::string, std::uint64_t>> years = {{"2013", 2}, {"2012", 2}, {"2014", 5}, {"2010", 1}};
  Facet f = make_facet("year", years, 3, labels);
  CHECK(f.name == "year");
  CHECK(f.values == std::vector<FacetValue>{{"2014", "2014", 5}, {"2012", "2012", 2}, {"2013", "2013", 2}});
  CHECK(make_facet("year", years, 4, labels).values.back() == FacetValue{"2010", "2010", 1});
  CHECK(make_facet("year", years, 100, labels).values.size() == 4);
  CHECK(make_facet("year", years, 0, labels).values.empty());
  CHECK(make_facet("year", {}, 10, labels).values.empty());

  // Organizations by the gazetteer's Chinese name and acronym; unknown ids as they are.
  f = make_facet("org", {{"unep", 6}, {"nosuchorg", 6}, {"fao", 6}, {"sprep", 1}}, 10, labels);
  std::vector<std::string> order;
  for (const FacetValue& v : f.values) {
    order.push_back(v.value);
    const Organization* org = res->gazetteer.find_by_id(v.value);
    CHECK(v.label == (!org ? v.value : org->acronym.empty() ? org->name_zh : org->name_zh + " (" + org->acronym + ")"));
  }
  CHECK(order == std::vector<std::string>{"fao", "nosuchorg", "unep", "sprep"});
  CHECK(f.values[0].label == res->gazetteer.find_by_id("fao")->name_zh + " (FAO)");
  CHECK(f.values[1].label == "nosuchorg");

  // Decisions by decision_label; other facets' labels are their values.
  f = make_facet("decision", {{"unga:67/212", 3}, {"cop:11/1 D", 1}}, 10, labels);
  CHECK(f.values ==
        std::vector<FacetValue>{{"unga:67/212", "UNGA resolution 67/212", 3}, {"cop:11/1 D", "COP XI/1 D", 1}});
  f = make_facet("symbol", {{"UNEP/CBD/COP/12/24", 1}}, 10, labels);
  CHECK(f.values.front().label == "UNEP/CBD/COP/12/24");
}

TEST_CASE_METHOD(Fixture, "FacetSpy on the seed: counts equal brute force over the stored passages") {
  const std::vector<std::pair<std::string, Xapian::Query>> queries = {
      {"everything", Xapian::Query::MatchAll},
      {"秘书处", parse("秘书处")},
      {"名古屋议定书 in 2013",
       Xapian::Query(Xapian::Query::OP_FILTER, parse("名古屋议定书"), filter("year", "2013"))},
      {"kind:item", filter("kind", "item")},
  };
  for (const auto& [name, query] : queries) {
    INFO(name);
    const Docids matching = matches(query);
    REQUIRE_FALSE(matching.empty());
    const std::vector<Counts> counted = spy_counts(query);
    for (std::size_t k = 0; k < std::size(kFacetDefs); ++k) {
      INFO(kFacetDefs[k].name);
      CHECK(counted[k] == slot_counts(matching, kFacetDefs[k].name));
    }
    CHECK(counted[facet_index("year")] == json_counts(matching, "year"));
    CHECK(counted[facet_index("org")] == json_counts(matching, "org"));
  }
  CHECK(spy_counts(Xapian::Query::MatchAll)[facet_index("year")].at("2014") == 11);

  // add(): documents outside a match set (vector hits); docids past the index are ignored.
  FacetSpy added(table, {facet_index("year"), facet_index("symbol")});
  Docids some;
  for (Xapian::docid did = 1; did <= db.get_lastdocid(); did += 3) {
    added.add(did);
    some.insert(did);
  }
  added.add(db.get_lastdocid() + 1);
  added.add(db.get_lastdocid() + 1000);
  CHECK(counts_of(added, 0) == slot_counts(some, "year"));
  CHECK(counts_of(added, 1) == slot_counts(some, "symbol"));
  CHECK_FALSE(FacetSpy(table, {}).counting());
}

TEST_CASE("SlotTable over a hand-made index: values interned, a value listed twice counted once") {
  test::TempDir tmp;
  const std::string path = (tmp.path() / "db").string();
  {
    Xapian::WritableDatabase w(path, Xapian::DB_CREATE);
    auto add = [&](const std::string& years, const std::string& order) {
      Xapian::Document doc;
      if (!years.empty()) doc.add_value(schema::kSlotYears, years);
      if (!order.empty()) doc.add_value(schema::kSlotOrder, order);
      return w.add_document(doc);
    };
    const char sep = schema::kValueSeparator;
    add(std::string("2014") + sep + "2014" + sep + "2013", "b");  // 1
    add("", "a");                                                  // 2: no years
    add("2013", "");                                               // 3: no order
    add(std::string("2012") + sep + sep + "2013", "c");           // 4: an empty value between
    w.commit();
  }
  Xapian::Database db(path);
  const SlotTable table(db);
  const SlotTable::Values& years = table.facet(facet_index("year"));
  CHECK(years.names == std::vector<std::string>{"2014", "2013", "2012"});
  CHECK(years.begin.size() == 4 + 2);
  auto values_of = [&](Xapian::docid did) {
    std::vector<std::string> out;
    for (std::uint32_t j = years.begin[did]; j < years.begin[did + 1]; ++j) out.push_back(years.names[years.ids[j]]);
    return out;
  };
  CHECK(values_of(1) == std::vector<std::string>{"2014", "2013"});
  CHECK(values_of(2).empty());
  CHECK(values_of(3) == std::vector<std::string>{"2013"});
  CHECK(values_of(4) == std::vector<std::string>{"2012", "2013"});

  FacetSpy spy(table, {facet_index("year")});
  for (Xapian::docid did = 1; did <= 5; ++did) spy.add(did);
  CHECK(counts_of(spy, 0) == Counts{{"2014", 1}, {"2013", 3}, {"2012", 1}});

  // Document order ranks: by the order value; no value, no rank.
  CHECK(table.order_ranks() == std::vector<std::uint32_t>{kNoRank, 1, 0, kNoRank, 2});
}
