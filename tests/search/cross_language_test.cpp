// Searching across language versions (core/search/cross_language.h): the Chinese fixtures
// CBD/NP/MOP/4/2 and 4/7 indexed with their English versions (4/7's misaligned: a paragraph added,
// two items merged), then English queries restricted to Chinese find the Chinese paragraphs
// through the links, and hits show their linked versions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/documents/parser.h"
#include "core/documents/pdf_text.h"
#include "core/search/resources.h"
#include "core/search/searcher.h"
#include "tests/support/test_support.h"

using namespace treaty;

namespace {


struct Fixture {
  std::unique_ptr<Resources> res = test::project_resources();
  test::TempDir tmp;
  const std::filesystem::path fixtures = test::source_dir() / "tests/fixtures";
  Xapian::Database db = test::write_index(tmp.path() / "index", *res,
                                          {test::parse_pdf(fixtures / "pdf/CBD-NP-MOP-4-2.pdf"),
                                           test::parse_pdf(fixtures / "lang/CBD-NP-MOP-4-2.en.pdf"),
                                           test::parse_pdf(fixtures / "pdf/CBD-NP-MOP-4-7.pdf"),
                                           test::parse_pdf(fixtures / "lang/CBD-NP-MOP-4-7.en.pdf"),
                                           test::parse_file(fixtures / "CBD-NP-MOP-DEC-2-1.zh.txt")});
  Searcher searcher{db, *res};

  SearchResponse search(const std::string& q, std::vector<std::string> langs, bool cross = true,
                        std::vector<std::string> display = {}, std::vector<std::string> docs = {},
                        SearchMode mode = SearchMode::lexical) {
    SearchRequest r;
    r.docs = std::move(docs);
    r.q = q;
    r.size = 10;
    r.mode = mode;
    r.langs = std::move(langs);
    r.cross_lang = cross;
    r.display_langs = std::move(display);
    auto response = searcher.search(r);
    INFO(q);
    REQUIRE(response);
    return std::move(*response);
  }
  static std::set<std::string> ids(const SearchResponse& s) {
    std::set<std::string> out;
    for (const Hit& h : s.hits) out.insert(h.passage.at("id").get<std::string>() + "@" + h.passage.at("lang").get<std::string>());
    return out;
  }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "an English query restricted to Chinese finds the Chinese paragraph by projection",
                 "[cross-language]") {
  // Only the English says "mentoring" (paragraph 7 and the annex's recommendation 1(b)); both are
  // linked to their Chinese versions.
  const std::set<std::string> english = {"CBD/NP/MOP/4/2#7@en", "CBD/NP/MOP/4/2#annex-1/1(b)@en"};
  const std::set<std::string> chinese = {"CBD/NP/MOP/4/2#7@zh", "CBD/NP/MOP/4/2#annex-1/1(b)@zh"};
  CHECK(ids(search("mentoring", {"en"})) == english);
  CHECK(search("mentoring", {"zh"}, false).hits.empty());
  const SearchResponse zh = search("mentoring", {"zh"});
  REQUIRE(ids(zh) == chinese);
  CHECK(zh.total == 2);
  for (const Hit& h : zh.hits) {
    const nlohmann::json& via = h.passage.at("via");
    CHECK(via["id"] == h.passage.at("id"));  // the versions number alike
    CHECK(via["lang"] == "en");
    CHECK(via["confidence"].get<double>() > 0.5);
  }
  // "中文" as the filter value works the same.
  CHECK(ids(search("mentoring", {"中文"})) == chinese);
}

TEST_CASE_METHOD(Fixture, "projection follows the realigned links of a misaligned version", "[cross-language]") {
  // English 6 is Chinese 5 (a paragraph was added before it); English 9(c) holds Chinese 8(c) and 8(d).
  const std::vector<std::string> in_4_7 = {"CBD/NP/MOP/4/7"};
  CHECK(ids(search("\"competent national authorities\"", {"zh"}, true, {}, in_4_7)) ==
        std::set<std::string>{"CBD/NP/MOP/4/7#5@zh"});
  const std::set<std::string> merged = ids(search("\"ex situ collections\"", {"zh"}, true, {}, in_4_7));
  CHECK(merged == std::set<std::string>{"CBD/NP/MOP/4/7#8(c)@zh", "CBD/NP/MOP/4/7#8(d)@zh"});
  // The added English paragraph has no Chinese counterpart: nothing is projected from it.
  CHECK(ids(search("\"cut-off date\"", {"en"})) == std::set<std::string>{"CBD/NP/MOP/4/7#5@en"});
  CHECK(search("\"cut-off date\"", {"zh"}).hits.empty());
}

TEST_CASE_METHOD(Fixture, "display_lang: each hit with its linked versions", "[cross-language]") {
  const SearchResponse s = search("mentoring", {"en"}, true, {"zh", "fr"});
  REQUIRE(s.hits.size() == 2);
  const auto seven = std::find_if(s.hits.begin(), s.hits.end(),
                                  [](const Hit& h) { return h.passage.at("para") == "7"; });
  REQUIRE(seven != s.hits.end());
  const nlohmann::json& linked = seven->passage.at("linked");
  REQUIRE(linked["zh"].size() == 1);
  CHECK(linked["zh"][0]["id"] == "CBD/NP/MOP/4/2#7");
  CHECK(linked["zh"][0]["text"].get<std::string>().starts_with("一名成员介绍了西亚区域环境规划署"));
  CHECK(linked["fr"] == nlohmann::json::array());  // no French version indexed
  CHECK_FALSE(linked.contains("en"));               // not its own
}

TEST_CASE_METHOD(Fixture, "the mined dictionary: an English word finds a document that has only a Chinese version",
                 "[cross-language][dictionary]") {
  // CBD/NP/MOP/DEC/2/1 is Chinese only; "monitoring" is in none of its passages, but the linked
  // English and Chinese versions of the other documents translate "monitor" by 监测.
  const std::vector<std::string> decision = {"CBD/NP/MOP/DEC/2/1"};
  CHECK(search("monitoring", {}, true, {}, decision).hits.empty());  // lexical: its own words only
  const SearchResponse s = search("monitoring", {}, true, {}, decision, SearchMode::hybrid);
  REQUIRE_FALSE(s.hits.empty());
  for (const Hit& h : s.hits) CHECK(h.passage.at("text").get<std::string>().find("监测") != std::string::npos);
  CHECK(std::find(s.expansions.begin(), s.expansions.end(), "monitoring → 监测") != s.expansions.end());
}
