#include "core/ingest/document_input.h"

#include "core/documents/document_facts.h"
#include "core/documents/pdf_text.h"
#include "core/index/schema.h"
#include "core/search/resources.h"
#include "core/vectors/embedder.h"
#include "core/vectors/vector_store.h"

namespace treaty {

Expected<std::string> input_text(std::string_view bytes, InputFormat format, const std::string& source_name) {
  if (bytes.empty()) return fail("the document is empty", source_name);
  if (format == InputFormat::pdf) {
    // A PDF is kept as its page model (positions and font sizes), read by the page layout.
    auto pages = pdf_bytes_to_pages(bytes, source_name);
    if (!pages) return std::unexpected(pages.error());
    return page_model_text(*pages);
  }
  return std::string(bytes);
}

Expected<ParsedInput> parse_input(std::string_view bytes, InputFormat format, const ParseOptions& options,
                                  const Resources& resources) {
  auto text = input_text(bytes, format, options.source_name);
  if (!text) return std::unexpected(text.error());
  auto doc = parse_document(*text, options);
  if (!doc) return std::unexpected(doc.error());
  DocumentFields fields = extract_fields(*doc, resources.normalizer, resources.gazetteer);
  return ParsedInput{std::move(*doc), std::move(fields), std::move(*text)};
}

Expected<std::vector<PassageVector>> embed_document(Embedder& embedder, const Document& doc) {
  std::vector<std::string> texts;
  std::vector<std::string> ids;
  const std::string lang = version_language(doc);
  for (const Passage& p : doc.passages) {
    if (p.text.empty()) continue;
    texts.push_back(p.text);
    ids.push_back(schema::vector_id(lang, p.id));
  }
  if (texts.empty()) return std::vector<PassageVector>{};
  auto vectors = embedder.embed(texts);
  if (!vectors) return std::unexpected(vectors.error());
  std::vector<PassageVector> rows;
  for (std::size_t i = 0; i < ids.size(); ++i) rows.push_back({ids[i], std::move((*vectors)[i])});
  return rows;
}

}  // namespace treaty
