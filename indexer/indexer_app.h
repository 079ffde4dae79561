// The indexer's commands. main.cpp parses the command line and calls these; each returns the
// process exit code and writes user-facing messages to the given streams.
#pragma once

#include <filesystem>
#include <optional>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/vectors/embedder.h"

namespace treaty::indexer {

// Exit codes (documented in README.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 1;   // a document or argument could not be used; nothing written
inline constexpr int kExitUsage = 2;      // command-line syntax (CLI11)
inline constexpr int kExitIndex = 3;      // the index cannot be opened, is locked, or failed
inline constexpr int kExitConfig = 4;     // lexicon, gazetteer or embedder settings invalid
inline constexpr int kExitEmbedding = 5;  // the embedding server failed; nothing written

struct Options {
  std::filesystem::path index_dir = "data/index";  // --index
  std::filesystem::path config_dir;                // --config-dir: lexicon.txt, organizations.toml
  std::string symbol;                              // --symbol: for a single document without one
  std::string lang;                                // --lang: the documents' language code; "": told
                                                   // from each document (language.h)
  bool keep_going = false;                         // --keep-going: skip bad documents, index the rest
  bool quiet = false;                              // --quiet: no progress lines
  std::size_t threads = 0;                         // --threads: workers for a bulk load; 0 = one per core
  std::size_t shard_passages = 20000;              // --shard-passages: a bulk-load thread starts a new
                                                   // shard after this many passages (bench/PROFILE.md)
  std::optional<EmbedderOptions> embedder;         // --embed-url ...: compute passage vectors
  bool warnings_only = false;                      // inspect --warnings: the parse warnings only
};

// `indexer add PATH...`: files, or directories searched recursively for *.txt and *.pdf. A PDF
// (*.pdf in any case) is read through its text layer (pdf_to_text), exactly as its text extract
// would be; any other file is a text extract. Every document is parsed and checked first; any
// bad input (an unreadable, encrypted or image-only PDF included, or a symbol given twice)
// aborts the run before anything is written, unless keep_going. Into a new (missing or empty)
// index directory, the documents are indexed in parallel shards that are compacted and moved
// into place at the end; into an existing index, they are written in one transaction with one
// commit. Either way a failed or interrupted run leaves the index at its previous commit.
int run_add(const Options& options, const std::vector<std::filesystem::path>& paths,
            std::ostream& out, std::ostream& err);

// `indexer remove SYMBOL...`
int run_remove(const Options& options, const std::vector<std::string>& symbols,
               std::ostream& out, std::ostream& err);

// `indexer inspect FILE`: the parsed document (a text extract or a PDF) as JSON on `out`; the
// index is not touched.
int run_inspect(const Options& options, const std::filesystem::path& file,
                std::ostream& out, std::ostream& err);

// `indexer reindex`: rebuilds the whole index from the documents' stored sources (the texts
// `add` parsed) with the current configuration into a new generation (index_layout.h), then
// switches to it atomically; readers keep the old generation until they reopen. The previous
// generation is kept, older ones are removed. Holds the index's writer lock throughout. Fails
// (index unchanged) for an index without generations or without stored sources (schema < 7:
// rebuild with `add`), or a source that no longer parses.
int run_reindex(const Options& options, std::ostream& out, std::ostream& err);

// `indexer stats`: documents, language versions, passages, size and last commit as JSON.
int run_stats(const Options& options, std::ostream& out, std::ostream& err);

// `indexer dictionary --lang zh-en`: the mined dictionary zh–en as JSON {lang, pairs (the linked
// passage pairs it was mined from), entries [{source (a stem), targets [{word, weight}]}]}.
// An index without that dictionary prints it empty (and says so on `err`); usage error for a
// pair not of the form zh-<lang>.
int run_dictionary(const Options& options, const std::string& pair, std::ostream& out, std::ostream& err);

}  // namespace treaty::indexer
