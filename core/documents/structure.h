// The parser's last pass (parser.cpp): body lines (page furniture and footnotes already taken
// out) -> the header block, sections, and passages with their ids.
//
// Passage ids ("<symbol>#<para>"), unique and readable:
//   header                the cover (header block)
//   12, 12(b), 12(b)(ii)  numbered paragraph, lettered item, Roman sub-item of a lettered item
//   pre-1, pre-2          unnumbered paragraphs (preambular "回顾…，", text before paragraph 1)
//   annex-1/4(b)          in an annex (附件 / 附件一 = 1, 附件二 = 2): numbering restarts
//   NP-2/1/3, NP-2/1/pre-1  in a decision of a decision document ("NP-2/1. 标题"): numbering
//                         restarts in each decision
//   7[2]                  the second paragraph printed with number 7 (kept, with a warning)
//   table-2/row-3         the third data row of the document's second table (PDF page layout)
//   21/note-3             footnote 3, whose marker was not found, after its nearest passage 21
// A numbering gap keeps the numbers as printed, with a warning.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/documents/document.h"

namespace treaty::structure {

// A line of body text (header block, headings, paragraphs), trimmed.
struct BodyLine {
  int line = 0;  // 1-based source line
  std::string text;
  int page = 0;    // 1-based page (PDF page layout); 0 for a text extract
  int table = 0;   // > 0: a data row of table `table` (its text: "label：cell；label：cell")
  int row = 0;     // its row number, 1-based
};

// Fills doc.header, doc.sections and doc.passages (passages[0] is the header block) from `body`
// and adds numbering and classification warnings to doc.warnings. doc.symbol must be set.
// `header_symbol` is the index in `body` of the symbol printed on the cover, if any. Returns,
// for each body line, the index of the passage it belongs to (a heading's lines belong to the
// passage after it).
std::vector<std::size_t> build(Document& doc, const std::vector<BodyLine>& body, std::optional<std::size_t> header_symbol);

}  // namespace treaty::structure
