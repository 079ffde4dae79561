#include "core/ingest/write_queue.h"

#include <future>
#include <stdexcept>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>
#include <xapian.h>

#include "core/documents/document_facts.h"
#include "core/index/index_writer.h"
#include "core/index/schema.h"
#include "core/search/resources.h"
#include "core/text/analyzer.h"
#include "core/vectors/embedder.h"
#include "core/vectors/vector_store.h"

namespace treaty {

using Outcome = std::expected<WriteResult, WriteError>;

struct WriteQueue::Job {
  bool remove = false;
  ParsedInput input;   // replace
  std::string symbol;  // remove; for replace, input.doc.symbol
  std::string lang;    // the version: remove (empty: all); for replace, version_language(input.doc)
  std::promise<Outcome> done;
  std::optional<Outcome> outcome;  // decided before the commit (not_found), else at the commit
};

// The open index: its writer (holding the lock and an open transaction), the vectors kept in
// step with it, and an analyzer for the writer thread.
struct WriteQueue::Writer {
  IndexWriter index;
  std::optional<VectorStore> vectors;  // only when an embedder is set or vectors.bin exists
  Analyzer analyzer;
};

WriteQueue::WriteQueue(const Resources& resources, WriteQueueOptions options)
    : resources_(resources), options_(std::move(options)) {
  if (options_.max_batch == 0) options_.max_batch = 1;
  thread_ = std::thread([this] { run(); });
}

WriteQueue::~WriteQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Outcome WriteQueue::replace(ParsedInput input) {
  auto job = std::make_shared<Job>();
  job->symbol = input.doc.symbol;
  job->lang = version_language(input.doc);
  job->input = std::move(input);
  return submit(std::move(job));
}

Outcome WriteQueue::remove(std::string symbol, std::string lang) {
  auto job = std::make_shared<Job>();
  job->remove = true;
  job->symbol = std::move(symbol);
  job->lang = std::move(lang);
  return submit(std::move(job));
}

WriteQueueStats WriteQueue::stats() const {
  std::lock_guard lock(mutex_);
  WriteQueueStats s = stats_;
  s.pending = jobs_.size();
  return s;
}

Outcome WriteQueue::submit(std::shared_ptr<Job> job) {
  std::future<Outcome> result = job->done.get_future();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return std::unexpected(WriteError{WriteErrorKind::index, "the server is shutting down"});
    jobs_.push_back(std::move(job));
  }
  wake_.notify_all();
  return result.get();
}

void WriteQueue::run() {
  // A failure leaves the thread at normal priority: slower searches during writes, nothing worse.
  if (options_.nice > 0) (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), options_.nice);
  std::unique_lock lock(mutex_);
  for (;;) {
    // Keep the index open a while for the next write; then release its lock for the indexer.
    if (jobs_.empty() && !stopping_ && writer_ &&
        !wake_.wait_for(lock, options_.hold_lock, [&] { return !jobs_.empty() || stopping_; })) {
      writer_.reset();
      stats_.holds_lock = false;
    }
    wake_.wait(lock, [&] { return !jobs_.empty() || stopping_; });
    if (stopping_) break;
    std::deque<std::shared_ptr<Job>> batch;
    while (!jobs_.empty() && batch.size() < options_.max_batch) {
      batch.push_back(std::move(jobs_.front()));
      jobs_.pop_front();
    }
    lock.unlock();
    run_batch(batch);
    lock.lock();
    // Released before anyone is answered, so a caller that got its answer may take the lock.
    if (options_.hold_lock.count() == 0) writer_.reset();
    stats_.holds_lock = writer_ != nullptr;
    for (auto& job : batch) {
      if (*job->outcome) ++stats_.writes; else ++stats_.failed;
      job->done.set_value(std::move(*job->outcome));
    }
  }
  for (auto& job : jobs_) job->done.set_value(std::unexpected(WriteError{WriteErrorKind::index, "the server is shutting down"}));
  jobs_.clear();
  writer_.reset();
  stats_.holds_lock = false;
}

void WriteQueue::run_batch(std::deque<std::shared_ptr<Job>>& batch) {
  // The transaction (if open) is abandoned with the writer: every job of the batch fails, but
  // for those that had failed on their own (not_found).
  auto fail_all = [&](WriteErrorKind kind, const std::string& message) {
    writer_.reset();
    for (auto& job : batch)
      if (!job->outcome || job->outcome->has_value()) job->outcome = std::unexpected(WriteError{kind, message});
  };
  if (!writer_) {
    auto index = IndexWriter::open(options_.index_dir, {.analysis = resources_.analysis});
    if (!index) {
      // The message without the index's path: it goes to HTTP clients.
      fail_all(is_locked(index.error()) ? WriteErrorKind::locked : WriteErrorKind::index, index.error().message);
    } else {
      writer_.reset(new Writer{std::move(*index), std::nullopt, Analyzer(resources_.normalizer, resources_.lexicon)});
      std::error_code ec;
      if (options_.embedder || std::filesystem::exists(VectorStore::file_path(options_.index_dir), ec)) {
        auto loaded = VectorStore::load(options_.index_dir, VectorStoreOptions{.build_ann = false});
        if (!loaded) fail_all(WriteErrorKind::index, loaded.error().describe());
        else writer_->vectors = std::move(*loaded);
      }
      if (writer_ && options_.embedder && writer_->vectors) {
        if (auto ok = writer_->vectors->set_model(options_.embedder->model()); !ok)
          fail_all(WriteErrorKind::embedding, ok.error().describe());
      }
    }
  }
  if (writer_) {
    try {
      Writer& w = *writer_;
      for (auto& job : batch) {
        if (job->remove) {
          const auto version = job->lang.empty() ? std::nullopt : std::optional<std::string_view>(job->lang);
          if (!w.index.contains(job->symbol, version)) {
            job->outcome = std::unexpected(WriteError{
                WriteErrorKind::not_found,
                "no document " + job->symbol + (job->lang.empty() ? "" : " in language " + job->lang)});
            continue;
          }
          const std::vector<std::string> langs =
              job->lang.empty() ? w.index.versions(job->symbol) : std::vector<std::string>{job->lang};
          const std::size_t removed = w.index.remove_document(job->symbol, job->lang);
          if (w.vectors)
            for (const std::string& lang : langs) w.vectors->remove_document(schema::vector_document(job->symbol, lang));
          job->outcome = WriteResult{job->symbol, job->lang, removed, false, 0};
          continue;
        }
        const bool created = !w.index.contains(job->symbol, job->lang);
        const std::size_t written = w.index.replace_document(job->input.doc, job->input.fields, w.analyzer,
                                                             job->input.text);
        job->outcome = WriteResult{job->symbol, job->lang, written, created, 0};
      }
      // Vectors last: a failing embedder abandons the batch before anything is committed.
      for (auto& job : batch) {
        if (!writer_ || job->remove || !w.vectors) continue;
        if (!options_.embedder) {
          w.vectors->remove_document(schema::vector_document(job->symbol, job->lang));
          continue;
        }
        auto rows = embed_document(*options_.embedder, job->input.doc);
        Expected<void> stored = rows ? w.vectors->replace_document(schema::vector_document(job->symbol, job->lang), *rows) : std::unexpected(rows.error());
        if (!stored) {
          fail_all(WriteErrorKind::embedding, job->input.doc.source + ": embedding failed: " + stored.error().message);
        }
      }
      if (writer_) {
        std::optional<StagedVectorFile> staged;
        if (w.vectors) {
          auto s = w.vectors->stage(options_.index_dir);
          if (!s) throw std::runtime_error(s.error().describe());
          staged = std::move(*s);
        }
        const std::uint64_t revision = w.index.commit();
        // vectors.bin follows the commit; if it cannot be renamed, the previous one stays (the
        // documents are searchable, their vectors stale until the next write).
        if (staged) (void)staged->commit();
        for (auto& job : batch)
          if (job->outcome && *job->outcome) (*job->outcome)->revision = revision;
        std::lock_guard lock(mutex_);
        ++stats_.commits;
      }
    } catch (const Xapian::Error& e) {
      fail_all(WriteErrorKind::index, "index error: " + e.get_description());
    } catch (const std::runtime_error& e) {
      fail_all(WriteErrorKind::index, e.what());
    }
  }
}

}  // namespace treaty
