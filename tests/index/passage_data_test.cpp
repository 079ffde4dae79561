// The stored form of a passage (passage_data.h): what readers decode is exactly
// passage_to_json() of the passage as it was indexed.
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/documents/passage_fields.h"
#include "core/index/document_json.h"
#include "core/index/index_writer.h"
#include "core/index/passage_data.h"
#include "core/index/schema.h"
#include "core/search/resources.h"
#include "core/text/analyzer.h"
#include "tests/support/test_support.h"

using namespace treaty;
using nlohmann::json;

namespace {

struct Fixture {
  std::unique_ptr<Resources> res = test::project_resources();
  Analyzer analyzer{res->normalizer, res->lexicon};

  // What the fields of a document's passages exercised.
  struct Seen {
    std::size_t passages = 0, footnotes = 0, orgs = 0, local_orgs = 0, dates = 0, decisions = 0, symbols = 0;
  };

  // Every passage of `doc` with `fields`: written as the index writer writes it, read back from
  // the Xapian document's data and value slots (the title as the summary holds it), equal to
  // passage_to_json(), dumped byte for byte.
  void check_round_trip(const Document& doc, const DocumentFields& fields, Seen& seen) {
    for (std::size_t i = 0; i < doc.passages.size(); ++i) {
      INFO(doc.passages[i].id);
      const Xapian::Document xd = build_passage_document(doc, i, fields.passages[i], analyzer);
      PassageDocument from_slots = passage_document(xd);
      from_slots.title = doc.header.title;
      const json expected = passage_to_json(doc, i, fields.passages[i], res->gazetteer);
      const json decoded = decode_passage_data(xd.get_data(), from_slots, res->gazetteer);
      CHECK(decoded == expected);
      CHECK(decoded.dump() == expected.dump());
      ++seen.passages;
      seen.footnotes += expected["footnotes"].size();
      seen.orgs += expected["orgs"].size();
      for (const json& org : expected["orgs"]) seen.local_orgs += org["id"].get<std::string>().starts_with("x:");
      seen.dates += expected["dates"].size();
      seen.decisions += expected["decisions"].size();
      seen.symbols += expected["symbols"].size();
    }
  }

  void check_file(const std::filesystem::path& path, Seen& seen) {
    INFO(path.string());
    const Document doc = test::parse_file(path);
    check_round_trip(doc, extract_fields(doc, res->normalizer, res->gazetteer), seen);
  }
};

std::filesystem::path fixture(const std::string& name) { return test::source_dir() / "tests" / "fixtures" / name; }

// A hand-made document: what the corpus does not show (a local organization, a decision whose
// label its id does not give, an id other than "<symbol>#<para>", an issue date slot 14 cannot
// hold).
struct Handmade {
  Document doc;
  DocumentFields fields;
};

Handmade handmade(const std::string& issued, const std::string& second_id) {
  Handmade h;
  Document& doc = h.doc;
  doc.symbol = "UNEP/CBD/NP/COP-MOP/9/1";
  doc.header.title = "测试文件";
  doc.header.issued = issued;
  Passage header;
  header.id = doc.symbol + "#header";
  header.kind = PassageKind::header;
  header.para = "header";
  header.text = "测试文件";
  header.first_line = 1;
  header.last_line = 3;
  Passage p;
  p.id = second_id;
  p.para = "1";
  p.number = 1;
  p.text = "非洲遗传资源研究网络与粮农组织在 2014 年 6 月执行第 XI/1 D 号决定。";
  p.section_path = {"一. 导言", "A. 合作"};
  p.footnotes = {2, 1};
  p.first_line = 10;
  p.last_line = 12;
  doc.passages = {header, p};
  doc.footnotes = {Footnote{1, "见 UNEP/CBD/COP/12/24。", {"https://www.cbd.int/"}, 30},
                   Footnote{2, "第二个脚注。", {}, 31}};
  PassageFields fields;
  fields.orgs = {"x:非洲遗传资源研究网络", "fao", "no-such-org"};
  DateRange june;
  june.from = PartialDate{2014, 6, 0};
  june.to = PartialDate{2014, 6, 0};
  june.text = "2014 年 6 月";
  fields.dates = {june};
  DecisionRef derived;
  derived.body = "cop";
  derived.session = 11;
  derived.number = 1;
  derived.part = "D";
  derived.text = "第 XI/1 D 号决定";
  DecisionRef own_label = derived;  // a recommendation of the COP: "COP 11/1 D", not "COP XI/1 D"
  own_label.kind = DecisionKind::recommendation;
  own_label.text = "第 11/1 D 号建议";
  fields.decisions = {derived, own_label};
  fields.symbols = {"UNEP/CBD/COP/12/24"};
  h.fields.passages = {PassageFields{{}, {}, {}, {doc.symbol}}, fields};
  return h;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "stored passages of the seed and the fixtures decode to their passage JSON") {
  Seen seen;
  check_file(test::seed_path(), seen);
  for (const char* name : {"CBD-COP-DEC-XIII-26.zh.txt", "CBD-NP-MOP-3-4.zh.txt", "CBD-NP-MOP-3-4-Add-1.zh.txt",
                           "CBD-NP-MOP-DEC-2-1.zh.txt", "CBD-SBI-2-8.zh.txt", "CBD-SBSTTA-22-5.zh.txt",
                           "UNEP-CBD-BS-COP-MOP-8-4.zh.txt", "UNEP-CBD-ICNP-3-10.zh.txt",
                           "UNEP-CBD-NP-COP-MOP-2-12.zh.txt", "CBD-NP-MOP-3-INF-2.zh.txt"})
    check_file(fixture(name), seen);
  // The documents exercise every field.
  CHECK(seen.passages > 200);
  CHECK(seen.footnotes > 10);
  CHECK(seen.orgs > 50);
  CHECK(seen.dates > 10);
  CHECK(seen.decisions > 20);
  CHECK(seen.symbols > 10);
}

TEST_CASE_METHOD(Fixture, "a stored passage keeps what its id, slots and decision ids cannot give") {
  Seen seen;
  for (const auto& [issued, id] : std::vector<std::pair<std::string, std::string>>{
           {"2018-10-05", "UNEP/CBD/NP/COP-MOP/9/1#1"},   // everything derivable
           {"", "UNEP/CBD/NP/COP-MOP/9/1#1"},             // no issue date
           {"2018-10", "UNEP/CBD/NP/COP-MOP/9/1#1"},      // not a day: slot 14 has none
           {"2018-02-31", "UNEP/CBD/NP/COP-MOP/9/1#1"},   // slot 14 would hold 2018-03-03
           {"2018-10-05", "UNEP/CBD/NP/COP-MOP/9/1#1bis"},  // an id of its own
           {"2018-10", "other#1"}}) {
    INFO(issued << " " << id);
    const Handmade h = handmade(issued, id);
    check_round_trip(h.doc, h.fields, seen);
    const json p = passage_to_json(h.doc, 1, h.fields.passages[1], res->gazetteer);
    CHECK(p["issued"] == issued);
    CHECK(p["id"] == id);
  }
  CHECK(seen.local_orgs == 6);
  CHECK(seen.decisions == 12);
  const Handmade h = handmade("2018-10-05", "UNEP/CBD/NP/COP-MOP/9/1#1");
  const json p = passage_to_json(h.doc, 1, h.fields.passages[1], res->gazetteer);
  CHECK(p["orgs"][0]["label"] == "非洲遗传资源研究网络");
  CHECK(p["decisions"][0]["label"] == "COP XI/1 D");
  CHECK(p["decisions"][1]["label"] == "COP 11/1 D");
}

TEST_CASE_METHOD(Fixture, "the stored data is a fraction of the passage JSON") {
  const Document doc = test::parse_file(test::seed_path());
  const DocumentFields fields = extract_fields(doc, res->normalizer, res->gazetteer);
  std::size_t stored = 0, as_json = 0;
  for (std::size_t i = 0; i < doc.passages.size(); ++i) {
    stored += encode_passage_data(doc, i, fields.passages[i], document_facts(doc)).size();
    as_json += passage_to_json(doc, i, fields.passages[i], res->gazetteer).dump().size();
  }
  INFO(stored << " bytes stored, " << as_json << " as JSON");
  CHECK(stored * 10 < as_json * 6);
}

TEST_CASE_METHOD(Fixture, "StoredPassages reads passages with their document's title, re-read after a commit") {
  test::TempDir tmp;
  const std::filesystem::path dir = tmp.path() / "index";
  Document doc = test::parse_file(test::seed_path());
  const DocumentFields fields = extract_fields(doc, res->normalizer, res->gazetteer);
  Xapian::Database db = test::write_index(dir, *res, {doc});
  StoredPassages stored(res->gazetteer);
  for (std::size_t i = 0; i < doc.passages.size(); ++i)
    CHECK(stored.find(db, doc.passages[i].id) == passage_to_json(doc, i, fields.passages[i], res->gazetteer));
  CHECK_FALSE(stored.find(db, doc.symbol + "#999"));
  CHECK(stored.title(db, doc.symbol, "zh") == doc.header.title);
  CHECK(stored.title(db, "UNEP/CBD/NONE", "zh").empty());

  // The document is indexed again under another title: the next revision shows it.
  doc.header.title = "新的标题";
  {
    auto writer = IndexWriter::open(dir);
    REQUIRE(writer);
    writer->replace_document(doc, fields, analyzer);
    writer->commit();
  }
  db.reopen();
  const json header = stored.find(db, doc.symbol + "#header").value();
  CHECK(header["title"] == "新的标题");
  CHECK(header == passage_to_json(doc, 0, fields.passages[0], res->gazetteer));
}
