// Words in the other UN languages: an unquoted word finds its inflected forms through the
// stems of the document's language; a quoted one only itself. On the English-only fixture PDF
// (its golden truth lists where each form occurs) and the Russian twin.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "core/documents/parser.h"
#include "core/documents/pdf_text.h"
#include "core/search/resources.h"
#include "core/search/searcher.h"
#include "tests/support/test_support.h"

using namespace treaty;
using Paras = std::set<std::string>;

namespace {


struct Fixture {
  std::unique_ptr<Resources> res =
      std::move(*Resources::load(ResourcePaths::in_directory(test::source_dir() / "config")));
  test::TempDir tmp;
  const std::filesystem::path lang_dir = test::source_dir() / "tests/fixtures/lang";
  Xapian::Database db = test::write_index(tmp.path() / "index", *res,
                                          {test::parse_pdf(lang_dir / "CBD-NP-MOP-4-INF-8.en.pdf"),
                                           test::parse_pdf(lang_dir / "CBD-NP-MOP-4-2.ru.pdf")});
  Searcher searcher{db, *res};

  // The paragraphs (para ids, items folded into their paragraph) of `symbol` matching `q`.
  Paras paras(const std::string& q, const std::string& symbol) {
    SearchRequest r;
    r.q = q;
    r.size = 100;
    r.mode = SearchMode::lexical;
    auto response = searcher.search(r);
    INFO(q);
    REQUIRE(response);
    Paras out;
    for (const Hit& h : response->hits) {
      if (h.passage.at("doc").get<std::string>() != symbol) continue;
      const std::string para = h.passage.at("para").get<std::string>();
      out.insert(para.substr(0, para.find('(')));
    }
    return out;
  }
};

Paras joined(std::initializer_list<Paras> sets) {
  Paras out;
  for (const Paras& s : sets) out.insert(s.begin(), s.end());
  return out;
}

}  // namespace

// Checked as a property of the matching (each form quoted finds exactly that form; unquoted, any
// form finds the union), so the test does not depend on how the page layout cut the paragraphs.
TEST_CASE_METHOD(Fixture, "an unquoted English word finds its inflected forms, a quoted one only itself", "[stems]") {
  const std::string inf = "CBD/NP/MOP/4/INF/8";
  for (const std::vector<std::string>& forms : std::vector<std::vector<std::string>>{
           {"workshop", "workshops"}, {"capacity", "capacities"}, {"indicate", "indicated"},
           {"organize", "organized", "organizing"}, {"country", "countries"}}) {
    Paras all;
    for (const std::string& f : forms) {
      const Paras exact = paras("\"" + f + "\"", inf);
      CAPTURE(f);
      CHECK_FALSE(exact.empty());  // the truth lists where each form occurs
      all = joined({all, exact});
    }
    for (const std::string& f : forms) {
      CAPTURE(f);
      CHECK(paras(f, inf) == all);
    }
    // A quoted form does not find the others where they stand alone.
    CHECK(paras("\"" + forms[0] + "\"", inf) != all);
  }
}

TEST_CASE_METHOD(Fixture, "a Russian word finds its cases, with ё and е alike", "[stems]") {
  const std::string ru = "CBD/NP/MOP/4/2";
  // семинар (7), семинарах (6(a)), семинаров (annex-1/1(b)), as the Russian twin's truth says.
  const Paras all = joined({paras("\"семинар\"", ru), paras("\"семинарах\"", ru), paras("\"семинаров\"", ru)});
  CHECK(all.size() >= 3);
  CHECK(paras("семинар", ru) == all);
  CHECK(paras("семинаров", ru) == all);
  // ещё and еще are one word, quoted or not.
  CHECK(paras("ещё", ru) == paras("еще", ru));
  CHECK(paras("\"ещё\"", ru) == paras("\"еще\"", ru));
  CHECK(paras("еще", ru).size() >= 2);  // ещё in one paragraph, еще in another
}
