#include "core/documents/parser.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace {

using treaty::Document;
using treaty::ParseOptions;
using treaty::Passage;
using treaty::PassageKind;

const std::string kSymbol = "UNEP/CBD/NP/COP-MOP/1/6";

Document parse_seed() {
  auto parsed = treaty::parse_document(treaty::test::read_file(treaty::test::seed_path()),
                                       ParseOptions{"seed.txt", ""});
  if (!parsed) FAIL(parsed.error().describe());
  return *parsed;
}

const Passage& passage(const Document& doc, const std::string& para) {
  for (const Passage& p : doc.passages)
    if (p.para == para) return p;
  throw std::runtime_error("no passage " + para);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string strip_whitespace(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
  return out;
}

// Lines in the PDF-extract layout the seed and the benchmark generator use: each followed by a
// trailing space and an empty line.
std::string pdf_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + " \n\n";
  return out;
}

Document parse_ok(const std::string& text, const std::string& symbol = "") {
  auto parsed = treaty::parse_document(text, ParseOptions{"test.txt", symbol});
  if (!parsed) FAIL(parsed.error().describe());
  return *parsed;
}

std::vector<std::string> para_labels(const Document& doc) {
  std::vector<std::string> out;
  for (const Passage& p : doc.passages) out.push_back(p.para);
  return out;
}

}  // namespace

TEST_CASE("seed: symbol, header block and header fields", "[parser][seed]") {
  const Document doc = parse_seed();
  CHECK(doc.symbol == kSymbol);
  CHECK(doc.source == "seed.txt");
  const auto& h = doc.header;
  CHECK(h.symbol_line.empty());  // the seed's header has no symbol; it comes from page 5
  CHECK(h.meeting == "作为关于获取遗传资源和公正和公平分享其利用所产生惠益的名古屋议定书缔约方会议的缔约方大会");
  CHECK(h.session == "第一次会议");
  CHECK(h.dates_venue == "2014 年 10 月 13 日至 17 日，大韩民国平昌");
  CHECK(h.agenda_item == "临时议程*项目 14");
  CHECK(h.title == "与其他公约、国际组织和倡议的合作");
  CHECK(h.doc_type == "执行秘书的说明");
  CHECK(h.other_lines.empty());

  const Passage& p = doc.passages.at(0);
  CHECK(p.kind == PassageKind::header);
  CHECK(p.para == "header");
  CHECK(p.id == kSymbol + "#header");
  CHECK(p.number == 0);
  CHECK(p.text ==
        "作为关于获取遗传资源和公正和公平分享其利用所产生惠益的名古屋议定书缔约方会议的缔约方大会\n"
        "第一次会议\n2014 年 10 月 13 日至 17 日，大韩民国平昌\n临时议程*项目 14\n"
        "与其他公约、国际组织和倡议的合作\n执行秘书的说明");
  CHECK(p.section_path.empty());
  CHECK(p.first_line == 1);
  CHECK(p.last_line == 13);
}

TEST_CASE("seed: passages in order, numbered paragraphs 1..37 and their items", "[parser][seed]") {
  const Document doc = parse_seed();
  const std::vector<std::pair<int, std::string>> items = {
      {9, "abc"}, {18, "abc"}, {23, "abc"}, {26, "ab"}, {27, "abcd"}};
  std::vector<std::string> expected = {"header"};
  for (int n = 1; n <= 37; ++n) {
    expected.push_back(std::to_string(n));
    for (const auto& [para, letters] : items)
      if (para == n)
        for (char c : letters) expected.push_back(std::to_string(n) + "(" + c + ")");
  }
  CHECK(para_labels(doc) == expected);
  CHECK(doc.passages.size() == 1 + 37 + 15);

  int next = 1;
  for (const Passage& p : doc.passages) {
    if (p.kind != PassageKind::paragraph) continue;
    CHECK(p.number == next);
    CHECK(p.para == std::to_string(next));
    CHECK(p.id == kSymbol + "#" + std::to_string(next));
    CHECK(p.item.empty());
    CHECK_FALSE(p.text.empty());
    ++next;
  }
  CHECK(next == 38);

  for (const auto& [para, letters] : items) {
    for (char c : letters) {
      const std::string label = std::to_string(para) + "(" + c + ")";
      const Passage& item = passage(doc, label);
      CHECK(item.kind == PassageKind::item);
      CHECK(item.id == kSymbol + "#" + label);
      CHECK(item.number == para);
      CHECK(item.item == std::string(1, c));
      CHECK(item.section_path == passage(doc, std::to_string(para)).section_path);
    }
  }
}

TEST_CASE("seed: texts of paragraphs, lead-ins and items", "[parser][seed]") {
  const Document doc = parse_seed();
  struct Case {
    std::string para, begins, ends;
  };
  const std::vector<Case> cases = {
      {"1", "与其他公约、国际组织和倡议的合作对于实现爱知生物多样性目标 16，即“到 2015年，《关于获取",
       "协力执行获取和惠益分享做法。"},
      {"5", "本说明概述了", "无意详尽地说明各项合作活动。"},
      {"9", "生物多样性公约秘书处和粮农植物遗传资源国际条约秘书处联合组织了一系列活动，", "最近的联合活动的实例包括："},
      {"9(a)", "与 2011 年和 2012 年的政府间委员会第一次和第二次会议以及 2011 年第 8(j)条不限成员名额",
       "《粮农植物遗传资源国际条约》的机会；"},
      {"9(c)", "2013 年 2 月，在巴西", "相互支持方面的联合情况介绍。"},
      {"26", "同自然保护联盟的合作", "合作领域如下："},
      {"26(a)", "自然保护联盟正在执行环境规划署全球环境基金的区域项目：加强在拉丁美洲", "指导委员会；"},
      {"27(d)", "太平洋区域环境规划署秘书处：", "缔约方第一次会议议的资料。"},
      {"33", "获取和惠益分享也是整个《公约》", "概述如下："},
      {"37", "公约秘书处和伦理生物贸易联盟（UEBT）", "做了专题介绍。"},
  };
  for (const Case& c : cases) {
    INFO(c.para);
    const std::string& text = passage(doc, c.para).text;
    CHECK(text.starts_with(c.begins));
    CHECK(text.ends_with(c.ends));
  }
}

TEST_CASE("seed: hard wraps rejoined, running headers and page layout dropped", "[parser][seed]") {
  const Document doc = parse_seed();
  const Passage& p1 = passage(doc, "1");
  CHECK(contains(p1.text, "名古屋议定书"));
  CHECK(contains(p1.text, "向各缔约方提供援助"));
  CHECK(p1.first_line == 17);
  CHECK(p1.last_line == 25);

  // The page 5 running header falls between 区域经济|委员会.
  const Passage& p21 = passage(doc, "21");
  CHECK(contains(p21.text, "非洲联盟委员会和区域经济委员会（包括西非国家经济共同体"));
  CHECK_FALSE(contains(p21.text, "Page"));
  CHECK_FALSE(contains(p21.text, "UNEP/CBD"));
  CHECK(contains(p21.text, "（2014 年 6 月 9日-13 日在乌干达的坎帕拉）"));
  CHECK(p21.first_line == 235);
  CHECK(p21.last_line == 266);

  // A page break (indented line) in the middle of paragraph 28.
  CHECK(contains(passage(doc, "28").text, "东南亚国家联盟（东盟）、国际山区综合开发中心"));
  // Page-start lines that begin a paragraph or an item.
  CHECK(passage(doc, "5").first_line == 50);
  CHECK(passage(doc, "26(a)").first_line == 324);

  for (const Passage& p : doc.passages) {
    INFO(p.para);
    CHECK_FALSE(contains(p.text, "Page 5"));
    CHECK_FALSE(contains(p.text, kSymbol));
    CHECK_FALSE(contains(p.text, "  "));
    CHECK_FALSE(contains(p.text, "______"));
    CHECK(p.first_line <= p.last_line);
  }
}

TEST_CASE("seed: sections and section paths", "[parser][seed]") {
  const Document doc = parse_seed();
  struct Expected {
    std::string label, title;
    int level;
    std::string first_para;
  };
  const std::vector<Expected> expected = {
      {"一", "导言", 1, "1"},
      {"二", "与其他公约、国际组织和倡议的合作", 1, "6"},
      {"A", "粮食和农业植物遗传资源国际条约", 2, "7"},
      {"B", "粮食和农业遗传资源委员会", 2, "15"},
      {"C", "联合国贸易和发展会议", 2, "18"},
      {"D", "联合国环境规划署", 2, "19"},
      {"E", "联合国大学高等研究所", 2, "23"},
      {"F", "世界知识产权组织", 2, "24"},
      {"G", "联合国海洋法公约", 2, "25"},
      {"H", "国际自然保护联盟", 2, "26"},
      {"I", "区域和次区域组织和机构", 2, "27"},
      {"J", "获取和惠益分享能力发展倡议", 2, "29"},
      {"K", "其他组织和倡议", 2, "33"},
      {"", "世界菌种收集联合会", 3, "34"},
      {"", "国际生物多样性计划", 3, "35"},
      {"", "海洋生物药学研究会", 3, "36"},
      {"", "伦理生物贸易联盟", 3, "37"},
  };
  REQUIRE(doc.sections.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& s = doc.sections[i];
    INFO(i);
    CHECK(s.label == expected[i].label);
    CHECK(s.title == expected[i].title);
    CHECK(s.level == expected[i].level);
    REQUIRE(s.first_passage < doc.passages.size());
    CHECK(doc.passages[s.first_passage].para == expected[i].first_para);
  }
  CHECK(doc.sections[0].heading() == "一. 导言");
  CHECK(doc.sections[0].line == 15);
  CHECK(doc.sections[14].line == 460);  // " 国际生物多样性计划" starts page 8

  const std::string two = "二. 与其他公约、国际组织和倡议的合作";
  const std::string k = "K. 其他组织和倡议";
  CHECK(passage(doc, "5").section_path == std::vector<std::string>{"一. 导言"});
  CHECK(passage(doc, "6").section_path == std::vector<std::string>{two});
  CHECK(passage(doc, "7").section_path == std::vector<std::string>{two, "A. 粮食和农业植物遗传资源国际条约"});
  CHECK(passage(doc, "27(b)").section_path == std::vector<std::string>{two, "I. 区域和次区域组织和机构"});
  CHECK(passage(doc, "33").section_path == std::vector<std::string>{two, k});
  CHECK(passage(doc, "34").section_path == std::vector<std::string>{two, k, "世界菌种收集联合会"});
  CHECK(passage(doc, "35").section_path == std::vector<std::string>{two, k, "国际生物多样性计划"});
  CHECK(passage(doc, "37").section_path == std::vector<std::string>{two, k, "伦理生物贸易联盟"});
}

TEST_CASE("seed: footnotes, their links and the passages citing them", "[parser][seed]") {
  const Document doc = parse_seed();
  REQUIRE(doc.footnotes.size() == 4);
  struct Expected {
    int number;
    std::string text;
    int line;
    std::vector<std::string> links;
    std::string cited_by;
  };
  const std::vector<Expected> expected = {
      {1, "UNEP/CBD/NP/COP-MOP/1/INF/5。", 180, {}, "12"},
      {2, "第 XI/6 号决定的第 22 段。", 182, {}, "15"},
      {3, "相关材料请查阅 https://www.cbd.int/abs/policy-brief/default.shtml/。", 319,
       {"https://www.cbd.int/abs/policy-brief/default.shtml/"}, "23(b)"},
      {4, "2013年 3月 25日-26日于日本东京。", 321, {}, "23(c)"},
  };
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& f = doc.footnotes[i];
    INFO(f.number);
    CHECK(f.number == expected[i].number);
    CHECK(f.text == expected[i].text);
    CHECK(f.line == expected[i].line);
    CHECK(f.links == expected[i].links);
    CHECK(passage(doc, expected[i].cited_by).footnotes == std::vector<int>{expected[i].number});
  }
  int citations = 0;
  for (const Passage& p : doc.passages) citations += static_cast<int>(p.footnotes.size());
  CHECK(citations == 4);

  // Markers are gone; numbers that are not markers stay.
  CHECK(contains(passage(doc, "12").text, "这些详细信息可以在资料文件中查阅。生物多样性公约秘书处目前还接待了"));
  CHECK(contains(passage(doc, "15").text, "缔约方大会第十一届会议以及遗传资源委员会第十三次会议"));
  CHECK(passage(doc, "23(b)").text == "为在不同部门工作的遗传资源使用者制定提高对《名古屋议定》的认识的材料；");
  CHECK(contains(passage(doc, "23(c)").text, "第 19 条和 20 条的非正式会议。会议得到了高研所"));
  CHECK(contains(passage(doc, "1").text, "目标 16，即"));
  CHECK(contains(passage(doc, "17").text, "会第 14 次常会开幕期间"));
  CHECK(contains(passage(doc, "16").text, "在 2013 年和 2014 年组办"));
  // Footnote texts never leak into the body.
  for (const Passage& p : doc.passages) {
    INFO(p.para);
    CHECK_FALSE(contains(p.text, "INF/5"));
    CHECK_FALSE(contains(p.text, "日本东京"));
    CHECK_FALSE(contains(p.text, "https://"));
  }
}

TEST_CASE("seed: nothing is lost", "[parser][seed]") {
  const Document doc = parse_seed();
  // Source side, built from the raw file: drop running headers, page numbers and the end rule,
  // take out the four markers, and move the footnote lines (180, 182, 319, 321 and the repeated
  // URL on 323) to the end in the order the parser reports them (text, then links).
  std::istringstream in(treaty::test::read_file(treaty::test::seed_path()));
  std::string body, notes_1_2, note_3, note_4, url, line;
  for (int n = 1; std::getline(in, line); ++n) {
    const std::string t = strip_whitespace(line);
    if (t == kSymbol || t == "Page5" || t == "______") continue;
    if (n == 180 || n == 182) notes_1_2 += t;
    else if (n == 319) note_3 = t;
    else if (n == 321) note_4 = t;
    else if (n == 323) url = t;
    else body += t;
  }
  const std::vector<std::pair<std::string, std::string>> markers = {
      {"查阅。1生物", "查阅。生物"}, {"十一届会议2以及", "十一届会议以及"},
      {"材料；3(c)", "材料；(c)"}, {"会议。4会议", "会议。会议"}};
  for (const auto& [with, without] : markers) {
    const auto pos = body.find(with);
    REQUIRE(pos != std::string::npos);
    body.replace(pos, with.size(), without);
  }
  const std::string source = body + notes_1_2 + note_3 + url + note_4;

  // Parsed side: headings and passages (with their labels) in document order, then footnotes
  // (number, text, links).
  std::string parsed;
  std::size_t s = 0;
  for (std::size_t p = 0; p < doc.passages.size(); ++p) {
    for (; s < doc.sections.size() && doc.sections[s].first_passage == p; ++s) parsed += doc.sections[s].heading();
    // Paragraph numbers and item letters live in Passage::para; put them back in front.
    const Passage& passage = doc.passages[p];
    if (passage.kind == PassageKind::paragraph) parsed += passage.para + ".";
    if (passage.kind == PassageKind::item) parsed += "(" + passage.item + ")";
    parsed += passage.text;
  }
  for (const auto& f : doc.footnotes) {
    parsed += std::to_string(f.number) + f.text;
    for (const auto& link : f.links) parsed += link;
  }
  CHECK(strip_whitespace(parsed) == source);
}

TEST_CASE("hard-wrapped lines: Chinese joins without a space, Latin keeps one but a slash none", "[parser]") {
  struct Case {
    std::string first, second, joined;
  };
  const std::vector<Case> cases = {
      {"The Conference of the", "Parties welcomes", "The Conference of the Parties welcomes"},
      {"名古", "屋议定书", "名古屋议定书"},
      {"到 2015", "年，", "到 2015年，"},
      {"粮食和农业植物遗传资源国际条约（ITPGRFA）", "and", "粮食和农业植物遗传资源国际条约（ITPGRFA）and"},
      {"see decision", "XI/1", "see decision XI/1"},
      {"在 2013", "2014 年", "在 2013 2014 年"},
      {"提出简报;", "参加", "提出简报;参加"},
      {"根据第 67/", "212 号决议", "根据第 67/212 号决议"},  // wrapped at a slash: one token again
      {"根据第 67", "/212 号决议", "根据第 67/212 号决议"},
      {"UNEP/CBD/", "COP/12/24", "UNEP/CBD/COP/12/24"},
  };
  for (const Case& c : cases) {
    INFO(c.first << " | " << c.second);
    const Document doc = parse_ok(pdf_lines({"A/RES/67/212", "1. " + c.first, c.second}));
    REQUIRE(doc.passages.size() == 2);
    CHECK(doc.passages[1].text == c.joined);
  }
}

TEST_CASE("benchmark-style document: symbol line, cover lines, page break", "[parser]") {
  const std::string text =
      " 联合国  \n\n" +
      pdf_lines({"UNEP/CBD/NP/COP-MOP/2/7", "Distr.: General", "2016 年 10 月 3 日", "中文", "原文：英文",
                 "作为关于获取遗传资源和公正和公平分享其利用所产", "生惠益的名古屋议定书缔约方会议的缔约方大会",
                 "第二次会议", "2016 年 12 月 4 日至 8 日，墨西哥坎昆", "临时议程*项目 9", "能力建设和发展",
                 "执行秘书的说明", "一.     导言", "1. 第一段的第一行，", "第一段的第二行。", "2. 第二段的引言："}) +
      "(a) 第一项的文字跨越了\n\n\nUNEP/CBD/NP/COP-MOP/2/7 \n\nPage 2 \n \n\n \n\n 页面的边界； \n\n" +
      pdf_lines({"(b) 第二项。", "二.     监测和报告", "3. 第三段。", "__________"});
  const Document doc = parse_ok(text);
  CHECK(doc.symbol == "UNEP/CBD/NP/COP-MOP/2/7");
  const auto& h = doc.header;
  CHECK(h.symbol_line == "UNEP/CBD/NP/COP-MOP/2/7");
  CHECK(h.other_lines == std::vector<std::string>{"联合国", "Distr.: General", "2016 年 10 月 3 日", "中文", "原文：英文"});
  CHECK(h.meeting == "作为关于获取遗传资源和公正和公平分享其利用所产生惠益的名古屋议定书缔约方会议的缔约方大会");
  CHECK(h.session == "第二次会议");
  CHECK(h.dates_venue == "2016 年 12 月 4 日至 8 日，墨西哥坎昆");
  CHECK(h.agenda_item == "临时议程*项目 9");
  CHECK(h.title == "能力建设和发展");
  CHECK(h.doc_type == "执行秘书的说明");
  CHECK(doc.passages[0].text.starts_with("联合国\nUNEP/CBD/NP/COP-MOP/2/7\nDistr.: General\n"));
  CHECK(doc.passages[0].first_line == 1);

  CHECK(para_labels(doc) == std::vector<std::string>{"header", "1", "2", "2(a)", "2(b)", "3"});
  CHECK(passage(doc, "1").text == "第一段的第一行，第一段的第二行。");
  CHECK(passage(doc, "2").text == "第二段的引言：");
  CHECK(passage(doc, "2(a)").text == "第一项的文字跨越了页面的边界；");
  CHECK(passage(doc, "2(a)").id == "UNEP/CBD/NP/COP-MOP/2/7#2(a)");
  CHECK(passage(doc, "3").text == "第三段。");
  CHECK(passage(doc, "3").section_path == std::vector<std::string>{"二. 监测和报告"});
  CHECK(doc.footnotes.empty());
}

TEST_CASE("a number that does not continue the paragraph sequence is text", "[parser]") {
  const Document doc = parse_ok(pdf_lines({"A/RES/67/212", "1. 第一段，见下文", "3. 所述内容。", "2. 第二段",
                                           "2. 仍是第二段。", "(b) 不是第一项。", "(a) 第一项；", "(c) 不是第二项。"}));
  CHECK(para_labels(doc) == std::vector<std::string>{"header", "1", "2", "2(a)"});
  CHECK(passage(doc, "1").text == "第一段，见下文3. 所述内容。");
  CHECK(passage(doc, "2").text == "第二段2. 仍是第二段。(b) 不是第一项。");
  CHECK(passage(doc, "2(a)").text == "第一项；(c) 不是第二项。");
}

TEST_CASE("a gap of one or two numbers is kept, a wider jump after a completed sentence is text", "[parser]") {
  // "7." at a line start inside paragraph 2 (a wrapped sentence), then 3 follows: 7 is text.
  const Document wide = parse_ok(pdf_lines({"A/RES/67/212", "1. 第一段。", "2. 第二段的第一句。",
                                            "7. 你在第二段里。", "3. 第三段。"}));
  CHECK(para_labels(wide) == std::vector<std::string>{"header", "1", "2", "3"});
  CHECK(passage(wide, "2").text == "第二段的第一句。7. 你在第二段里。");
  // Paragraphs 3 and 4 missing: kept as printed, with a warning.
  const Document gap = parse_ok(pdf_lines({"A/RES/67/212", "1. 第一段。", "2. 第二段。", "5. 第五段。"}));
  CHECK(para_labels(gap) == std::vector<std::string>{"header", "1", "2", "5"});
  REQUIRE(gap.warnings.size() == 1);
  CHECK(gap.warnings[0].message.find("numbering gap") != std::string::npos);
}

TEST_CASE("unlettered sub-headings need a completed paragraph and a numbered paragraph next", "[parser]") {
  const Document doc = parse_ok(pdf_lines({"A/RES/67/212", "一. 导言", "1. 第一段。", "小标题", "2. 第二段的开头",
                                           "不是标题", "3. 第三段。", "也不是标题", "继续第三段。"}));
  REQUIRE(doc.sections.size() == 2);
  CHECK(doc.sections[1].title == "小标题");
  CHECK(doc.sections[1].level == 3);
  CHECK(passage(doc, "2").section_path == std::vector<std::string>{"一. 导言", "小标题"});
  CHECK(passage(doc, "2").text == "第二段的开头不是标题");
  CHECK(passage(doc, "3").text == "第三段。也不是标题继续第三段。");
}

TEST_CASE("a decision inside an annex is a section of the annex, numbered by its own label", "[parser]") {
  const Document doc = parse_ok(pdf_lines({"CBD/SBI/9/4", "一. 导言", "1. 会议通过了下列建议。", "附件",
                                           "会议通过的建议", "9/1. 能力建设", "附属履行机构，", "1. 欢迎进展；",
                                           "A. 技术援助", "2. 请秘书处继续。", "9/2. 资源调集", "1. 注意到报告。"}));
  CHECK(para_labels(doc) == std::vector<std::string>{"header", "1", "9/1/pre-1", "9/1/1", "9/1/2", "9/2/1"});
  CHECK(passage(doc, "1").section_path == std::vector<std::string>{"一. 导言"});
  CHECK(passage(doc, "9/1/1").section_path == std::vector<std::string>{"附件. 会议通过的建议", "9/1. 能力建设"});
  // Its lettered sub-heading nests one level further down, and the next decision closes it.
  CHECK(passage(doc, "9/1/2").section_path ==
        std::vector<std::string>{"附件. 会议通过的建议", "9/1. 能力建设", "A. 技术援助"});
  CHECK(passage(doc, "9/2/1").section_path == std::vector<std::string>{"附件. 会议通过的建议", "9/2. 资源调集"});
  // Outside an annex a decision heading stays at the top level.
  const Document decisions = parse_ok(pdf_lines({"CBD/NP/MOP/DEC/9/1", "NP-9/1. 能力建设", "1. 欢迎进展。"}));
  CHECK(passage(decisions, "NP-9/1/1").section_path == std::vector<std::string>{"NP-9/1. 能力建设"});
}

TEST_CASE("footnote markers: only glued numbers, searched forward, before the footnote", "[parser]") {
  const std::string rule(40, ' ');
  const Document doc = parse_ok(pdf_lines({
      "A/RES/67/212", "1. 在（1 年内）和第 1 段中提到的文件。1 另见", "说明2 以及材料；", rule,
      "1  第一个脚注，", "跨行的脚注。", "2 第二个脚注 http://example.org/x。", "http://example.org/x",
      "http://example.org/other", " 2. 下一页的段落，说明3 见脚注。", rule, "3 第三个脚注。", " 3. 第三段。"}));
  REQUIRE(doc.footnotes.size() == 3);
  CHECK(doc.footnotes[0].text == "第一个脚注，跨行的脚注。");
  CHECK(doc.footnotes[1].text == "第二个脚注 http://example.org/x。http://example.org/other");
  CHECK(doc.footnotes[1].links == std::vector<std::string>{"http://example.org/x"});
  CHECK(doc.footnotes[2].text == "第三个脚注。");
  CHECK(passage(doc, "1").footnotes == std::vector<int>{1, 2});
  CHECK(passage(doc, "1").text == "在（1 年内）和第 1 段中提到的文件。另见说明以及材料；");
  // The marker of footnote 3 is in paragraph 2, on the page footnote 3 is printed on.
  CHECK(passage(doc, "2").footnotes == std::vector<int>{3});
  CHECK(passage(doc, "2").text == "下一页的段落，说明见脚注。");
  CHECK(passage(doc, "3").footnotes.empty());
}

TEST_CASE("footnote markers glued before Chinese text, after 。 or between two characters", "[parser]") {
  // Each row: a paragraph's text with its marker, the text without it. Markers are footnote
  // numbers glued on both sides; a number that counts something (个, 年, 段 …) is never one.
  struct Case {
    std::string printed, text;
    int footnote;
  };
  const std::vector<Case> cases = {
      {"已提交报告的缔约方已达 52 个。1随着报告周期的推进，情况有所改善。", "已提交报告的缔约方已达 52 个。随着报告周期的推进，情况有所改善。", 1},
      {"区域评估报告1指出，多数国家设立了主管当局。", "区域评估报告指出，多数国家设立了主管当局。", 1},
      {"问卷调查1所收集的资料表明进展不均衡。", "问卷调查所收集的资料表明进展不均衡。", 1},
      {"秘书处编写了指南。1", "秘书处编写了指南。", 1},
  };
  const std::string rule(40, ' ');
  for (const Case& c : cases) {
    INFO(c.printed);
    const Document doc = parse_ok(pdf_lines({"A/RES/67/212", "1. " + c.printed, rule, "1  脚注的文字。", " 2. 第二段。"}));
    CHECK(passage(doc, "1").text == c.text);
    CHECK(passage(doc, "1").footnotes == std::vector<int>{c.footnote});
    CHECK(doc.warnings.empty());
  }
  // Numbers glued to what they count stay text, and the footnote whose marker is not found is
  // kept as a passage of its own after its nearest paragraph, with a warning.
  const Document doc = parse_ok(pdf_lines({"A/RES/67/212", "1. 共有1个国家和第1段所述的2项活动。", rule,
                                           "1  找不到标记的脚注。", "2  另一个脚注。", " 2. 第二段。"}));
  CHECK(passage(doc, "1").text == "共有1个国家和第1段所述的2项活动。");
  CHECK(passage(doc, "1").footnotes.empty());
  const Passage& kept = passage(doc, "1/note-1");
  CHECK(kept.kind == PassageKind::footnote);
  CHECK(kept.text == "找不到标记的脚注。");
  CHECK(kept.footnotes == std::vector<int>{1});
  CHECK(passage(doc, "1/note-2").text == "另一个脚注。");
  CHECK(para_labels(doc) == std::vector<std::string>{"header", "1", "1/note-1", "1/note-2", "2"});
  REQUIRE(doc.warnings.size() == 2);
  CHECK(doc.warnings[0].message == "footnote 1: no marker found in the text; kept as passage 1/note-1");
}

TEST_CASE("symbol: from the header, a running header or the options", "[parser]") {
  SECTION("running header before the symbol is known") {
    const Document doc = parse_ok(pdf_lines({"标题", "1. 第一段跨", "UNEP/CBD/COP/12/1", "Page 2", " 页。"}));
    CHECK(doc.symbol == "UNEP/CBD/COP/12/1");
    CHECK(doc.header.symbol_line.empty());
    CHECK(passage(doc, "1").text == "第一段跨页。");
    CHECK(passage(doc, "1").id == "UNEP/CBD/COP/12/1#1");
  }
  SECTION("a symbol inside text is text") {
    const Document doc = parse_ok(pdf_lines({"A/RES/67/212", "1. 可见", "UNEP/CBD/COP/12/24", "号文件。"}));
    CHECK(doc.symbol == "A/RES/67/212");
    CHECK(passage(doc, "1").text == "可见UNEP/CBD/COP/12/24号文件。");
  }
  SECTION("ParseOptions::symbol overrides, running headers still dropped") {
    const Document doc = parse_ok(treaty::test::read_file(treaty::test::seed_path()), "UNEP/CBD/NP/COP-MOP/1/6/Corr.1");
    CHECK(doc.symbol == "UNEP/CBD/NP/COP-MOP/1/6/Corr.1");
    CHECK(passage(doc, "21").id == "UNEP/CBD/NP/COP-MOP/1/6/Corr.1#21");
    CHECK_FALSE(contains(passage(doc, "21").text, "UNEP"));
  }
  SECTION("ParseOptions::symbol for a document without one") {
    const Document doc = parse_ok(pdf_lines({"标题", "1. 段落。"}), "A/RES/1/2");
    CHECK(doc.passages[1].id == "A/RES/1/2#1");
  }
  SECTION("text without any numbered paragraph is a header-only document") {
    const Document doc = parse_ok(pdf_lines({"A/RES/67/212", "只有标题", "和说明"}));
    REQUIRE(doc.passages.size() == 1);
    CHECK(doc.passages[0].text == "A/RES/67/212\n只有标题\n和说明");
    CHECK(doc.header.symbol_line == "A/RES/67/212");
  }
}

TEST_CASE("errors are reported as values", "[parser]") {
  struct Case {
    std::string name, text, message;
    int line;
  };
  const std::vector<Case> cases = {
      {"empty", "", "empty document", 0},
      {"whitespace only", "  \n\n \t\r\n\xE3\x80\x80\n", "empty document", 0},
      {"invalid UTF-8", "A/RES/67/212\n\n1. 第一段\xE5\x90\n", "invalid UTF-8", 3},
      {"invalid UTF-8 first line", "\xFF", "invalid UTF-8", 1},
      {"no symbol", pdf_lines({"标题", "1. 段落。"}), "--symbol", 0},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const auto parsed = treaty::parse_document(c.text, ParseOptions{"doc.txt", ""});
    REQUIRE_FALSE(parsed);
    CHECK(contains(parsed.error().message, c.message));
    CHECK(parsed.error().file == "doc.txt");
    CHECK(parsed.error().line == c.line);
  }
}

TEST_CASE("looks_like_symbol", "[parser]") {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"UNEP/CBD/NP/COP-MOP/1/6", true}, {"A/RES/67/212", true}, {"  UNEP/CBD/COP/12/24 ", true},
      {"UNEP/CBD/NP/COP-MOP/1/6/Corr.1", true}, {"XI/1", false}, {"UNEP/CBD", false},
      {"unep/cbd/cop/12", false}, {"1/2/3", false}, {"UNEP//COP/12", false}, {"UNEP/CBD/COP/12/", false},
      {"UNEP/CBD/NP/COP-MOP/1/INF/5。", false}, {"UNEP /CBD/COP", false}, {"", false}, {"Page 5", false},
  };
  for (const auto& [s, expected] : cases) {
    INFO(s);
    CHECK(treaty::looks_like_symbol(s) == expected);
  }
}

// Found by tests/fuzz/fuzz_document_parser (its "nothing lost" check): only "第 N 页" with 1-4
// digits is a page label; anything else shaped like one is text. U+FEFF is layout whitespace.
TEST_CASE("page labels are 第 N 页 exactly — a byte-order mark anywhere is layout", "[parser][fuzz]") {
  const Document doc = parse_ok(pdf_lines({"A/RES/67/212", "1. 第一段的开头", "第 12 页", "\xEF\xBB\xBF接着第一段，",
                                           "第 3 8页", "第 12345 页", "继续。\xEF\xBB\xBF"}));
  CHECK(para_labels(doc) == std::vector<std::string>{"header", "1"});
  CHECK(passage(doc, "1").text == "第一段的开头接着第一段，第 3 8页第 12345 页继续。");
  CHECK(passage(doc, "1").last_line == 13);
}
