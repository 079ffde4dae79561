// Serialised writes into a live index (searchd's POST and DELETE /documents): one writer thread
// owns the Xapian write lock while there is work, applies the writes waiting together in one
// transaction and commits them once (group commit); each caller returns only after the commit
// that holds its write is durable.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/ingest/document_input.h"

namespace treaty {

class Embedder;
struct Resources;

struct WriteQueueOptions {
  // The index written (index_layout.h; created on the first write if missing).
  std::filesystem::path index_dir;
  // How long the writer keeps the index open (and its lock held) after its last commit, waiting
  // for more writes; 0: released after every commit. Held, the `indexer` command finds the index
  // locked; released, the next write opens it again (a few milliseconds).
  std::chrono::milliseconds hold_lock{1000};
  // Writes applied in one transaction and commit at most. With hold_lock 0 the lock is released
  // before the writes of a commit are answered.
  std::size_t max_batch = 32;
  // Scheduling priority of the writer thread (its nice value, 0-19): above 0, the indexing work
  // yields the CPU to searches when both want it (Linux nices threads one by one).
  int nice = 0;
  // Computes the passage vectors of written documents (vectors.bin beside the index); null:
  // none, and a replaced document loses its vectors, as with `indexer add` without an embedder.
  std::shared_ptr<Embedder> embedder;
};

enum class WriteErrorKind {
  locked,     // another writer (the indexer command) holds the index: retry later
  not_found,  // remove(): no such document
  embedding,  // the embedding server failed; nothing of the batch was written
  index,      // the index could not be opened, written or committed; nothing was written
};

struct WriteError {
  WriteErrorKind kind;
  std::string message;
};

struct WriteResult {
  std::string symbol;
  std::string lang;           // the version written or removed ("": remove() of every version)
  std::size_t passages = 0;   // written (replace) or removed (remove)
  bool created = false;       // replace(): the version was not in the index before
  std::uint64_t revision = 0; // the commit that holds the write
};

// Counters for /metrics and tests.
struct WriteQueueStats {
  std::uint64_t writes = 0;   // writes committed
  std::uint64_t failed = 0;   // writes that failed
  std::uint64_t commits = 0;  // commits made (fewer than writes when writes shared one)
  std::size_t pending = 0;    // writes waiting for the writer now
  bool holds_lock = false;    // the writer has the index open
};

class WriteQueue {
 public:
  // `resources` must outlive the queue. Starts the writer thread; nothing is opened until the
  // first write.
  WriteQueue(const Resources& resources, WriteQueueOptions options);
  // Fails the writes still waiting (index error "shutting down") after the batch in progress is
  // committed, releases the index and joins the writer thread.
  ~WriteQueue();
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  // Replaces (or adds) the version of document `input.doc.symbol` in its language
  // (version_language()) with `input`, its stored source and, with an embedder, its passage
  // vectors; the document's versions in other languages stay. Blocks until the commit holding it is durable, or it failed
  // (nothing of it written). Thread-safe.
  std::expected<WriteResult, WriteError> replace(ParsedInput input);

  // Removes the `lang` version of document `symbol` (exact symbol as indexed; empty `lang`:
  // every version) and its vectors; not_found when the index has no such document or version.
  // Blocks as replace().
  std::expected<WriteResult, WriteError> remove(std::string symbol, std::string lang = {});

  WriteQueueStats stats() const;

 private:
  struct Job;
  struct Writer;
  std::expected<WriteResult, WriteError> submit(std::shared_ptr<Job> job);
  void run();
  void run_batch(std::deque<std::shared_ptr<Job>>& batch);

  const Resources& resources_;
  WriteQueueOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Job>> jobs_;
  bool stopping_ = false;
  WriteQueueStats stats_;
  std::unique_ptr<Writer> writer_;  // the open index, used by the writer thread only
  std::thread thread_;              // declared last: started once everything else exists
};

}  // namespace treaty
