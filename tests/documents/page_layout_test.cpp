// The page layout (core/documents/page_layout.h) on page models built box by box: each rule on
// the smallest page that shows it, with the lines the structure builder gets checked exactly.
#include "core/documents/page_layout.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/base/utf8.h"
#include "core/documents/parser.h"

using namespace treaty;

namespace {

constexpr double kLeft = 72, kRight = 522;  // the text column of an A4 page

// A box at (x, y) whose width follows its text: a Han character is one em, anything else half.
TextBox box(double x, double y, std::string text, double size = 12, bool space_after = false) {
  double width = 0;
  for (std::size_t i = 0; i < text.size();) width += next_code_point(text, i) >= 0x2E80 ? size : size / 2;
  return TextBox{x, y, x + width, y + size * 1.3, size, space_after, std::move(text)};
}

// A full line of body text (it reaches the right edge) ending with `text`'s last character.
TextBox full_line(double y, const std::string& text) {
  TextBox b = box(kLeft, y, text);
  b.x1 = kRight;
  return b;
}

PageBoxes page(std::vector<TextBox> boxes) { return PageBoxes{595, 842, std::move(boxes)}; }

// Running header (symbol, page label) on pages after the first.
void add_header(PageBoxes& p, int number) {
  p.boxes.push_back(box(kLeft, 40, "CBD/NP/MOP/9/1"));
  p.boxes.push_back(box(kLeft, 56, "第 " + std::to_string(number) + " 页"));
}

std::vector<std::string> texts(const SourceLines& lines) {
  std::vector<std::string> out;
  for (const auto& b : lines.body) out.push_back(b.text);
  return out;
}

bool warned(const SourceLines& lines, const std::string& part, int page) {
  for (const ParseWarning& w : lines.warnings)
    if (w.page == page && w.message.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("page layout: running headers and page labels leave the text and become page facts", "[page_layout]") {
  PageModel model;
  model.pages.push_back(page({box(kLeft, 80, "CBD/NP/MOP/9/1"), box(kLeft, 120, "1. 第一段的文字。")}));
  for (int n = 2; n <= 3; ++n) {
    PageBoxes p = page({box(kLeft, 90, std::to_string(n) + ". 第" + (n == 2 ? "二" : "三") + "段的文字。")});
    add_header(p, n);
    model.pages.push_back(std::move(p));
  }
  const SourceLines lines = lay_out_pages(model);
  CHECK(texts(lines) == std::vector<std::string>{"CBD/NP/MOP/9/1", "1. 第一段的文字。", "2. 第二段的文字。", "3. 第三段的文字。"});
  REQUIRE(lines.pages.size() == 3);
  CHECK(lines.pages[0].furniture.empty());  // the cover's symbol is the cover's
  CHECK(lines.pages[1].furniture == std::vector<std::string>{"CBD/NP/MOP/9/1", "第 2 页"});
  CHECK(lines.pages[2].label == "第 3 页");
  CHECK(lines.header_symbol == 0u);
  CHECK(lines.printed_symbol == "CBD/NP/MOP/9/1");
}

TEST_CASE("page layout: footnotes by their size, raised markers linked by number and taken out", "[page_layout]") {
  PageModel model;
  model.pages.push_back(page({
      box(kLeft, 80, "CBD/NP/MOP/9/1"),
      box(kLeft, 120, "1. 评估报告"), box(kLeft + 66, 119, "1", 7), box(kLeft + 70, 120, "指出进展不均衡。"),
      box(kLeft, 140, "2. 第二段"), box(kLeft + 54, 139, "5", 7), box(kLeft + 58, 140, "的文字。"),
      box(kLeft, 760, "1", 10), box(kLeft + 17, 760, "见第一份报告，"),
      box(kLeft + 17, 774, "第二行。", 10)}));
  // The footnote text at 10 pt (the line above is at 12 pt): a box per line is enough.
  model.pages[0].boxes[8].font_size = 10;
  const SourceLines lines = lay_out_pages(model);
  CHECK(texts(lines) == std::vector<std::string>{"CBD/NP/MOP/9/1", "1. 评估报告指出进展不均衡。", "2. 第二段5的文字。"});
  REQUIRE(lines.footnotes.size() == 1);
  CHECK(lines.footnotes[0].number == 1);
  CHECK(lines.footnotes[0].text == "见第一份报告，第二行。");
  CHECK(lines.citations == std::vector<std::pair<std::size_t, int>>{{1, 1}});
  // Marker 5 has no footnote: its digit stays in the text, with a warning.
  CHECK(warned(lines, "footnote marker 5 has no footnote", 1));
}

TEST_CASE("page layout: a marker taken out leaves the space that followed it, and no other", "[page_layout]") {
  PageModel model;
  // Poppler marks the word before a raised marker as followed by a space, whatever follows.
  model.pages.push_back(page({
      box(kLeft, 80, "CBD/NP/MOP/9/1"),
      box(kLeft, 120, "1. 决定草案", 12, true), box(kLeft + 60, 119, "2", 7), box(kLeft + 64, 120, "，并感谢各方。"),
      box(kLeft, 140, "2. the Protocol", 12, true), box(kLeft + 90, 139, "2", 7, true), box(kLeft + 97, 140, "and others."),
      box(kLeft, 760, "2", 10), box(kLeft + 17, 760, "见附件。", 10)}));
  const SourceLines lines = lay_out_pages(model);
  CHECK(texts(lines) == std::vector<std::string>{"CBD/NP/MOP/9/1", "1. 决定草案，并感谢各方。", "2. the Protocol and others."});
  CHECK(lines.citations == std::vector<std::pair<std::size_t, int>>{{1, 2}, {2, 2}});
}

TEST_CASE("page layout: wrapped lines rejoin without inventing spaces, across pages too", "[page_layout]") {
  // Each row: the end of a full line, the start of the next, the rejoined text.
  struct Case {
    std::string first, second, joined;
  };
  const std::vector<Case> cases = {
      {"1. 已达 2", "7 个国家。", "1. 已达 27 个国家。"},
      {"1. 见第 BS-", "V/16 号决定。", "1. 见第 BS-V/16 号决定。"},
      {"1. 其中 12", "个缔约方。", "1. 其中 12 个缔约方。"},
      {"1. 名古", "屋议定书。", "1. 名古屋议定书。"},
      {"1. the Nagoya", "Protocol。", "1. the Nagoya Protocol。"},
  };
  for (const Case& c : cases) {
    INFO(c.joined);
    PageModel model;
    model.pages.push_back(page({box(kLeft, 80, "CBD/NP/MOP/9/1"), full_line(120, c.first), box(kLeft, 140, c.second)}));
    CHECK(texts(lay_out_pages(model)).back() == c.joined);
    // The same break at a page foot: the next page's header between the two halves.
    PageModel two;
    two.pages.push_back(page({box(kLeft, 80, "CBD/NP/MOP/9/1"), full_line(700, c.first)}));
    PageBoxes next = page({box(kLeft, 90, c.second)});
    add_header(next, 2);
    two.pages.push_back(std::move(next));
    CHECK(texts(lay_out_pages(two)).back() == c.joined);
  }
  // A short line ends its paragraph; so does a full one before a numbered paragraph.
  PageModel model;
  model.pages.push_back(page({box(kLeft, 80, "CBD/NP/MOP/9/1"), box(kLeft, 120, "1. 短的一行。"),
                              box(kLeft, 140, "接着的文字。"), full_line(160, "2. 满的一行。"), box(kLeft, 180, "3. 第三段。")}));
  CHECK(texts(lay_out_pages(model)) ==
        std::vector<std::string>{"CBD/NP/MOP/9/1", "1. 短的一行。", "接着的文字。", "2. 满的一行。", "3. 第三段。"});
}

TEST_CASE("page layout: a table becomes rows whose cells carry the header row's labels", "[page_layout]") {
  PageModel model;
  model.pages.push_back(page({
      box(kLeft, 80, "CBD/NP/MOP/9/1"), box(kLeft, 110, "1. 各区域的情况如下："),
      // Header row: a centred label, a header cell wrapped over two lines.
      box(kLeft + 20, 140, "区域"), box(kLeft + 150, 140, "讲习班数"), box(kLeft + 300, 140, "参加者人"),
      box(kLeft + 300, 156, "数"),
      box(kLeft, 176, "非洲"), box(kLeft + 150, 176, "12"), box(kLeft + 300, 176, "340"),
      box(kLeft, 196, "亚洲及太平洋"), box(kLeft + 150, 196, "9"), box(kLeft + 300, 196, "215"),
      box(kLeft, 226, "2. 表后的段落。")}));
  // The wrapped header cell fills its column.
  model.pages[0].boxes[4].x1 = kLeft + 450;
  const SourceLines lines = lay_out_pages(model);
  CHECK(texts(lines) == std::vector<std::string>{"CBD/NP/MOP/9/1", "1. 各区域的情况如下：", "区域：非洲；讲习班数：12；参加者人数：340",
                                                 "区域：亚洲及太平洋；讲习班数：9；参加者人数：215", "2. 表后的段落。"});
  REQUIRE(lines.body.size() == 5);
  CHECK(lines.body[2].table == 1);
  CHECK(lines.body[3].row == 2);
  // Through the structure builder: passages of their own, in the section of the table.
  auto doc = parse_pages(model, ParseOptions{"t.pdf", ""});
  REQUIRE(doc);
  REQUIRE(doc->passages.size() == 5);
  CHECK(doc->passages[2].para == "table-1/row-1");
  CHECK(doc->passages[2].kind == PassageKind::table_row);
  CHECK(doc->passages[4].para == "2");
}

TEST_CASE("page layout: a cell closer to its neighbour than a segment gap is a column of its own", "[page_layout]") {
  PageModel model;
  model.pages.push_back(page({
      box(kLeft, 80, "CBD/NP/MOP/9/1"), full_line(94, "1. 所需资金的估计数按区域和来源列示，"), box(kLeft, 110, "如下："),
      // A header cell wrapped over two lines above right-aligned numbers.
      box(kLeft, 140, "区域"), box(kLeft + 150, 140, "2021", 12, true), box(kLeft + 177, 140, "年数"),
      box(kLeft + 240, 140, "资金来源"), box(kLeft + 150, 156, "额（百万）"),
      // A right-aligned number 5 pt before a left-aligned cell: one segment, two columns.
      box(kLeft, 176, "非洲"), box(kLeft + 190, 176, "12.5", 12, true), box(kLeft + 219, 176, "全球基金"),
      box(kLeft, 196, "亚洲"), box(kLeft + 196, 196, "8.1", 12, true), box(kLeft + 219, 196, "双边捐助方"),
      full_line(226, "2. 表后的段落，"), box(kLeft, 242, "到此为止。")}));
  const SourceLines lines = lay_out_pages(model);
  CHECK(texts(lines) == std::vector<std::string>{"CBD/NP/MOP/9/1", "1. 所需资金的估计数按区域和来源列示，如下：",
                                                 "区域：非洲；2021 年数额（百万）：12.5；资金来源：全球基金",
                                                 "区域：亚洲；2021 年数额（百万）：8.1；资金来源：双边捐助方", "2. 表后的段落，到此为止。"});
}

TEST_CASE("page layout: a cover's meeting block beside the distribution block is read column by column", "[page_layout]") {
  const double right = kLeft + 280;  // where the distribution block's column starts
  PageModel model;
  model.pages.push_back(page({
      box(kLeft, 60, "联合国"), box(right, 60, "CBD/NP/MOP/9/1"),
      box(kLeft, 80, "作为某某议定书缔约方会议的缔约方"), box(right, 80, "Distr.: General"),
      box(kLeft, 98, "大会"), box(right, 98, "2022 年 10 月 3 日"),
      box(kLeft, 116, "第九次会议"), box(right, 116, "中文"),
      // The dates wrapped in the narrow column; the agenda item runs on below the other block.
      box(kLeft, 134, "2030 年 1 月 7 日至 9 日，蒙特"), box(right, 134, "Original: English"),
      box(kLeft, 152, "利尔"), box(kLeft, 170, "临时议程*项目 3"),
      // After a gap, under both columns: the title and the document type.
      box(kLeft, 200, "资源调集：评估"), box(kLeft, 220, "执行秘书的说明"),
      box(kLeft, 260, "1. 第一段。")}));
  auto doc = parse_pages(model, ParseOptions{"t.pdf", ""});
  REQUIRE(doc);
  CHECK(doc->header.meeting == "作为某某议定书缔约方会议的缔约方大会");
  CHECK(doc->header.session == "第九次会议");
  CHECK(doc->header.dates_venue == "2030 年 1 月 7 日至 9 日，蒙特利尔");
  CHECK(doc->header.agenda_item == "临时议程*项目 3");
  CHECK(doc->header.issued == "2022-10-03");
  CHECK(doc->header.original == "en");
  CHECK(doc->header.title == "资源调集：评估");
  CHECK(doc->header.doc_type == "执行秘书的说明");
}

TEST_CASE("page layout: pages without text or with a scrambled text layer are named in warnings", "[page_layout]") {
  PageModel model;
  model.pages.push_back(page({box(kLeft, 80, "CBD/NP/MOP/9/1"), box(kLeft, 120, "1. 第一段。")}));
  model.pages.push_back(page({}));
  PageBoxes scrambled = page({});
  for (int i = 0; i < 30; ++i) scrambled.boxes.push_back(box(kLeft + 10 * (i % 10), 100 + 20 * (i / 10), std::string(1, 'a' + i % 26)));
  model.pages.push_back(std::move(scrambled));
  const SourceLines lines = lay_out_pages(model);
  CHECK(warned(lines, "page 2 has no text layer", 2));
  CHECK(warned(lines, "page 3 has a scrambled text layer (100 % one-letter words)", 3));
  // Its text is kept all the same.
  std::string all;
  for (const auto& t : texts(lines)) all += t;
  CHECK(all.find("a b c d e f g h i j") != std::string::npos);
}

TEST_CASE("page model: its text form reads back as written", "[page_layout]") {
  PageModel model;
  model.pages.push_back(page({box(kLeft, 80, "CBD/NP/MOP/9/1", 12, true), box(100.25, 120.5, "第 一")}));
  model.pages.push_back(page({}));
  const std::string text = page_model_text(model);
  auto back = parse_page_model_text(text, "x");
  REQUIRE(back);
  REQUIRE(back->pages.size() == 2);
  REQUIRE(back->pages[0].boxes.size() == 2);
  CHECK(back->pages[0].boxes[0].space_after);
  CHECK(back->pages[0].boxes[1].text == "第 一");
  CHECK(back->pages[0].boxes[1].x0 == Approx(100.25));
  CHECK(page_model_text(*back) == text);
  const auto bad = parse_page_model_text(std::string(kPageModelMagic) + "P 1 2\nB 1 2 x\n", "x.pdf");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().describe() == "x.pdf:3: malformed page model line");
}
