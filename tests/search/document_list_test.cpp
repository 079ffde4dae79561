// list_documents(): the indexed documents with their facts, filtered, paged, with counts by
// meeting and type, on the seed plus six documents built by hand (fact_documents.h).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/index/index_writer.h"
#include "core/search/document_list.h"
#include "core/search/resources.h"
#include "core/search/searcher.h"
#include "core/text/analyzer.h"
#include "tests/support/fact_documents.h"
#include "tests/support/test_support.h"

using namespace treaty;
using nlohmann::json;

namespace {

constexpr const char* kSeed = "UNEP/CBD/NP/COP-MOP/1/6";

struct Fixture {
  std::unique_ptr<Resources> res =
      std::move(*Resources::load(ResourcePaths::in_directory(test::source_dir() / "config")));
  test::TempDir tmp;
  std::vector<test::FactDocument> docs = test::fact_documents();
  Xapian::Database db = build();
  Searcher searcher{db, *res};

  Xapian::Database build() {
    std::vector<Document> all{test::parse_file(test::seed_path())};
    for (const test::FactDocument& d : docs) all.push_back(d.doc);
    return test::write_index(tmp.path() / "index", *res, all);
  }

  DocumentList list(DocumentListRequest r) {
    auto out = list_documents(searcher, r);
    REQUIRE(out);
    return std::move(*out);
  }

  static std::vector<std::string> symbols(const DocumentList& l) {
    std::vector<std::string> out;
    for (const json& d : l.documents) out.push_back(d["symbol"]);
    return out;
  }
};

std::map<std::string, std::uint64_t> counts(const DocumentList& l, const std::string& name) {
  std::map<std::string, std::uint64_t> out;
  for (const Facet& f : l.counts)
    if (f.name == name)
      for (const FacetValue& v : f.values) out[v.value] = v.count;
  return out;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "every document once, in symbol order, with its facts and passage count") {
  const DocumentList all = list({});
  CHECK(all.total == 7);
  const std::vector<std::string> expected_order = {"CBD/COP/DEC/XIII/26", "CBD/NP/MOP/3/4", "CBD/NP/MOP/3/4/Add.1",
                                                   "CBD/NP/MOP/3/INF/2",  "CBD/SBI/2/8",    "UNEP/CBD/ICNP/3/10",
                                                   kSeed};
  CHECK(symbols(all) == expected_order);
  std::map<std::string, json> by_symbol;
  for (const json& d : all.documents) by_symbol[d["symbol"]] = d;
  for (const test::FactDocument& d : docs) {
    INFO(d.doc.symbol);
    const json& e = by_symbol.at(d.doc.symbol);
    CHECK(e["title"] == d.doc.header.title);
    CHECK(e["meeting"] == d.meeting);
    CHECK(e["type"] == d.type);
    CHECK(e["issued"] == d.issued);
    CHECK(e["lang"] == d.lang);
    CHECK(e["distribution"] == "general");
    CHECK(e["passages"] == d.doc.passages.size());
    CHECK(e["source"] == "hand-built");
  }
  const json& sbi = by_symbol.at("CBD/SBI/2/8");
  CHECK(sbi["meeting_label"] == "执行问题附属机构第2次会议 (SBI 2)");
  CHECK(sbi["type_label"] == "说明");
  const json& seed = by_symbol.at(kSeed);
  CHECK(seed["title"] == "与其他公约、国际组织和倡议的合作");
  CHECK(seed["meeting"] == "np-mop:1");
  CHECK(seed["type"] == "note");
  CHECK(seed["passages"] == 53);

  CHECK(counts(all, "meeting") ==
        std::map<std::string, std::uint64_t>{{"np-mop:1", 1}, {"np-mop:3", 3}, {"cop:13", 1}, {"sbi:2", 1}, {"icnp:3", 1}});
  CHECK(counts(all, "type") ==
        std::map<std::string, std::uint64_t>{{"note", 4}, {"information", 1}, {"decision", 1}, {"report", 1}});
  const json j = all.to_json();
  CHECK(j["counts"]["meeting"][0] == json{{"value", "np-mop:3"}, {"label", "名古屋议定书缔约方会议第3次会议 (NP COP-MOP 3)"}, {"count", 3}});
  CHECK(j["counts"]["type"][0] == json{{"value", "note"}, {"label", "说明"}, {"count", 4}});
  CHECK(j["total"] == 7);
  CHECK(j["documents"].size() == 7);
}

TEST_CASE_METHOD(Fixture, "filters, paging and disjunctive counts") {
  DocumentListRequest r;
  r.meetings = {"np-mop"};
  DocumentList l = list(r);
  CHECK(symbols(l) == std::vector<std::string>{"CBD/NP/MOP/3/4", "CBD/NP/MOP/3/4/Add.1", "CBD/NP/MOP/3/INF/2", kSeed});
  CHECK(counts(l, "type") == std::map<std::string, std::uint64_t>{{"note", 3}, {"information", 1}});

  r.types = {"note"};
  l = list(r);
  CHECK(l.total == 3);
  CHECK(counts(l, "meeting") == std::map<std::string, std::uint64_t>{{"np-mop:1", 1}, {"np-mop:3", 2}});
  r.disjunctive = true;  // each count as if its own filter were not set
  l = list(r);
  CHECK(l.total == 3);
  CHECK(counts(l, "meeting") == std::map<std::string, std::uint64_t>{{"np-mop:1", 1}, {"np-mop:3", 2}, {"sbi:2", 1}});
  CHECK(counts(l, "type") == std::map<std::string, std::uint64_t>{{"note", 3}, {"information", 1}});

  DocumentListRequest page;
  page.size = 2;
  page.offset = 2;
  l = list(page);
  CHECK(l.total == 7);
  CHECK(symbols(l) == std::vector<std::string>{"CBD/NP/MOP/3/4/Add.1", "CBD/NP/MOP/3/INF/2"});
  page.offset = 6;
  CHECK(symbols(list(page)) == std::vector<std::string>{kSeed});
  page.offset = 7;
  CHECK(list(page).documents.empty());

  DocumentListRequest other;
  other.langs = {"en"};
  CHECK(symbols(list(other)) == std::vector<std::string>{"CBD/SBI/2/8"});
  other.langs.clear();
  other.docs = {"cbd/cop/dec/xiii/26", "UNEP/CBD/ICNP/3/10"};
  CHECK(symbols(list(other)) == std::vector<std::string>{"CBD/COP/DEC/XIII/26", "UNEP/CBD/ICNP/3/10"});
  other.docs.clear();
  other.issued_from = "2018-07";
  CHECK(symbols(list(other)) == std::vector<std::string>{"CBD/NP/MOP/3/4", "CBD/NP/MOP/3/4/Add.1", "CBD/NP/MOP/3/INF/2"});

  DocumentListRequest bad;
  bad.types = {"memo"};
  auto err = list_documents(searcher, bad);
  REQUIRE_FALSE(err);
  CHECK(err.error().message.starts_with("type memo is not a document type"));
}
