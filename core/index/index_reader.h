// Read access to the index shared by `indexer stats` and searchd.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/base/error.h"
#include "core/index/analysis.h"
#include "core/index/passage_data.h"

namespace treaty {

class Gazetteer;

struct IndexStats {
  std::uint64_t documents = 0;   // COP-MOP documents (distinct symbols)
  std::uint64_t versions = 0;    // their language versions (one symbol has one to six)
  std::uint64_t passages = 0;    // Xapian documents
  std::uint64_t size_bytes = 0;  // bytes on disk under the index directory
  std::string last_commit;       // ISO 8601 UTC time of the last indexer commit; empty if unknown
  std::vector<std::string> symbols;  // documents, sorted
};

class IndexReader {
 public:
  // Opens the index at `dir` read-only (its current generation, index_layout.h). Expected
  // failures: missing directory, not an index, an index of another schema version (the message
  // says how to rebuild it).
  static Expected<IndexReader> open(const std::filesystem::path& dir);

  // Like open(), and also an index of another schema version that stores its documents' sources
  // (schema 7 on), for `indexer reindex`, which reads only its stats() and source(): the stored
  // passages and summaries may be in another format.
  static Expected<IndexReader> open_for_reindex(const std::filesystem::path& dir);

  // The message for an index of schema `version` when this program reads kSchemaVersion: how
  // to rebuild it (`indexer reindex` from schema 7 on, which stores sources; else `indexer add`).
  static std::string schema_mismatch(const std::string& version);

  IndexStats stats() const;

  // The JSON of a passage (passage_to_json() as it was indexed; schema.h, "Document data"), or
  // nullopt for an unknown id. With `stored`, document titles come from its cache (reading many
  // passages); with `gazetteer` alone, from the document's summary on each call.
  // nullopt for an unknown id. `lang`: the passage of that language version; empty: of the
  // version first in language-code order. With `stored`, document titles come from its cache (reading many
  // passages); with `gazetteer` alone, from the document's summary on each call.
  std::optional<nlohmann::json> passage(const std::string& id, StoredPassages& stored,
                                        std::string_view lang = {}) const;
  std::optional<nlohmann::json> passage(const std::string& id, const Gazetteer& gazetteer,
                                        std::string_view lang = {}) const;

  // The stored JSON of a document version (header fields, facts, sections, passage ids), or
  // nullopt. `lang` empty: the first of its versions (in language-code order).
  std::optional<nlohmann::json> document(const std::string& symbol, std::string_view lang = {}) const;

  // The language codes of the versions of document `symbol`, sorted; empty for an unknown one.
  std::vector<std::string> versions(const std::string& symbol) const;

  // The language codes of the versions that have passage `id`, sorted; empty for an unknown id.
  std::vector<std::string> passage_versions(const std::string& id) const;

  // The keys of the stored sources (what source() takes; schema::version_key() from schema 9,
  // the symbol before), sorted.
  std::vector<std::string> source_keys() const;

  // How the index was analysed (schema::kMetaAnalysis); nullopt if it does not say.
  std::optional<AnalysisFingerprint> analysis() const;

  // The stored source under `key` (one of source_keys(); schema::kMetaSourcePrefix: {source,
  // symbol, lang, text}), or nullopt when the index has none for it.
  std::optional<nlohmann::json> source(const std::string& key) const;

  // Follows commits made since opening (Xapian::Database::reopen()) and a switch to another
  // generation (`indexer reindex`), which Xapian's reopen() does not see: the database object is
  // then opened afresh in place, so references to database() stay valid. Throws Xapian::Error
  // when the index cannot be read (e.g. removed), like Xapian::Database::reopen().
  void reopen();

  Xapian::Database& database() { return db_; }
  const Xapian::Database& database() const { return db_; }

 private:
  static Expected<IndexReader> open(const std::filesystem::path& dir, bool for_reindex);
  IndexReader(Xapian::Database db, std::filesystem::path dir, std::optional<std::string> stub);
  Xapian::Database db_;
  std::filesystem::path dir_;
  std::optional<std::string> stub_;  // the stub's content when db_ was opened (nullopt: none)
};

}  // namespace treaty
