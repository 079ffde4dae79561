// The text layer of a PDF as positioned word boxes, page by page (what poppler-cpp's
// page::text_list gives), and its text form, which the index keeps as a PDF's source so that
// `indexer reindex` reads a PDF again exactly as `add` read it, without the PDF.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"

namespace treaty {

// One word box: a run of glyphs in one font, as Poppler groups them. Coordinates in PDF points,
// origin at the page's top left, y growing downwards.
struct TextBox {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // bounding box
  double font_size = 0;                   // in points
  bool space_after = false;               // Poppler saw a space after the box on its line
  std::string text;                       // UTF-8, no tab or line break
};

struct PageBoxes {
  double width = 0, height = 0;  // in points
  std::vector<TextBox> boxes;    // in Poppler's order (not reading order)
};

struct PageModel {
  std::vector<PageBoxes> pages;  // first page first
};

// The first line of a page model's text form.
inline constexpr std::string_view kPageModelMagic = "%treaty-pages 1\n";

// True if `text` is a page model's text form (starts with kPageModelMagic).
bool is_page_model_text(std::string_view text);

// The text form of `model`: kPageModelMagic, then per page "P <width> <height>" and per box
// "B <x0> <y0> <x1> <y1> <font size> <0|1 space after> <text>", one per line. Lossless for
// what the layout reads (coordinates to 0.01 pt).
std::string page_model_text(const PageModel& model);

// Reads the text form back. Errors (naming `source_name` and the line): invalid UTF-8, a line
// that is not a page or box line of the form above (numbers finite, at most 1e6 in size), a box
// before the first page.
Expected<PageModel> parse_page_model_text(std::string_view text, const std::string& source_name);

}  // namespace treaty
