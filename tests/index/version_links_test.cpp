// Language versions in the index (document_versions.h, version_links.h, IndexWriter): the Chinese
// fixture CBD/NP/MOP/4/2 and its English twin written under one symbol, each passage readable in
// each language, links stored and dropped with the versions, nothing of one version lost when the
// other is replaced or removed.
#include "core/index/version_links.h"

#include <catch2/catch.hpp>

#include <filesystem>

#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/documents/pdf_text.h"
#include "core/index/document_versions.h"
#include "core/index/index_reader.h"
#include "core/index/index_writer.h"
#include "core/index/schema.h"
#include "core/search/resources.h"
#include "core/text/analyzer.h"
#include "tests/support/test_support.h"

namespace treaty {
namespace {

namespace fs = std::filesystem;

Document fixture(const std::string& relative) { return test::parse_pdf(test::source_dir() / "tests/fixtures" / relative); }

}  // namespace

TEST_CASE("language versions: one symbol, a version per language, linked, each kept when the other changes",
          "[versions]") {
  test::TempDir tmp;
  auto res = test::project_resources();
  Analyzer analyzer(res->normalizer, res->lexicon);
  const Document zh = fixture("pdf/CBD-NP-MOP-4-2.pdf");
  const Document en = fixture("lang/CBD-NP-MOP-4-2.en.pdf");
  REQUIRE(zh.symbol == en.symbol);
  const std::string symbol = zh.symbol;
  const fs::path dir = tmp.path() / "index";
  auto writer = IndexWriter::open(dir, {.analysis = res->analysis});
  REQUIRE(writer);
  auto write = [&](const Document& d) {
    return writer->replace_document(d, extract_fields(d, res->normalizer, res->gazetteer), analyzer);
  };
  write(zh);
  write(en);
  writer->commit();

  auto reader = IndexReader::open(dir);
  REQUIRE(reader);
  CHECK(reader->versions(symbol) == std::vector<std::string>{"en", "zh"});
  CHECK(reader->stats().documents == 1);
  CHECK(reader->stats().versions == 2);
  CHECK(reader->stats().passages == zh.passages.size() + en.passages.size());
  const std::string id = symbol + "#3";
  CHECK(reader->passage_versions(id) == std::vector<std::string>{"en", "zh"});
  auto in_en = reader->passage(id, res->gazetteer, "en");
  auto in_zh = reader->passage(id, res->gazetteer, "zh");
  REQUIRE(in_en);
  REQUIRE(in_zh);
  CHECK((*in_en)["lang"] == "en");
  CHECK((*in_en)["text"].get<std::string>().starts_with("A representative of the Secretariat"));
  CHECK((*in_zh)["text"].get<std::string>().starts_with("秘书处代表"));
  CHECK((*reader->passage(id, res->gazetteer))["lang"] == "en");  // no language: the first in code order
  CHECK_FALSE(reader->passage(id, res->gazetteer, "fr"));
  CHECK((*reader->document(symbol, "zh"))["facts"]["lang"] == "zh");

  // The links: paragraph 3 of one is paragraph 3 of the other, the cover never.
  auto links = read_links(reader->database(), symbol);
  REQUIRE(links);
  REQUIRE(links->pairs.size() == 1);
  CHECK(links->pairs[0].a == "en");
  CHECK(links->pairs[0].b == "zh");
  const auto three = links->linked("zh", "3", "en");
  REQUIRE(three.size() == 1);
  CHECK(three[0].first == "3");
  CHECK(three[0].second > 0.5);
  CHECK(links->linked("en", "header", "zh").empty());

  // Replacing the English leaves the Chinese as it was; removing it drops the links only.
  write(en);
  writer->commit();
  reader->reopen();
  CHECK(reader->stats().passages == zh.passages.size() + en.passages.size());
  CHECK(writer->remove_document(symbol, "en") == en.passages.size());
  writer->commit();
  reader->reopen();
  CHECK(reader->versions(symbol) == std::vector<std::string>{"zh"});
  CHECK(reader->stats().passages == zh.passages.size());
  CHECK_FALSE(read_links(reader->database(), symbol));
  CHECK(reader->passage(id, res->gazetteer, "zh"));
  CHECK(reader->source_keys().empty());  // written without sources

  // Removing without a language removes every version.
  write(en);
  CHECK(writer->remove_document(symbol) == zh.passages.size() + en.passages.size());
  writer->commit();
  reader->reopen();
  CHECK(reader->versions(symbol).empty());
  CHECK(reader->stats().passages == 0);
}

TEST_CASE("version links: stored JSON reads back, anything else reads as none", "[versions]") {
  VersionLinks links;
  links.pairs.push_back({"en", "zh", {{{"1", "1", 0.9}, {"3", "2", 0.7}}, {"2"}, {}}});
  const VersionLinks back = VersionLinks::from_json(links.to_json());
  REQUIRE(back.pairs.size() == 1);
  CHECK(back.pairs[0].alignment.links == links.pairs[0].alignment.links);
  CHECK(back.pairs[0].alignment.unlinked_a == std::vector<std::string>{"2"});
  CHECK(back.linked("zh", "2", "en") == std::vector<std::pair<std::string, double>>{{"3", 0.7}});
  CHECK(VersionLinks::from_json(nlohmann::json::parse("[1, 2]")).pairs.empty());
  const std::vector<AlignUnit> units = {AlignUnit{"1", PassageKind::item, "a", "2.1", {"f:1", "n:7"}, 42}};
  const auto read = units_from_json(units_to_json(units));
  REQUIRE(read.size() == 1);
  CHECK(read[0].para == "1");
  CHECK(read[0].kind == PassageKind::item);
  CHECK(read[0].anchors == units[0].anchors);
  CHECK(units_from_json(nlohmann::json::parse("[[\"x\"]]")).empty());
}

}  // namespace treaty
