// The stored form of a passage (Xapian document data, schema.h "Document data"). Only what is
// the passage's own is stored, in MessagePack; what every passage of its document shares (symbol,
// title, meeting, type, issued, lang) and the organizations' labels and acronyms are added back
// when it is read, so readers see exactly passage_to_json() of the passage as it was indexed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/documents/document.h"
#include "core/documents/document_facts.h"
#include "core/documents/passage_fields.h"

namespace treaty {

class Gazetteer;

// What a stored passage takes from its document when it is read.
struct PassageDocument {
  std::string symbol;   // the document's symbol (schema::kSlotDoc)
  std::string title;    // HeaderInfo::title (the document summary's header.title)
  std::string meeting;  // meeting id (schema::kSlotMeeting)
  std::string type;     // document type id (schema::kSlotDocType)
  std::string issued;   // ISO issue date from schema::kSlotIssued, "" without one; a passage that
                        // stores its own (an issue date the slot cannot hold) overrides it
  std::string lang;     // language code (schema::kSlotLang)
};

// The day schema::kSlotIssued holds for the cover's issue date `iso` (days since 1970-01-01):
// nullopt for anything but a full ISO date "2018-10-05".
std::optional<int> issued_day(const std::string& iso);

// The stored data of doc.passages[index]: para, kind, order, section path, text, cited footnotes,
// organization ids, dates, decisions (labels only where decision_label() of the id differs),
// symbols, lines; the id only when it is not "<symbol>#<para>", the issue date only when
// issued_day() cannot hold it. `facts` must be document_facts(doc).
std::string encode_passage_data(const Document& doc, std::size_t index, const PassageFields& fields,
                                const DocumentFacts& facts);

// The passage's JSON (passage_to_json()) from its stored `data` and its document's fields,
// organizations labelled from `gazetteer`. Throws nlohmann::json::exception on data that
// encode_passage_data() did not make.
nlohmann::json decode_passage_data(std::string_view data, const PassageDocument& document,
                                   const Gazetteer& gazetteer);

// The fields of PassageDocument a passage's value slots hold (all but the title).
PassageDocument passage_document(const Xapian::Document& doc);

// The title in the stored summary of the `lang` version of document `symbol`
// (schema::kMetaDocPrefix); "" when it has none or is unknown. One metadata lookup and parse per
// call.
std::string document_title(const Xapian::Database& db, const std::string& symbol, const std::string& lang);

// Reads stored passages of one database as JSON, keeping the titles of the documents it has read
// (one metadata lookup and parse per document) until the database moves to another revision or
// generation. Not thread-safe: one per thread, like the database handle.
class StoredPassages {
 public:
  // `gazetteer` must outlive it.
  explicit StoredPassages(const Gazetteer& gazetteer);

  // The JSON of `doc`, a passage of `db` (decode_passage_data()).
  nlohmann::json read(const Xapian::Database& db, const Xapian::Document& doc);

  // The JSON of the passage with id `id` in the `lang` version of its document (empty: in the
  // version first in language-code order), or nullopt when `db` has none.
  std::optional<nlohmann::json> find(const Xapian::Database& db, const std::string& id, std::string_view lang = {});

  // document_title(db, symbol, lang), kept for the database's revision.
  const std::string& title(const Xapian::Database& db, const std::string& symbol, const std::string& lang);

 private:
  const Gazetteer* gazetteer_;
  std::string uuid_;        // the database the titles are from
  Xapian::rev revision_ = 0;  // and its revision
  std::unordered_map<std::string, std::string> titles_;  // version key -> title
};

}  // namespace treaty
