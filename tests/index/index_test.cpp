// IndexWriter / IndexReader and the Xapian documents they store, on a hand-built Document.
#include <catch2/catch.hpp>

#include <set>

#include "core/text/analyzer.h"
#include <unicode/uvernum.h>

#include "core/index/analysis.h"
#include "core/index/index_layout.h"
#include "core/index/index_reader.h"
#include "core/index/index_writer.h"
#include "core/index/passage_data.h"
#include "core/search/resources.h"
#include "core/index/schema.h"
#include "tests/support/test_support.h"

using namespace treaty;

namespace {

struct Fixture {
  std::unique_ptr<Resources> res = test::project_resources();
  Analyzer analyzer{res->normalizer, res->lexicon};
  test::TempDir tmp;

  // Two passages: a header and paragraph 1 citing footnote 1, under one section.
  static Document make_document(const std::string& symbol, const std::string& para_text) {
    Document doc;
    doc.symbol = symbol;
    doc.header.title = "测试文件";
    doc.sections.push_back(Section{"一", "导言", 1, 3, 1});
    Passage header;
    header.id = symbol + "#header";
    header.kind = PassageKind::header;
    header.para = "header";
    header.text = "测试文件";
    Passage p;
    p.id = symbol + "#1";
    p.para = "1";
    p.number = 1;
    p.text = para_text;
    p.section_path = {"一. 导言"};
    p.footnotes = {1};
    doc.passages = {header, p};
    doc.footnotes.push_back(Footnote{1, "见 UNEP/CBD/COP/12/24。", {}, 9});
    return doc;
  }

  static std::set<std::string> terms(const Xapian::Document& d, const std::string& prefix) {
    std::set<std::string> out;
    for (auto it = d.termlist_begin(); it != d.termlist_end(); ++it)
      if ((*it).rfind(prefix, 0) == 0) out.insert(*it);
    return out;
  }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "a passage document carries text, field terms, values and data") {
  const Document doc = make_document("UNEP/CBD/T/1", "粮农组织在 2014 年 6 月 9 日-13 日执行第 XI/1 D 号决定。");
  const DocumentFields fields = extract_fields(doc, res->normalizer, res->gazetteer);
  const Xapian::Document d = build_passage_document(doc, 1, fields.passages[1], analyzer);

  CHECK(terms(d, "Q") == std::set<std::string>{"QUNEP/CBD/T/1#1"});
  CHECK(terms(d, "XP") == std::set<std::string>{"XPUNEP/CBD/T/1"});
  CHECK(terms(d, "XKIND") == std::set<std::string>{"XKINDparagraph"});
  CHECK(terms(d, "XO") == std::set<std::string>{"XOfao"});
  CHECK(terms(d, "XY") == std::set<std::string>{"XY2014"});
  CHECK(terms(d, "XM") == std::set<std::string>{"XM201406"});
  CHECK(terms(d, "XD") == std::set<std::string>{"XD11/1", "XD11/1 d", "XDcop:11/1", "XDcop:11/1 d"});
  CHECK(terms(d, "XSYM") == std::set<std::string>{"XSYMUNEP/CBD/COP/12/24"});  // from the footnote
  CHECK(terms(d, "B粮农").size() == 1);
  CHECK(terms(d, "SB导言").size() == 1);        // section heading text, own prefix
  CHECK(terms(d, "cop").size() == 1);           // footnote text is searchable with the passage

  CHECK(d.get_value(schema::kSlotOrder) == std::string("UNEP/CBD/T/1\x1f") + "00001");
  CHECK(Xapian::sortable_unserialise(d.get_value(schema::kSlotDate)) == days_from_civil(2014, 6, 9));
  CHECK(d.get_value(schema::kSlotDateRanges) ==
        std::to_string(days_from_civil(2014, 6, 9)) + ":" + std::to_string(days_from_civil(2014, 6, 13)));
  CHECK(d.get_value(schema::kSlotOrgs) == "fao");
  CHECK(d.get_value(schema::kSlotYears) == "2014");
  CHECK(d.get_value(schema::kSlotMonths) == "2014-06");
  CHECK(d.get_value(schema::kSlotDecisions) == "cop:11/1 D");
  CHECK(d.get_value(schema::kSlotSymbols) == "UNEP/CBD/COP/12/24");

  const auto data = decode_passage_data(d.get_data(), passage_document(d), res->gazetteer);
  CHECK(data["id"] == "UNEP/CBD/T/1#1");
  CHECK(data["section"] == nlohmann::json::array({"一. 导言"}));
  CHECK(data["footnotes"][0]["text"] == "见 UNEP/CBD/COP/12/24。");
  CHECK(data["orgs"][0]["id"] == "fao");
  CHECK(data["orgs"][0]["label"] == "联合国粮食和农业组织");
  CHECK(data["dates"][0]["from"] == "2014-06-09");
  CHECK(data["dates"][0]["to"] == "2014-06-13");
  CHECK(data["decisions"][0]["id"] == "cop:11/1 D");
}

TEST_CASE_METHOD(Fixture, "writer replaces, removes and commits — reader sees commits after reopen") {
  const auto path = tmp.path() / "index";
  auto writer = IndexWriter::open(path);
  REQUIRE(writer);
  Document a = make_document("UNEP/CBD/T/1", "第一段。");
  writer->replace_document(a, extract_fields(a, res->normalizer, res->gazetteer), analyzer);
  writer->commit();

  auto reader = IndexReader::open(path);
  REQUIRE(reader);
  CHECK(reader->stats().passages == 2);
  CHECK(reader->passage("UNEP/CBD/T/1#1", res->gazetteer).value()["text"] == "第一段。");

  // Replace with new text, add a second document: invisible until commit.
  a.passages[1].text = "新的第一段。";
  writer->replace_document(a, extract_fields(a, res->normalizer, res->gazetteer), analyzer);
  Document b = make_document("UNEP/CBD/T/2", "另一份文件。");
  writer->replace_document(b, extract_fields(b, res->normalizer, res->gazetteer), analyzer);
  reader->reopen();
  CHECK(reader->stats().passages == 2);
  writer->commit();
  reader->reopen();
  CHECK(reader->stats().passages == 4);
  CHECK(reader->stats().symbols == std::vector<std::string>{"UNEP/CBD/T/1", "UNEP/CBD/T/2"});
  CHECK(reader->passage("UNEP/CBD/T/1#1", res->gazetteer).value()["text"] == "新的第一段。");

  CHECK(writer->remove_document("UNEP/CBD/T/1") == 2);
  CHECK(writer->remove_document("UNEP/CBD/NONE") == 0);
  writer->commit();
  reader->reopen();
  CHECK(reader->stats().passages == 2);
  CHECK_FALSE(reader->passage("UNEP/CBD/T/1#1", res->gazetteer));
  CHECK_FALSE(reader->document("UNEP/CBD/T/1"));
  CHECK(reader->document("UNEP/CBD/T/2"));
}

TEST_CASE_METHOD(Fixture, "uncommitted changes vanish with the writer") {
  const auto path = tmp.path() / "index";
  {
    auto writer = IndexWriter::open(path);
    REQUIRE(writer);
    writer->commit();  // an empty but valid index
    Document a = make_document("UNEP/CBD/T/1", "不会提交。");
    writer->replace_document(a, extract_fields(a, res->normalizer, res->gazetteer), analyzer);
  }
  auto reader = IndexReader::open(path);
  REQUIRE(reader);
  CHECK(reader->stats().passages == 0);
}

TEST_CASE_METHOD(Fixture, "opening errors are values") {
  const auto file = tmp.path() / "not-a-dir";
  test::write_file(file, "x");
  CHECK_FALSE(IndexReader::open(tmp.path() / "missing"));
  CHECK_FALSE(IndexReader::open(file));
  auto w = IndexWriter::open(file / "sub");
  REQUIRE_FALSE(w);
  CHECK(w.error().file == (file / "sub").string());
  auto first = IndexWriter::open(tmp.path() / "locked");
  REQUIRE(first);
  auto second = IndexWriter::open(tmp.path() / "locked");
  REQUIRE_FALSE(second);
  CHECK(second.error().message.find("locked") != std::string::npos);
}

TEST_CASE_METHOD(Fixture, "every passage carries its document's facts: terms, slots, data, summary") {
  Document doc = make_document("CBD/NP/MOP/3/4/Add.1", "第一段。");
  doc.header.doc_type = "执行秘书的说明 增编";
  doc.header.issued = "2018-10-22";
  doc.header.distribution = "general";
  const DocumentFields fields = extract_fields(doc, res->normalizer, res->gazetteer);
  for (std::size_t i = 0; i < doc.passages.size(); ++i) {
    INFO(i);
    const Xapian::Document d = build_passage_document(doc, i, fields.passages[i], analyzer);
    CHECK(terms(d, "XU") == std::set<std::string>{"XUCBD/NP/MOP/3/4/ADD.1"});
    CHECK(terms(d, "XP") == std::set<std::string>{"XPCBD/NP/MOP/3/4/Add.1"});
    CHECK(terms(d, "XB") == std::set<std::string>{"XBnp-mop:3", "XBnp-mop"});
    CHECK(terms(d, "XT") == std::set<std::string>{"XTnote"});
    CHECK(terms(d, "XL") == std::set<std::string>{"XLzh"});
    CHECK(terms(d, "XI") == std::set<std::string>{"XI2018"});
    CHECK(d.get_value(schema::kSlotDoc) == "CBD/NP/MOP/3/4/Add.1");
    CHECK(d.get_value(schema::kSlotMeeting) == "np-mop:3");
    CHECK(d.get_value(schema::kSlotDocType) == "note");
    CHECK(d.get_value(schema::kSlotLang) == "zh");
    CHECK(d.get_value(schema::kSlotIssuedYear) == "2018");
    CHECK(Xapian::sortable_unserialise(d.get_value(schema::kSlotIssued)) == days_from_civil(2018, 10, 22));
    const auto data = decode_passage_data(d.get_data(), passage_document(d), res->gazetteer);
    CHECK(data["meeting"] == "np-mop:3");
    CHECK(data["type"] == "note");
    CHECK(data["issued"] == "2018-10-22");
    CHECK(data["lang"] == "zh");
  }
  // No cover date: no year term, no issued slots.
  doc.header.issued.clear();
  const Xapian::Document undated = build_passage_document(doc, 1, fields.passages[1], analyzer);
  CHECK(terms(undated, "XI").empty());
  CHECK(undated.get_value(schema::kSlotIssuedYear).empty());
  CHECK(undated.get_value(schema::kSlotIssued).empty());

  doc.header.issued = "2018-10-22";
  const auto path = tmp.path() / "index";
  auto writer = IndexWriter::open(path);
  REQUIRE(writer);
  writer->replace_document(doc, fields, analyzer);
  writer->commit();
  auto reader = IndexReader::open(path);
  REQUIRE(reader);
  const auto summary = reader->document("CBD/NP/MOP/3/4/Add.1").value();
  CHECK(summary["facts"] == nlohmann::json{{"title", "测试文件"},
                                           {"meeting", "np-mop:3"},
                                           {"meeting_label", "名古屋议定书缔约方会议第3次会议 (NP COP-MOP 3)"},
                                           {"body", "np-mop"},
                                           {"session", 3},
                                           {"type", "note"},
                                           {"type_label", "说明"},
                                           {"issued", "2018-10-22"},
                                           {"lang", "zh"},
                                           {"distribution", "general"}});
  CHECK(summary["header"]["issued"] == "2018-10-22");
  CHECK(summary["header"]["distribution"] == "general");
}

TEST_CASE_METHOD(Fixture, "an index of another schema version is refused with a message saying what to do") {
  const auto path = tmp.path() / "index";
  {
    auto writer = IndexWriter::open(path);
    REQUIRE(writer);
    writer->commit();
  }
  {
    Xapian::WritableDatabase db(path.string(), Xapian::DB_OPEN);
    db.set_metadata(std::string(schema::kMetaSchemaVersion), "4");
    db.commit();
  }
  auto reader = IndexReader::open(path);
  REQUIRE_FALSE(reader);
  CHECK(reader.error().message ==
        "index has schema version 4, expected 9 (it stores no document sources, so `indexer reindex` cannot "
        "rebuild it: rebuild it with `indexer add` into a new directory)");
  CHECK(IndexReader::schema_mismatch("7") ==
        "index has schema version 7, expected 9 (rebuild it from its stored sources with `indexer reindex`)");
  CHECK(IndexReader::schema_mismatch("10") ==
        "index has schema version 10, expected 9 (rebuild it from its stored sources with `indexer reindex`)");
  auto writer = IndexWriter::open(path);
  REQUIRE_FALSE(writer);
  CHECK(writer.error().message == "index has schema version 4, this indexer writes 9; rebuild it in a new directory");
}

TEST_CASE_METHOD(Fixture, "the index records its analysis and each document's source — remove drops the source") {
  const auto path = tmp.path() / "index";
  AnalysisFingerprint analysis = library_fingerprint();
  analysis.lexicon = content_hash("缔约方\n");
  analysis.gazetteer = content_hash("[fao]\n");
  auto writer = IndexWriter::open(path, {.analysis = analysis});
  REQUIRE(writer);
  CHECK(writer->analysis_differences().empty());
  const Document a = make_document("UNEP/CBD/T/1", "第一段。");
  writer->replace_document(a, extract_fields(a, res->normalizer, res->gazetteer), analyzer,
                           "UNEP/CBD/T/1\n1. 第一段。\n");
  writer->commit();

  // A new index is generation 1 behind a stub.
  CHECK(read_stub(path) == "glass gen-1\n");
  CHECK(current_generation(path) == 1);
  CHECK(std::filesystem::exists(path / "gen-1" / "iamglass"));

  auto reader = IndexReader::open(path);
  REQUIRE(reader);
  REQUIRE(reader->analysis());
  CHECK(*reader->analysis() == analysis);
  CHECK(reader->analysis()->schema == "9");
  CHECK(reader->analysis()->icu == U_ICU_VERSION);
  CHECK(reader->analysis()->xapian == Xapian::version_string());
  CHECK_FALSE(reader->analysis()->opencc.empty());
  CHECK(analysis_differences(reader->analysis(), analysis).empty());
  CHECK(reader->source_keys() == std::vector<std::string>{"UNEP/CBD/T/1@zh"});
  const auto source = reader->source("UNEP/CBD/T/1@zh");
  REQUIRE(source);
  CHECK((*source)["text"] == "UNEP/CBD/T/1\n1. 第一段。\n");
  CHECK((*source)["symbol"] == "UNEP/CBD/T/1");

  // What differs is listed, one sentence each, naming what to run.
  AnalysisFingerprint changed = analysis;
  changed.lexicon = content_hash("缔约方\n执行秘书\n");
  changed.icu = "99.1";
  changed.thesaurus = content_hash("[x]");  // query-time only: not a difference
  changed.xapian = "9.9.9";                 // stores terms, does not make them: not a difference
  CHECK(analysis_differences(reader->analysis(), changed) ==
        std::vector<std::string>{"the lexicon (lexicon.txt) changed since indexing: run `indexer reindex`",
                                 "the index was analysed with ICU " + std::string(U_ICU_VERSION) +
                                     ", this program uses 99.1: run `indexer reindex`"});
  CHECK(analysis_differences(std::nullopt, changed) ==
        std::vector<std::string>{"the index does not record how it was analysed: run `indexer reindex`"});

  // Adding to the index with another analysis leaves the record (the old documents keep theirs).
  { IndexWriter closed = std::move(*writer); }  // unlocks the index
  writer = IndexWriter::open(path, {.analysis = changed});
  REQUIRE(writer);
  CHECK(writer->analysis_differences().size() == 2);
  const Document b = make_document("UNEP/CBD/T/2", "第二份。");
  writer->replace_document(b, extract_fields(b, res->normalizer, res->gazetteer), analyzer);
  CHECK(writer->remove_document("UNEP/CBD/T/1") == 2);
  writer->commit();
  reader->reopen();
  CHECK(*reader->analysis() == analysis);
  CHECK_FALSE(reader->source("UNEP/CBD/T/1@zh"));  // removed with its document
  CHECK_FALSE(reader->source("UNEP/CBD/T/2@zh"));  // written without one
}

TEST_CASE_METHOD(Fixture, "a reader follows a switch to another generation on reopen") {
  const auto path = tmp.path() / "index";
  const Document a = make_document("UNEP/CBD/T/1", "第一段。");
  const Document b = make_document("UNEP/CBD/T/2", "第二份。");
  {
    auto writer = IndexWriter::open(path);
    REQUIRE(writer);
    writer->replace_document(a, extract_fields(a, res->normalizer, res->gazetteer), analyzer);
    writer->commit();
  }
  auto reader = IndexReader::open(path);
  REQUIRE(reader);
  Xapian::Database& db = reader->database();
  CHECK(reader->stats().symbols == std::vector<std::string>{"UNEP/CBD/T/1"});
  {
    auto writer = IndexWriter::open(generation_dir(path, 2), {.analysis = std::nullopt, .plain = true});
    REQUIRE(writer);
    writer->replace_document(b, extract_fields(b, res->normalizer, res->gazetteer), analyzer);
    writer->commit();
  }
  REQUIRE(switch_generation(path, 2));
  CHECK(read_stub(path) == "glass gen-2\n");
  CHECK_FALSE(std::filesystem::exists(path / "XAPIANDB.tmp"));
  CHECK(reader->stats().symbols == std::vector<std::string>{"UNEP/CBD/T/1"});  // until reopen
  reader->reopen();
  CHECK(reader->stats().symbols == std::vector<std::string>{"UNEP/CBD/T/2"});
  CHECK(&reader->database() == &db);  // the same object, opened afresh: references stay valid
  CHECK(db.get_doccount() == 2);
  // A writer opened through the stub writes the current generation.
  {
    auto writer = IndexWriter::open(path);
    REQUIRE(writer);
    writer->replace_document(a, extract_fields(a, res->normalizer, res->gazetteer), analyzer);
    writer->commit();
  }
  reader->reopen();
  CHECK(reader->stats().documents == 2);
  CHECK(Xapian::Database(generation_dir(path, 1).string()).get_doccount() == 2);  // untouched
  CHECK(remove_generations_before(path, 2) == 1);
  CHECK_FALSE(std::filesystem::exists(generation_dir(path, 1)));
  CHECK(std::filesystem::exists(generation_dir(path, 2)));
}
