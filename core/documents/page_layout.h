// The page model of a PDF (page_model.h) -> the lines the structure builder reads
// (source_lines.h), using what the page itself says: font sizes and positions.
//
// Per page, word boxes are grouped into printed lines (by vertical position) and segments
// (by horizontal gaps wider than a character). Then:
//   - running headers and footers: lines among the first or last three of a page whose text
//     (digits ignored) comes back at the same height on at least half the pages, a page label
//     ("第 3 页", "Page 3", "- 3 -", "3/12") or the document's symbol there; removed from the text
//     and kept as PageFacts;
//   - the footnote area: the lines at the page foot set smaller than the body text (the rule
//     above them may be a graphic, so only size and position count); a line starting with a
//     number starts footnote N, other lines continue the last footnote (also across pages);
//   - markers: digits or '*' set smaller than their line and raised, linked to the footnote of
//     that number and removed from the text;
//   - the cover (page 1, before the first heading or paragraph): multi-column runs are read
//     column by column, each printed line a line;
//   - tables (a run of lines with two or more columns after the cover): rows and cells by
//     column position, a row's cells joined with its header row's labels;
//   - paragraphs: a printed line that reaches the right edge continues on the next line (and
//     across a page break) unless the next is indented further, set after a gap, or opens a
//     paragraph after a completed sentence; lines are rejoined without inventing spaces (a
//     number or decision split over two lines comes back whole).
#pragma once

#include <string>

#include "core/documents/page_model.h"
#include "core/documents/source_lines.h"

namespace treaty {

// Lays out `model` (its pages in order). Warnings (with their page): a page without text (a
// scan), a page whose text layer looks scrambled (mostly one-letter boxes), a marker without a
// footnote, a footnote-area line that starts no footnote and continues none.
SourceLines lay_out_pages(const PageModel& model);

}  // namespace treaty
