#include "core/documents/page_layout.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "core/base/utf8.h"
#include "core/documents/cover.h"
#include "core/documents/page_lines.h"
#include "core/documents/page_tables.h"
#include "core/documents/parser.h"
#include "core/documents/parser_lines.h"

namespace treaty {
namespace {

using namespace parser_lines;
using namespace page_lines;
using structure::BodyLine;

// "CBD/NP/MOP/4/7 第 3 页" -> "CBD/NP/MOP/#/# 第 # 页": what repeats on every page.
std::string furniture_key(std::string_view text) {
  std::string key;
  for (char c : text) {
    if (c == ' ') continue;
    key += is_digit(c) ? '#' : c;
  }
  return key;
}

// A line a page prints around its text, judged from the line alone.
bool is_furniture_text(std::string_view t, int page) {
  return is_page_label(t) || (page > 1 && looks_like_symbol(t));
}

class Layout {
 public:
  explicit Layout(const PageModel& model) : model_(model) {}

  SourceLines run() {
    for (std::size_t p = 0; p < model_.pages.size(); ++p) {
      pages_.push_back(group_lines(model_.pages[p], static_cast<int>(p) + 1, next_line_));
      next_line_ += static_cast<int>(pages_.back().size());
      check_page(p);
    }
    body_size_ = body_font_size(pages_);
    right_edge_ = text_right_edge();
    line_gap_ = common_line_gap();
    for (const auto& lines : pages_) {
      // Where each page's first and last three lines stand and what they say, digits aside.
      edge_keys_.emplace_back();
      for (std::size_t k = 0; k < lines.size(); ++k)
        if (k < 3 || k + 3 >= lines.size()) edge_keys_.back().emplace_back(lines[k].y0, furniture_key(lines[k].text));
    }
    for (std::size_t p = 0; p < pages_.size(); ++p) mark_furniture(p);
    find_note_size();
    for (std::size_t p = 0; p < pages_.size(); ++p) read_footnotes(p);
    for (const Footnote& f : out_.footnotes) linked_.insert(f.number);
    std::vector<const Line*> body;
    for (const auto& lines : pages_)
      for (const Line& l : lines)
        if (l.role == Role::body) body.push_back(&l);
    std::size_t first_body = body.size();
    for (std::size_t i = 0; i < body.size(); ++i)
      if (starts_body(body[i]->text)) {
        first_body = i;
        break;
      }
    emit_cover(std::vector<const Line*>(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(first_body)));
    emit_body(std::vector<const Line*>(body.begin() + static_cast<std::ptrdiff_t>(first_body), body.end()));
    std::stable_sort(out_.footnotes.begin(), out_.footnotes.end(),
                     [](const Footnote& a, const Footnote& b) { return a.number < b.number; });
    return std::move(out_);
  }

 private:
  // Where full lines of body text end: most body-size lines are full (a few reach past the
  // margin with hanging punctuation, many end short), so the 80th percentile of their ends.
  double text_right_edge() const {
    std::vector<double> ends;
    for (const auto& lines : pages_)
      for (const Line& l : lines)
        if (std::abs(l.size - body_size_) < 0.6) ends.push_back(l.x1);
    if (ends.empty()) return 0;
    std::sort(ends.begin(), ends.end());
    return ends[std::min(ends.size() - 1, ends.size() * 8 / 10)];
  }

  // The commonest gap between two consecutive body-size lines of a page: the gap inside a
  // paragraph (a new paragraph usually adds space above it).
  double common_line_gap() const {
    std::map<long, int> gaps;  // in half points
    for (const auto& lines : pages_)
      for (std::size_t k = 1; k < lines.size(); ++k) {
        const double gap = lines[k].y0 - lines[k - 1].y1;
        if (std::abs(lines[k].size - body_size_) < 0.6 && std::abs(lines[k - 1].size - body_size_) < 0.6 &&
            gap > -2 && gap < 2 * body_size_)
          ++gaps[std::lround(gap * 2)];
      }
    double best = 0.2 * body_size_;
    int most = 0;
    for (const auto& [gap, n] : gaps)
      if (n > most) {
        most = n;
        best = static_cast<double>(gap) / 2;
      }
    return best;
  }

  void warn(int page, int line, std::string message) { out_.warnings.push_back({line, std::move(message), page}); }

  // A page without text, or one whose text layer looks scrambled (mostly one-letter boxes).
  void check_page(std::size_t p) {
    const PageBoxes& page = model_.pages[p];
    const int number = static_cast<int>(p) + 1;
    if (page.boxes.empty()) {
      warn(number, 0, "page " + std::to_string(number) + " has no text layer (an image? run OCR): nothing of it is indexed");
      return;
    }
    std::size_t single = 0;
    for (const TextBox& b : page.boxes)
      if (cp_count(b.text) == 1 && !is_wide(last_cp(b.text))) ++single;
    if (page.boxes.size() >= 20 && single * 10 >= page.boxes.size() * 6)
      warn(number, 0, "page " + std::to_string(number) + " has a scrambled text layer (" +
                          std::to_string(single * 100 / page.boxes.size()) +
                          " % one-letter words): its text is kept as printed");
  }

  // Running headers and footers: from the top and from the bottom of each page, lines that are
  // furniture by their text or repeat (digits aside) at the same height on half the pages.
  void mark_furniture(std::size_t p) {
    auto& lines = pages_[p];
    const int page = static_cast<int>(p) + 1;
    const auto repeats = [&](const Line& l) {
      if (page == 1 && looks_like_symbol(l.text)) return false;  // the cover's symbol
      const std::string key = furniture_key(l.text);
      std::size_t pages_with = 0;
      for (const auto& edges : edge_keys_)
        if (std::any_of(edges.begin(), edges.end(),
                        [&](const auto& e) { return std::abs(e.first - l.y0) < 4 && e.second == key; }))
          ++pages_with;
      return pages_with >= 2 && pages_with * 2 >= pages_.size();
    };
    const auto is_furniture = [&](const Line& l) {
      return is_furniture_text(trim(l.text), page) || repeats(l);
    };
    PageFacts facts;
    facts.number = page;
    std::vector<std::string> bottom;
    for (std::size_t k = 0; k < lines.size() && k < 3 && is_furniture(lines[k]); ++k) {
      lines[k].role = Role::furniture;
      facts.furniture.push_back(lines[k].text);
    }
    for (std::size_t k = lines.size(); k-- > 0 && k + 3 >= lines.size() && lines[k].role == Role::body &&
                                       is_furniture(lines[k]);) {
      lines[k].role = Role::furniture;
      bottom.insert(bottom.begin(), lines[k].text);
    }
    facts.furniture.insert(facts.furniture.end(), bottom.begin(), bottom.end());
    for (const std::string& f : facts.furniture) {
      if (facts.label.empty() && is_page_label(trim(f))) facts.label = std::string(trim(f));
      if (out_.printed_symbol.empty() && looks_like_symbol(trim(f))) out_.printed_symbol = std::string(trim(f));
    }
    out_.pages.push_back(std::move(facts));
  }

  // The lines at the foot of page `p` set smaller than the body text, up to a line of body size
  // or of several columns (a table) that starts no footnote: [first, size of the page).
  std::size_t small_foot(std::size_t p, double low, double high) const {
    const auto& lines = pages_[p];
    std::size_t first = lines.size();
    for (std::size_t k = lines.size(); k-- > 0;) {
      const Line& l = lines[k];
      if (l.role == Role::furniture) continue;
      if (l.size < low || l.size > high) break;
      if (l.segments.size() >= 2 && !footnote_start(l)) break;
      first = k;
    }
    return first;
  }

  // The size footnotes are set in: the commonest size of footnote first lines at page feet.
  void find_note_size() {
    std::map<long, int> starts;
    for (std::size_t p = 0; p < pages_.size(); ++p)
      for (std::size_t k = small_foot(p, 0, body_size_ - 0.9); k < pages_[p].size(); ++k)
        if (pages_[p][k].role == Role::body && footnote_start(pages_[p][k])) ++starts[std::lround(pages_[p][k].size * 2)];
    int most = 0;
    for (const auto& [size, n] : starts)
      if (n > most) {
        most = n;
        note_size_ = static_cast<double>(size) / 2;
      }
  }

  // The footnote area: the lines at the page foot set in the footnotes' size (smaller text of
  // another size there, such as a table, stays body text).
  void read_footnotes(std::size_t p) {
    auto& lines = pages_[p];
    const int page = static_cast<int>(p) + 1;
    if (note_size_ == 0) return;
    const std::size_t first = small_foot(p, note_size_ - 0.6, std::min(note_size_ + 0.6, body_size_ - 0.9));
    for (std::size_t k = first; k < lines.size(); ++k) {
      Line& l = lines[k];
      if (l.role == Role::furniture) continue;
      const std::string_view t = trim(l.text);
      if (const auto start = footnote_start(l); start && (start->number == 0 ? !has_cover_note_ : start->number > last_note_)) {
        if (start->number == 0) {
          has_cover_note_ = true;
        } else {
          if (start->number != last_note_ + 1)
            warn(page, l.number, "footnote numbering gap: footnote " + std::to_string(last_note_) + " is followed by " +
                                     std::to_string(start->number));
          last_note_ = start->number;
        }
        out_.footnotes.push_back({start->number, start->text, {}, l.number, page});
        l.role = Role::footnote;
        continue;
      }
      if (out_.footnotes.empty()) {
        warn(page, l.number, "unclassified line in the footnote area (kept as body text): " + std::string(t));
        continue;
      }
      wrap_join(out_.footnotes.back().text, t);
      l.role = Role::footnote;
    }
  }

  struct NoteStart {
    int number = 0;  // 0: the cover's "*"
    std::string text;
  };

  // "1 见……" (the number its own box, or glued to the text), "* CBD/…": a footnote's first line.
  std::optional<NoteStart> footnote_start(const Line& l) const {
    if (l.boxes.empty()) return std::nullopt;
    const std::string& first = l.boxes.front()->text;
    std::size_t digits = 0;
    while (digits < first.size() && digits < 4 && is_digit(first[digits])) ++digits;
    NoteStart start;
    std::size_t skip = 0;
    if (first.starts_with("*")) {
      start.number = 0;
      skip = 1;
    } else if (digits > 0 && digits <= 3) {
      start.number = std::stoi(first.substr(0, digits));
      skip = digits;
      if (digits < first.size() && l.boxes.size() > 1) return std::nullopt;  // "2019年 …": text
    } else {
      return std::nullopt;
    }
    start.text = std::string(trim(std::string_view(l.text).substr(std::min(skip, l.text.size()))));
    if (start.text.empty()) return std::nullopt;
    return start;
  }

  // Cover lines, column by column within a multi-column run (a two-column table or section):
  // from a line of two or more segments on, while lines have text beyond the first column.
  void emit_cover(const std::vector<const Line*>& lines) {
    for (std::size_t i = 0; i < lines.size();) {
      if (lines[i]->segments.size() < 2) {
        push_line(*lines[i], lines[i]->text, lines[i]->number);
        ++i;
        continue;
      }
      std::vector<double> columns;
      for (const Segment& s : lines[i]->segments) columns.push_back(s.x0);
      std::size_t end = i + 1;
      // The run goes on while lines have text beyond the first column, or a line of the first
      // column alone that goes on with the first column's text right above it, fits inside it
      // and follows without a paragraph's gap (a block there wraps or runs longer than the one
      // beside it); a line across columns, after a gap or under an empty first column, is the
      // cover's full-width part below.
      for (; end < lines.size(); ++end) {
        const Line& l = *lines[end];
        if (l.segments.size() >= 2) continue;
        if (column_of(columns, l.x0) != 0) continue;
        const Line& above = *lines[end - 1];
        const bool under_first_column = column_of(columns, above.x0) == 0;
        const bool in_first_column = l.x1 < columns[1] - 0.5 * l.size;
        const bool close = l.page == above.page && l.y0 - above.y1 < 0.6 * l.size;
        if (!under_first_column || !in_first_column || !close) break;
      }
      for (std::size_t c = 0; c < columns.size(); ++c) emit_cover_column(lines, i, end, columns, c);
      i = end;
    }
  }

  // Column `c` of the cover run lines[begin, end), top to bottom. A line of a column that is
  // not the last, reaching that column's edge (the end of its longest line), was wrapped there:
  // it is rejoined with the next line of the column, as wrap_join() rejoins body lines, unless
  // that one is a cover line of its own (a session, dates, an agenda item…) or opens a paragraph.
  void emit_cover_column(const std::vector<const Line*>& lines, std::size_t begin, std::size_t end,
                         const std::vector<double>& columns, std::size_t c) {
    std::vector<std::pair<const Line*, const Segment*>> cells;
    double edge = 0;
    for (std::size_t k = begin; k < end; ++k)
      for (const Segment& s : lines[k]->segments)
        if (column_of(columns, s.x0) == c) {
          cells.emplace_back(lines[k], &s);
          edge = std::max(edge, s.x1);
        }
    const bool inner = c + 1 < columns.size();
    bool wrapped = false;  // the last cell pushed reached the column's edge
    for (const auto& [line, segment] : cells) {
      const std::string text = segment_text(*line, *segment).text;
      const std::string_view t = trim(text);
      if (wrapped && !opens_paragraph(t) && !cover::is_cover_line(t)) wrap_join(out_.body.back().text, t);
      else push_line(*line, text, line->number);
      wrapped = inner && segment->x1 > edge - 1.2 * line->size;
    }
  }

  double left_edge() const {
    double left = right_edge_;
    for (const auto& lines : pages_)
      for (const Line& l : lines)
        if (l.role == Role::body) left = std::min(left, l.x0);
    return left;
  }

  void push_line(const Line& l, std::string_view text, int line_no) {
    const std::string_view t = trim(text);
    if (t.empty()) return;
    if (!out_.header_symbol && looks_like_symbol(t)) {
      out_.header_symbol = out_.body.size();
      if (out_.printed_symbol.empty()) out_.printed_symbol = std::string(t);
    }
    out_.body.push_back({line_no, std::string(t), l.page, 0, 0});
  }

  // Body lines: tables as rows, everything else as paragraphs rejoined over wrapped lines.
  void emit_body(const std::vector<const Line*>& lines) {
    std::optional<Paragraph> open;
    std::string prev_text;  // the text of the line before, markers taken out
    const auto flush = [&] {
      if (!open) return;
      const std::string_view t = trim(open->text);
      if (!t.empty()) {
        for (int n : open->markers) out_.citations.emplace_back(out_.body.size(), n);
        out_.body.push_back({open->line, std::string(t), open->page, 0, 0});
      }
      open.reset();
    };
    for (std::size_t i = 0; i < lines.size();) {
      if (const std::size_t end = table_end(lines, i, right_edge_); end > i) {
        flush();
        emit_table(lines, i, end);
        i = end;
        continue;
      }
      const Line& l = *lines[i];
      const LineText lt = line_text(l, linked_);
      if (open && continues(*lines[i - 1], prev_text, l, lt.text)) {
        wrap_join(open->text, trim(lt.text));
      } else {
        flush();
        open = Paragraph{std::string(trim(lt.text)), l.page, l.number, {}};
      }
      note_markers(l, lt, open->markers);
      prev_text = lt.text;
      ++i;
    }
    flush();
  }

  // Markers of `lt` linked to a footnote; a marker whose number no footnote has stays text.
  void note_markers(const Line& l, const LineText& lt, std::vector<int>& into) {
    for (int n : lt.markers) into.push_back(n);
    for (int n : lt.unlinked)
      warn(l.page, l.number, "footnote marker " + std::to_string(n) + " has no footnote (kept in the text)");
  }

  // True if printed line `b` continues the paragraph whose last line is `a` (wrapped at the
  // right edge, not indented further, no gap, and not a new paragraph after a full stop).
  bool continues(const Line& a, std::string_view a_text, const Line& b, std::string_view b_text) const {
    const bool full = a.x1 >= right_edge_ - 1.3 * a.size;
    if (!full || b.x0 > a.x0 + 0.5 * a.size) return false;
    if (a.page == b.page && b.y0 - a.y1 > line_gap_ + 0.25 * a.size) return false;
    const std::string_view at = trim(a_text);
    return at.empty() || !is_terminal(last_cp(at)) || !opens_paragraph(trim(b_text));
  }

  void emit_table(const std::vector<const Line*>& lines, std::size_t begin, std::size_t end) {
    Table table = read_table(lines, begin, end, right_edge_, linked_);
    // A table continued from the previous page repeats its header row (or starts with data).
    const bool continued = last_table_ && last_table_end_ == out_.body.size() && lines[begin]->page > last_table_page_ &&
                           table.columns.size() == last_columns_.size() &&
                           std::equal(table.columns.begin(), table.columns.end(), last_columns_.begin(),
                                      [](double x, double y) { return std::abs(x - y) < 4; });
    if (continued) {
      if (!table.rows.empty() && table.rows.front().cells == last_header_) table.rows.erase(table.rows.begin());
      table.rows.insert(table.rows.begin(), TableRow{last_header_, {}, 0, 0});
    } else {
      ++tables_;
      rows_ = 0;
      last_header_ = table.rows.empty() ? std::vector<std::string>{} : table.rows.front().cells;
    }
    last_columns_ = table.columns;
    const std::vector<std::string> header = table.rows.empty() ? std::vector<std::string>{} : table.rows.front().cells;
    for (std::size_t r = table.rows.size() > 1 ? 1 : 0; r < table.rows.size(); ++r) {
      const TableRow& row = table.rows[r];
      std::string text;
      for (std::size_t c = 0; c < row.cells.size(); ++c) {
        if (row.cells[c].empty()) continue;
        if (!text.empty()) text += "；";
        if (r > 0 && c < header.size() && !header[c].empty()) text += header[c] + "：";
        text += row.cells[c];
      }
      if (text.empty()) continue;
      for (int n : row.markers) out_.citations.emplace_back(out_.body.size(), n);
      out_.body.push_back({row.line, std::move(text), row.page, tables_, ++rows_});
    }
    for (const auto& [page, line, n] : table.unlinked)
      warn(page, line, "footnote marker " + std::to_string(n) + " has no footnote (kept in the text)");
    last_table_ = true;
    last_table_end_ = out_.body.size();
    last_table_page_ = lines[end - 1]->page;
  }

  struct Paragraph {
    std::string text;
    int page = 0;
    int line = 0;
    std::vector<int> markers;
  };

  const PageModel& model_;
  std::vector<std::vector<Line>> pages_;  // printed lines of each page, top first
  SourceLines out_;
  double body_size_ = 12;
  double note_size_ = 0;
  double line_gap_ = 0;   // the gap between two lines of a paragraph
  // Per page: height and furniture_key() of its first and last three lines.
  std::vector<std::vector<std::pair<double, std::string>>> edge_keys_;  // the footnotes' font size; 0: the document has none
  double right_edge_ = 0;
  int next_line_ = 1;
  int last_note_ = 0;
  bool has_cover_note_ = false;
  std::set<int> linked_;  // numbers of the footnotes read: the markers that can be linked
  int tables_ = 0;
  int rows_ = 0;
  bool last_table_ = false;
  std::size_t last_table_end_ = 0;
  int last_table_page_ = 0;
  std::vector<double> last_columns_;
  std::vector<std::string> last_header_;
};

}  // namespace

SourceLines lay_out_pages(const PageModel& model) { return Layout(model).run(); }

}  // namespace treaty
