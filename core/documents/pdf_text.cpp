#include "core/documents/pdf_text.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include "core/base/utf8.h"

namespace treaty {
namespace {

// Poppler reports problems through one process-wide callback (by default: stderr). It calls it
// on the thread that hit the problem, so each thread keeps the first message of its current
// conversion here, to explain a failure.
thread_local std::string t_first_poppler_message;

void keep_poppler_message(const std::string& message, void* /*closure*/) {
  if (!t_first_poppler_message.empty()) return;
  // "error (1234): Couldn't read xref table" -> "Couldn't read xref table"
  const std::size_t colon = message.find(": ");
  t_first_poppler_message = colon == std::string::npos ? message : message.substr(colon + 2);
}

void route_poppler_messages() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(keep_poppler_message, nullptr); });
}

std::string utf8_of(const poppler::ustring& text) {
  const poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

// The opened document, or why it cannot be read.
Expected<std::unique_ptr<poppler::document>> open_pdf(std::string_view bytes, const std::string& source_name) {
  route_poppler_messages();
  t_first_poppler_message.clear();
  const std::string unreadable = "not a readable PDF (damaged, cut short or not a PDF)";
  if (bytes.empty()) return fail(unreadable + ": the file is empty", source_name);
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return fail("PDF too large (2 GB at most)", source_name);
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) {
    if (t_first_poppler_message.empty()) return fail(unreadable, source_name);
    return fail(unreadable + ": " + t_first_poppler_message, source_name);
  }
  // Checked first: a locked document has no pages to ask for.
  if (doc->is_locked())
    return fail("encrypted PDF: it needs a password to open; decrypt it first (e.g. qpdf --decrypt)", source_name);
  if (doc->pages() <= 0) return fail("the PDF has no pages", source_name);
  return doc;
}

const char* const kNoTextLayer = "the PDF has no text layer (image-only, e.g. a scan without OCR): nothing to index";

}  // namespace

Expected<std::string> pdf_bytes_to_text(std::string_view bytes, const std::string& source_name) {
  auto doc = open_pdf(bytes, source_name);
  if (!doc) return std::unexpected(doc.error());
  const int pages = (*doc)->pages();
  std::string text;
  bool has_text = false;
  for (int i = 0; i < pages; ++i) {
    const std::unique_ptr<poppler::page> page((*doc)->create_page(i));
    if (!page) return fail("cannot read page " + std::to_string(i + 1) + " of the PDF", source_name);
    std::string page_text = utf8_of(page->text(poppler::rectf(), poppler::page::physical_layout));
    // Poppler ends a page with the form feed itself; one is added where it does not.
    if (!page_text.empty() && page_text.back() == '\f') page_text.pop_back();
    if (!valid_utf8(page_text))
      return fail("page " + std::to_string(i + 1) + " of the PDF gave invalid UTF-8 text", source_name);
    has_text = has_text || !is_blank(page_text);
    text += page_text;
    text += '\f';
  }
  if (!has_text) return fail(kNoTextLayer, source_name);
  return text;
}

Expected<PageModel> pdf_bytes_to_pages(std::string_view bytes, const std::string& source_name) {
  auto doc = open_pdf(bytes, source_name);
  if (!doc) return std::unexpected(doc.error());
  const int pages = (*doc)->pages();
  PageModel model;
  bool has_text = false;
  for (int i = 0; i < pages; ++i) {
    const std::unique_ptr<poppler::page> page((*doc)->create_page(i));
    if (!page) return fail("cannot read page " + std::to_string(i + 1) + " of the PDF", source_name);
    PageBoxes out;
    const poppler::rectf rect = page->page_rect();
    out.width = rect.width();
    out.height = rect.height();
    for (const poppler::text_box& box : page->text_list(poppler::page::text_list_include_font)) {
      std::string text = utf8_of(box.text());
      if (is_blank(text)) continue;
      if (!valid_utf8(text))
        return fail("page " + std::to_string(i + 1) + " of the PDF gave invalid UTF-8 text", source_name);
      const poppler::rectf b = box.bbox();
      out.boxes.push_back({b.left(), b.top(), b.right(), b.bottom(), box.get_font_size(), box.has_space_after(),
                           std::move(text)});
    }
    has_text = has_text || !out.boxes.empty();
    model.pages.push_back(std::move(out));
  }
  if (!has_text) return fail(kNoTextLayer, source_name);
  return model;
}

Expected<std::string> pdf_to_text(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return fail("is a directory", path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read file", path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return fail("read error", path.string());
  return pdf_bytes_to_text(bytes.view(), path.string());
}

bool is_pdf_path(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  return ext.size() == 4 && ext[0] == '.' && std::tolower(static_cast<unsigned char>(ext[1])) == 'p' &&
         std::tolower(static_cast<unsigned char>(ext[2])) == 'd' &&
         std::tolower(static_cast<unsigned char>(ext[3])) == 'f';
}

}  // namespace treaty
