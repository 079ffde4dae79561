// document_facts(): meeting (body + session), type, issue date and language of a document, from
// its symbol and cover. Documents are built by hand (symbol + header fields), so these tests do
// not depend on the parser; the fixtures' .expected.toml files are the golden truth.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include <toml++/toml.h>

#include "core/documents/document_facts.h"
#include "tests/support/test_support.h"

using namespace treaty;

namespace {

struct Row {
  std::string symbol;
  std::string doc_type;  // printed document type line
  std::string title;
  std::string body;
  int session;
  std::string type;
};

Document document(const std::string& symbol, const std::string& doc_type, const std::string& title) {
  Document doc;
  doc.symbol = symbol;
  doc.header.doc_type = doc_type;
  doc.header.title = title;
  return doc;
}

}  // namespace

TEST_CASE("document facts agree with every fixture's expected cover", "[document_facts]") {
  std::set<std::string> seen;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_dir() / "tests" / "fixtures")) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".expected.toml")) continue;
    INFO(name);
    const toml::table t = toml::parse_file(entry.path().string());
    const toml::table& cover = *t["cover"].as_table();
    Document doc;
    doc.symbol = t["symbol"].value_or(std::string());
    doc.header.doc_type = cover["doc_type"].value_or(std::string());
    doc.header.title = cover["title"].value_or(std::string());
    doc.header.issued = cover["issued"].value_or(std::string());
    doc.header.language = cover["language"].value_or(std::string());
    doc.header.distribution = cover["distribution"].value_or(std::string());
    INFO(doc.symbol);
    const DocumentFacts f = document_facts(doc);
    CHECK(f.body == cover["body"].value_or(std::string("?")));
    CHECK(f.session == cover["session_number"].value_or(-1));
    CHECK(f.type == cover["type"].value_or(std::string("?")));
    CHECK(f.meeting == f.body + ":" + std::to_string(f.session));
    CHECK(f.issued == doc.header.issued);
    CHECK(f.issued_year == std::stoi(doc.header.issued.substr(0, 4)));
    CHECK(f.lang == "zh");
    CHECK(f.distribution == doc.header.distribution);
    CHECK(f.title == doc.header.title);
    CHECK_FALSE(f.type_label.empty());
    seen.insert(doc.symbol);
  }
  CHECK(seen.size() == 13);
}

TEST_CASE("meeting and type from the symbol first, then the printed type and title", "[document_facts]") {
  const std::vector<Row> rows = {
      // The seed.
      {"UNEP/CBD/NP/COP-MOP/1/6", "执行秘书的说明", "与其他公约、国际组织和倡议的合作", "np-mop", 1, "note"},
      // The fixtures' symbols, with their printed types.
      {"CBD/NP/MOP/DEC/2/1", "作为名古屋议定书缔约方会议的缔约方大会通过的决定", "", "np-mop", 2, "decision"},
      {"CBD/COP/DEC/XIII/26", "缔约方大会通过的决定", "", "cop", 13, "decision"},
      {"UNEP/CBD/BS/COP-MOP/8/4", "执行秘书的说明", "能力建设", "bs-mop", 8, "note"},
      {"CBD/SBI/2/8", "执行秘书的说明", "区域协作网络", "sbi", 2, "note"},
      {"CBD/NP/MOP/3/INF/2", "执行秘书的说明", "成果汇编", "np-mop", 3, "information"},  // symbol wins
      {"CBD/NP/MOP/3/L.5", "缔约方会议的决定草案", "能力建设", "np-mop", 3, "draft_decision"},
      {"CBD/SBI/2/CRP.2", "会议室文件", "资源调动", "sbi", 2, "conference_room_paper"},
      {"UNEP/CBD/ICNP/3/10", "", "名古屋议定书政府间委员会第三次会议的报告", "icnp", 3, "report"},
      // Add.N, Rev.N and Corr.N keep their base's type.
      {"CBD/NP/MOP/3/4/Add.1", "执行秘书的说明 增编", "统计", "np-mop", 3, "note"},
      {"CBD/NP/MOP/3/6/Rev.1", "执行秘书的说明", "运作", "np-mop", 3, "note"},
      {"CBD/COP/14/L.3/Rev.1", "", "", "cop", 14, "draft_decision"},
      {"CBD/SBSTTA/22/INF/3/Add.2", "执行秘书的说明", "", "sbstta", 22, "information"},
      {"CBD/COP/DEC/14/8/Corr.1", "", "", "cop", 14, "decision"},
      // Other spellings of the bodies, Roman and Arabic sessions, REC.
      {"CBD/CP/MOP/9/1", "执行秘书的说明", "", "bs-mop", 9, "note"},
      {"UNEP/CBD/BS/MOP/2/5", "", "", "bs-mop", 2, "other"},
      {"UNEP/CBD/COP/DEC/X/1", "", "", "cop", 10, "decision"},
      {"CBD/SBSTTA/REC/XXI/3", "", "", "sbstta", 21, "recommendation"},
      {"UNEP/CBD/WG8J/10/2", "执行秘书的报告", "", "wg8j", 10, "report"},
      {"cbd/np/mop/3/4", "", "", "np-mop", 3, "other"},  // any case
      // Printed type only.
      {"CBD/SBI/3/5", "执行秘书的建议", "", "sbi", 3, "recommendation"},
      {"CBD/COP/15/3", "资料文件", "", "cop", 15, "information"},
      {"CBD/COP/15/4", "", "关于资源调动的决定", "cop", 15, "decision"},
      // Unknown bodies and symbols without a session.
      {"TEST/SYNTH/1", "", "合成测试文件", "other", 1, "other"},
      {"A/RES/70/1", "", "", "other", 70, "other"},
      {"CBD/COP", "", "", "cop", 0, "other"},
  };
  for (const Row& r : rows) {
    INFO(r.symbol);
    const DocumentFacts f = document_facts(document(r.symbol, r.doc_type, r.title));
    CHECK(f.body == r.body);
    CHECK(f.session == r.session);
    CHECK(f.type == r.type);
    CHECK(f.meeting == meeting_id(r.body, r.session));
  }
  const DocumentFacts seed = document_facts(document("UNEP/CBD/NP/COP-MOP/1/6", "执行秘书的说明", "合作"));
  CHECK(seed.meeting == "np-mop:1");
  CHECK(seed.meeting_label == "名古屋议定书缔约方会议第1次会议 (NP COP-MOP 1)");
  CHECK(seed.type_label == "说明");
  CHECK(seed.lang == "zh");  // the cover does not say: these are Chinese documents
  CHECK(seed.issued.empty());
  CHECK(seed.issued_year == 0);
  Document english = document("CBD/COP/15/4", "", "");
  english.header.language = "EN";
  CHECK(document_facts(english).lang == "en");
}

TEST_CASE("meeting ids, labels and the forms users write", "[document_facts]") {
  CHECK(meeting_id("np-mop", 1) == "np-mop:1");
  CHECK(meeting_id("cop", 0) == "cop");
  CHECK(meeting_id("other", 5) == "other");
  CHECK(meeting_label("np-mop:1") == "名古屋议定书缔约方会议第1次会议 (NP COP-MOP 1)");
  CHECK(meeting_label("cop:13") == "生物多样性公约缔约方大会第13届会议 (COP 13)");
  CHECK(meeting_label("bs-mop:8") == "卡塔赫纳生物安全议定书缔约方会议第8次会议 (CP COP-MOP 8)");
  CHECK(meeting_label("sbi") == "执行问题附属机构 (SBI)");
  CHECK(meeting_label("other") == "其他会议 (other)");
  CHECK_FALSE(meeting_label("nope:1"));
  CHECK_FALSE(meeting_label("cop:x"));
  CHECK_FALSE(meeting_label("cop:0"));

  const std::vector<std::pair<std::string, std::string>> forms = {
      {"np-mop:1", "np-mop:1"}, {"NP-MOP 1", "np-mop:1"},  {"NP COP-MOP 1", "np-mop:1"}, {"np cop-mop:1", "np-mop:1"},
      {"COP 13", "cop:13"},     {"cop13", "cop:13"},        {"COP XIII", "cop:13"},       {"cop/13", "cop:13"},
      {"SBI 2", "sbi:2"},       {"sbstta22", "sbstta:22"},  {"CP-MOP 9", "bs-mop:9"},     {"BS COP-MOP 8", "bs-mop:8"},
      {"WG8J 10", "wg8j:10"},   {"wg8j", "wg8j"},           {" cop ", "cop"},             {"NP-MOP", "np-mop"},
      {"other", "other"},
  };
  for (const auto& [written, id] : forms) {
    INFO(written);
    CHECK(parse_meeting(written) == id);
  }
  for (const char* bad : {"", "foo", "cop 0", "foo 13", "other 3", "cop:", "13", "cop 13 14", "np-mop:q"}) {
    INFO(bad);
    CHECK_FALSE(parse_meeting(bad));
  }
}

TEST_CASE("types and languages: ids, labels, the forms users write", "[document_facts]") {
  for (std::string_view type : kDocumentTypes) {
    INFO(type);
    CHECK_FALSE(document_type_label(type).empty());
    CHECK(parse_document_type(type) == std::string(type));
    CHECK(parse_document_type(document_type_label(type)) == std::string(type));
  }
  CHECK(document_type_label("note") == "说明");
  CHECK(document_type_label("information") == "资料文件");
  CHECK(parse_document_type("NOTE") == "note");
  CHECK(parse_document_type("报告") == "report");
  CHECK_FALSE(parse_document_type("memo"));
  CHECK(document_type_label("memo").empty());

  CHECK(parse_language("zh") == "zh");
  CHECK(parse_language("ZH") == "zh");
  CHECK(parse_language("中文") == "zh");
  CHECK(parse_language("Chinese") == "zh");
  CHECK(parse_language("de") == "de");
  CHECK_FALSE(parse_language("z"));
  CHECK_FALSE(parse_language("zh-cn"));
  CHECK(language_label("zh") == "中文");
  CHECK(language_label("en") == "英文");
  CHECK(language_label("de") == "de");
}
