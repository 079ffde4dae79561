// Tables on a PDF page (page_layout.cpp): a run of printed lines with two or more columns, read
// into rows and cells by column position. Internal to the documents layer.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/documents/page_lines.h"

namespace treaty::page_lines {

struct TableRow {
  std::vector<std::string> cells;  // one per column; "" for an empty cell
  std::vector<int> markers;        // footnote markers taken out of its cells
  int page = 0;                    // of its first line
  int line = 0;                    // printed line number of its first line
};

struct Table {
  std::vector<double> columns;  // x where each column's text starts, left to right
  std::vector<TableRow> rows;   // the first is the header row
  std::vector<std::tuple<int, int, int>> unlinked;  // page, line, number of marker-like digits kept
};

// x0 of the segments of the multi-column lines among lines [begin, end), clustered (4 pt).
std::vector<double> column_starts(const std::vector<const Line*>& lines, std::size_t begin, std::size_t end);

// The column `x` falls in: the last whose start is at most `x` (plus 2 pt); 0 when none.
std::size_t column_of(const std::vector<double>& columns, double x);

// The end of the table that starts at lines[begin], or `begin` if none does: at least two
// lines of two or more columns (not a paragraph label and its text), with the single-column
// lines between and after them that fit inside one column (wrapped cells), on one page and
// without a paragraph's gap. `right_edge`: where the text column ends.
std::size_t table_end(const std::vector<const Line*>& lines, std::size_t begin, double right_edge);

// Reads lines [begin, end) (a table_end() run) into rows: a line starts a new row unless each of
// its cells continues a cell that the line above filled to its column's edge.
Table read_table(const std::vector<const Line*>& lines, std::size_t begin, std::size_t end, double right_edge,
                 const std::set<int>& linked);

}  // namespace treaty::page_lines
