#include "indexer/indexer_app.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/text/analyzer.h"
#include "core/documents/document_facts.h"
#include "core/index/document_json.h"
#include "core/index/schema.h"
#include "core/vectors/embedder.h"
#include "core/index/index_layout.h"
#include "core/index/index_reader.h"
#include "core/index/index_writer.h"
#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/documents/pdf_text.h"
#include "core/ingest/document_input.h"
#include "core/search/resources.h"
#include "core/vectors/vector_store.h"
#include "indexer/add_input.h"

namespace treaty::indexer {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

Expected<std::unique_ptr<Resources>> load_resources(const Options& options) {
  return Resources::load(ResourcePaths::in_directory(options.config_dir));
}

}  // namespace

namespace {

// Counters shared by the workers, read by the progress reporter.
struct Progress {
  std::atomic<std::size_t> documents{0};
  std::atomic<std::size_t> passages{0};
  std::atomic<std::size_t> bytes{0};
};

// Passage vectors of a run: computed by the embedder as documents are indexed, kept in one
// store shared by the workers, written next to the index when the run commits.
struct VectorSink {
  std::unique_ptr<Embedder> embedder;  // null: vectors are not computed (re-added documents lose theirs)
  VectorStore store{VectorStoreOptions{.build_ann = false}};
  std::mutex mutex;
  std::atomic<bool> failed{false};  // the embedding server failed (exit code kExitEmbedding)

  // Embeds the passages of `doc` and replaces its vectors; an error message on failure.
  std::optional<std::string> add(const Document& doc) {
    if (!embedder) {
      std::lock_guard lock(mutex);
      store.remove_document(schema::vector_document(doc.symbol, version_language(doc)));
      return std::nullopt;
    }
    auto rows = embed_document(*embedder, doc);
    if (!rows) {
      failed = true;
      return doc.source + ": embedding failed: " + rows.error().message;
    }
    std::lock_guard lock(mutex);
    auto replaced = store.replace_document(schema::vector_document(doc.symbol, version_language(doc)), *rows);
    if (!replaced) return doc.source + ": " + replaced.error().message;
    return std::nullopt;
  }
};

// An indexer run's last commit: with the dictionaries mined from the links as they are now.
void commit_with_dictionaries(IndexWriter& writer) {
  writer.rebuild_dictionaries();
  writer.commit();
}

// Passages a bulk-load shard writes between commits. Xapian buffers a transaction's postings in
// memory and each new passage costs more as the buffer grows; shards are private until the final
// rename, so committing them early loses nothing. Measured on the 1,000-document bench corpus
// (2 threads): never 23.7 s / 555 MB peak RSS, every 4,000 17-20 s / 244 MB, every 1,000
// 13.8-14.7 s / 85 MB, every 250 14.4 s / 43 MB.
constexpr std::size_t kShardCommitPassages = 1000;

// Where index_some() writes: the current writer, and what follows each document (a commit, a
// new shard), which returns an error message or nullopt and may throw Xapian::Error.
struct WriteTarget {
  std::function<IndexWriter&()> writer;
  std::function<std::optional<std::string>(std::size_t passages)> after;
};

// Parses, analyses, embeds (when `vectors` has an embedder) and writes documents[i] for
// i = next++, into `target`. Returns an error message on an index or embedding failure (the
// caller abandons the run).
std::optional<std::string> index_some(const std::vector<Validated>& documents, std::atomic<std::size_t>& next,
                                      const Options& options, const Resources& res, const WriteTarget& target,
                                      VectorSink& vectors, Progress& progress, const std::atomic<bool>& stop) {
  Analyzer analyzer(res.normalizer, res.lexicon);
  try {
    for (std::size_t i = next++; i < documents.size() && !stop; i = next++) {
      const Validated& d = documents[i];
      // A kept page model is parsed as it is: parse_document() recognises its text form.
      auto parsed = d.text.empty() ? parse_file(d.path, options, res)
                                   : parse_input(d.text, InputFormat::text,
                                                 ParseOptions{d.path.string(), options.symbol, options.lang}, res);
      if (!parsed) return parsed.error().describe();  // changed since validation
      if (auto error = vectors.add(parsed->doc)) return error;
      const std::size_t written =
          target.writer().replace_document(parsed->doc, parsed->fields, analyzer, parsed->text);
      progress.passages += written;
      if (target.after)
        if (auto error = target.after(written)) return error;
      ++progress.documents;
      std::error_code ec;
      progress.bytes += fs::file_size(documents[i].path, ec);
    }
  } catch (const Xapian::Error& e) {
    return "index error: " + e.get_description();
  }
  return std::nullopt;
}

// One bulk-load thread's shards (shard<thread>-<n> under `work`), committed every
// kShardCommitPassages passages and replaced by a new one after `shard_passages` (Options).
// Each commit rewrites the B-tree blocks of every term it touches, which costs more as a shard
// grows; small shards keep commits cheap, and the final compaction merges them all in one pass.
class ShardSeries {
 public:
  ShardSeries(fs::path work, std::size_t thread, std::size_t shard_passages, const Resources& res)
      : work_(std::move(work)), thread_(thread), shard_passages_(std::max<std::size_t>(1, shard_passages)), res_(&res) {}

  // Opens the next shard; an error message on failure.
  std::optional<std::string> open_next() {
    writer_.reset();  // the last shard was committed by after() or finish()
    dirs_.push_back(work_ / ("shard" + std::to_string(thread_) + "-" + std::to_string(dirs_.size())));
    auto w = IndexWriter::open(dirs_.back(), {.analysis = res_->analysis, .plain = true, .link = false});
    if (!w) return w.error().describe();
    writer_ = std::move(*w);
    in_shard_ = uncommitted_ = 0;
    return std::nullopt;
  }

  IndexWriter& writer() { return *writer_; }

  // After `passages` more were written: commits, or moves on to a new shard. Throws Xapian::Error.
  std::optional<std::string> after(std::size_t passages) {
    in_shard_ += passages;
    uncommitted_ += passages;
    if (uncommitted_ < std::min(kShardCommitPassages, shard_passages_)) return std::nullopt;
    writer_->commit();
    uncommitted_ = 0;
    return in_shard_ >= shard_passages_ ? open_next() : std::nullopt;
  }

  // Commits and closes the current shard. Throws Xapian::Error.
  void finish() {
    if (!writer_) return;
    writer_->commit();
    writer_.reset();
  }

  const std::vector<fs::path>& dirs() const { return dirs_; }

 private:
  fs::path work_;
  std::size_t thread_;
  std::size_t shard_passages_;
  const Resources* res_;
  std::vector<fs::path> dirs_;
  std::optional<IndexWriter> writer_;
  std::size_t in_shard_ = 0, uncommitted_ = 0;
};

// Runs `work` on `threads` threads while printing a progress line every 2 s (unless quiet).
void run_with_progress(std::size_t threads, const std::function<void()>& work, const Progress& progress,
                       std::size_t total, const Options& options, std::ostream& err) {
  std::vector<std::thread> pool;
  std::atomic<std::size_t> running{threads};
  for (std::size_t t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      work();
      --running;
    });
  auto last = Clock::now();
  while (running > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!options.quiet && Clock::now() - last > std::chrono::seconds(2)) {
      err << "indexer: " << progress.documents << "/" << total << " documents, " << progress.passages
          << " passages\n";
      last = Clock::now();
    }
  }
  for (auto& t : pool) t.join();
}

// Workers for `items` items: --threads (0: one per core), at least one, at most one per item.
std::size_t worker_count(const Options& options, std::size_t items) {
  const std::size_t asked = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  return std::max<std::size_t>(1, std::min(asked, items));
}

bool empty_or_missing(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  return fs::is_directory(dir, ec) && fs::is_empty(dir, ec);
}

// Bulk load into a new index: each thread writes its own shard next to the target, then the
// shards are compacted into a fresh directory that is renamed into place. Nothing appears at
// `options.index_dir` until the end, so an interrupted run leaves no index behind.
Expected<void> bulk_load(const std::vector<Validated>& documents, const Options& options, const Resources& res,
                         std::size_t threads, VectorSink& vectors, Progress& progress, std::ostream& err) {
  const fs::path target = fs::absolute(options.index_dir).lexically_normal();
  const fs::path work = target.parent_path() / ("." + target.filename().string() + ".build-" + std::to_string(getpid()));
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{work};

  std::vector<ShardSeries> series;
  for (std::size_t t = 0; t < threads; ++t) {
    series.emplace_back(work, t, options.shard_passages, res);
    if (auto error = series.back().open_next()) return fail(*error);
  }
  std::atomic<std::size_t> next{0}, slot{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::optional<std::string> failure;
  run_with_progress(
      threads,
      [&] {
        ShardSeries& shards = series[slot++];
        const WriteTarget into{[&]() -> IndexWriter& { return shards.writer(); },
                               [&](std::size_t passages) { return shards.after(passages); }};
        auto error = index_some(documents, next, options, res, into, vectors, progress, stop);
        if (!error) {
          try {
            shards.finish();
          } catch (const Xapian::Error& e) {
            error = "index error: " + e.get_description();
          }
        }
        if (error) {
          std::lock_guard lock(mutex);
          failure = *error;
          stop = true;
        }
      },
      progress, documents.size(), options, err);
  if (failure) return fail(*failure);
  std::vector<fs::path> shard_dirs;  // all committed and closed by finish()
  for (const ShardSeries& s : series) shard_dirs.insert(shard_dirs.end(), s.dirs().begin(), s.dirs().end());

  try {
    Xapian::Database shards;
    for (const fs::path& dir : shard_dirs) shards.add_database(Xapian::Database(dir.string()));
    // The index in its generation layout (index_layout.h): the compacted shards are gen-1.
    const fs::path built = work / "index";
    std::error_code ec;
    fs::create_directories(built, ec);
    shards.compact(generation_dir(built, 1).string());
    if (auto ok = switch_generation(built, 1); !ok) return std::unexpected(ok.error());
    {
      // Versions of one document may be in different shards: link them now all are in one.
      auto linker = IndexWriter::open(built, {.analysis = res.analysis});
      if (!linker) return std::unexpected(linker.error());
      if (linker->relink_all() > 0) commit_with_dictionaries(*linker);
    }
    if (vectors.embedder) {
      auto saved = vectors.store.save(built);  // the vectors arrive with the index
      if (!saved) return std::unexpected(saved.error());
    }
    fs::rename(built, target, ec);  // replaces an empty target directory
    if (ec) return fail("cannot move the new index into place: " + ec.message(), target.string());
  } catch (const Xapian::Error& e) {
    return fail("index error while compacting: " + e.get_description(), target.string());
  }
  return {};
}

}  // namespace

int run_add(const Options& options, const std::vector<fs::path>& paths, std::ostream& out,
            std::ostream& err) {
  auto files = collect_files(paths);
  if (!files) {
    err << "indexer: " << files.error().describe() << "\n";
    return kExitBadInput;
  }
  if (files->empty()) {
    err << "indexer: no .txt or .pdf documents found in the given paths\n";
    return kExitBadInput;
  }
  if (!options.symbol.empty() && files->size() != 1) {
    err << "indexer: --symbol applies to a single document, got " << files->size() << "\n";
    return kExitBadInput;
  }
  auto res = load_resources(options);
  if (!res) {
    err << "indexer: " << res.error().describe() << "\n";
    return kExitConfig;
  }
  const auto start = Clock::now();
  std::size_t failed = 0;
  std::size_t threads = worker_count(options, files->size());
  auto documents = validate(*files, options, threads, failed, err);
  if (!documents) return kExitBadInput;
  if (documents->empty()) {
    err << "indexer: no readable document; nothing written\n";
    return kExitBadInput;
  }

  // Vectors: computed when an embedder is configured; an existing vectors.bin is kept in step
  // (re-added documents lose their vectors when no embedder is configured).
  VectorSink vectors;
  if (options.embedder) {
    auto embedder = HttpEmbedder::create(*options.embedder);
    if (!embedder) {
      err << "indexer: embedder: " << embedder.error().describe() << "\n";
      return kExitConfig;
    }
    vectors.embedder = std::move(*embedder);
  }
  if (!empty_or_missing(options.index_dir)) {
    auto loaded = VectorStore::load(options.index_dir, VectorStoreOptions{.build_ann = false});
    if (!loaded) {
      err << "indexer: " << loaded.error().describe() << "\n";
      return kExitIndex;
    }
    vectors.store = std::move(*loaded);
  }
  if (vectors.embedder) {
    if (auto ok = vectors.store.set_model(vectors.embedder->model()); !ok) {
      err << "indexer: " << ok.error().describe() << " (re-index into a new directory to change models)\n";
      return kExitConfig;
    }
  }
  const bool keep_vectors = vectors.embedder || vectors.store.size() > 0;

  threads = std::max<std::size_t>(1, std::min(threads, documents->size()));
  Progress progress;
  const bool bulk = empty_or_missing(options.index_dir) && !documents->empty();
  if (bulk) {
    auto done = bulk_load(*documents, options, **res, threads, vectors, progress, err);
    if (!done) {
      err << "indexer: " << done.error().describe() << "; no index was written\n";
      return vectors.failed ? kExitEmbedding : kExitIndex;
    }
  } else {
    // Adding to an existing index: one writer, one transaction, one commit.
    auto writer = IndexWriter::open(options.index_dir, {.analysis = (*res)->analysis});
    if (!writer) {
      err << "indexer: " << writer.error().describe() << "\n";
      return kExitIndex;
    }
    for (const std::string& d : writer->analysis_differences())
      err << "indexer: warning: the index was analysed with another configuration (" << d
          << "); the documents added now are analysed with the current one\n";
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::optional<std::string> failure;
    run_with_progress(
        1,
        [&] {
          const WriteTarget target{[&]() -> IndexWriter& { return *writer; }, {}};
          failure = index_some(*documents, next, options, **res, target, vectors, progress, stop);
        },
        progress,
        documents->size(), options, err);
    // The new vectors.bin is written first and renamed into place only after the Xapian commit.
    std::optional<StagedVectorFile> staged;
    if (!failure && keep_vectors) {
      auto s = vectors.store.stage(options.index_dir);
      if (s) staged = std::move(*s); else failure = s.error().describe();
    }
    try {
      if (!failure) commit_with_dictionaries(*writer);
    } catch (const Xapian::Error& e) {
      failure = "index error: " + e.get_description();
    }
    if (!failure && staged) {
      if (auto c = staged->commit(); !c) failure = c.error().describe();
    }
    if (failure) {
      err << "indexer: " << *failure << "; the index is at its previous commit\n";
      return vectors.failed ? kExitEmbedding : kExitIndex;
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  out << nlohmann::json{{"documents", progress.documents.load()},
                        {"passages", progress.passages.load()},
                        {"skipped", failed},
                        {"bytes", progress.bytes.load()},
                        {"seconds", seconds},
                        {"mode", bulk ? "bulk" : "update"},
                        {"vectors", vectors.store.size()},
                        {"threads", bulk ? threads : 1},
                        {"index", options.index_dir.string()}}
             .dump()
      << "\n";
  return failed > 0 ? kExitBadInput : kExitOk;
}

int run_remove(const Options& options, const std::vector<std::string>& symbols, std::ostream& out,
               std::ostream& err) {
  auto writer = IndexWriter::open(options.index_dir);
  if (!writer) {
    err << "indexer: " << writer.error().describe() << "\n";
    return kExitIndex;
  }
  nlohmann::json removed = nlohmann::json::object();
  auto vectors = VectorStore::load(options.index_dir, VectorStoreOptions{.build_ann = false});
  if (!vectors) {
    err << "indexer: " << vectors.error().describe() << "\n";
    return kExitIndex;
  }
  try {
    for (const std::string& symbol : symbols) {
      const std::vector<std::string> langs = writer->versions(symbol);
      const std::size_t n = writer->remove_document(symbol);
      if (n == 0) {
        err << "indexer: no document " << symbol << " in " << options.index_dir.string()
            << "; nothing removed\n";
        return kExitBadInput;
      }
      removed[symbol] = n;
      for (const std::string& lang : langs) vectors->remove_document(schema::vector_document(symbol, lang));
    }
    std::optional<StagedVectorFile> staged;
    if (vectors->size() > 0 || fs::exists(VectorStore::file_path(options.index_dir))) {
      auto s = vectors->stage(options.index_dir);
      if (!s) {
        err << "indexer: " << s.error().describe() << "; nothing removed\n";
        return kExitIndex;
      }
      staged = std::move(*s);
    }
    writer->commit();
    if (staged) {
      if (auto c = staged->commit(); !c) {
        err << "indexer: " << c.error().describe() << "\n";
        return kExitIndex;
      }
    }
  } catch (const Xapian::Error& e) {
    err << "indexer: index error: " << e.get_description() << "\n";
    return kExitIndex;
  }
  out << nlohmann::json{{"removed", removed}}.dump() << "\n";
  return kExitOk;
}

int run_inspect(const Options& options, const fs::path& file, std::ostream& out, std::ostream& err) {
  auto res = load_resources(options);
  if (!res) {
    err << "indexer: " << res.error().describe() << "\n";
    return kExitConfig;
  }
  auto parsed = parse_file(file, options, **res);
  if (!parsed) {
    err << "indexer: " << parsed.error().describe() << "\n";
    return kExitBadInput;
  }
  if (options.warnings_only) {
    // A PDF's warnings name their page; a text extract's, their line.
    for (const ParseWarning& w : parsed->doc.warnings) {
      if (w.page > 0) out << file.string() << ": page " << w.page << ": " << w.message << "\n";
      else out << file.string() << ":" << w.line << ": " << w.message << "\n";
    }
    return kExitOk;
  }
  out << document_to_json(parsed->doc, parsed->fields, (*res)->gazetteer).dump(2) << "\n";
  return kExitOk;
}

int run_stats(const Options& options, std::ostream& out, std::ostream& err) {
  auto reader = IndexReader::open(options.index_dir);
  if (!reader) {
    err << "indexer: " << reader.error().describe() << "\n";
    return kExitIndex;
  }
  const IndexStats s = reader->stats();
  out << nlohmann::json{{"documents", s.documents},
                        {"versions", s.versions},
                        {"passages", s.passages},
                        {"size_bytes", s.size_bytes},
                        {"last_commit", s.last_commit},
                        {"symbols", s.symbols}}
             .dump(2)
      << "\n";
  return kExitOk;
}

}  // namespace treaty::indexer
