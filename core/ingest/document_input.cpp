#include "core/ingest/document_input.h"

#include "core/documents/pdf_text.h"
#include "core/search/resources.h"

namespace treaty {

Expected<ParsedInput> parse_input(std::string_view bytes, InputFormat format, const ParseOptions& options,
                                  const Resources& resources) {
  if (bytes.empty()) return fail("the document is empty", options.source_name);
  std::string text;
  if (format == InputFormat::pdf) {
    auto extracted = pdf_bytes_to_text(bytes, options.source_name);
    if (!extracted) return std::unexpected(extracted.error());
    text = std::move(*extracted);
  } else {
    text.assign(bytes);
  }
  auto doc = parse_document(text, options);
  if (!doc) return std::unexpected(doc.error());
  DocumentFields fields = extract_fields(*doc, resources.normalizer, resources.gazetteer);
  return ParsedInput{std::move(*doc), std::move(fields), std::move(text)};
}

}  // namespace treaty
