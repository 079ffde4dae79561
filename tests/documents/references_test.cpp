#include "core/documents/references.h"

#include <catch2/catch.hpp>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

using treaty::DecisionContext;
using treaty::decision_context;
using treaty::decision_filter_key;
using treaty::DecisionKind;
using treaty::DecisionRef;
using treaty::extract_decisions;
using treaty::extract_symbols;

namespace {

// Everything a reference exposes, flattened so a row compares in one CHECK.
struct Ref {
  std::string id;
  std::string label;
  std::string key;
  std::string part_key;
  std::string text;
  bool operator==(const Ref&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Ref& r) {
  return os << "{" << r.id << " | " << r.label << " | " << r.key << " | " << r.part_key << " | "
            << r.text << "}";
}

std::vector<Ref> refs_of(const std::string& text) {
  std::vector<Ref> out;
  for (const auto& d : extract_decisions(text)) {
    out.push_back({d.id(), d.label(), d.key(), d.part_key(), d.text});
    // The byte range is the text.
    CHECK(text.substr(d.begin, d.end - d.begin) == d.text);
  }
  return out;
}

}  // namespace

namespace Catch {
template <>
struct StringMaker<Ref> {
  static std::string convert(const Ref& r) {
    std::ostringstream os;
    os << r;
    return os.str();
  }
};
}  // namespace Catch

TEST_CASE("decision references", "[references]") {
  struct Row {
    std::string input;
    std::vector<Ref> refs;
  };
  const std::vector<Row> rows = {
      {"在其第 XI/1 D 号决定的第 1 段,",
       {{"cop:11/1 D", "COP XI/1 D", "11/1", "11/1 d", "第 XI/1 D 号决定"}}},
      {"在第 XI/1 E 号决定的第 1 段",
       {{"cop:11/1 E", "COP XI/1 E", "11/1", "11/1 e", "第 XI/1 E 号决定"}}},
      {"第XI/1 D号决定", {{"cop:11/1 D", "COP XI/1 D", "11/1", "11/1 d", "第XI/1 D号决定"}}},
      {"第XI/1D号决定", {{"cop:11/1 D", "COP XI/1 D", "11/1", "11/1 d", "第XI/1D号决定"}}},
      // Case-folded text gives the same decision.
      {"第 xi/1 d 号决定", {{"cop:11/1 D", "COP XI/1 D", "11/1", "11/1 d", "第 xi/1 d 号决定"}}},
      {"(第 X/1 号决定)中承认", {{"cop:10/1", "COP X/1", "10/1", "", "第 X/1 号决定"}}},
      {"第 11/1 号决定", {{"cop:11/1", "COP XI/1", "11/1", "", "第 11/1 号决定"}}},
      // 第 22 段 is a paragraph of the decision, not another reference.
      {"2 第 XI/6 号决定的第 22 段。", {{"cop:11/6", "COP XI/6", "11/6", "", "第 XI/6 号决定"}}},
      {"第三次会议在其第 3/5 号建议第 1 段",
       {{"rec:3/5", "Recommendation 3/5", "3/5", "", "第 3/5 号建议"}}},
      {"根据第 67/212 号决议,作为特别",
       {{"unga:67/212", "UNGA resolution 67/212", "67/212", "", "第 67/212 号决议"}}},
      {"第 XII/12 号 决定", {{"cop:12/12", "COP XII/12", "12/12", "", "第 XII/12 号 决定"}}},
      // Several references share the closing 号决定.
      {"第 X/1 号和第 X/2 号决定",
       {{"cop:10/1", "COP X/1", "10/1", "", "第 X/1 号"},
        {"cop:10/2", "COP X/2", "10/2", "", "第 X/2 号决定"}}},
      {"第 XI/1、XI/2 号决定",
       {{"cop:11/1", "COP XI/1", "11/1", "", "第 XI/1"},
        {"cop:11/2", "COP XI/2", "11/2", "", "XI/2 号决定"}}},
      {"第 XI/1 号决定和第 3/5 号建议",
       {{"cop:11/1", "COP XI/1", "11/1", "", "第 XI/1 号决定"},
        {"rec:3/5", "Recommendation 3/5", "3/5", "", "第 3/5 号建议"}}},
      // Not references.
      {"执行《名古屋议定书》第 8(j)条", {}},
      {"第 19 条和 20 条", {}},
      {"的第 1 段", {}},
      {"第 14 次常会", {}},
      {"第十三届会议", {}},
      {"第 XI/1 D 号文件", {}},
      {"第 IIII/1 号决定", {}},  // not a canonical numeral
      {"第 XL/1 号决定", {}},    // 40 is past the supported range
      {"第 XI/1 Dec 号决定", {}},
      {"第 XI/ 号决定", {}},
      {"第", {}},
  };
  for (const auto& row : rows) {
    INFO("input: " << row.input);
    CHECK(refs_of(row.input) == row.refs);
  }
}

TEST_CASE("decision reference fields", "[references]") {
  const std::string text = "在其第 XI/1 D 号决定";
  const auto refs = extract_decisions(text);
  REQUIRE(refs.size() == 1);
  CHECK(refs[0].kind == DecisionKind::cop_decision);
  CHECK(refs[0].session == 11);
  CHECK(refs[0].number == 1);
  CHECK(refs[0].part == "D");
  CHECK(refs[0].begin == std::string("在其").size());
  CHECK(refs[0].end == text.size());

  const auto unga = extract_decisions("第 67/212 号决议");
  REQUIRE(unga.size() == 1);
  CHECK(unga[0].kind == DecisionKind::unga_resolution);
  CHECK(unga[0].session == 67);
  CHECK(unga[0].number == 212);
  CHECK(unga[0].part.empty());
}

TEST_CASE("decision filter keys", "[references]") {
  const std::vector<std::pair<std::string, std::optional<std::string>>> rows = {
      {"XI/1", "11/1"},     {"11/1", "11/1"},      {"XI/1 D", "11/1 d"},  {"xi/1d", "11/1 d"},
      {"XI/1d", "11/1 d"},  {" XI / 1 D ", "11/1 d"}, {"67/212", "67/212"}, {"3/5", "3/5"},
      {"X/1", "10/1"},      {"x/1", "10/1"},       {"foo", std::nullopt}, {"", std::nullopt},
      {"XI", std::nullopt}, {"XI/", std::nullopt}, {"/1", std::nullopt},  {"XI/1 Dec", std::nullopt},
      {"C/1", std::nullopt}, {"XI/1/2", std::nullopt}, {"XI/0", std::nullopt},
  };
  for (const auto& [input, want] : rows) {
    INFO("filter: '" << input << "'");
    CHECK(treaty::decision_filter_key(input) == want);
  }
  // X/1 and XI/1 never share a key.
  CHECK(treaty::decision_filter_key("X/1") != treaty::decision_filter_key("XI/1"));
}

TEST_CASE("roman numerals 1..39", "[references]") {
  const std::vector<std::pair<int, std::string>> rows = {
      {1, "I"},      {4, "IV"},    {9, "IX"},     {10, "X"},       {11, "XI"},
      {12, "XII"},   {14, "XIV"},  {19, "XIX"},   {24, "XXIV"},    {38, "XXXVIII"},
      {39, "XXXIX"},
  };
  for (const auto& [n, roman] : rows) {
    INFO(n << " " << roman);
    CHECK(treaty::int_to_roman(n) == roman);
    CHECK(treaty::roman_to_int(roman) == n);
  }
  for (int n = 1; n <= 39; ++n) {
    INFO(n);
    const std::string roman = treaty::int_to_roman(n);
    CHECK(treaty::roman_to_int(roman) == n);
    std::string lower;
    for (char c : roman) lower += static_cast<char>(c - 'A' + 'a');
    CHECK(treaty::roman_to_int(lower) == n);
  }
  for (const std::string bad : {"", "IIII", "VX", "IIX", "XXXX", "XL", "L", "C", "ABC", "VV", "IL"}) {
    INFO(bad);
    CHECK(treaty::roman_to_int(bad) == 0);
  }
  CHECK(treaty::int_to_roman(0).empty());
  CHECK(treaty::int_to_roman(40).empty());
}

TEST_CASE("UN document symbols", "[references]") {
  struct Row {
    std::string input;
    std::vector<std::string> symbols;
  };
  const std::vector<Row> rows = {
      {"1  UNEP/CBD/NP/COP-MOP/1/INF/5。", {"UNEP/CBD/NP/COP-MOP/1/INF/5"}},
      {"可见 UNEP/CBD/COP/12/24 号文件。", {"UNEP/CBD/COP/12/24"}},
      {"见UNEP/CBD/COP/12/24号文件", {"UNEP/CBD/COP/12/24"}},
      {"A/RES/67/212.", {"A/RES/67/212"}},
      {"(A/RES/67/212), UNEP/CBD/COP/12/24; UNEP/CBD/COP/DEC/XI/1,",
       {"A/RES/67/212", "UNEP/CBD/COP/12/24", "UNEP/CBD/COP/DEC/XI/1"}},
      // Case-folded text: returned upper-cased.
      {"unep/cbd/np/cop-mop/1/6", {"UNEP/CBD/NP/COP-MOP/1/6"}},
      {"E/CN.4/2003/12", {"E/CN.4/2003/12"}},
      // De-duplicated in order of first appearance (case-insensitively).
      {"UNEP/CBD/COP/12/24 和 A/RES/67/212 以及 unep/cbd/cop/12/24。",
       {"UNEP/CBD/COP/12/24", "A/RES/67/212"}},
      // Not symbols.
      {"第 XI/1 号决定和第 3/5 号建议", {}},
      {"3 相关材料请查阅 https://www.cbd.int/abs/policy-brief/default.shtml/。", {}},
      {"HTTP://WWW.CBD.INT/ABS/2014/1", {}},
      {"www.cbd.int/abs/policy-brief/2014", {}},
      {"和/或遵守", {}},
      {"and/or/not", {}},
      {"2014/10/13", {}},
      {"UNEP//CBD/1", {}},
      {"UNEP/CBD", {}},
  };
  for (const auto& row : rows) {
    INFO("input: " << row.input);
    CHECK(extract_symbols(row.input) == row.symbols);
  }
}

TEST_CASE("references in the seed document", "[references][seed]") {
  const std::string text = treaty::test::read_file(treaty::test::seed_path());
  std::vector<std::string> ids;
  for (const auto& d : extract_decisions(text)) ids.push_back(d.id());
  CHECK(ids == std::vector<std::string>{"cop:11/1 D", "cop:11/1 E", "icnp:3/5", "cop:10/1",
                                        "unga:67/212", "cop:11/6", "unga:67/212", "unga:67/212"});
  CHECK(extract_symbols(text) == std::vector<std::string>{"UNEP/CBD/NP/COP-MOP/1/INF/5",
                                                          "UNEP/CBD/NP/COP-MOP/1/6",
                                                          "UNEP/CBD/COP/12/24"});
}

TEST_CASE("decisions with the body that took them", "[references]") {
  struct Row {
    std::string text;
    DecisionContext context;
    std::string id, label;
  };
  const DecisionContext cop_document{}, np_document = decision_context("CBD/NP/MOP/3/4"),
                                        cp_document = decision_context("UNEP/CBD/BS/COP-MOP/8/4"),
                                        sbi_document = decision_context("CBD/SBI/2/8");
  const std::vector<Row> rows = {
      {"第 NP-2/5 号决定", cop_document, "np:2/5", "NP-2/5"},
      {"第 np-2/5 号决定", cop_document, "np:2/5", "NP-2/5"},
      {"第 BS-VII/5 号决定", cop_document, "cp:7/5", "BS-VII/5"},
      {"第 CP-9/3 号决定", cop_document, "cp:9/3", "CP-9/3"},
      {"第 XIII/26 号决定", np_document, "cop:13/26", "COP XIII/26"},  // Roman: always the COP's
      {"第 14/8 号决定", cop_document, "cop:14/8", "COP XIV/8"},
      {"第 2/9 号决定", np_document, "np:2/9", "NP-2/9"},  // bare Arabic: the document's body
      {"第 2/9 号决定", cp_document, "cp:2/9", "BS-II/9"},
      {"附属履行机构在第 1/3 号建议中", cop_document, "sbi:1/3", "SBI 1/3"},
      {"科学、技术和工艺咨询附属机构第二十一次会议在其第 XXI/3 号建议", cop_document, "sbstta:21/3", "SBSTTA 21/3"},
      {"政府间委员会第三次会议在其第 3/5 号建议", cop_document, "icnp:3/5", "ICNP 3/5"},
      {"见第 2/4 号建议", sbi_document, "sbi:2/4", "SBI 2/4"},
      {"见第 2/4 号建议", cop_document, "rec:2/4", "Recommendation 2/4"},
      {"大会第 70/1 号决议", np_document, "unga:70/1", "UNGA resolution 70/1"},
      // The kind word first, as a citation may put it.
      {"执行秘书根据建议 4/2 编写", sbi_document, "sbi:4/2", "SBI 4/2"},
      {"见决定 XIII/26。", np_document, "cop:13/26", "COP XIII/26"},
      {"按照决定 NP-3/1 的要求", cop_document, "np:3/1", "NP-3/1"},
      {"如第 14/8 号决定所述", cop_document, "cop:14/8", "COP XIV/8"},  // once, by its 第 form
  };
  for (const Row& r : rows) {
    INFO(r.text);
    const auto refs = extract_decisions(r.text, r.context);
    REQUIRE(refs.size() == 1);
    CHECK(refs[0].id() == r.id);
    CHECK(refs[0].label() == r.label);
  }
  // Not a reference: a draft after the kind word, a date, a number that runs on.
  for (const std::string text : {"决定草案 4/1 的案文", "建议 2020 年提交", "决定 4/2020"}) {
    INFO(text);
    CHECK(extract_decisions(text, np_document).empty());
  }
  // Both forms in one text come out in order of position.
  const auto both = extract_decisions("建议 4/2 和第 NP-3/4 号决定以及建议 4/1", sbi_document);
  REQUIRE(both.size() == 3);
  CHECK(both[0].label() == "SBI 4/2");
  CHECK(both[1].label() == "NP-3/4");
  CHECK(both[2].label() == "SBI 4/1");
  // Filter keys: a body given finds that body's only; none, any body's.
  CHECK(decision_filter_key("NP-2/5") == "np:2/5");
  CHECK(decision_filter_key("np:2/5") == "np:2/5");
  CHECK(decision_filter_key("BS-VII/5") == "cp:7/5");
  CHECK(decision_filter_key("CP-7/5") == "cp:7/5");
  CHECK(decision_filter_key("cop:11/1 D") == "cop:11/1 d");
  CHECK(decision_filter_key("rec:3/5") == "3/5");
  CHECK(decision_filter_key("2/9") == "2/9");
  CHECK_FALSE(decision_filter_key("foo:2/9"));
  CHECK_FALSE(decision_filter_key("np:BS-2/9"));
}
