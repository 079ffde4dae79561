// `indexer reindex`: rebuilds the index from the sources it stores, with the current
// configuration, into a new generation, then switches to it atomically (index_layout.h).
#include <chrono>
#include <ostream>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/index/index_layout.h"
#include "core/index/index_reader.h"
#include "core/index/index_writer.h"
#include "core/index/schema.h"
#include "core/search/resources.h"
#include "core/text/analyzer.h"
#include "indexer/indexer_app.h"

namespace treaty::indexer {
namespace {

namespace fs = std::filesystem;

// Passages written to the new generation between commits (it is private until the switch, so
// committing early only bounds memory; see kShardCommitPassages in indexer_app.cpp).
constexpr std::size_t kCommitPassages = 1000;

struct Rebuilt {
  std::size_t documents = 0;
  std::size_t passages = 0;
};

// Writes every document of `reader`, parsed again from its stored source, into a new bare
// database at `dir`. Expected failures: a document without a source, a source that no longer
// parses, an index error.
Expected<Rebuilt> write_all(const IndexReader& reader, const fs::path& dir, const Resources& res) {
  auto writer = IndexWriter::open(dir, {.analysis = res.analysis, .plain = true});
  if (!writer) return std::unexpected(writer.error());
  Analyzer analyzer(res.normalizer, res.lexicon);
  Rebuilt done;
  std::size_t uncommitted = 0;
  try {
    // Every stored source, each a version of a symbol (schema 9; before, a symbol's only one).
    // Refused up front when a version has none: its passages cannot be rebuilt and would be lost.
    const std::vector<std::string> keys = reader.source_keys();
    const std::set<std::string> stored(keys.begin(), keys.end());
    for (const std::string& symbol : reader.stats().symbols) {
      std::vector<std::pair<std::string, std::string>> versions;  // source key, how it is named
      for (const std::string& lang : reader.versions(symbol))
        versions.emplace_back(schema::version_key(symbol, lang), symbol + " (" + lang + ")");
      if (versions.empty()) versions.emplace_back(symbol, symbol);  // schema 8 and before
      for (const auto& [key, name] : versions)
        if (!stored.contains(key))
          return fail("document " + name + " has no stored source (indexed before sources were kept): rebuild "
                      "the index with `indexer add` into a new directory");
    }
    for (const std::string& key : keys) {
      auto source = reader.source(key);
      if (!source) return fail("the stored source " + key + " is not readable (no text): rebuild the index with `indexer add`");
      const std::string symbol = source->value("symbol", key);
      const std::string text = (*source)["text"].get<std::string>();
      auto doc = parse_document(text, ParseOptions{source->value("source", symbol), source->value("symbol", symbol),
                                                   source->value("lang", std::string())});
      if (!doc) return std::unexpected(doc.error());
      const DocumentFields fields = extract_fields(*doc, res.normalizer, res.gazetteer);
      const std::size_t written = writer->replace_document(*doc, fields, analyzer, text);
      done.passages += written;
      ++done.documents;
      if ((uncommitted += written) >= kCommitPassages) {
        writer->commit();
        uncommitted = 0;
      }
    }
    writer->rebuild_dictionaries();
    writer->commit();
  } catch (const Xapian::Error& e) {
    return fail("index error: " + e.get_description(), dir.string());
  }
  return done;
}

// Writes every document of `reader`, parsed again from its stored source, into a new bare
// database at `dir`, compacted (as a bulk load's: a fresh write is ~75 % larger). Expected
// failures: a document without a source, a source that no longer parses, an index error.
Expected<Rebuilt> rebuild(const IndexReader& reader, const fs::path& dir, const Resources& res) {
  const fs::path draft = dir.string() + ".draft";
  std::error_code ec;
  fs::remove_all(draft, ec);  // left over by an interrupted reindex
  auto rebuilt = write_all(reader, draft, res);
  if (rebuilt) {
    try {
      Xapian::Database(draft.string()).compact(dir.string());
    } catch (const Xapian::Error& e) {
      rebuilt = fail("index error while compacting: " + e.get_description(), dir.string());
    }
  }
  fs::remove_all(draft, ec);
  return rebuilt;
}

}  // namespace

int run_reindex(const Options& options, std::ostream& out, std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  auto res = Resources::load(ResourcePaths::in_directory(options.config_dir));
  if (!res) {
    err << "indexer: " << res.error().describe() << "\n";
    return kExitConfig;
  }
  // An index of an earlier schema too: only its sources are read.
  auto reader = IndexReader::open_for_reindex(options.index_dir);
  if (!reader) {
    err << "indexer: " << reader.error().describe() << "\n";
    return kExitIndex;
  }
  const auto generation = current_generation(options.index_dir);
  if (!generation) {
    err << "indexer: " << options.index_dir.string()
        << ": the index has no generations (no XAPIANDB stub); rebuild it with `indexer add` into a new directory\n";
    return kExitIndex;
  }
  // Holding the writer lock of the current generation keeps `indexer add` and `remove` out
  // until the switch: what they committed to the old generation would be lost.
  auto lock = IndexWriter::open(options.index_dir, {.analysis = std::nullopt, .lock_only = true});
  if (!lock) {
    err << "indexer: " << lock.error().describe() << "\n";
    return kExitIndex;
  }
  const int next = *generation + 1;
  const fs::path dir = generation_dir(options.index_dir, next);
  std::error_code ec;
  fs::remove_all(dir, ec);  // left over by an interrupted reindex
  auto rebuilt = rebuild(*reader, dir, **res);
  if (!rebuilt) {
    fs::remove_all(dir, ec);
    err << "indexer: " << rebuilt.error().describe() << "; the index is unchanged\n";
    return kExitIndex;
  }
  if (auto switched = switch_generation(options.index_dir, next); !switched) {
    fs::remove_all(dir, ec);
    err << "indexer: " << switched.error().describe() << "; the index is unchanged\n";
    return kExitIndex;
  }
  // The previous generation stays for readers that have not reopened yet; older ones go.
  const int removed = remove_generations_before(options.index_dir, *generation);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out << nlohmann::json{{"documents", rebuilt->documents},
                        {"passages", rebuilt->passages},
                        {"generation", next},
                        {"removed_generations", removed},
                        {"seconds", seconds}}
             .dump()
      << "\n";
  return kExitOk;
}

}  // namespace treaty::indexer
