// What searchers share for dense-vector retrieval (mode=semantic, mode=hybrid, /similar): the
// query embedder with a small cache, the index's vector store (reloaded when the indexer
// replaces vectors.bin), and the passage id -> docid map of each index revision.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "core/base/error.h"
#include "core/vectors/circuit_breaker.h"
#include "core/vectors/embedder.h"
#include "core/vectors/vector_store.h"

namespace treaty {

// Lets the passage id map below be searched with a std::string_view.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
// Passage id -> Xapian docid, for one index revision.
using PassageDocids = std::unordered_map<std::string, Xapian::docid, StringHash, std::equal_to<>>;

struct VectorSearchOptions {
  // Reciprocal rank fusion's k (fusion.h): larger values flatten the difference between the top
  // ranks of each list. 60 is the value of the RRF paper.
  double rrf_k = 60;
  // Candidates taken from each list before fusion in mode=hybrid, and the size of the result set
  // of mode=semantic (a vector search ranks every passage; this is where it stops).
  std::size_t depth = 100;
  // Weights of the lexical and vector lists in the fusion (finite, >= 0).
  double lexical_weight = 1.0;
  double vector_weight = 1.0;
  // Query vectors kept (least recently used dropped first), so paging through results or
  // re-running a query does not call the embedding server again. 0: no cache.
  std::size_t query_cache_entries = 256;
  // When set, queries reach the embedder through a circuit breaker (circuit_breaker.h): after
  // a few failures the embedder is skipped for a while and hybrid queries answer lexically at
  // once. Unset: every query tries the embedder.
  std::optional<CircuitBreakerOptions> breaker;
};

// Why a query has no vector.
struct QueryEmbedError {
  Error error;
  bool skipped = false;  // the circuit breaker is open: the embedder was not called
};

// Shared by every thread's Searcher; thread-safe.
class VectorSearch {
 public:
  // `index_dir` holds vectors.bin (VectorStore::file_path). `embedder` embeds queries; null when
  // searchd has no embedder configured (stored vectors still serve /similar). With
  // options.breaker, `embedder` is wrapped in a BreakerEmbedder.
  VectorSearch(std::filesystem::path index_dir, std::shared_ptr<Embedder> embedder,
               VectorSearchOptions options = {}, VectorStoreOptions store_options = {});
  VectorSearch(const VectorSearch&) = delete;
  VectorSearch& operator=(const VectorSearch&) = delete;

  const VectorSearchOptions& options() const { return options_; }
  // True when queries can be embedded.
  bool has_embedder() const { return embedder_ != nullptr; }
  // The embedder's model ("" without one).
  const std::string& embedder_model() const;

  // The vectors of the current vectors.bin: loaded on first use, reloaded when the file changes
  // (identity: inode, size, modification time). While one thread loads a new file, the others
  // keep the previous store. A missing file is an empty store. Expected failure: the file
  // cannot be loaded (corrupt, another format version); the message names it and the failure
  // is remembered until the file changes again.
  Expected<std::shared_ptr<const VectorStore>> store();

  // The query's vector, from the cache or the embedder. Expected failures: no embedder, the
  // embedding server failed (embedder.h), the circuit breaker is open (`skipped`).
  std::expected<std::vector<float>, QueryEmbedError> embed_query(const std::string& text);

  // The circuit breaker's state and counters; nullopt without a breaker or an embedder.
  std::optional<BreakerStats> breaker_stats() const;

  // Passage id -> docid for `db` at its current revision (built on first use per revision by
  // walking the Q terms; the two newest revisions are kept).
  std::shared_ptr<const PassageDocids> docids(const Xapian::Database& db);

 private:
  struct FileIdentity {
    std::uintmax_t inode = 0, size = 0;
    std::int64_t mtime_ns = 0;
    bool exists = false;
    bool operator==(const FileIdentity&) const = default;
  };
  FileIdentity identify() const;

  std::filesystem::path index_dir_;
  std::shared_ptr<Embedder> embedder_;
  std::shared_ptr<BreakerEmbedder> breaker_;  // embedder_ itself when options.breaker is set
  VectorSearchOptions options_;
  VectorStoreOptions store_options_;

  std::mutex store_mutex_;  // guards the four fields below
  bool loaded_ = false;
  FileIdentity identity_;
  std::shared_ptr<const VectorStore> store_;
  std::string store_error_;  // non-empty: the file at identity_ failed to load
  std::mutex load_mutex_;    // held by the thread loading a new file

  std::mutex cache_mutex_;
  std::list<std::pair<std::string, std::vector<float>>> cache_;  // most recent first
  std::unordered_map<std::string, std::list<std::pair<std::string, std::vector<float>>>::iterator> cache_index_;

  std::mutex docids_mutex_;
  std::vector<std::pair<std::string, std::shared_ptr<const PassageDocids>>>
      docids_;  // uuid:revision, newest last
};

}  // namespace treaty
