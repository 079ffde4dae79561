#include "core/documents/page_lines.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/base/utf8.h"
#include "core/documents/parser_lines.h"

namespace treaty::page_lines {

using parser_lines::is_wide;

std::vector<Line> group_lines(const PageBoxes& page, int page_number, int first_number) {
  std::vector<const TextBox*> boxes;
  for (const TextBox& b : page.boxes) boxes.push_back(&b);
  const auto center = [](const TextBox* b) { return (b->y0 + b->y1) / 2; };
  std::stable_sort(boxes.begin(), boxes.end(), [&](const TextBox* a, const TextBox* b) { return center(a) < center(b); });
  std::vector<Line> lines;
  double top = 0, bottom = 0;
  // A box joins the line above it when their heights overlap by half the smaller one (a raised
  // marker overlaps its line; the next line does not).
  const auto overlaps = [&](const TextBox* b) {
    const double overlap = std::min(bottom, b->y1) - std::max(top, b->y0);
    return overlap > 0.5 * std::min(bottom - top, b->y1 - b->y0);
  };
  for (const TextBox* b : boxes) {
    if (lines.empty() || !overlaps(b)) {
      lines.emplace_back();
      top = b->y0;
      bottom = b->y1;
    } else {
      top = std::min(top, b->y0);
      bottom = std::max(bottom, b->y1);
    }
    lines.back().boxes.push_back(b);
  }
  for (Line& l : lines) {
    std::stable_sort(l.boxes.begin(), l.boxes.end(), [](const TextBox* a, const TextBox* b) { return a->x0 < b->x0; });
    for (const TextBox* b : l.boxes) l.size = std::max(l.size, b->font_size);
    bool first = true;
    for (const TextBox* b : l.boxes) {
      if (b->font_size < l.size * 0.85) continue;
      l.x0 = first ? b->x0 : std::min(l.x0, b->x0);
      l.y0 = first ? b->y0 : std::min(l.y0, b->y0);
      l.y1 = first ? b->y1 : std::max(l.y1, b->y1);
      l.x1 = first ? b->x1 : std::max(l.x1, b->x1);
      first = false;
    }
    for (const TextBox* b : l.boxes) l.x1 = std::max(l.x1, b->x1);
    Segment s{0, 0, l.boxes.front()->x0, l.boxes.front()->x1};
    for (std::size_t i = 1; i < l.boxes.size(); ++i) {
      if (l.boxes[i]->x0 - s.x1 > std::max(0.6 * l.size, 4.0)) {
        l.segments.push_back(s);
        s = Segment{i, i, l.boxes[i]->x0, l.boxes[i]->x1};
      } else {
        s.last = i;
        s.x1 = std::max(s.x1, l.boxes[i]->x1);
      }
    }
    l.segments.push_back(s);
    l.page = page_number;
    l.number = first_number++;
    l.text = line_text(l, {}).text;
  }
  return lines;
}

double body_font_size(const std::vector<std::vector<Line>>& pages) {
  std::map<long, std::size_t> chars;  // size in half points -> characters
  for (const auto& lines : pages)
    for (const Line& l : lines)
      for (const TextBox* b : l.boxes) chars[std::lround(b->font_size * 2)] += b->text.size();
  long best = 24;
  std::size_t most = 0;
  for (const auto& [size, n] : chars)
    if (n > most) {
      most = n;
      best = size;
    }
  return static_cast<double>(best) / 2;
}

bool is_marker(const TextBox& b, const Line& line) {
  if (b.text.empty() || b.text.size() > 3 || b.font_size > line.size * 0.8) return false;
  const bool digits = std::all_of(b.text.begin(), b.text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits && b.text != "*") return false;
  return (b.y0 + b.y1) / 2 < (line.y0 + line.y1) / 2 - 0.05 * line.size;
}

LineText boxes_text(const Line& line, std::size_t first, std::size_t last, const std::set<int>& linked) {
  LineText out;
  const TextBox* prev = nullptr;  // the last box whose text was kept
  double taken = 0;               // width of the markers taken out since `prev`
  const TextBox* marker = nullptr;  // the last marker taken out since `prev`
  for (std::size_t i = first; i <= last && i < line.boxes.size(); ++i) {
    const TextBox& b = *line.boxes[i];
    if (is_marker(b, line) && b.text != "*") {
      const int n = std::stoi(b.text);
      if (linked.count(n) != 0) {
        out.markers.push_back(n);
        taken += b.x1 - b.x0;
        marker = &b;
        continue;
      }
      out.unlinked.push_back(n);
    }
    // Poppler splits words at spaces (some narrower than its own threshold) and at markers, not
    // at a change of script, so a gap between two boxes is a space unless a marker filled it.
    // Where a marker was taken out, the space is the one after the marker ("Protocol³ and"):
    // Poppler marks the word before a raised marker as spaced ("草案¹，") when nothing is there.
    const bool space_after = marker != nullptr ? marker->space_after : prev != nullptr && prev->space_after;
    if (prev != nullptr && (space_after || b.x0 - prev->x1 - taken > 0.12 * line.size)) out.text += ' ';
    marker = nullptr;
    out.text += b.text;
    prev = &b;
    taken = 0;
  }
  return out;
}

LineText line_text(const Line& line, const std::set<int>& linked) {
  return boxes_text(line, 0, line.boxes.empty() ? 0 : line.boxes.size() - 1, linked);
}

LineText segment_text(const Line& line, const Segment& s) { return boxes_text(line, s.first, s.last, {}); }

bool opens_paragraph(std::string_view t) {
  using namespace parser_lines;
  return parse_numbered(t) || parse_bracketed(t) || parse_level1(t) || parse_level2(t) || parse_decision_heading(t) ||
         parse_annex_heading(t) || starts_preamble(t);
}

void wrap_join(std::string& out, std::string_view next) {
  if (next.empty()) return;
  if (out.empty()) {
    out = std::string(next);
    return;
  }
  const char32_t a = parser_lines::last_cp(out);
  std::size_t i = 0;
  const char32_t b = next_code_point(next, i);
  const auto digit = [](char32_t c) { return c >= U'0' && c <= U'9'; };
  const auto latin = [&](char32_t c) { return digit(c) || (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z'); };
  // Chinese text sets a space between Han and a number or Latin word ("其中 12 个"); a line
  // wrapped there printed it at the line end, where it leaves no trace.
  const bool spaced_han = (is_han(a) && latin(b)) || (latin(a) && is_han(b));
  const bool direct = a == U'-' || a == U'/' || b == U'/' || (digit(a) && digit(b)) ||
                      ((is_wide(a) || is_wide(b)) && !spaced_han);
  if (!direct && a != U' ') out += ' ';
  out += next;
}

}  // namespace treaty::page_lines
