// JSON views of parsed documents: what `indexer inspect` prints, what the index stores as
// document data and metadata, and what searchd returns.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "core/documents/document.h"
#include "core/documents/document_facts.h"
#include "core/documents/passage_fields.h"

namespace treaty {

class Gazetteer;

// One passage with its fields: id, doc, para, kind, order, section, text, footnotes
// [{number, text, links}], orgs [{id, label, acronym}], dates [{from, to, text}],
// decisions [{id, label, text}], symbols, title, lines, and the document's facts: meeting (id),
// type (id), issued (ISO date or ""), lang. `facts` must be document_facts(doc); the overload
// without it computes them.
nlohmann::json passage_to_json(const Document& doc, std::size_t index, const PassageFields& fields,
                               const Gazetteer& gazetteer, const DocumentFacts& facts);
nlohmann::json passage_to_json(const Document& doc, std::size_t index, const PassageFields& fields,
                               const Gazetteer& gazetteer);

// A passage's organization: {id, label, acronym}, label and acronym from `gazetteer`; one the
// document defines (local id "x:<name>") is labelled by its name; an unknown id by itself.
nlohmann::json org_json(const std::string& id, const Gazetteer& gazetteer);

// The document's facts: {title, meeting, meeting_label, body, session, type, type_label, issued,
// lang, distribution} (document_facts.h; session 0 when none).
nlohmann::json facts_to_json(const DocumentFacts& facts);

// The document without its passages' texts: symbol, source, header fields (those of HeaderInfo,
// plus dates and venue split), facts (facts_to_json), sections [{label, title, level, heading,
// first_passage}], passage ids in order, mined aliases.
nlohmann::json document_summary_json(const Document& doc, const DocumentFields& fields);

// Everything `indexer inspect` shows: the summary plus every passage and all footnotes.
nlohmann::json document_to_json(const Document& doc, const DocumentFields& fields,
                                const Gazetteer& gazetteer);

const char* kind_name(PassageKind kind);

}  // namespace treaty
