// Reads a COP-MOP document from its PDF text extract.
#pragma once

#include <string>
#include <string_view>

#include "core/documents/document.h"
#include "core/documents/page_model.h"
#include "core/base/error.h"

namespace treaty {

struct ParseOptions {
  // Name used in error messages and stored as Document::source (usually the file path).
  std::string source_name;
  // The document symbol to use when the text has none (or to override it); empty: find it in
  // the header block or the running headers.
  std::string symbol;
  // The document's language code ("en"), as --lang gives it; empty: the cover's language line,
  // else told from the text (language.h).
  std::string lang = {};
};

// Parses the PDF text extract `text`:
//   - rejoins hard-wrapped lines (Chinese joins without a space, Latin words keep theirs);
//   - drops running headers (the symbol line, "Page N") and page-layout whitespace anywhere,
//     mid-paragraph included;
//   - moves footnote texts (after the long blank rule at page bottoms) to Document::footnotes,
//     removes their markers from the body and records them on the citing passage;
//   - splits the header block, sections, numbered paragraphs and (a), (b) items into passages.
// Every character of the source except running headers, page numbers, footnote markers and
// layout whitespace ends up in exactly one of: a section heading, a passage text, a footnote.
// Errors: empty text, invalid UTF-8 (with its line), no symbol found and none given.
// A PDF's page model in its text form (page_model.h, what the index keeps as a PDF's source) is
// read as parse_pages() reads the model.
// Footnotes whose marker is not found become passages of their own (PassageKind::footnote,
// "21/note-3", after the passage nearest them), with a warning.
Expected<Document> parse_document(std::string_view text, const ParseOptions& options);

// Parses a PDF from its page model (pdf_bytes_to_pages) through the page layout
// (page_layout.h) and the same structure builder as parse_document. Errors: no symbol found and
// none given.
Expected<Document> parse_pages(const PageModel& model, const ParseOptions& options);

// True if `s` (trimmed) is a UN document symbol such as UNEP/CBD/NP/COP-MOP/1/6 or A/RES/67/212:
// upper-case letters first, at least three '/'-separated parts.
bool looks_like_symbol(std::string_view s);

}  // namespace treaty
