// JSON views of parsed documents: what `indexer inspect` prints, what the index stores as
// document data and metadata, and what searchd returns.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "core/documents/document.h"
#include "core/documents/passage_fields.h"

namespace treaty {

class Gazetteer;

// One passage with its fields: id, doc, para, kind, order, section, text, footnotes
// [{number, text, links}], orgs [{id, label, acronym}], dates [{from, to, text}],
// decisions [{id, label, text}], symbols, title.
nlohmann::json passage_to_json(const Document& doc, std::size_t index, const PassageFields& fields,
                               const Gazetteer& gazetteer);

// The document without its passages' texts: symbol, source, header fields, sections
// [{label, title, level, first_passage}], passage ids in order, mined aliases.
nlohmann::json document_summary_json(const Document& doc, const DocumentFields& fields);

// Everything `indexer inspect` shows: the summary plus every passage and all footnotes.
nlohmann::json document_to_json(const Document& doc, const DocumentFields& fields,
                                const Gazetteer& gazetteer);

const char* kind_name(PassageKind kind);

}  // namespace treaty
