#include "searchd/result_cache.h"

#include <algorithm>

namespace treaty::searchd {
namespace {

void put(std::string& out, std::string_view part) {
  out += std::to_string(part.size());
  out += ':';
  out += part;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> CacheKey::canonical(std::vector<std::pair<std::string, std::string>> params,
                                                                     const std::vector<std::string_view>& ignored) {
  std::erase_if(params, [&](const auto& p) { return std::find(ignored.begin(), ignored.end(), p.first) != ignored.end(); });
  std::stable_sort(params.begin(), params.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return params;
}

std::string CacheKey::encode() const {
  std::string out;
  put(out, route);
  put(out, index.uuid);
  put(out, std::to_string(index.revision));
  put(out, index.vectors);
  out += 'p';
  put(out, std::to_string(params.size()));
  for (const auto& [name, value] : params) {
    put(out, name);
    put(out, value);
  }
  out += 's';
  put(out, std::to_string(scope.size()));
  for (const auto& [field, values] : scope) {
    put(out, field);
    put(out, std::to_string(values.size()));
    for (const std::string& v : values) put(out, v);
  }
  return out;
}

ResultCache::ResultCache(ResultCacheOptions options) : options_(options) {}

std::size_t ResultCache::entry_bytes(std::size_t key_bytes, const CachedAnswer& answer) {
  return key_bytes + answer.body.size() + answer.content_type.size() + kEntryOverhead;
}

std::shared_ptr<const CachedAnswer> ResultCache::find(const CacheKey& key) {
  if (!options_.enabled) return nullptr;
  const std::string encoded = key.encode();
  std::lock_guard lock(mutex_);
  const auto it = index_.find(encoded);
  if (it == index_.end()) {
    ++stats_.misses;
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);  // iterators stay valid
  ++stats_.hits;
  return it->second->answer;
}

bool ResultCache::store(const CacheKey& key, int status, bool timed_out, CachedAnswer answer) {
  if (!options_.enabled || status != 200 || timed_out) return false;
  std::string encoded = key.encode();
  const std::size_t bytes = entry_bytes(encoded.size(), answer);
  if (bytes > options_.max_bytes) return false;
  auto shared = std::make_shared<const CachedAnswer>(std::move(answer));
  std::lock_guard lock(mutex_);
  if (newest_ && newest_->uuid == key.index.uuid && key.index.revision < newest_->revision) return false;
  if (!newest_ || *newest_ != key.index) {
    // A later revision or another generation: nothing stored before can be hit again.
    for (auto it = lru_.begin(); it != lru_.end();) {
      const auto next = std::next(it);
      if (it->index != key.index) erase(it);
      it = next;
    }
    newest_ = key.index;
  }
  if (const auto old = index_.find(encoded); old != index_.end()) erase(old->second, false);  // two misses raced
  while (!lru_.empty() && (lru_.size() + 1 > options_.max_entries || stats_.bytes + bytes > options_.max_bytes))
    erase(std::prev(lru_.end()));
  lru_.push_front(Entry{std::move(encoded), key.index, std::move(shared), bytes});
  index_.emplace(lru_.front().key, lru_.begin());
  stats_.bytes += bytes;
  stats_.entries = lru_.size();
  ++stats_.stored;
  return true;
}

void ResultCache::erase(List::iterator it, bool eviction) {
  index_.erase(it->key);
  stats_.bytes -= it->bytes;
  if (eviction) ++stats_.evictions;
  lru_.erase(it);
  stats_.entries = lru_.size();
}

void ResultCache::count_bypass() {
  std::lock_guard lock(mutex_);
  ++stats_.bypassed;
}

ResultCacheStats ResultCache::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace treaty::searchd
