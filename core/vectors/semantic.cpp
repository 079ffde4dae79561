#include "core/vectors/semantic.h"

#include <unordered_map>

#include <sys/stat.h>

#include "core/index/schema.h"

namespace treaty {

VectorSearch::VectorSearch(std::filesystem::path index_dir, std::shared_ptr<Embedder> embedder,
                           VectorSearchOptions options, VectorStoreOptions store_options)
    : index_dir_(std::move(index_dir)),
      embedder_(std::move(embedder)),
      options_(options),
      store_options_(store_options) {
  if (embedder_ && options_.breaker) {
    breaker_ = std::make_shared<BreakerEmbedder>(std::move(embedder_), *options_.breaker);
    embedder_ = breaker_;
  }
}

std::optional<BreakerStats> VectorSearch::breaker_stats() const {
  if (!breaker_) return std::nullopt;
  return breaker_->stats();
}

const std::string& VectorSearch::embedder_model() const {
  static const std::string kNone;
  return embedder_ ? embedder_->model() : kNone;
}

VectorSearch::FileIdentity VectorSearch::identify() const {
  struct stat st {};
  if (::stat(VectorStore::file_path(index_dir_).c_str(), &st) != 0) return {};
  return {static_cast<std::uintmax_t>(st.st_ino), static_cast<std::uintmax_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec, true};
}

Expected<std::shared_ptr<const VectorStore>> VectorSearch::store() {
  const FileIdentity now = identify();
  // What was last loaded; call with store_mutex_ held.
  auto current = [this]() -> Expected<std::shared_ptr<const VectorStore>> {
    if (!store_error_.empty()) return fail(store_error_);
    return store_;
  };
  std::unique_lock load_lock(load_mutex_, std::defer_lock);
  {
    std::lock_guard lock(store_mutex_);
    if (loaded_ && identity_ == now) return current();
    // A changed file is loaded by whoever gets the load lock; the others keep the old store.
    if (loaded_ && !load_lock.try_lock()) return current();
  }
  if (!load_lock.owns_lock()) load_lock.lock();  // first load: everyone waits for it
  {
    std::lock_guard lock(store_mutex_);
    if (loaded_ && identity_ == now) return current();  // another thread loaded it meanwhile
  }
  auto loaded = VectorStore::load(index_dir_, store_options_);
  std::lock_guard lock(store_mutex_);
  loaded_ = true;
  identity_ = now;
  store_error_ = loaded ? std::string() : loaded.error().describe();
  store_ = loaded ? std::make_shared<const VectorStore>(std::move(*loaded)) : nullptr;
  return current();
}

std::expected<std::vector<float>, QueryEmbedError> VectorSearch::embed_query(const std::string& text) {
  auto failure = [](std::string message) { return std::unexpected(QueryEmbedError{Error{std::move(message), {}, 0}, false}); };
  if (!embedder_) return failure("no embedder is configured");
  if (options_.query_cache_entries > 0) {
    std::lock_guard lock(cache_mutex_);
    if (auto it = cache_index_.find(text); it != cache_index_.end()) {
      cache_.splice(cache_.begin(), cache_, it->second);
      return it->second->second;
    }
  }
  bool skipped = false;
  Expected<std::vector<std::vector<float>>> vectors;
  if (breaker_) {
    auto attempt = breaker_->try_embed({text});
    skipped = attempt.skipped;
    vectors = std::move(attempt.result);
  } else {
    vectors = embedder_->embed({text});
  }
  if (!vectors) return std::unexpected(QueryEmbedError{std::move(vectors.error()), skipped});
  if (vectors->size() != 1) return failure("the embedder returned " + std::to_string(vectors->size()) + " vectors for 1 text");
  std::vector<float> vector = std::move(vectors->front());
  if (options_.query_cache_entries > 0) {
    std::lock_guard lock(cache_mutex_);
    if (!cache_index_.contains(text)) {
      cache_.emplace_front(text, vector);
      cache_index_[text] = cache_.begin();
      if (cache_.size() > options_.query_cache_entries) {
        cache_index_.erase(cache_.back().first);
        cache_.pop_back();
      }
    }
  }
  return vector;
}

std::shared_ptr<const PassageDocids> VectorSearch::docids(
    const Xapian::Database& db) {
  auto build = [&db] {
    // Vector ids are per language version ("<lang>:<passage id>", schema.h): from the passages'
    // id and language slots, two value streams.
    auto map = std::make_shared<PassageDocids>();
    std::unordered_map<Xapian::docid, std::string> langs;
    for (auto v = db.valuestream_begin(schema::kSlotLang); v != db.valuestream_end(schema::kSlotLang); ++v)
      langs.emplace(v.get_docid(), *v);
    for (auto v = db.valuestream_begin(schema::kSlotId); v != db.valuestream_end(schema::kSlotId); ++v) {
      const auto lang = langs.find(v.get_docid());
      map->emplace(schema::vector_id(lang == langs.end() ? std::string_view() : std::string_view(lang->second), *v),
                   v.get_docid());
    }
    return std::shared_ptr<const PassageDocids>(std::move(map));
  };
  std::string key;
  try {
    key = db.get_uuid() + ":" + std::to_string(db.get_revision());
  } catch (const Xapian::InvalidOperationError&) {
    return build();  // no revision to key on (e.g. several shards): build per search
  }
  std::lock_guard lock(docids_mutex_);
  for (const auto& [k, map] : docids_)
    if (k == key) return map;
  auto map = build();
  if (docids_.size() >= 2) docids_.erase(docids_.begin());
  docids_.emplace_back(std::move(key), map);
  return map;
}

}  // namespace treaty
