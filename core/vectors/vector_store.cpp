#include "core/vectors/vector_store.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <fstream>
#include <limits>
#include <mutex>
#include <queue>
#include <set>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

// hnswlib 0.6's SSE code prefetches one entry past the end of upper-layer link lists (a heap
// read out of bounds that AddressSanitizer reports) and picks its SIMD distance functions through
// mutable globals; without manual vectorisation neither happens, and CosineSpace below supplies
// the distance instead.
#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

#include "core/base/utf8.h"

namespace treaty {
namespace {

static_assert(std::endian::native == std::endian::little,
              "vectors.bin is little-endian and read with memcpy");

constexpr char kMagic[8] = {'T', 'R', 'T', 'Y', 'V', 'E', 'C', '\0'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderBytes = 8 + 4 + 4 + 8;
// Sanity bounds that keep a corrupt header from asking for absurd allocations.
constexpr std::uint32_t kMaxDimensions = 65536;
constexpr std::uint32_t kMaxStringBytes = 65536;
// hnswlib's level generator seed: a fixed seed builds the same graph from the same file.
constexpr std::size_t kHnswSeed = 100;

class Fnv1a64 {
 public:
  void update(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
      hash_ ^= p[i];
      hash_ *= 1099511628211ull;
    }
  }
  std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 14695981039346656037ull;
};

float dot(const float* a, const float* b, std::size_t n) {
  // Eight independent sums: the compiler can vectorise this without -ffast-math.
  float acc[8] = {};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (std::size_t j = 0; j < 8; ++j) acc[j] += a[i + j] * b[i + j];
  float s = 0;
  for (; i < n; ++i) s += a[i] * b[i];
  for (float x : acc) s += x;
  return s;
}

// `v` scaled to unit length; nullopt for an empty, zero or non-finite vector.
std::optional<std::vector<float>> normalized(std::span<const float> v) {
  if (v.empty()) return std::nullopt;
  double sum = 0;
  for (float x : v) {
    if (!std::isfinite(x)) return std::nullopt;
    sum += double{x} * double{x};
  }
  if (!(sum > 0) || !std::isfinite(sum)) return std::nullopt;
  const double inv = 1.0 / std::sqrt(sum);
  std::vector<float> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = static_cast<float>(v[i] * inv);
  return out;
}

// Best first: higher score, then smaller id.
bool better(const VectorHit& a, const VectorHit& b) {
  return a.score != b.score ? a.score > b.score : a.id < b.id;
}

// hnswlib distance for unit vectors: 1 - cosine, computed by the same dot() as exact search.
class CosineSpace final : public hnswlib::SpaceInterface<float> {
 public:
  explicit CosineSpace(std::size_t dims) : dims_(dims) {}
  std::size_t get_data_size() override { return dims_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return &distance; }
  void* get_dist_func_param() override { return &dims_; }

 private:
  static float distance(const void* a, const void* b, const void* dims) {
    return 1.0f - dot(static_cast<const float*>(a), static_cast<const float*>(b),
                      *static_cast<const std::size_t*>(dims));
  }
  std::size_t dims_;
};

std::string errno_text(int err) { return std::generic_category().message(err); }

// Buffered writes to a file descriptor, hashing every byte written.
class FileWriter {
 public:
  explicit FileWriter(int fd) : fd_(fd) { buffer_.reserve(kBufferBytes); }

  bool write(const void* data, std::size_t n) {
    hash_.update(data, n);
    const auto* p = static_cast<const char*>(data);
    while (n > 0) {
      const std::size_t take = std::min(n, kBufferBytes - buffer_.size());
      buffer_.append(p, take);
      p += take;
      n -= take;
      if (buffer_.size() == kBufferBytes && !flush()) return false;
    }
    return true;
  }
  template <class T>
  bool write_pod(T value) {
    return write(&value, sizeof value);
  }
  bool write_string(std::string_view s) {
    return write_pod(static_cast<std::uint32_t>(s.size())) && write(s.data(), s.size());
  }
  bool flush() {
    std::size_t done = 0;
    while (done < buffer_.size()) {
      const ssize_t w = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (w < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        return false;
      }
      done += static_cast<std::size_t>(w);
    }
    buffer_.clear();
    return true;
  }
  std::uint64_t hash() const { return hash_.value(); }
  int error() const { return error_; }

 private:
  static constexpr std::size_t kBufferBytes = 1 << 20;
  int fd_;
  std::string buffer_;
  Fnv1a64 hash_;
  int error_ = 0;
};

// Sequential reads from the file's bytes; every read checks the bounds.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <class T>
  bool read_pod(T& out) {
    if (remaining() < sizeof(T)) return false;
    std::memcpy(&out, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool read_string(std::string& out) {
    std::uint32_t n = 0;
    if (!read_pod(n) || n > kMaxStringBytes || remaining() < n) return false;
    out.assign(bytes_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool read_bytes(void* out, std::size_t n) {
    if (n == 0) return true;  // `out` may be null for an empty vector; memcpy must not see it
    if (remaining() < n) return false;
    std::memcpy(out, bytes_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  std::size_t remaining() const { return bytes_.size() - pos_; }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

void fsync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the rename itself already happened
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

struct VectorStore::Ann {
  CosineSpace space;  // before `index`, which keeps a pointer into it
  hnswlib::HierarchicalNSW<float> index;

  Ann(std::size_t dims, std::size_t max_elements, const VectorStoreOptions& o)
      : space(dims),
        index(&space, max_elements, std::max<std::size_t>(o.hnsw_m, 2),
              std::max<std::size_t>(o.hnsw_ef_construction, 1), kHnswSeed) {
    index.setEf(std::max<std::size_t>(o.hnsw_ef_search, 1));
  }
};

std::filesystem::path VectorStore::file_path(const std::filesystem::path& index_dir) {
  return index_dir / kFileName;
}

VectorStore::VectorStore(VectorStoreOptions options) : options_(options) {}
VectorStore::~VectorStore() = default;
VectorStore::VectorStore(VectorStore&&) noexcept = default;
VectorStore& VectorStore::operator=(VectorStore&&) noexcept = default;

std::vector<std::string> VectorStore::ids() const {
  std::vector<std::string> out;
  out.reserve(rows_.size());
  for (const auto& [id, row] : rows_) out.push_back(id);
  return out;
}

std::optional<std::vector<float>> VectorStore::vector(std::string_view id) const {
  const auto it = rows_.find(id);
  if (it == rows_.end()) return std::nullopt;
  const float* p = row_data(it->second);
  return std::vector<float>(p, p + dims_);
}

Expected<void> VectorStore::set_model(std::string model) {
  if (model == model_) return {};
  if (!rows_.empty())
    return fail("the vector store holds " + std::to_string(rows_.size()) + " vectors of model '" +
                model_ + "', not '" + model + "': re-embed every document to change models");
  model_ = std::move(model);
  return {};
}

Expected<void> VectorStore::replace_document(std::string_view symbol,
                                             const std::vector<PassageVector>& passages) {
  if (symbol.empty()) return fail("empty document symbol");
  const std::string prefix = std::string(symbol) + '#';

  // Validate everything before touching the store.
  std::size_t existing = 0;
  for (auto it = rows_.lower_bound(prefix); it != rows_.end() && it->first.starts_with(prefix); ++it)
    ++existing;
  const bool others = rows_.size() > existing;
  const std::size_t dims = passages.empty() ? dims_ : passages.front().vector.size();
  std::set<std::string_view> seen;
  std::vector<std::vector<float>> vectors;
  vectors.reserve(passages.size());
  for (const PassageVector& p : passages) {
    if (!p.id.starts_with(prefix) || p.id.size() == prefix.size())
      return fail("passage id '" + p.id + "' is not of the form '" + prefix + "<para>'");
    if (!seen.insert(p.id).second) return fail("passage id '" + p.id + "' given twice");
    if (p.vector.size() != dims || (others && dims != dims_))
      return fail("vector of '" + p.id + "' has " + std::to_string(p.vector.size()) +
                  " dimensions, expected " + std::to_string(others ? dims_ : dims));
    auto v = normalized(p.vector);
    if (!v) return fail("vector of '" + p.id + "' is empty, zero or not finite");
    vectors.push_back(std::move(*v));
  }

  remove_document(symbol);
  if (rows_.empty() && dims != dims_) {
    // A store without vectors takes any length.
    row_ids_.clear();
    free_rows_.clear();
    data_.clear();
    dims_ = dims;
  }
  for (std::size_t i = 0; i < passages.size(); ++i) {
    std::uint32_t row;
    if (!free_rows_.empty()) {
      row = free_rows_.back();
      free_rows_.pop_back();
      std::copy(vectors[i].begin(), vectors[i].end(), data_.begin() + std::size_t{row} * dims_);
      row_ids_[row] = passages[i].id;
    } else {
      row = static_cast<std::uint32_t>(row_ids_.size());
      row_ids_.push_back(passages[i].id);
      data_.insert(data_.end(), vectors[i].begin(), vectors[i].end());
    }
    rows_.emplace(passages[i].id, row);
  }
  if (!passages.empty()) ann_.reset();
  return {};
}

std::size_t VectorStore::remove_document(std::string_view symbol) {
  if (symbol.empty()) return 0;
  const std::string prefix = std::string(symbol) + '#';
  std::size_t removed = 0;
  auto it = rows_.lower_bound(prefix);
  while (it != rows_.end() && it->first.starts_with(prefix)) {
    row_ids_[it->second].clear();
    free_rows_.push_back(it->second);
    it = rows_.erase(it);
    ++removed;
  }
  if (removed > 0) ann_.reset();
  if (rows_.empty()) {  // give the memory back
    row_ids_.clear();
    free_rows_.clear();
    data_.clear();
  }
  return removed;
}

void VectorStore::clear() {
  model_.clear();
  dims_ = 0;
  rows_.clear();
  row_ids_.clear();
  free_rows_.clear();
  data_.clear();
  ann_.reset();
}

void VectorStore::rebuild_ann() {
  ann_.reset();
  if (!options_.build_ann || rows_.empty() || rows_.size() < options_.exact_threshold) return;

  std::vector<std::uint32_t> rows;
  rows.reserve(rows_.size());
  for (const auto& [id, row] : rows_) rows.push_back(row);  // id order: reproducible graphs
  auto ann = std::make_unique<Ann>(dims_, rows.size(), options_);
  auto add = [&](std::size_t i) { ann->index.addPoint(row_data(rows[i]), rows[i]); };

  std::size_t threads = options_.build_threads == 0 ? std::thread::hardware_concurrency()
                                                     : options_.build_threads;
  threads = std::clamp<std::size_t>(threads, 1, rows.size());
  if (threads == 1) {
    for (std::size_t i = 0; i < rows.size(); ++i) add(i);
  } else {
    // hnswlib's addPoint is safe to call concurrently (it locks per node).
    add(0);
    std::atomic<std::size_t> next{1};
    std::exception_ptr error;
    std::mutex error_mutex;
    std::vector<std::jthread> pool;
    for (std::size_t t = 0; t < threads; ++t)
      pool.emplace_back([&] {
        try {
          for (std::size_t i; (i = next.fetch_add(1)) < rows.size();) add(i);
        } catch (...) {
          std::lock_guard lock(error_mutex);
          if (!error) error = std::current_exception();
          next = rows.size();
        }
      });
    pool.clear();  // joins
    if (error) std::rethrow_exception(error);
  }
  ann_ = std::move(ann);
}

std::vector<VectorHit> VectorStore::exact_search(const std::vector<float>& query, std::size_t k,
                                                 const IdFilter& allowed) const {
  // A heap of the best k so far, the worst on top.
  auto worse_on_top = [](const VectorHit& a, const VectorHit& b) { return better(a, b); };
  std::priority_queue<VectorHit, std::vector<VectorHit>, decltype(worse_on_top)> top(worse_on_top);
  for (const auto& [id, row] : rows_) {
    if (allowed && !allowed(id)) continue;
    const float score = dot(query.data(), row_data(row), dims_);
    if (top.size() < k) {
      top.push({id, score});
    } else if (score > top.top().score) {
      // Equal scores never displace: rows_ is in id order, so the smaller id is already kept.
      top.pop();
      top.push({id, score});
    }
  }
  std::vector<VectorHit> out;
  out.reserve(top.size());
  for (; !top.empty(); top.pop()) out.push_back(top.top());
  std::reverse(out.begin(), out.end());
  return out;
}

Expected<std::vector<VectorHit>> VectorStore::search(std::span<const float> query, std::size_t k,
                                                     const IdFilter& allowed) const {
  if (rows_.empty() || k == 0) return std::vector<VectorHit>{};
  if (query.size() != dims_)
    return fail("query vector has " + std::to_string(query.size()) + " dimensions, the stored ones " +
                std::to_string(dims_));
  auto q = normalized(query);
  if (!q) return fail("query vector is zero or not finite");
  if (!ann_) return exact_search(*q, k, allowed);

  const std::size_t live = rows_.size();
  // With a filter, look further than k so that enough allowed ids survive it.
  const std::size_t fetch =
      allowed ? std::min(live, std::max(k * 4, options_.hnsw_ef_search)) : std::min(k, live);
  auto found = ann_->index.searchKnn(q->data(), fetch);
  const bool exhausted = found.size() >= live;
  std::vector<VectorHit> hits;
  hits.reserve(found.size());
  for (; !found.empty(); found.pop()) {
    const auto row = static_cast<std::uint32_t>(found.top().second);
    const std::string& id = row_ids_[row];
    if (allowed && !allowed(id)) continue;
    // Scored like the exact path, so both modes give one score per id.
    hits.push_back({id, dot(q->data(), row_data(row), dims_)});
  }
  if (allowed && hits.size() < k && !exhausted) return exact_search(*q, k, allowed);
  std::sort(hits.begin(), hits.end(), better);
  if (hits.size() > k) hits.resize(k);
  return hits;
}

Expected<VectorStore> VectorStore::load(const std::filesystem::path& index_dir,
                                        VectorStoreOptions options) {
  const std::filesystem::path path = file_path(index_dir);
  const std::string name = path.string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (ec) return fail("cannot read: " + ec.message(), name);
    return VectorStore(options);
  }

  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("cannot read the vector file", name);
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return fail("cannot read: " + ec.message(), name);
    bytes.resize(size);
    if (!in.read(bytes.data(), static_cast<std::streamsize>(size)))
      return fail("cannot read the vector file", name);
  }

  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    return fail("not a vector file (bad magic)", name);
  if (bytes.size() < kHeaderBytes + 8) return fail("truncated vector file", name);
  std::uint32_t version = 0;
  std::memcpy(&version, bytes.data() + sizeof kMagic, sizeof version);
  if (version != kVersion)
    return fail("vector file format version " + std::to_string(version) + ", expected " +
                    std::to_string(kVersion) + " (re-run the indexer)",
                name);
  std::uint64_t stored_hash = 0;
  std::memcpy(&stored_hash, bytes.data() + bytes.size() - 8, 8);
  Fnv1a64 hash;
  hash.update(bytes.data(), bytes.size() - 8);
  if (hash.value() != stored_hash) return fail("corrupt or truncated vector file (checksum mismatch)", name);

  Reader r(std::string_view(bytes).substr(0, bytes.size() - 8));
  char magic[8];
  std::uint32_t dims = 0;
  std::uint64_t count = 0;
  VectorStore store(options);
  if (!r.read_bytes(magic, sizeof magic) || !r.read_pod(version) || !r.read_pod(dims) ||
      !r.read_pod(count) || !r.read_string(store.model_))
    return fail("truncated vector file header", name);
  if (count > 0 && (dims == 0 || dims > kMaxDimensions))
    return fail("vector file has an invalid dimension count " + std::to_string(dims), name);
  // Every id takes at least 4 bytes: bounds `count` before anything is allocated.
  if (count > r.remaining() / 4 || count > std::numeric_limits<std::uint32_t>::max())
    return fail("vector file count " + std::to_string(count) + " does not fit the file", name);

  store.dims_ = dims;
  store.row_ids_.resize(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string& id = store.row_ids_[i];
    if (!r.read_string(id)) return fail("truncated vector file (ids)", name);
    if (id.find('#') == std::string::npos || !valid_utf8(id))
      return fail("vector file has an invalid passage id", name);
    if (i > 0 && !(store.row_ids_[i - 1] < id))
      return fail("vector file ids are not in strictly ascending order", name);
  }
  const std::size_t floats = static_cast<std::size_t>(count) * dims;
  if (r.remaining() != floats * sizeof(float))
    return fail("vector file has " + std::to_string(r.remaining()) + " bytes of vectors, expected " +
                    std::to_string(floats * sizeof(float)),
                name);
  store.data_.resize(floats);
  r.read_bytes(store.data_.data(), floats * sizeof(float));
  for (float x : store.data_)
    if (!std::isfinite(x)) return fail("vector file has a non-finite value", name);

  for (std::uint32_t row = 0; row < count; ++row)
    store.rows_.emplace_hint(store.rows_.end(), store.row_ids_[row], row);
  store.rebuild_ann();
  return store;
}

Expected<StagedVectorFile> VectorStore::stage(const std::filesystem::path& index_dir) const {
  const std::filesystem::path target = file_path(index_dir);
  std::filesystem::path temp = target;
  temp += ".tmp";
  const std::string name = temp.string();

  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail("cannot write: " + errno_text(errno), name);
  FileWriter w(fd);
  bool ok = w.write(kMagic, sizeof kMagic) && w.write_pod(kVersion) &&
            w.write_pod(static_cast<std::uint32_t>(dims_)) &&
            w.write_pod(static_cast<std::uint64_t>(rows_.size())) && w.write_string(model_);
  for (auto it = rows_.begin(); ok && it != rows_.end(); ++it) ok = w.write_string(it->first);
  for (auto it = rows_.begin(); ok && it != rows_.end(); ++it)
    ok = w.write(row_data(it->second), dims_ * sizeof(float));
  if (ok) {
    const std::uint64_t h = w.hash();
    ok = w.write_pod(h) && w.flush();
  }
  int err = ok ? 0 : w.error();
  if (ok && ::fsync(fd) != 0) {
    ok = false;
    err = errno;
  }
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(temp.c_str());
    return fail("cannot write: " + errno_text(err), name);
  }
  return StagedVectorFile(temp, target);
}

Expected<void> VectorStore::save(const std::filesystem::path& index_dir) const {
  auto staged = stage(index_dir);
  if (!staged) return std::unexpected(staged.error());
  return staged->commit();
}

StagedVectorFile::StagedVectorFile(std::filesystem::path temp, std::filesystem::path target)
    : temp_(std::move(temp)), target_(std::move(target)) {}

StagedVectorFile::~StagedVectorFile() {
  if (!done_ && !temp_.empty()) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

StagedVectorFile::StagedVectorFile(StagedVectorFile&& other) noexcept
    : temp_(std::move(other.temp_)), target_(std::move(other.target_)), done_(other.done_) {
  other.done_ = true;
}

StagedVectorFile& StagedVectorFile::operator=(StagedVectorFile&& other) noexcept {
  if (this != &other) {
    if (!done_ && !temp_.empty()) {
      std::error_code ec;
      std::filesystem::remove(temp_, ec);
    }
    temp_ = std::move(other.temp_);
    target_ = std::move(other.target_);
    done_ = other.done_;
    other.done_ = true;
  }
  return *this;
}

Expected<void> StagedVectorFile::commit() {
  if (done_) return fail("vector file already committed", target_.string());
  std::error_code ec;
  std::filesystem::rename(temp_, target_, ec);
  if (ec) return fail("cannot rename " + temp_.string() + ": " + ec.message(), target_.string());
  done_ = true;
  fsync_directory(target_.parent_path());
  return {};
}

}  // namespace treaty
