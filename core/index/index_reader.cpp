#include "core/index/index_reader.h"

#include "core/index/schema.h"

namespace treaty {

IndexReader::IndexReader(Xapian::Database db, std::filesystem::path dir)
    : db_(std::move(db)), dir_(std::move(dir)) {}

Expected<IndexReader> IndexReader::open(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return fail("no index here (run `indexer add` first)", dir.string());
  try {
    Xapian::Database db(dir.string());
    const std::string version = db.get_metadata(std::string(schema::kMetaSchemaVersion));
    if (!version.empty() && version != schema::kSchemaVersion)
      return fail("index has schema version " + version + ", expected " + std::string(schema::kSchemaVersion) +
                      " (rebuild it with `indexer add` into a new directory)",
                  dir.string());
    return IndexReader(std::move(db), dir);
  } catch (const Xapian::Error& e) {
    return fail("cannot open index: " + e.get_description(), dir.string());
  }
}

IndexStats IndexReader::stats() const {
  IndexStats s;
  s.passages = db_.get_doccount();
  s.last_commit = db_.get_metadata(std::string(schema::kMetaLastCommit));
  const std::string prefix(schema::kDocSymbol);
  for (auto it = db_.allterms_begin(prefix); it != db_.allterms_end(prefix); ++it)
    s.symbols.push_back((*it).substr(prefix.size()));
  s.documents = s.symbols.size();
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_, ec))
    if (entry.is_regular_file(ec)) s.size_bytes += entry.file_size(ec);
  return s;
}

std::optional<nlohmann::json> IndexReader::passage(const std::string& id) const {
  const std::string term = std::string(schema::kPassageId) + id;
  Xapian::PostingIterator it = db_.postlist_begin(term);
  if (it == db_.postlist_end(term)) return std::nullopt;
  return nlohmann::json::parse(db_.get_document(*it).get_data());
}

std::optional<nlohmann::json> IndexReader::document(const std::string& symbol) const {
  const std::string data = db_.get_metadata(std::string(schema::kMetaDocPrefix) + symbol);
  if (data.empty()) return std::nullopt;
  return nlohmann::json::parse(data);
}

void IndexReader::reopen() { db_.reopen(); }

}  // namespace treaty
