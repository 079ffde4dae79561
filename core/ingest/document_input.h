// A document as it arrives (the bytes of a PDF or of a text extract) → the parsed document and
// its fields, checked exactly as `indexer add` checks a file; shared by the indexer and
// searchd's POST /documents.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/documents/document.h"
#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"

namespace treaty {

class Embedder;
struct PassageVector;
struct Resources;

enum class InputFormat {
  text,  // a text extract (UTF-8), as pdftotext writes it
  pdf,   // a PDF with a text layer, read as its page model (pdf_text.h, page_layout.h)
};

struct ParsedInput {
  Document doc;
  DocumentFields fields;
  std::string text;  // what was parsed (a PDF's page model in text form): the source the index keeps for reindex
};

// The text parse_document() reads from `bytes`: a PDF's page model in its text form
// (pdf_bytes_to_pages, page_model_text), or the bytes of a text extract as they are. Errors, naming `source_name`: empty input, an
// unreadable, encrypted or image-only PDF.
Expected<std::string> input_text(std::string_view bytes, InputFormat format, const std::string& source_name);

// Reads `bytes` as `format` (a PDF through its text layer), parses it with `options` and
// extracts its fields with `resources`. Expected failures, each naming options.source_name and,
// where one applies, the line: empty input, an unreadable, encrypted or image-only PDF, a text
// that is not UTF-8 or has no symbol (and options.symbol is empty), any other parse error.
Expected<ParsedInput> parse_input(std::string_view bytes, InputFormat format, const ParseOptions& options,
                                  const Resources& resources);

// The vectors of `doc`'s passages that have text, in passage order (an empty list when none
// has), under their vector ids (schema::vector_id(), of doc's version), or the embedder's error;
// for VectorStore::replace_document(schema::vector_document(doc.symbol, version_language(doc))).
Expected<std::vector<PassageVector>> embed_document(Embedder& embedder, const Document& doc);

}  // namespace treaty
