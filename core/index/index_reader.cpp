#include "core/index/index_reader.h"

#include <algorithm>

#include "core/index/document_versions.h"
#include "core/index/index_layout.h"
#include "core/index/schema.h"

namespace treaty {

IndexReader::IndexReader(Xapian::Database db, std::filesystem::path dir, std::optional<std::string> stub)
    : db_(std::move(db)), dir_(std::move(dir)), stub_(std::move(stub)) {}

namespace {

// Whether an index of schema `version` stores its documents' sources (schema 7 on), so that
// `indexer reindex` can rebuild it.
bool stores_sources(const std::string& version) {
  int n = 0;
  try {
    n = std::stoi(version);
  } catch (const std::exception&) {
  }
  return n >= 7;
}

}  // namespace

std::string IndexReader::schema_mismatch(const std::string& version) {
  const std::string head = "index has schema version " + version + ", expected " + std::string(schema::kSchemaVersion);
  if (stores_sources(version)) return head + " (rebuild it from its stored sources with `indexer reindex`)";
  return head + " (it stores no document sources, so `indexer reindex` cannot rebuild it: rebuild it with "
                "`indexer add` into a new directory)";
}

Expected<IndexReader> IndexReader::open(const std::filesystem::path& dir) { return open(dir, false); }

Expected<IndexReader> IndexReader::open_for_reindex(const std::filesystem::path& dir) { return open(dir, true); }

Expected<IndexReader> IndexReader::open(const std::filesystem::path& dir, bool for_reindex) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return fail("no index here (run `indexer add` first)", dir.string());
  try {
    // The stub is read before the database is opened: should a switch land in between, the
    // next reopen() sees a newer stub and opens afresh (harmless).
    std::optional<std::string> stub = read_stub(dir);
    Xapian::Database db(dir.string());
    const std::string version = db.get_metadata(std::string(schema::kMetaSchemaVersion));
    const bool readable = version.empty() || version == schema::kSchemaVersion || (for_reindex && stores_sources(version));
    if (!readable) return fail(schema_mismatch(version), dir.string());
    return IndexReader(std::move(db), dir, std::move(stub));
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
  const std::string versions(schema::kDocVersion);
  for (auto it = db_.allterms_begin(versions); it != db_.allterms_end(versions); ++it) ++s.versions;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_, ec))
    if (entry.is_regular_file(ec)) s.size_bytes += entry.file_size(ec);
  return s;
}

std::optional<nlohmann::json> IndexReader::passage(const std::string& id, StoredPassages& stored,
                                                   std::string_view lang) const {
  return stored.find(db_, id, lang);
}

std::optional<nlohmann::json> IndexReader::passage(const std::string& id, const Gazetteer& gazetteer,
                                                   std::string_view lang) const {
  StoredPassages stored(gazetteer);
  return stored.find(db_, id, lang);
}

std::optional<nlohmann::json> IndexReader::document(const std::string& symbol, std::string_view lang) const {
  std::string key;
  if (!lang.empty()) {
    key = schema::version_key(symbol, lang);
  } else {
    const std::vector<std::string> langs = versions(symbol);
    if (langs.empty()) return std::nullopt;
    key = schema::version_key(symbol, langs.front());
  }
  const std::string data = db_.get_metadata(std::string(schema::kMetaDocPrefix) + key);
  if (data.empty()) return std::nullopt;
  return nlohmann::json::parse(data);
}

std::vector<std::string> IndexReader::versions(const std::string& symbol) const {
  return document_versions(db_, symbol);
}

std::vector<std::string> IndexReader::passage_versions(const std::string& id) const {
  const std::string term = std::string(schema::kPassageId) + id;
  std::vector<std::string> langs;
  for (Xapian::PostingIterator it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it)
    langs.push_back(db_.get_document(*it, Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotLang));
  std::sort(langs.begin(), langs.end());
  return langs;
}

std::vector<std::string> IndexReader::source_keys() const {
  std::vector<std::string> keys;
  const std::string prefix(schema::kMetaSourcePrefix);
  // Setting metadata to "" deletes the key: every key listed holds a source.
  for (auto it = db_.metadata_keys_begin(prefix); it != db_.metadata_keys_end(prefix); ++it)
    keys.push_back((*it).substr(prefix.size()));
  return keys;
}

std::optional<AnalysisFingerprint> IndexReader::analysis() const {
  return AnalysisFingerprint::from_record(db_.get_metadata(std::string(schema::kMetaAnalysis)));
}

std::optional<nlohmann::json> IndexReader::source(const std::string& key) const {
  const std::string data = db_.get_metadata(std::string(schema::kMetaSourcePrefix) + key);
  if (data.empty()) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(data, nullptr, false);
  if (!j.is_object() || !j.contains("text") || !j["text"].is_string()) return std::nullopt;
  return j;
}

void IndexReader::reopen() {
  std::optional<std::string> stub = read_stub(dir_);
  if (stub == stub_) {
    db_.reopen();
    return;
  }
  // Another generation: Xapian's reopen() would stay on the old one's files.
  db_ = Xapian::Database(dir_.string());
  stub_ = std::move(stub);
}

}  // namespace treaty
