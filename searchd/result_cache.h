// searchd's result cache: the final 200 answers of GET /search, /similar and /documents (the
// document list), so that a faceted UI repeating a base query for every page and facet click is
// answered without searching again (as Groonga's `select` cache and Typesense's).
//
// Contract:
//   - A key is the route, the request's parameters in canonical form (by name, repeated values in
//     the order given; `cache` itself left out), the filter scope of the API key presenting it,
//     and the identity of the index the answer was computed from: its UUID (a reindexed generation
//     restarts at revision 1), revision and vector file. Two scopes, two routes or two revisions never share an
//     entry, so after any commit the entries of the old revision are never served again.
//   - Only complete answers are stored: status 200 and not timed out (the caller also leaves out
//     answers whose warnings depend on transient state, e.g. an embedder that is down).
//   - Bounded by entries and by bytes (key + body + content type + a fixed overhead each); the
//     least recently used entries go first. An answer larger than the byte bound is not stored.
//     A store for a newer index (a later revision, or another UUID) drops the entries of the
//     others at once (they can never be hit again); a store for an older revision of the newest
//     index is ignored (a worker that reopened just before a commit).
//   - Thread-safe: one mutex, held only for the map and list updates (no JSON, no copies of
//     bodies: an answer is shared as a pointer to const).
// Knows nothing of HTTP: the HTTP layer builds the key and sends the body.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/search/request.h"

namespace treaty::searchd {

struct ResultCacheOptions {
  bool enabled = true;                      // false: nothing is looked up or stored
  std::size_t max_entries = 1000;           // answers kept at most
  std::size_t max_bytes = 64 * 1024 * 1024;  // their total size at most (ResultCache::entry_bytes)
};

// The index an answer was computed from.
struct IndexIdentity {
  std::string uuid;            // Xapian::Database::get_uuid(): tells reindexed generations apart
  std::uint64_t revision = 0;  // Xapian::Database::get_revision()
  std::string vectors;         // the vector file's identity (vectors.bin follows the commit); "" none
  bool operator==(const IndexIdentity&) const = default;
};

// What makes two requests the same answer.
struct CacheKey {
  std::string route;                                        // "/search", "/similar", "/documents"
  std::vector<std::pair<std::string, std::string>> params;  // name, value; sorted by name, repeated
                                                            // values in request order (canonical())
  FilterScope scope;                                        // the API key's (empty: none)
  IndexIdentity index;

  // Parameters in canonical order: stably sorted by name (values of one name keep their order),
  // without the names in `ignored` (parameters that do not change the answer).
  static std::vector<std::pair<std::string, std::string>> canonical(
      std::vector<std::pair<std::string, std::string>> params, const std::vector<std::string_view>& ignored);
  // An unambiguous byte string of all the fields (every part length-prefixed).
  std::string encode() const;
};

// A stored answer.
struct CachedAnswer {
  std::string body;          // the response body as sent
  std::string content_type;  // its Content-Type
};

struct ResultCacheStats {
  std::uint64_t hits = 0;       // lookups answered from the cache
  std::uint64_t misses = 0;     // lookups that found nothing
  std::uint64_t bypassed = 0;   // requests that did not use the cache (cache=false, or disabled)
  std::uint64_t stored = 0;     // answers stored
  std::uint64_t evictions = 0;  // entries dropped for room or because their index is outdated
  std::size_t entries = 0;      // entries now
  std::size_t bytes = 0;        // their size now (entry_bytes)
};

class ResultCache {
 public:
  explicit ResultCache(ResultCacheOptions options = {});

  bool enabled() const { return options_.enabled; }

  // The stored answer for `key` (made the most recently used), or nullptr. Counts a hit or a
  // miss; nullptr without counting when disabled.
  std::shared_ptr<const CachedAnswer> find(const CacheKey& key);

  // Stores `answer` for `key` when `status` is 200 and the answer did not time out (else does
  // nothing and returns false); evicts least recently used entries until both bounds hold.
  // Returns whether it was stored (false also when disabled, too large, or for an index
  // revision older than the newest stored).
  bool store(const CacheKey& key, int status, bool timed_out, CachedAnswer answer);

  // Counts a request that did not use the cache.
  void count_bypass();

  ResultCacheStats stats() const;

  // The size an entry is counted at: its encoded key, body and content type, plus kEntryOverhead.
  static std::size_t entry_bytes(std::size_t key_bytes, const CachedAnswer& answer);
  static constexpr std::size_t kEntryOverhead = 128;

 private:
  struct Entry {
    std::string key;  // CacheKey::encode()
    IndexIdentity index;
    std::shared_ptr<const CachedAnswer> answer;
    std::size_t bytes;
  };
  using List = std::list<Entry>;  // most recently used first

  // Drops `it` (the lock held); counted as an eviction unless it is being replaced.
  void erase(List::iterator it, bool eviction = true);

  const ResultCacheOptions options_;
  mutable std::mutex mutex_;
  List lru_;
  std::unordered_map<std::string_view, List::iterator> index_;  // views into the entries' keys
  std::optional<IndexIdentity> newest_;  // the index of the latest entries stored
  ResultCacheStats stats_;
};

}  // namespace treaty::searchd
