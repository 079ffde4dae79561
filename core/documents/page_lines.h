// Printed lines of a PDF page (page_layout.cpp's first step): word boxes grouped by height into
// lines and by horizontal gaps into segments, the text of a line with its footnote markers
// taken out, and the rejoining of wrapped lines. Internal to the documents layer.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/documents/page_model.h"

namespace treaty::page_lines {

enum class Role { body, furniture, footnote };

// Boxes of one line separated from the next segment by a gap wider than 0.6 em (a space is
// about 0.25 em): a table cell or a cover column.
struct Segment {
  std::size_t first = 0, last = 0;  // indices into Line::boxes, inclusive
  double x0 = 0, x1 = 0;
};

struct Line {
  std::vector<const TextBox*> boxes;  // left to right
  std::vector<Segment> segments;      // left to right; one at least
  double x0 = 0, x1 = 0, y0 = 0, y1 = 0;  // extent of its text set at the line's size
  double size = 0;                    // the line's font size (its largest)
  int page = 0;                       // 1-based
  int number = 0;                     // printed line number over the whole document, 1-based
  Role role = Role::body;
  std::string text;                   // its text with every box kept (markers too), as line_text()
                                      // with no footnote linked; set once by group_lines
};

// Groups the boxes of `page` (page number `page_number`) into lines, top first; the first gets
// number `first_number`.
std::vector<Line> group_lines(const PageBoxes& page, int page_number, int first_number);

// The font size most of the document's characters are set in.
double body_font_size(const std::vector<std::vector<Line>>& pages);

// True if box `b` of `line` is a footnote marker: digits (at most three) or '*', set smaller
// than the line and raised above its middle.
bool is_marker(const TextBox& b, const Line& line);

struct LineText {
  std::string text;
  std::vector<int> markers;   // numbers of markers taken out (numbers in `linked`)
  std::vector<int> unlinked;  // marker-like digits left in the text: no footnote has the number
};

// The text of boxes [first, last] of `line`: boxes joined with a space where Poppler saw one
// or the gap is wider than half a character; markers whose number is in `linked` taken out
// ('*' always stays: the cover's agenda mark).
LineText boxes_text(const Line& line, std::size_t first, std::size_t last, const std::set<int>& linked);
LineText line_text(const Line& line, const std::set<int>& linked);
LineText segment_text(const Line& line, const Segment& s);

// True if trimmed line `t` opens a paragraph: a numbered paragraph, an item, a heading, a
// decision or annex heading, a preambular paragraph.
bool opens_paragraph(std::string_view t);

// Appends wrapped line `next` to `out` without inventing a space: Chinese punctuation or Han
// on both sides, a line ending with '-' or '/', or digits on both sides ("2" + "7 个") join
// directly; Latin words keep one space, and so do Han and a number or Latin word ("其中" +
// "12 个"), as Chinese text sets them.
void wrap_join(std::string& out, std::string_view next);

}  // namespace treaty::page_lines
