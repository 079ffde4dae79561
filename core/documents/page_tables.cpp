#include "core/documents/page_tables.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/base/utf8.h"
#include "core/documents/parser_lines.h"

namespace treaty::page_lines {
namespace {

using namespace parser_lines;

// "1." + text, "(a)" + text, "一." + heading: a label set apart by a tab, not a table.
bool is_label_and_text(const Line& l) {
  if (l.segments.size() != 2) return false;
  const std::string label = segment_text(l, l.segments[0]).text;
  if (cp_count(label) > 10) return false;
  const std::string probe = label + " 文";
  return parse_numbered(probe) || parse_bracketed(probe) || parse_level1(probe) || parse_level2(probe) ||
         parse_decision_heading(probe) || parse_annex_heading(label);
}

bool is_table_line(const Line& l) { return l.segments.size() >= 2 && !is_label_and_text(l); }

double column_limit(const std::vector<double>& columns, std::size_t c, double right_edge) {
  return c + 1 < columns.size() ? columns[c + 1] : right_edge;
}

// The line lies within one column (a wrapped cell).
bool fits_one_column(const Line& l, const std::vector<double>& columns, double right_edge) {
  if (l.segments.size() != 1 || opens_paragraph(trim(l.text))) return false;
  return l.x1 <= column_limit(columns, column_of(columns, l.x0), right_edge) + 1;
}

// Per column: where the line's text in it ends (-1: none).
std::vector<double> cell_ends(const Line& l, const std::vector<double>& columns) {
  std::vector<double> ends(columns.size(), -1);
  for (const TextBox* b : l.boxes) {
    double& e = ends[column_of(columns, b->x0)];
    e = std::max(e, b->x1);
  }
  return ends;
}

// Per column: the width of the line's first word in it when that word is of a script written
// with spaces between words (Latin, Cyrillic, Arabic: wrapped only at a space), else 0 (Han,
// which wraps anywhere, or no text there).
std::vector<double> first_word_widths(const Line& l, const std::vector<double>& columns) {
  std::vector<double> widths(columns.size(), -1);
  for (const TextBox* b : l.boxes) {
    double& w = widths[column_of(columns, b->x0)];
    if (w >= 0) continue;
    std::size_t i = 0;
    const char32_t first = b->text.empty() ? 0 : next_code_point(b->text, i);
    w = first != 0 && !is_han(first) && is_alnum_non_han(first) ? b->x1 - b->x0 : 0;
  }
  for (double& w : widths) w = std::max(w, 0.0);
  return widths;
}

// True if line `here` goes on with the current row, whose cells end where `row` says (-1: the
// cell is still empty): each cell of the line either fills an empty cell (one centred beside a
// taller neighbour) or continues a cell whose last line reached its column's edge, or came so
// near it that the line's first word there (`words`, first_word_widths()) could not follow on it.
bool continues_row(const std::vector<double>& row, const std::vector<double>& here, const std::vector<double>& words,
                   const std::vector<double>& columns, double right_edge, double size) {
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (here[c] < 0 || row[c] < 0) continue;
    const double limit = column_limit(columns, c, right_edge);
    if (row[c] >= limit - 2 * size) continue;
    if (words[c] > 0 && row[c] + 0.25 * size + words[c] > limit - 0.5 * size) continue;  // wrapped at a space
    return false;
  }
  return true;
}

}  // namespace

std::vector<double> column_starts(const std::vector<const Line*>& lines, std::size_t begin, std::size_t end) {
  // Cells are left-aligned or centred, so a column starts where its leftmost text starts. Starts
  // inside another line's segment (a centred header, a wrapped header's second line) and, in a
  // table of three lines or more, starts only one line has (a centred header beside narrow
  // numbers) are not columns of their own.
  struct Cluster {
    double x0;
    std::set<std::size_t> lines;
  };
  std::vector<std::pair<double, std::size_t>> starts;  // x0, line
  for (std::size_t k = begin; k < end; ++k)
    for (const Segment& s : lines[k]->segments) starts.emplace_back(s.x0, k);
  std::sort(starts.begin(), starts.end());
  std::vector<Cluster> clusters;
  for (const auto& [x, k] : starts) {
    if (clusters.empty() || x - clusters.back().x0 > 4) clusters.push_back({x, {}});
    clusters.back().lines.insert(k);
  }
  const auto inside_other = [&](const Cluster& c) {
    for (std::size_t k = begin; k < end; ++k)
      for (const Segment& s : lines[k]->segments)
        if (!c.lines.contains(k) && c.x0 > s.x0 + 2 && c.x0 < s.x1) return true;
    return false;
  };
  std::vector<double> columns;
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    const Cluster& c = clusters[i];
    if (i > 0 && (inside_other(c) || (end - begin >= 3 && c.lines.size() == 1))) continue;
    columns.push_back(c.x0);
  }
  // Two cells can sit closer than a segment gap (a right-aligned number, then a left-aligned
  // cell: "31.0 全球环境基金"): a word that starts at the same place after a space on two lines
  // or more, and inside no other word, starts a column too.
  std::vector<std::pair<double, std::size_t>> inner;  // x0, line
  for (std::size_t k = begin; k < end; ++k) {
    const Line& l = *lines[k];
    for (std::size_t i = 1; i < l.boxes.size(); ++i)
      if (l.boxes[i]->x0 - l.boxes[i - 1]->x1 > 0.3 * l.size) inner.emplace_back(l.boxes[i]->x0, k);
  }
  std::sort(inner.begin(), inner.end());
  std::vector<Cluster> words;
  for (const auto& [x, k] : inner) {
    if (words.empty() || x - words.back().x0 > 2) words.push_back({x, {}});
    words.back().lines.insert(k);
  }
  const auto inside_a_word = [&](double x) {
    for (std::size_t k = begin; k < end; ++k)
      for (const TextBox* b : lines[k]->boxes)
        if (x > b->x0 + 2 && x < b->x1) return true;
    return false;
  };
  const std::size_t known = columns.size();
  for (const Cluster& w : words) {
    if (w.lines.size() < 2 || inside_a_word(w.x0)) continue;
    const bool near = std::any_of(columns.begin(), columns.begin() + static_cast<std::ptrdiff_t>(known),
                                  [&](double c) { return std::abs(c - w.x0) <= 4; });
    if (!near) columns.push_back(w.x0);
  }
  std::sort(columns.begin(), columns.end());
  return columns;
}

std::size_t column_of(const std::vector<double>& columns, double x) {
  std::size_t c = 0;
  for (std::size_t k = 0; k < columns.size(); ++k)
    if (columns[k] <= x + 2) c = k;
  return c;
}

std::size_t table_end(const std::vector<const Line*>& lines, std::size_t begin, double right_edge) {
  if (begin >= lines.size() || !is_table_line(*lines[begin])) return begin;
  std::size_t last_table_line = begin;
  std::size_t table_lines = 1;
  std::vector<double> columns = column_starts(lines, begin, begin + 1);
  std::size_t k = begin + 1;
  for (; k < lines.size(); ++k) {
    const Line& l = *lines[k];
    const Line& above = *lines[k - 1];
    if (l.page != above.page || l.y0 - above.y1 > 1.2 * l.size) break;
    if (is_table_line(l)) {
      columns = column_starts(lines, begin, k + 1);
      last_table_line = k;
      ++table_lines;
      continue;
    }
    if (!fits_one_column(l, columns, right_edge)) break;
    columns = column_starts(lines, begin, k + 1);
  }
  // After the last multi-column line, only cells the line above filled go on (wrapped cells of
  // the last row); the first line that does not is the text after the table.
  for (std::size_t t = last_table_line + 1; t < k; ++t)
    if (!continues_row(cell_ends(*lines[t - 1], columns), cell_ends(*lines[t], columns),
                       first_word_widths(*lines[t], columns), columns, right_edge, lines[t]->size)) {
      k = t;
      break;
    }
  return table_lines >= 2 ? k : begin;
}

Table read_table(const std::vector<const Line*>& lines, std::size_t begin, std::size_t end, double right_edge,
                 const std::set<int>& linked) {
  Table table;
  table.columns = column_starts(lines, begin, end);
  const std::size_t n = table.columns.size();
  std::vector<double> row_ends(n, -1);  // per column: where the current row's cell last ended
  for (std::size_t k = begin; k < end; ++k) {
    const Line& l = *lines[k];
    const std::vector<double> here = cell_ends(l, table.columns);
    const std::vector<double> words = first_word_widths(l, table.columns);
    if (table.rows.empty() || !continues_row(row_ends, here, words, table.columns, right_edge, l.size)) {
      table.rows.push_back(TableRow{std::vector<std::string>(n), {}, l.page, l.number});
      row_ends.assign(n, -1);
    }
    for (std::size_t c = 0; c < n; ++c)
      if (here[c] >= 0) row_ends[c] = here[c];
    TableRow& row = table.rows.back();
    // Boxes are left to right, so each column's boxes are one run.
    for (std::size_t i = 0; i < l.boxes.size();) {
      const std::size_t c = column_of(table.columns, l.boxes[i]->x0);
      std::size_t j = i;
      while (j + 1 < l.boxes.size() && column_of(table.columns, l.boxes[j + 1]->x0) == c) ++j;
      const LineText lt = boxes_text(l, i, j, linked);
      wrap_join(row.cells[c], trim(lt.text));
      row.markers.insert(row.markers.end(), lt.markers.begin(), lt.markers.end());
      for (int u : lt.unlinked) table.unlinked.emplace_back(l.page, l.number, u);
      i = j + 1;
    }
  }
  return table;
}

}  // namespace treaty::page_lines
