// Read access to the index shared by `indexer stats` and searchd.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/base/error.h"

namespace treaty {

struct IndexStats {
  std::uint64_t documents = 0;   // COP-MOP documents (distinct symbols)
  std::uint64_t passages = 0;    // Xapian documents
  std::uint64_t size_bytes = 0;  // bytes on disk under the index directory
  std::string last_commit;       // ISO 8601 UTC time of the last indexer commit; empty if unknown
  std::vector<std::string> symbols;  // documents, sorted
};

class IndexReader {
 public:
  // Opens the index at `dir` read-only. Expected failures: missing directory, not an index,
  // an index of another schema version.
  static Expected<IndexReader> open(const std::filesystem::path& dir);

  IndexStats stats() const;

  // The stored JSON of a passage (schema.h, "Document data"), or nullopt for an unknown id.
  std::optional<nlohmann::json> passage(const std::string& id) const;

  // The stored JSON of a document (header fields, sections, passage ids), or nullopt.
  std::optional<nlohmann::json> document(const std::string& symbol) const;

  // Follows commits made since opening (Xapian::Database::reopen()).
  void reopen();

  Xapian::Database& database() { return db_; }

 private:
  IndexReader(Xapian::Database db, std::filesystem::path dir);
  Xapian::Database db_;
  std::filesystem::path dir_;
};

}  // namespace treaty
