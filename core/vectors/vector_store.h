// Passage embeddings stored next to the Xapian index (`<index dir>/vectors.bin`), and nearest-
// neighbour search over them by cosine similarity: exact while the store is small, an hnswlib
// HNSW graph (built in memory when the store is loaded) above a configurable size.
//
// File format (version 1, little-endian; docs/DESIGN.md "Dense vectors"):
//   char[8] magic "TRTYVEC\0" | u32 version | u32 dimensions | u64 count
//   u32 model length, model bytes (the embedding model the vectors came from)
//   count x (u32 id length, id bytes)      ids in strictly ascending byte order
//   count x dimensions x f32               the vectors, L2-normalised, in id order
//   u64 FNV-1a 64 of every byte before it
//
// Only vector_store.cpp includes hnswlib (0.6's header defines non-inline functions unless
// NO_MANUAL_VECTORIZATION is set, which vector_store.cpp does for other reasons too).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"

namespace treaty {

struct VectorStoreOptions {
  // Stores with fewer vectors than this are searched exactly (brute force); larger ones through
  // an HNSW graph built when the store is loaded. Exact search over 20,000 vectors of 1,024
  // dimensions is about 20 M multiply-adds, a few milliseconds.
  std::size_t exact_threshold = 20000;
  // false: never build the graph, for writers that do not search (the indexer); search() is
  // then always exact.
  bool build_ann = true;
  // HNSW links per node (hnswlib's M, at least 2). More: better recall, more memory, slower
  // build.
  std::size_t hnsw_m = 16;
  // Candidate list size while building (hnswlib's ef_construction).
  std::size_t hnsw_ef_construction = 200;
  // Candidate list size while searching (hnswlib's ef); max(this, k) is used.
  std::size_t hnsw_ef_search = 100;
  // Threads adding points to the graph at load time (0: one per hardware thread). 1 builds the
  // same graph on every run; more build faster but the graph (so, rarely, a result) varies.
  std::size_t build_threads = 1;
};

// One stored passage vector, as given to replace_document (any length > 0 and finite; it is
// L2-normalised on the way in).
struct PassageVector {
  std::string id;  // "<symbol>#<para>" (schema::passage_id)
  std::vector<float> vector;
};

struct VectorHit {
  std::string id;
  float score = 0;  // cosine similarity in [-1, 1]
  bool operator==(const VectorHit&) const = default;
};

// Which passage ids a search may return (e.g. the ids matching the request's filters).
using IdFilter = std::function<bool(std::string_view id)>;

class StagedVectorFile;

// Reads are const and safe from many threads at once; writes (replace_document, remove_document,
// set_model, clear, rebuild_ann) need exclusive access. A write drops the HNSW graph, so searches
// are exact until rebuild_ann() (searchd loads a fresh store after each index commit instead).
// Memory: 4 x dimensions bytes per vector, twice that when the graph is built (hnswlib keeps
// its own copy).
class VectorStore {
 public:
  static constexpr std::string_view kFileName = "vectors.bin";
  // index_dir / kFileName.
  static std::filesystem::path file_path(const std::filesystem::path& index_dir);

  // An empty store: no model, no dimensions yet.
  explicit VectorStore(VectorStoreOptions options = {});
  ~VectorStore();
  VectorStore(VectorStore&&) noexcept;
  VectorStore& operator=(VectorStore&&) noexcept;

  // Reads index_dir/vectors.bin; a missing file gives an empty store (an index built without
  // vectors). Builds the HNSW graph when options.build_ann and size() >= exact_threshold.
  // Expected failures (naming the file): unreadable, not a vector file, another format version,
  // truncated or corrupt (checksum, structure, unsorted ids, non-finite values).
  static Expected<VectorStore> load(const std::filesystem::path& index_dir,
                                    VectorStoreOptions options = {});

  // Writes the store to index_dir/vectors.bin atomically: a temporary file is written, flushed
  // to disk and renamed over the old one, so a failure leaves the previous file intact.
  // Equivalent to stage(index_dir) then commit().
  Expected<void> save(const std::filesystem::path& index_dir) const;

  // First half of save(): writes and flushes index_dir/vectors.bin.tmp; the returned object's
  // commit() renames it into place, its destructor removes it if not committed. The indexer
  // stages, commits Xapian, then commits this, so a failure before the Xapian commit changes
  // nothing. One writer per index directory (the indexer holds Xapian's write lock).
  Expected<StagedVectorFile> stage(const std::filesystem::path& index_dir) const;

  // The embedding model the vectors came from ("" for a new store).
  const std::string& model() const { return model_; }
  // Vector length (0 until the first vector is stored).
  std::size_t dimensions() const { return dims_; }
  // Number of passages with a vector.
  std::size_t size() const { return rows_.size(); }
  // True when searches go through the HNSW graph.
  bool uses_ann() const { return ann_ != nullptr; }
  bool contains(std::string_view id) const { return rows_.find(id) != rows_.end(); }
  // Every stored passage id, in ascending order.
  std::vector<std::string> ids() const;
  // The stored (normalised) vector of `id`, or nullopt.
  std::optional<std::vector<float>> vector(std::string_view id) const;

  // Records the model of the vectors. Fails when the store already holds vectors of another
  // model: vectors of different models cannot be compared, so re-embed everything (clear())
  // instead.
  Expected<void> set_model(std::string model);

  // Replaces every vector of document `symbol` with `passages` (those of its passages that have
  // one). Expected failures, leaving the store unchanged: an id not of the form "<symbol>#<para>",
  // a duplicate id, an empty, zero or non-finite vector, a length other than dimensions() (a
  // store with no vectors takes any length).
  Expected<void> replace_document(std::string_view symbol, const std::vector<PassageVector>& passages);

  // Removes every vector of document `symbol`; returns how many were removed.
  std::size_t remove_document(std::string_view symbol);

  // Removes everything, model and dimensions included.
  void clear();

  // Builds the HNSW graph now if size() >= exact_threshold and options.build_ann (else drops it).
  void rebuild_ann();

  // The (at most) k stored vectors most similar to `query` by cosine similarity, best first;
  // equal scores in id order. `allowed`, when set, restricts the candidates (with HNSW the graph
  // is searched for more candidates than k, falling back to an exact scan of the allowed ids
  // when too few of them are found). Expected failures: query length != dimensions() (when the
  // store is not empty), a zero or non-finite query.
  Expected<std::vector<VectorHit>> search(std::span<const float> query, std::size_t k,
                                          const IdFilter& allowed = {}) const;

 private:
  struct Ann;  // the hnswlib graph (vector_store.cpp)

  const float* row_data(std::uint32_t row) const { return data_.data() + std::size_t{row} * dims_; }
  std::vector<VectorHit> exact_search(const std::vector<float>& query, std::size_t k,
                                      const IdFilter& allowed) const;

  VectorStoreOptions options_;
  std::string model_;
  std::size_t dims_ = 0;
  std::map<std::string, std::uint32_t, std::less<>> rows_;  // id -> row in data_
  std::vector<std::string> row_ids_;                        // row -> id; "" for a free row
  std::vector<std::uint32_t> free_rows_;                    // reused by later inserts
  std::vector<float> data_;                                 // row-major, dims_ floats per row
  std::unique_ptr<Ann> ann_;                                // labels are rows
};

// A written, flushed, not yet visible vectors.bin (VectorStore::stage).
class StagedVectorFile {
 public:
  // Owns the written file `temp`, to be renamed to `target` (made by VectorStore::stage).
  StagedVectorFile(std::filesystem::path temp, std::filesystem::path target);
  ~StagedVectorFile();  // removes the temporary file unless committed
  StagedVectorFile(StagedVectorFile&&) noexcept;
  StagedVectorFile& operator=(StagedVectorFile&&) noexcept;
  StagedVectorFile(const StagedVectorFile&) = delete;
  StagedVectorFile& operator=(const StagedVectorFile&) = delete;

  // Renames the file into place (atomic on POSIX) and flushes the directory. Call once.
  Expected<void> commit();

 private:
  std::filesystem::path temp_;
  std::filesystem::path target_;
  bool done_ = false;
};

}  // namespace treaty
