#include "core/documents/page_model.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/base/utf8.h"

namespace treaty {
namespace {

void append_number(std::string& out, double v) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.2f", v);
  out.append(buf, static_cast<std::size_t>(n));
}

// Reads one number and the blank after it from `s` at `pos`; false if there is none.
bool read_number(std::string_view s, std::size_t& pos, double& out) {
  const auto [end, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), out);
  // Positions and sizes are finite and within a page's reach (NaN would break every ordering).
  if (ec != std::errc() || !std::isfinite(out) || std::abs(out) > 1e6) return false;
  pos = static_cast<std::size_t>(end - s.data());
  if (pos < s.size()) {
    if (s[pos] != ' ') return false;
    ++pos;
  }
  return true;
}

}  // namespace

bool is_page_model_text(std::string_view text) { return text.starts_with(kPageModelMagic); }

std::string page_model_text(const PageModel& model) {
  std::string out(kPageModelMagic);
  for (const PageBoxes& page : model.pages) {
    out += "P ";
    append_number(out, page.width);
    out += ' ';
    append_number(out, page.height);
    out += '\n';
    for (const TextBox& b : page.boxes) {
      out += "B ";
      for (double v : {b.x0, b.y0, b.x1, b.y1, b.font_size}) {
        append_number(out, v);
        out += ' ';
      }
      out += b.space_after ? "1 " : "0 ";
      for (char c : b.text) out += (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
      out += '\n';
    }
  }
  return out;
}

Expected<PageModel> parse_page_model_text(std::string_view text, const std::string& source_name) {
  if (!is_page_model_text(text)) return fail("not a page model (no " + std::string(kPageModelMagic.substr(0, 13)) + " line)", source_name, 1);
  std::size_t bad_byte = 0;
  if (!valid_utf8(text, &bad_byte)) return fail("invalid UTF-8 in a page model", source_name, line_of_offset(text, bad_byte));
  PageModel model;
  int line_no = 1;
  for (std::size_t start = kPageModelMagic.size(); start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line.empty()) continue;
    std::size_t pos = 2;
    const auto bad = [&] { return fail("malformed page model line", source_name, line_no); };
    if (line.size() < 2 || line[1] != ' ') return bad();
    if (line[0] == 'P') {
      PageBoxes page;
      if (!read_number(line, pos, page.width) || !read_number(line, pos, page.height) || pos < line.size()) return bad();
      model.pages.push_back(std::move(page));
    } else if (line[0] == 'B') {
      if (model.pages.empty()) return fail("a box before the first page", source_name, line_no);
      TextBox b;
      double space = 0;
      for (double* v : {&b.x0, &b.y0, &b.x1, &b.y1, &b.font_size, &space})
        if (!read_number(line, pos, *v)) return bad();
      b.space_after = space != 0;
      b.text = std::string(line.substr(std::min(pos, line.size())));
      model.pages.back().boxes.push_back(std::move(b));
    } else {
      return bad();
    }
  }
  return model;
}

}  // namespace treaty
