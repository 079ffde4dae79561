// Decision filters over documents of several bodies (fixtures): a body given finds that body's
// decisions only, exactly (NP-2/5 is not NP-2/50 or NP-2/1); a bare number finds any body's.
#include <catch2/catch.hpp>

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
    Analyzer analyzer(res->normalizer, res->lexicon);
    auto writer = IndexWriter::open(tmp.path() / "index");
    REQUIRE(writer);
    for (const char* name : {"CBD-NP-MOP-3-L-5.zh.txt", "CBD-NP-MOP-DEC-2-1.zh.txt", "UNEP-CBD-BS-COP-MOP-8-4.zh.txt",
                             "CBD-COP-DEC-XIII-26.zh.txt"}) {
      const auto path = test::source_dir() / "tests" / "fixtures" / name;
      auto doc = parse_document(test::read_file(path), ParseOptions{path.string(), ""});
      REQUIRE(doc);
      writer->replace_document(*doc, extract_fields(*doc, res->normalizer, res->gazetteer), res->gazetteer, analyzer);
    }
    writer->commit();
    return Xapian::Database((tmp.path() / "index").string());
  }

  // Ids of the passages the decision filter `value` finds.
  std::set<std::string> ids(const std::string& value) {
    SearchRequest r;
    r.decisions = {value};
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

TEST_CASE_METHOD(Fixtures, "decision filters: the body given, exactly; a bare number, any body") {
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
