// What a front end hands to the one structure builder (structure.h): the text extract's reader
// (parser.cpp) and the PDF page layout (page_layout.h) both produce it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/documents/document.h"
#include "core/documents/structure.h"

namespace treaty {

struct SourceLines {
  std::vector<structure::BodyLine> body;        // cover and body lines in reading order, page
                                                // furniture, footnotes and markers taken out
  std::optional<std::size_t> header_symbol;     // index in `body` of the symbol printed on the cover
  std::string printed_symbol;                   // the symbol as printed (cover or running header)
  std::vector<Footnote> footnotes;              // by number; the cover's "*" is number 0
  std::vector<std::pair<std::size_t, int>> citations;  // index in `body` of a marker's line, footnote number
  std::vector<ParseWarning> warnings;           // what the front end could not read as expected
  std::vector<PageFacts> pages;                 // page furniture (PDFs only)
};

}  // namespace treaty
