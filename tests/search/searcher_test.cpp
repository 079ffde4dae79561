// Searcher on the seed document: expected passages per query, filters, sorting, exact totals and
// facets (checked against brute force over the stored passage JSON), snippets, errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "core/index/passage_data.h"
#include "core/text/analyzer.h"
#include "core/index/index_writer.h"
#include "core/index/text_terms.h"
#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/search/date_filter.h"
#include "core/search/query_parser.h"
#include "core/search/resources.h"
#include "core/search/searcher.h"
#include "tests/support/test_support.h"

using namespace treaty;
using nlohmann::json;
using Paras = std::set<std::string>;

namespace {

// The seed document indexed through the real core API (as `indexer add` does).
struct Fixture {
  std::unique_ptr<Resources> res =
      std::move(*Resources::load(ResourcePaths::in_directory(test::source_dir() / "config")));
  test::TempDir tmp;
  Xapian::Database db = build();
  Searcher searcher{db, *res};

  Xapian::Database build() {
    return test::write_index(tmp.path() / "index", *res, {test::parse_file(test::seed_path())});
  }

  SearchResponse search(SearchRequest r) {
    if (r.size == 10) r.size = 100;  // all of the seed's matches unless a test pages
    r.mode = SearchMode::lexical;  // exact matching, checked by brute force; expansion has its own tests below
    auto response = searcher.search(r);
    INFO(r.q);
    REQUIRE(response);
    return std::move(*response);
  }
  SearchResponse search(const std::string& q) {
    SearchRequest r;
    r.q = q;
    return search(r);
  }

  static std::vector<std::string> para_list(const SearchResponse& s) {
    std::vector<std::string> out;
    for (const Hit& h : s.hits) out.push_back(h.passage.at("para").get<std::string>());
    return out;
  }
  static Paras paras(const SearchResponse& s) {
    const auto list = para_list(s);
    return {list.begin(), list.end()};
  }

  // Every passage's stored JSON.
  std::vector<json> all_passages() {
    std::vector<json> out;
    StoredPassages stored(res->gazetteer);
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
      out.push_back(stored.read(db, db.get_document(*it)));
    return out;
  }
};

// Brute force: does `s` occur in the passage's text, a cited footnote or a section heading?
// Does the passage's body (text, cited footnotes) hold `s`, or, with `headings`, a section
// heading above it?
bool contains_text(const json& p, const std::string& s, bool headings = true) {
  if (p["text"].get<std::string>().find(s) != std::string::npos) return true;
  for (const json& f : p["footnotes"])
    if (f["text"].get<std::string>().find(s) != std::string::npos) return true;
  if (headings)
    for (const json& h : p["section"])
      if (h.get<std::string>().find(s) != std::string::npos) return true;
  return false;
}

bool has_org(const json& p, const std::string& id) {
  for (const json& o : p["orgs"])
    if (o["id"] == id) return true;
  return false;
}

// Do any of the passage's dates overlap [first, last] (days)?
bool overlaps(const json& p, int first, int last) {
  for (const json& d : p["dates"]) {
    const int from = *parse_date_bound(d["from"].get<std::string>(), false);
    const int to = *parse_date_bound(d["to"].get<std::string>(), true);
    if (from <= last && to >= first) return true;
  }
  return false;
}

using Counts = std::map<std::string, std::uint64_t>;

// Facet counts computed from the stored JSON of `passages`.
std::map<std::string, Counts> brute_force_facets(const std::vector<json>& passages) {
  std::map<std::string, Counts> out;
  for (const json& p : passages) {
    std::map<std::string, std::set<std::string>> values;
    for (const json& o : p["orgs"]) values["org"].insert(o["id"].get<std::string>());
    for (const json& d : p["decisions"]) values["decision"].insert(d["id"].get<std::string>());
    for (const json& s : p["symbols"]) values["symbol"].insert(s.get<std::string>());
    for (const json& d : p["dates"]) {
      const std::string from = d["from"], to = d["to"];
      const int y0 = std::stoi(from.substr(0, 4)), y1 = std::stoi(to.substr(0, 4));
      for (int y = y0; y <= y1; ++y) values["year"].insert(std::to_string(y));
      if (from.size() >= 7 && to.size() >= 7) {
        for (int ym = y0 * 12 + std::stoi(from.substr(5, 2)) - 1; ym <= y1 * 12 + std::stoi(to.substr(5, 2)) - 1; ++ym) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "%04d-%02d", ym / 12, ym % 12 + 1);
          values["month"].insert(buf);
        }
      }
    }
    for (const auto& [facet, set] : values)
      for (const std::string& v : set) ++out[facet][v];
  }
  return out;
}

Counts counts_of(const Facet& f) {
  Counts out;
  for (const FacetValue& v : f.values) out[v.value] = v.count;
  return out;
}

const Facet& facet(const SearchResponse& s, const std::string& name) {
  for (const Facet& f : s.facets)
    if (f.name == name) return f;
  FAIL("no facet " << name);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE_METHOD(Fixture, "queries find exactly the passages that contain them") {
  const std::vector<std::pair<std::string, Paras>> rows = {
      {"缔约方大会", {"header", "2", "3", "4", "7", "15", "27(b)", "27(d)", "29"}},
      {"菌", {"34"}},  // a single character (text and the heading of its section)
      {"ITPGRFA", {"6"}},
      {"itpgrfa", {"6"}},
      {"UNEP/CBD/COP/12/24", {"33"}},
      {"XI/1", {"2", "3"}},  // XI/1 D and XI/1 E; never XI/6
      {"67/212", {"11", "18(b)", "22"}},
      {"区域经济委员会", {"21"}},  // spans a page break in the source
      {"unep", {"12", "33"}},      // 12 through its footnote (UNEP/CBD/NP/COP-MOP/1/INF/5)
      {"导言", {"1", "2", "3", "4", "5"}},  // only in their section heading
      {"乌干达 OR 斐济", {"21", "27(d)"}},
      {"研讨会 org:sprep", {"27(d)"}},
      {"合作促进", {}},  // never adjacent in the seed (合作，促进 does not count)
      {"decision:XI/1", {"2", "3"}},
      {"decision:X/1", {"7"}},
      {"decision:\"XI/1 D\"", {"2"}},
      {"symbol:UNEP/CBD/COP/12/24", {"33"}},
      {"date:2014 -year:2014", {}},
      {"date:2010..2010 OR org:sprep", {"7", "19", "27(d)"}},
      {"org:unep", {"6", "19", "20", "21", "22", "26(a)"}},
      {"org:nosuchorg", {}},
  };
  for (const auto& [q, expected] : rows) {
    INFO(q);
    const SearchResponse r = search(q);
    CHECK(paras(r) == expected);
    CHECK(r.total == expected.size());
  }
}

TEST_CASE_METHOD(Fixture, "phrases, exclusions and OR agree with brute force over the stored text") {
  const std::vector<json> all = all_passages();
  auto expect = [&](auto&& predicate) {
    Paras out;
    for (const json& p : all)
      if (predicate(p)) out.insert(p["para"].get<std::string>());
    return out;
  };
  const Paras nagoya = expect([](const json& p) { return contains_text(p, "名古屋议定书"); });
  CHECK(nagoya.size() == 33);
  CHECK(paras(search("\"名古屋议定书\"")) == nagoya);
  CHECK(paras(search("名古屋议定书")) == nagoya);
  CHECK(paras(search("名古屋议定书 -缔约方")) ==
        expect([](const json& p) { return contains_text(p, "名古屋议定书") && !contains_text(p, "缔约方"); }));
  CHECK(paras(search("秘书处 (粮农 OR 环境规划署)")) == expect([](const json& p) {
          return contains_text(p, "秘书处") && (contains_text(p, "粮农") || contains_text(p, "环境规划署"));
        }));
  CHECK(search("的").total == expect([](const json& p) { return contains_text(p, "的"); }).size());
}

TEST_CASE_METHOD(Fixture, "scope=text: only the passage body matches — kind filters passage kinds") {
  const std::vector<json> all = all_passages();
  for (const std::string q : {"导言", "名古屋议定书", "菌", "合作", "的", "信息交换所"}) {
    INFO(q);
    SearchRequest r;
    r.q = q;
    r.headings = false;
    Paras expected;
    for (const json& p : all)
      if (contains_text(p, q, false)) expected.insert(p["para"].get<std::string>());
    const SearchResponse s = search(r);
    CHECK(paras(s) == expected);
    CHECK(s.total == expected.size());
  }
  SearchRequest r;
  r.q = "导言";
  r.headings = false;
  CHECK(search(r).total == 0);  // only in the heading of paragraphs 1-5

  // A heading holding the words still ranks its passages first.
  r.q = "世界菌种收集联合会";
  const SearchResponse boosted = search(r);
  REQUIRE_FALSE(boosted.hits.empty());
  CHECK(boosted.hits[0].passage["para"] == "34");

  SearchRequest kinds;
  kinds.q = "缔约方大会";
  kinds.kinds = {"paragraph", "item"};
  CHECK(paras(search(kinds)) == Paras{"2", "3", "4", "7", "15", "27(b)", "27(d)", "29"});
  kinds.kinds = {"header"};
  CHECK(paras(search(kinds)) == Paras{"header"});
  kinds.kinds = {"item"};
  kinds.q.clear();
  CHECK(search(kinds).total == 15);
  kinds.kinds = {"chapter"};
  auto bad = searcher.search(kinds);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "kind chapter is not a passage kind (header, paragraph, item, table_row, footnote)");
}

TEST_CASE_METHOD(Fixture, "group=paragraph: one hit per paragraph, words spread over its lead-in and items") {
  // Each paragraph's whole body: its passages' texts and footnotes, by paragraph ("27" for 27(b)).
  std::map<std::string, std::vector<json>> paragraphs;
  for (const json& p : all_passages()) {
    const std::string para = p["para"].get<std::string>();
    paragraphs[para.substr(0, para.find('('))].push_back(p);
  }
  auto all_in = [](const std::vector<json>& ps, const std::vector<std::string>& words) {
    return std::all_of(words.begin(), words.end(), [&](const std::string& w) {
      return std::any_of(ps.begin(), ps.end(), [&](const json& p) { return contains_text(p, w, false); });
    });
  };
  const std::vector<std::vector<std::string>> queries = {
      {"缔约方大会"}, {"讲习班", "加勒比"}, {"能力建设", "太平洋"}, {"名古屋议定书", "粮农"}, {"区域", "讲习班", "2014"}};
  bool spread_seen = false;
  for (const std::vector<std::string>& words : queries) {
    std::string q;
    for (const std::string& w : words) q += (q.empty() ? "" : " ") + w;
    INFO(q);
    Paras expected;
    for (const auto& [para, ps] : paragraphs)
      if (all_in(ps, words)) {
        expected.insert(para);
        // Found only by combining passages: no single passage holds every word.
        spread_seen = spread_seen || std::none_of(ps.begin(), ps.end(), [&](const json& p) { return all_in({p}, words); });
      }
    SearchRequest r;
    r.q = q;
    r.paragraphs = true;
    r.headings = false;
    const SearchResponse s = search(r);
    CHECK(paras(s) == expected);
    CHECK(s.total == expected.size());
  }
  CHECK(spread_seen);  // the queries exercise words spread over a lead-in and its items

  // No items among the hits, with or without text.
  SearchRequest browse;
  browse.paragraphs = true;
  browse.size = 100;
  const SearchResponse b = search(browse);
  CHECK(b.total == 38);  // the header and paragraphs 1-37
  for (const Hit& h : b.hits) CHECK(h.passage["kind"] != "item");
}

TEST_CASE_METHOD(Fixture, "fields: hits hold only what was asked for") {
  SearchRequest r;
  r.q = "缔约方大会";
  const SearchResponse full = search(r);
  r.fields = {"id", "score"};
  const SearchResponse lean = search(r);
  REQUIRE(lean.hits.size() == full.hits.size());
  const json j = lean.to_json();
  for (std::size_t i = 0; i < lean.hits.size(); ++i) {
    CHECK(lean.hits[i].id == full.hits[i].id);
    CHECK(lean.hits[i].score == Approx(full.hits[i].score));
    CHECK(lean.hits[i].snippet.empty());
    CHECK(j["hits"][i] == json{{"id", full.hits[i].id}, {"score", full.hits[i].score}});
  }
  CHECK(lean.total == full.total);
  r.fields = {"para", "snippet"};
  const json some = search(r).to_json();
  CHECK(some["hits"][0].size() == 2);
  CHECK(some["hits"][0]["snippet"].get<std::string>().find("<mark>") != std::string::npos);
  r.fields = {"id", "nonsense"};
  auto bad = searcher.search(r);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.starts_with("unknown field \"nonsense\" (fields: id, doc, para"));
}

TEST_CASE_METHOD(Fixture, "Traditional and full-width queries return what their Simplified/ASCII forms return") {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"名古屋議定書", "名古屋议定书"}, {"締約方", "缔约方"},   {"締約方大會", "缔约方大会"},
      {"ＵＮＥＰ", "UNEP"},             {"２０１４", "2014"},   {"ＩＴＰＧＲＦＡ", "ITPGRFA"},
      {"ＸＩ／１", "XI/1"},             {"org:環境規劃署", "org:环境规划署"},
  };
  for (const auto& [variant, plain] : rows) {
    INFO(variant);
    const SearchResponse a = search(variant), b = search(plain);
    CHECK(a.total > 0);
    CHECK(para_list(a) == para_list(b));  // same passages, same order
  }
}

TEST_CASE_METHOD(Fixture, "request filters: organizations, decisions, symbols, years, dates") {
  auto with = [&](auto&& set) {
    SearchRequest r;
    set(r);
    return paras(search(r));
  };
  const Paras unep = {"6", "19", "20", "21", "22", "26(a)"};
  CHECK(with([](SearchRequest& r) { r.orgs = {"unep"}; }) == unep);
  CHECK(with([](SearchRequest& r) { r.orgs = {"环境规划署"}; }) == unep);
  CHECK(with([](SearchRequest& r) { r.orgs = {"UNEP"}; }) == unep);
  // 27(d) names 太平洋区域环境规划署 / 太平洋环境署 (SPREP), not UNEP.
  CHECK(with([](SearchRequest& r) { r.orgs = {"sprep"}; }) == Paras{"27(d)"});
  CHECK(with([](SearchRequest& r) { r.orgs = {"unep", "sprep"}; }) ==
        Paras{"6", "19", "20", "21", "22", "26(a)", "27(d)"});  // OR within a field
  CHECK(with([](SearchRequest& r) {
          r.orgs = {"unep"};
          r.date_from = "2014-06-10";
        }) == Paras{"21"});  // AND across fields

  CHECK(with([](SearchRequest& r) { r.decisions = {"X/1"}; }) == Paras{"7"});
  CHECK(with([](SearchRequest& r) { r.decisions = {"XI/1"}; }) == Paras{"2", "3"});
  CHECK(with([](SearchRequest& r) { r.decisions = {"xi/1 d"}; }) == Paras{"2"});
  CHECK(with([](SearchRequest& r) { r.decisions = {"cop:11/1 E"}; }) == Paras{"3"});  // a facet value
  CHECK(with([](SearchRequest& r) { r.decisions = {"67/212"}; }) == Paras{"11", "18(b)", "22"});
  CHECK(with([](SearchRequest& r) { r.decisions = {"X/1", "3/5"}; }) == Paras{"4", "7"});
  CHECK(with([](SearchRequest& r) { r.symbols = {"unep/cbd/np/cop-mop/1/inf/5"}; }) == Paras{"12"});
  CHECK(with([](SearchRequest& r) { r.symbols = {"UNEP/CBD/NP/COP-MOP/1/6"}; }) == Paras{"header"});

  const Paras in_2014 = {"header", "11", "15", "16", "21", "26(b)", "27(b)", "27(c)", "27(d)", "31", "37"};
  CHECK(with([](SearchRequest& r) { r.years = {"2014"}; }) == in_2014);
  CHECK(with([](SearchRequest& r) {
          r.date_from = "2014";
          r.date_to = "2014";
        }) == in_2014);
  CHECK(with([](SearchRequest& r) {
          r.date_from = "2014-05";
          r.date_to = "2014-06";
        }) == Paras{"11", "15", "16", "21", "26(b)", "27(b)"});
  CHECK(with([](SearchRequest& r) { r.date_to = "2010"; }) == Paras{"7", "19", "29"});
  CHECK(with([](SearchRequest& r) { r.date_from = "2014-06-10"; }) ==
        Paras{"header", "1", "11", "15", "16", "21", "27(d)", "31", "36"});

  // Open and closed ranges agree with brute-force overlap on the stored dates.
  const std::vector<json> all = all_passages();
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"2013-04-16", "2013-04-16"}, {"2012-09-04", "2013-02-01"}, {"", "2012-05-22"}, {"2014-08-05", ""},
           {"2011-09", "2011-09"}, {"2006", "2009"}}) {
    INFO(from << ".." << to);
    SearchRequest r;
    r.date_from = from;
    r.date_to = to;
    const DayRange range = *parse_date_range(from + ".." + to);
    Paras expected;
    for (const json& p : all)
      if (overlaps(p, range.first, range.last)) expected.insert(p["para"].get<std::string>());
    CHECK(paras(search(r)) == expected);
  }

  SearchRequest unknown;
  unknown.orgs = {"nosuchorg"};
  const SearchResponse none = search(unknown);
  CHECK(none.total == 0);
  CHECK(none.warnings == std::vector<std::string>{"unknown organization \"nosuchorg\" (matches nothing)"});
}

TEST_CASE_METHOD(Fixture, "sort orders") {
  auto first_day = [](const json& p) {
    int best = std::numeric_limits<int>::max();
    for (const json& d : p["dates"]) best = std::min(best, *parse_date_bound(d["from"].get<std::string>(), false));
    return best;
  };
  SearchRequest r;
  r.q = "名古屋议定书";

  r.sort = SortOrder::date;
  SearchResponse s = search(r);
  CHECK(s.sort == SortOrder::date);
  REQUIRE(s.hits.size() == 33);
  CHECK(s.hits.front().passage["para"] == "29");  // 2006-03
  for (std::size_t i = 1; i < s.hits.size(); ++i) {
    const int a = first_day(s.hits[i - 1].passage), b = first_day(s.hits[i].passage);
    CHECK(a <= b);  // undated (max) last
    if (a == b) CHECK(s.hits[i - 1].passage["order"] < s.hits[i].passage["order"]);
  }
  CHECK(s.hits.back().passage["dates"].empty());

  r.sort = SortOrder::date_desc;
  s = search(r);
  CHECK(s.hits.front().passage["para"] == "36");  // 2016-09
  bool seen_undated = false;
  for (std::size_t i = 1; i < s.hits.size(); ++i) {
    const json& prev = s.hits[i - 1].passage;
    const json& cur = s.hits[i].passage;
    if (cur["dates"].empty()) {
      seen_undated = true;
      continue;
    }
    CHECK_FALSE(seen_undated);  // undated passages come last
    CHECK(first_day(prev) >= first_day(cur));
  }
  CHECK(seen_undated);

  r.sort = SortOrder::document;
  s = search(r);
  for (std::size_t i = 1; i < s.hits.size(); ++i) CHECK(s.hits[i - 1].passage["order"] < s.hits[i].passage["order"]);

  r.sort.reset();  // relevance by default with text
  s = search(r);
  CHECK(s.sort == SortOrder::relevance);
  for (std::size_t i = 1; i < s.hits.size(); ++i) CHECK(s.hits[i - 1].score >= s.hits[i].score);
  CHECK(s.hits.front().score > s.hits.back().score);

  // Heading matches rank higher: the passages under "D. 联合国环境规划署" come first.
  s = search("环境规划署");
  REQUIRE(s.hits.size() == 7);
  const std::vector<std::string> ranked = para_list(s);
  CHECK(Paras{ranked.begin(), ranked.begin() + 4} == Paras{"19", "20", "21", "22"});

  // Browsing (no text) is in document order, and pages are consistent.
  SearchRequest browse;
  browse.size = 100;
  s = search(browse);
  CHECK(s.sort == SortOrder::document);
  CHECK(s.total == 53);
  REQUIRE(s.hits.size() == 53);
  CHECK(s.hits.front().id == "UNEP/CBD/NP/COP-MOP/1/6#header");
  CHECK(s.hits.back().id == "UNEP/CBD/NP/COP-MOP/1/6#37");
  for (std::size_t i = 0; i < s.hits.size(); ++i) CHECK(s.hits[i].passage["order"] == i);
  SearchRequest page = browse;
  page.offset = 20;
  page.size = 7;
  const SearchResponse p = search(page);
  CHECK(p.total == 53);
  REQUIRE(p.hits.size() == 7);
  for (std::size_t i = 0; i < 7; ++i) CHECK(p.hits[i].id == s.hits[20 + i].id);
  page.offset = 60;
  CHECK(search(page).hits.empty());
}

TEST_CASE_METHOD(Fixture, "exact totals and facets match brute force over every passage's JSON") {
  const std::vector<json> all = all_passages();
  REQUIRE(all.size() == 53);
  struct Case {
    std::string name;
    SearchRequest request;
    std::function<bool(const json&)> matches;
  };
  std::vector<Case> cases;
  cases.push_back({"everything", {}, [](const json&) { return true; }});
  {
    SearchRequest r;
    r.q = "秘书处";
    cases.push_back({"秘书处", r, [](const json& p) { return contains_text(p, "秘书处"); }});
  }
  {
    SearchRequest r;
    r.orgs = {"unep"};
    cases.push_back({"org=unep", r, [](const json& p) { return has_org(p, "unep"); }});
  }
  {
    SearchRequest r;
    r.q = "的";
    r.years = {"2014", "2013"};
    const int a = *parse_date_bound("2013", false), b = *parse_date_bound("2014", true);
    cases.push_back({"的 in 2013-2014", r, [a, b](const json& p) { return contains_text(p, "的") && overlaps(p, a, b); }});
  }
  for (Case& c : cases) {
    INFO(c.name);
    c.request.facets = {"org", "year", "decision", "symbol", "month"};
    c.request.facet_size = 1000;
    c.request.size = 3;
    const SearchResponse s = search(c.request);
    std::vector<json> matching;
    for (const json& p : all)
      if (c.matches(p)) matching.push_back(p);
    CHECK(s.total == matching.size());
    auto expected = brute_force_facets(matching);
    for (const char* name : {"org", "year", "decision", "symbol", "month"}) {
      INFO(name);
      CHECK(counts_of(facet(s, name)) == expected[name]);
    }
  }
}

TEST_CASE_METHOD(Fixture, "facets: top values by count then value, labels, disjunctive mode") {
  SearchRequest r;
  r.facets = {"decision", "org", "year"};
  r.facet_size = 3;
  SearchResponse s = search(r);
  REQUIRE(s.facets.size() == 3);
  CHECK(s.facets[0].name == "decision");  // in the order asked
  // unga:67/212 is cited three times, the other decisions once each: ties by value.
  CHECK(facet(s, "decision").values == std::vector<FacetValue>{{"unga:67/212", "UNGA resolution 67/212", 3},
                                                               {"cop:10/1", "COP X/1", 1},
                                                               {"cop:11/1 D", "COP XI/1 D", 1}});
  const Facet& orgs = facet(s, "org");
  REQUIRE(orgs.values.size() == 3);
  CHECK(orgs.values[0].value == "nagoya_protocol");
  CHECK(orgs.values[0].count == 33);
  CHECK(orgs.values[0].count >= orgs.values[1].count);
  for (const FacetValue& v : orgs.values) {
    const Organization* org = res->gazetteer.find_by_id(v.value);
    REQUIRE(org);
    CHECK(v.label == (org->acronym.empty() ? org->name_zh : org->name_zh + " (" + org->acronym + ")"));
  }
  const Facet& years = facet(s, "year");
  CHECK(years.values == std::vector<FacetValue>{{"2013", "2013", 15}, {"2014", "2014", 11}, {"2012", "2012", 5}});

  // Disjunctive: the org facet ignores the org filter (other facets do not).
  SearchRequest d;
  d.orgs = {"unep", "sprep"};
  d.facets = {"org", "year"};
  d.facet_size = 1000;
  const SearchResponse plain = search(d);
  d.disjunctive = true;
  const SearchResponse disjunctive = search(d);
  SearchRequest everything;
  everything.facets = {"org"};
  everything.facet_size = 1000;
  CHECK(disjunctive.total == 7);
  CHECK(counts_of(facet(disjunctive, "org")) == counts_of(facet(search(everything), "org")));
  CHECK(counts_of(facet(plain, "org")).at("unep") == 6);
  CHECK(counts_of(facet(plain, "org")).at("sprep") == 1);
  CHECK(counts_of(facet(disjunctive, "year")) == counts_of(facet(plain, "year")));
  CHECK(para_list(disjunctive) == para_list(plain));
}

TEST_CASE_METHOD(Fixture, "snippets highlight the query in the seed's passages") {
  auto snippet_of = [&](const std::string& q, const std::string& para) {
    const SearchResponse s = search(q);
    for (const Hit& h : s.hits)
      if (h.passage["para"] == para) return h.snippet;
    FAIL("no hit " << para << " for " << q);
    return std::string();
  };
  // 121 code points: the window (120) drops the final "。".
  CHECK(snippet_of("菌", "34") ==
        "公约秘书处定期同世界<mark>菌</mark>种收集联合会及其成员组织合作并交换信息。这包括由执行秘书在 2013 年 9 "
        "月第十三届国际<mark>菌</mark>种收集会议的视频演讲。还同世界微生物数据中心开始初步讨论，以期评估《全球微生物"
        "目录》和获取和惠益分享信息交换所之间可能的联系…");
  CHECK(snippet_of("UNEP/CBD/COP/12/24", "33") ==
        "获取和惠益分享也是整个《公约》更广泛意义内进行合作活动的组成部分。关于这些方面的更多信息，可见 "
        "<mark>UNEP/CBD/COP/12/24</mark> 号文件。其他集中于获取和惠益分享的合作活动，概述如下：");
  // The match is near the end of a long passage: the window is its last 120 code points.
  CHECK(snippet_of("区域经济委员会", "21") ==
        "…加者要求环境规划署与生物多样性公约秘书处、非洲联盟委员会和<mark>区域经济委员会</mark>（包括西非国家经济共同体"
        "和南部非洲发展共同体）合作，为了以协调一致的作法在非洲执行名古屋议定书而制定一个区域性能力建设项目，以促进实施"
        "所提议的非洲联盟的政策框架和准则。");
  CHECK(snippet_of("\"XI/1 D\"", "2") ==
        "生物多样性公约缔约方反复强调了合作的重要性。在其第 <mark>XI/1 D</mark> 号决定的第 1 段，生物多样性公约缔约方大会"
        "请执行秘书与相关组织合作，并在资金允许的情况下，继续支持各项能力建设和发展倡议，以便支持《名古屋议定书》的批准"
        "、及早生效和执行。");

  // A passage that matches only through its footnote shows the footnote.
  const SearchResponse unep = search("unep");
  for (const Hit& h : unep.hits) {
    if (h.passage["para"] != "12") continue;
    CHECK(h.snippet_source == "footnote 1");
    CHECK(h.snippet == "<mark>UNEP</mark>/CBD/NP/COP-MOP/1/INF/5。");
  }
  // Custom tags; heading-only matches show the text unmarked.
  SearchRequest r;
  r.q = "导言";
  r.snippet.open_tag = "<b>";
  r.snippet.close_tag = "</b>";
  for (const Hit& h : search(r).hits) CHECK(h.snippet.find("<mark>") == std::string::npos);
  r.q = "缔约方";
  for (const Hit& h : search(r).hits) CHECK(h.snippet.find("<b>") != std::string::npos);
}

TEST_CASE_METHOD(Fixture, "bad requests are errors, not exceptions") {
  const std::vector<std::pair<std::function<void(SearchRequest&)>, std::string>> rows = {
      {[](SearchRequest& r) { r.facets = {"colour"}; }, "unknown facet \"colour\" (facets: org, year, decision, symbol, month, doc, meeting, type, lang, issued)"},
      {[](SearchRequest& r) { r.years = {"20x4"}; }, "year 20x4: expected four digits, e.g. 2014"},
      {[](SearchRequest& r) { r.date_from = "2014-13"; }, "date 2014-13: month must be 1-12"},
      {[](SearchRequest& r) { r.date_to = "2014-02-30"; }, "date 2014-02-30: day must be 1-28 in that month"},
      {[](SearchRequest& r) {
         r.date_from = "2015";
         r.date_to = "2014";
       },
       "date 2015..2014: the range ends before it starts"},
      {[](SearchRequest& r) { r.decisions = {"foo"}; }, "decision foo is not a decision reference (e.g. XI/1, XI/1 D, 67/212)"},
      {[](SearchRequest& r) { r.q = "date:2014-13"; }, "date 2014-13: month must be 1-12"},
  };
  for (const auto& [set, message] : rows) {
    SearchRequest r;
    set(r);
    auto s = searcher.search(r);
    REQUIRE_FALSE(s);
    CHECK(s.error().message == message);
  }
  // Odd but valid input: no error, no crash.
  for (const char* q : {"(((", "\"", "-", "OR", "-(-(-a))", "a OR OR OR", "：", "org:\"\" x", "date:..", "🙂",
                        "\u00a0\u3000", "x:y:z", "--", "((a) OR (b)) -(c OR d)"}) {
    INFO(q);
    SearchRequest r;
    r.q = q;
    auto s = searcher.search(r);
    if (std::string(q) == "org:\"\" x") {
      CHECK_FALSE(s);  // an empty field value
    } else {
      CHECK(s);
    }
  }
}

TEST_CASE_METHOD(Fixture, "JSON shape of a response") {
  SearchRequest r;
  r.q = "区域经济委员会";
  r.facets = {"org"};
  const json j = search(r).to_json();
  CHECK(j["total"] == 1);
  CHECK(j["sort"] == "relevance");
  REQUIRE(j["hits"].size() == 1);
  const json& hit = j["hits"][0];
  CHECK(hit["id"] == "UNEP/CBD/NP/COP-MOP/1/6#21");
  CHECK(hit["doc"] == "UNEP/CBD/NP/COP-MOP/1/6");
  CHECK(hit["para"] == "21");
  CHECK(hit["section"] == json::array({"二. 与其他公约、国际组织和倡议的合作", "D. 联合国环境规划署"}));
  CHECK(hit["snippet_source"] == "text");
  CHECK(hit["score"].get<double>() > 0);
  CHECK(hit["dates"].size() == 3);
  CHECK(hit["orgs"][0].contains("label"));
  for (const char* key : {"text", "footnotes", "decisions", "symbols", "snippet"}) CHECK(hit.contains(key));
  CHECK(j["facets"]["org"].is_array());
  CHECK(j["warnings"].empty());
}

// ---- Thesaurus expansion (config/thesaurus.toml and the gazetteer) ----------------------------

namespace {

// The expanded search, as searchd runs it by default (not through Fixture::search, which turns
// expansion off for its brute-force checks).
SearchResponse expanded(Searcher& searcher, const std::string& q, std::size_t size = 100) {
  SearchRequest r;
  r.q = q;
  r.size = size;
  auto response = searcher.search(r);
  INFO(q);
  REQUIRE(response);
  return std::move(*response);
}

const Hit* find_hit(const SearchResponse& s, const std::string& para) {
  for (const Hit& h : s.hits)
    if (h.passage.at("para") == para) return &h;
  return nullptr;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "expansion finds other wordings, in other scripts and languages, and says which") {
  using Strings = std::vector<std::string>;
  struct Case {
    std::string q;
    std::string first;     // the top hit (para)
    Strings matched;       // its matched_expansions
    std::size_t lexical;   // total without expansion
  };
  const std::vector<Case> cases = {
      {"研讨会 非洲", "21", {"研讨会 → 讲习班"}, 0},
      {"海洋遗传资源", "36", {"海洋遗传资源 → 海洋基因资源"}, 0},
      {"文件 相互支持", "32", {}, 1},  // the passage in the words typed first; then 9(c), 11, 14 (文书)
      {"資訊交換所", "13", {"資訊交換所 → 信息交换所"}, 0},  // 13 and 34 both name it once; 13 is shorter
      {"FAO", "6", {"FAO → 联合国粮食和农业组织", "FAO → 粮农组织"}, 0},
      {"peer review", "18(a)", {"peer review → 同行审查"}, 0},
      {"capacity building workshops in Africa", "21",
       {"capacity building → 能力建设", "workshops → 讲习班", "Africa → 非洲"}, 0},
  };
  for (const Case& c : cases) {
    INFO(c.q);
    const SearchResponse s = expanded(searcher, c.q);
    REQUIRE_FALSE(s.hits.empty());
    CHECK(s.hits.front().passage.at("para") == c.first);
    CHECK(s.hits.front().matched_expansions == c.matched);
    for (const std::string& m : c.matched)
      CHECK(std::find(s.expansions.begin(), s.expansions.end(), m) != s.expansions.end());
    SearchRequest lexical;
    lexical.q = c.q;
    lexical.mode = SearchMode::lexical;
    CHECK(searcher.search(lexical)->total == c.lexical);
  }

  const SearchResponse instruments = expanded(searcher, "文件 相互支持");
  REQUIRE(instruments.total == 4);
  CHECK(instruments.hits[1].matched_expansions == Strings{"文件 → 文书"});

  // "in" would match no Chinese passage: dropped, and said so.
  const SearchResponse english = expanded(searcher, "capacity building workshops in Africa");
  CHECK(english.warnings == Strings{"ignored \"in\": a common English word"});
  CHECK(english.total == 1);
}

TEST_CASE_METHOD(Fixture, "expansions rank below the words as typed and are highlighted") {
  // Every passage saying 讲习班 ranks above every passage that only says 研讨会.
  const SearchResponse s = expanded(searcher, "讲习班");
  const Paras literal = {"9", "9(a)", "11", "14", "16", "20", "21"};
  REQUIRE(s.total > literal.size());
  for (std::size_t i = 0; i < s.hits.size(); ++i) {
    const std::string para = s.hits[i].passage.at("para");
    INFO(i << ": " << para);
    CHECK(literal.contains(para) == (i < literal.size()));
    CHECK(s.hits[i].matched_expansions.empty() == !contains_text(s.hits[i].passage, "研讨会"));
  }

  const SearchResponse africa = expanded(searcher, "研讨会 非洲");
  const Hit* hit = find_hit(africa, "21");
  REQUIRE(hit);
  CHECK(hit->snippet.find("<mark>讲习班</mark>") != std::string::npos);
  CHECK(hit->passage.contains("id"));
  CHECK(africa.to_json()["hits"][0]["matched_expansions"] == json::array({"研讨会 → 讲习班"}));
  CHECK(africa.to_json()["expansions"].size() == africa.expansions.size());
}

TEST_CASE_METHOD(Fixture, "negated words are not expanded — expand=false searches only what was typed") {
  // -研讨会 excludes the passages saying 研讨会, not those saying 讲习班.
  const SearchResponse s = expanded(searcher, "非洲 -研讨会");
  CHECK(find_hit(s, "21"));
  for (const Hit& h : s.hits) CHECK_FALSE(contains_text(h.passage, "研讨会"));

  SearchRequest r;
  r.q = "讲习班";
  r.mode = SearchMode::lexical;
  r.size = 100;
  const auto lexical = searcher.search(r);
  REQUIRE(lexical);
  CHECK(lexical->total == 7);
  CHECK(lexical->expansions.empty());
  for (const Hit& h : lexical->hits) CHECK(h.matched_expansions.empty());
}

// ---- Similar passages ---------------------------------------------------------------------------

TEST_CASE_METHOD(Fixture, "similar: related passages by relevance feedback, never the passage itself") {
  const std::string seed = "UNEP/CBD/NP/COP-MOP/1/6#";
  SearchRequest r;
  r.size = 5;

  // The Caribbean subregional workshop in Georgetown (27(b)) is also reported in 26(b) and 21.
  auto caribbean = searcher.similar(seed + "27(b)", r);
  REQUIRE(caribbean);
  REQUIRE(caribbean->has_value());
  const SearchResponse& s = **caribbean;
  CHECK(s.total > 0);
  CHECK(s.sort == SortOrder::relevance);
  CHECK(s.hits.size() == 5);
  CHECK_FALSE(find_hit(s, "27(b)"));
  CHECK((find_hit(s, "26(b)") || find_hit(s, "21")));
  CHECK_FALSE(s.expansions.empty());  // the terms it was described by
  for (const Hit& h : s.hits) CHECK(h.snippet.find("<mark>") != std::string::npos);

  // Every passage: never itself; the total counts the whole match set.
  for (const json& p : all_passages()) {
    SearchRequest all;
    all.size = 100;
    const std::string id = p.at("id");
    auto similar = searcher.similar(id, all);
    REQUIRE(similar);
    REQUIRE(similar->has_value());
    INFO(id);
    CHECK((*similar)->total == (*similar)->hits.size());
    for (const Hit& h : (*similar)->hits) CHECK(h.id != id);
  }

  // Filters, facets and paging apply as in search().
  SearchRequest filtered;
  filtered.orgs = {"iucn"};
  filtered.facets = {"org"};
  filtered.size = 100;
  auto iucn = searcher.similar(seed + "27(b)", filtered);
  REQUIRE(iucn);
  REQUIRE(iucn->has_value());
  CHECK((*iucn)->total > 0);
  for (const Hit& h : (*iucn)->hits) {
    bool has = false;
    for (const json& o : h.passage.at("orgs")) has = has || o.at("id") == "iucn";
    CHECK(has);
  }
  REQUIRE((*iucn)->facets.size() == 1);
  SearchRequest second_page = r;
  second_page.offset = 1;
  second_page.size = 1;
  auto paged = searcher.similar(seed + "27(b)", second_page);
  REQUIRE(paged);
  REQUIRE((*paged)->hits.size() == 1);
  CHECK((*paged)->hits[0].id == s.hits[1].id);

  // Unknown passage: nullopt; a bad filter: an error.
  auto unknown = searcher.similar(seed + "999", r);
  REQUIRE(unknown);
  CHECK_FALSE(unknown->has_value());
  SearchRequest bad;
  bad.facets = {"colour"};
  CHECK_FALSE(searcher.similar(seed + "21", bad));
}

TEST_CASE_METHOD(Fixture, "an index analysed with another lexicon: lexicon terms fall back to phrases, with a warning") {
  // The seed was indexed with config/; 区域经济委员会 runs over a page break in it, once.
  const std::string q = "区域经济委员会";
  const SearchResponse same = search(q);
  CHECK(same.total == 1);
  CHECK(same.warnings.empty());
  CHECK(searcher.analysis_differences().empty());

  // A server whose lexicon has that one term more.
  test::TempDir config;
  auto other = Resources::load(ResourcePaths::in_directory(test::config_with_extra_term(config.path(), q)));
  REQUIRE(other);
  // Its analysis makes the query one lexicon term, whose L term this index does not have: the
  // query the lexicon term alone would make matches nothing (the bug this guards against).
  Analyzer analyzer((*other)->normalizer, (*other)->lexicon);
  const Analysis analysis = analyzer.analyze(q);
  REQUIRE(std::any_of(analysis.lexicon_terms.begin(), analysis.lexicon_terms.end(),
                      [&](const Word& w) { return w.first_unit == 0 && w.unit_count == analysis.units.size(); }));
  Xapian::Enquire enquire(db);
  enquire.set_query(text_query(analysis));
  CHECK(enquire.get_mset(0, 10).size() == 0);

  Searcher stale(db, **other);
  REQUIRE(stale.analysis_differences() ==
          std::vector<std::string>{"the lexicon (lexicon.txt) changed since indexing: run `indexer reindex`"});
  SearchRequest r;
  r.q = q;
  r.mode = SearchMode::lexical;
  auto found = stale.search(r);
  REQUIRE(found);
  CHECK(found->total == 1);
  REQUIRE(found->hits.size() == 1);
  CHECK(found->hits[0].id == same.hits[0].id);
  CHECK(std::count(found->warnings.begin(), found->warnings.end(), stale.analysis_differences()[0]) == 1);
  // Related passages carry the warning too.
  auto related = stale.similar(same.hits[0].id, r);
  REQUIRE(related);
  REQUIRE(related->has_value());
  CHECK(std::count((*related)->warnings.begin(), (*related)->warnings.end(), stale.analysis_differences()[0]) == 1);
}
