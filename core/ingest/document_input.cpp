#include "core/ingest/document_input.h"

#include "core/documents/pdf_text.h"
#include "core/search/resources.h"
#include "core/vectors/embedder.h"
#include "core/vectors/vector_store.h"

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

Expected<std::vector<PassageVector>> embed_document(Embedder& embedder, const Document& doc) {
  std::vector<std::string> texts;
  std::vector<std::string> ids;
  for (const Passage& p : doc.passages) {
    if (p.text.empty()) continue;
    texts.push_back(p.text);
    ids.push_back(p.id);
  }
  if (texts.empty()) return std::vector<PassageVector>{};
  auto vectors = embedder.embed(texts);
  if (!vectors) return std::unexpected(vectors.error());
  std::vector<PassageVector> rows;
  for (std::size_t i = 0; i < ids.size(); ++i) rows.push_back({ids[i], std::move((*vectors)[i])});
  return rows;
}

}  // namespace treaty
