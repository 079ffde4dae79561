// The text layer of a PDF (Poppler's poppler-cpp), as the text extract parse_document() reads.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/documents/page_model.h"

namespace treaty {

// Returns the text of every page of the PDF file at `path`, first page first, each page's text
// followed by a form feed '\f': byte for byte what `pdftotext -layout` writes (Poppler's
// physical layout: one text line per printed line, in reading order, columns kept apart by
// spaces, a blank line where the page leaves a gap), so that parse_document() sees a PDF
// exactly as it sees its text extract. The result is valid UTF-8.
// Errors, each naming `path`: the file cannot be read; it is not a readable PDF (damaged, cut
// short or not a PDF at all; with Poppler's first complaint); it is encrypted with a password
// needed to open it (a PDF that only restricts permissions opens and is read); it has no pages;
// no page has any text (an image-only PDF such as a scan without OCR).
// Poppler's own diagnostics never reach stderr: the first call routes them (process-wide) into
// these errors. Safe to call from several threads at once.
Expected<std::string> pdf_to_text(const std::filesystem::path& path);

// Same for a PDF held in memory; `source_name` (usually the file path) is the file named in
// errors. `bytes` is only read during the call.
Expected<std::string> pdf_bytes_to_text(std::string_view bytes, const std::string& source_name);

// The word boxes of every page of the PDF in `bytes` (page::text_list with font sizes), for the
// page layout (page_layout.h). Blank boxes are left out; a page without text has no boxes.
// Errors, naming `source_name`: as pdf_bytes_to_text's.
Expected<PageModel> pdf_bytes_to_pages(std::string_view bytes, const std::string& source_name);

// True if `path` names a PDF: its extension is ".pdf" in any case.
bool is_pdf_path(const std::filesystem::path& path);

}  // namespace treaty
