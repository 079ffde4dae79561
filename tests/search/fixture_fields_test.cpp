// Fields over an index of fixture documents of several bodies: decision filters (a body given
// finds that body's decisions only, exactly: NP-2/5 is not NP-2/50 or NP-2/1; a bare number finds
// any body's) and organizations the gazetteer does not know, defined in the text as 全称（简称）.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/index/index_writer.h"
#include "core/search/searcher.h"
#include "core/text/analyzer.h"
#include "tests/support/test_support.h"

using namespace treaty;

namespace {

struct Fixtures {
  std::unique_ptr<Resources> res = test::project_resources();
  test::TempDir tmp;
  Xapian::Database db = build();
  Searcher searcher{db, *res};

  Xapian::Database build() {
    std::vector<Document> docs;
    for (const char* name : {"CBD-NP-MOP-3-L-5.zh.txt", "CBD-NP-MOP-DEC-2-1.zh.txt", "UNEP-CBD-BS-COP-MOP-8-4.zh.txt",
                             "CBD-COP-DEC-XIII-26.zh.txt", "CBD-SBI-2-8.zh.txt", "UNEP-CBD-NP-COP-MOP-2-12.zh.txt",
                             "UNEP-CBD-ICNP-3-10.zh.txt"})
      docs.push_back(test::parse_file(test::source_dir() / "tests" / "fixtures" / name));
    return test::write_index(tmp.path() / "index", *res, docs);
  }

  // Ids of the passages the decision filter `value` finds.
  std::set<std::string> ids(const std::string& value) {
    SearchRequest r;
    r.decisions = {value};
    return run(r);
  }

  // Ids of the passages the organization filter `value` finds.
  std::set<std::string> org(const std::string& value) {
    SearchRequest r;
    r.orgs = {value};
    return run(r);
  }

  std::set<std::string> run(SearchRequest r) {
    r.size = 100;
    r.mode = SearchMode::lexical;
    auto response = searcher.search(r);
    REQUIRE(response);
    std::set<std::string> out;
    for (const Hit& h : response->hits) out.insert(h.id);
    return out;
  }
};

}  // namespace

TEST_CASE_METHOD(Fixtures, "decision filters: the body given, exactly — a bare number, any body") {
  const std::string l5 = "CBD/NP/MOP/3/L.5#", dec = "CBD/NP/MOP/DEC/2/1#", cp = "UNEP/CBD/BS/COP-MOP/8/4#";
  CHECK(ids("NP-2/5") == std::set<std::string>{l5 + "pre-3"});
  CHECK(ids("np:2/5") == ids("NP-2/5"));
  CHECK(ids("NP-2/50") == std::set<std::string>{l5 + "3"});
  // A bare 2/9 in a Nagoya COP-MOP document is the COP-MOP's.
  CHECK(ids("NP-2/9") == std::set<std::string>{l5 + "pre-2", dec + "NP-2/2/4"});
  CHECK(ids("2/9") == ids("NP-2/9"));
  CHECK(ids("cop:2/9").empty());
  // Cartagena: BS-VII/5 and CP-7/5 are one decision.
  CHECK(ids("BS-VII/5") == ids("CP-7/5"));
  CHECK_FALSE(ids("BS-VII/5").empty());
  CHECK(ids("CP-9/3").size() == 1);
  // The COP's: Roman and Arabic sessions equal.
  CHECK(ids("XIV/8") == ids("14/8"));
  CHECK(ids("cop:14/8") == ids("14/8"));
  CHECK_FALSE(ids("14/8").empty());
}

TEST_CASE_METHOD(Fixtures, "organizations a document defines: found by either name, labelled by the full one") {
  const std::string sbi = "CBD/SBI/2/8#";
  // 非洲遗传资源研究网络（遗资网）in paragraph 3; later paragraphs name only 遗资网.
  const auto by_short = org("遗资网");
  CHECK(by_short.contains(sbi + "3"));
  CHECK(by_short.contains(sbi + "4"));
  CHECK(by_short.contains(sbi + "8"));
  CHECK(by_short == org("非洲遗传资源研究网络"));
  CHECK(by_short == org("x:非洲遗传资源研究网络"));  // the facet value
  const auto gsvp = org("GSVP");
  CHECK(gsvp.contains(sbi + "7"));
  CHECK(gsvp.contains(sbi + "8"));
  CHECK(gsvp == org("全球种子库伙伴关系"));
  CHECK(gsvp == org("gsvp"));
  // A full name holding a known one is its own: 非洲知识产权组织（OAPI）is not WIPO.
  const auto oapi = org("OAPI");
  CHECK(oapi == std::set<std::string>{"UNEP/CBD/NP/COP-MOP/2/12#6(c)", "UNEP/CBD/NP/COP-MOP/2/12#8"});
  CHECK_FALSE(org("wipo").contains("UNEP/CBD/NP/COP-MOP/2/12#6(c)"));
  CHECK_FALSE(org("BCP 联盟").empty());
  // The facet labels them by their full names.
  SearchRequest r;
  r.q = "遗资网";
  r.facets = {"org"};
  r.mode = SearchMode::lexical;
  auto response = searcher.search(r);
  REQUIRE(response);
  REQUIRE_FALSE(response->facets.empty());
  const auto& values = response->facets.front().values;
  CHECK(std::any_of(values.begin(), values.end(), [](const FacetValue& v) {
    return v.value == "x:非洲遗传资源研究网络" && v.label == "非洲遗传资源研究网络";
  }));
  // Unknown names still warn and match nothing.
  SearchRequest unknown;
  unknown.orgs = {"不存在的组织"};
  auto none = searcher.search(unknown);
  REQUIRE(none);
  CHECK(none->total == 0);
  CHECK(none->warnings.size() == 1);
}
