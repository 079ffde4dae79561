// Writes parsed documents into the Xapian index, one Xapian document per passage.
#pragma once

#include <filesystem>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "core/documents/document.h"
#include "core/base/error.h"
#include "core/documents/passage_fields.h"
#include "core/index/analysis.h"
#include "core/index/stemmers.h"

namespace treaty {

class Analyzer;

// Builds the Xapian document for doc.passages[index]: text terms, field terms, values and data
// (encode_passage_data()) as described in schema.h (organizations' labels are added when the
// passage is read); with `stemmers`, the stems of the body's words in the document's language.
Xapian::Document build_passage_document(const Document& doc, std::size_t index,
                                        const PassageFields& fields, Analyzer& analyzer,
                                        const Stemmers* stemmers = nullptr);

struct IndexWriterOptions {
  // Recorded in the index at every commit (schema::kMetaAnalysis): the analysis the documents
  // are written with (Resources::analysis). Only into an empty index or one that records the
  // same analysis: documents added to an index analysed otherwise leave its record as it is, so
  // readers keep seeing the difference until `indexer reindex` (see analysis_differences()).
  // nullopt: the record is left as it is (a writer that only removes documents).
  std::optional<AnalysisFingerprint> analysis;
  // false: a new index is created in the generation layout (index_layout.h: a XAPIANDB stub and
  // gen-1/). true: a bare Xapian database in `dir` (a shard, or a generation being built).
  bool plain = false;
  // true: an index of another schema version opens too, only to hold its writer lock (`indexer
  // reindex` while it rebuilds the index in a new generation); nothing may be written through it.
  bool lock_only = false;
  // true: writing or removing a version aligns the document's versions again (version_links.h).
  // false: only each version's alignment units are stored, and relink_all() links them later
  // (bulk-load shards, which do not hold every version of a document).
  bool link = true;
};

// True for the error IndexWriter::open() gives when another writer holds the index's lock (the
// caller may retry later; searchd answers 503, the indexer exits with its "locked" code).
bool is_locked(const Error& error);

class IndexWriter {
 public:
  // Opens (creating if needed) the index at `dir` for writing: a generation layout (through its
  // stub, at the current generation) or a bare database. Expected failures: another writer holds
  // the lock, the directory is not an index of this schema or cannot be created.
  static Expected<IndexWriter> open(const std::filesystem::path& dir, IndexWriterOptions options = {});

  IndexWriter(IndexWriter&&) noexcept;
  IndexWriter& operator=(IndexWriter&&) noexcept;
  ~IndexWriter();  // uncommitted changes are discarded, never half-written

  // Replaces every passage of the `doc.language` version of `doc.symbol` with the passages of
  // `doc` (its other language versions stay), and that version's stored source with `text`, the
  // text `doc` was parsed from (schema::kMetaSourcePrefix; empty: none is kept, and `indexer
  // reindex` cannot rebuild the document). Returns the number of passages written. Nothing is
  // visible to readers until commit().
  std::size_t replace_document(const Document& doc, const DocumentFields& fields, Analyzer& analyzer,
                               std::string_view text = {});

  // Removes every passage of the `lang` version of document `symbol` (empty: of all its
  // versions), with their sources and summaries; returns how many were removed (0: unknown).
  std::size_t remove_document(std::string_view symbol, std::string_view lang = {});

  // Aligns the versions of every document that has two or more again (version_links.h), as
  // writing them with IndexWriterOptions::link would have. Returns the documents linked.
  std::size_t relink_all();

  // Mines the bilingual dictionaries from the links as they are now (dictionary.h) and stores
  // them, replacing the stored ones; returns how many (one per language linked with Chinese).
  // `indexer add` and `indexer reindex` call it before their last commit.
  std::size_t rebuild_dictionaries();

  // True if the index (with the changes so far) has a document `symbol`; with `lang`, a
  // version of it in that language.
  bool contains(std::string_view symbol, std::optional<std::string_view> lang = std::nullopt) const;

  // The language codes of the versions of document `symbol` (with the changes so far), sorted.
  std::vector<std::string> versions(std::string_view symbol) const;

  // Makes all changes so far durable and visible, in one Xapian commit, with the schema version
  // and the analysis record. Returns the revision it made (what readers report after reopen()).
  std::uint64_t commit();

  // How the index's recorded analysis differs from IndexWriterOptions::analysis, found at open
  // (analysis_differences()); empty when they agree, the index was empty or no analysis was given.
  const std::vector<std::string>& analysis_differences() const { return differences_; }

 private:
  explicit IndexWriter(Xapian::WritableDatabase db);
  std::unique_ptr<Xapian::WritableDatabase> db_;
  Stemmers stemmers_;  // this writer's (Snowball stemmers keep state)
  std::optional<std::string> analysis_record_;  // written at commit; nullopt: leave it
  std::vector<std::string> differences_;
  bool link_ = true;  // IndexWriterOptions::link
};

}  // namespace treaty
