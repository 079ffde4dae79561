// The result cache on its own (searchd/result_cache.h): keys, LRU bounds, what is never stored,
// index revisions, counters. (Through HTTP: searchd_cache_test.cpp.)
#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "searchd/result_cache.h"

using namespace treaty;
using namespace treaty::searchd;

namespace {

CacheKey key(const std::string& q, std::uint64_t revision = 1, FilterScope scope = {}, const std::string& uuid = "u1") {
  return CacheKey{"/search", {{"q", q}}, std::move(scope), {uuid, revision}};
}

CachedAnswer answer(const std::string& body) { return {body, "application/json; charset=utf-8"}; }

std::string body_of(ResultCache& cache, const CacheKey& k) {
  const auto found = cache.find(k);
  return found ? found->body : "(none)";
}

}  // namespace

TEST_CASE("result cache: a stored answer is found again, counted as hits and misses") {
  ResultCache cache;
  CHECK(cache.find(key("a")) == nullptr);
  CHECK(cache.store(key("a"), 200, false, answer("{\"a\":1}")));
  const auto found = cache.find(key("a"));
  REQUIRE(found);
  CHECK(found->body == "{\"a\":1}");
  CHECK(found->content_type == "application/json; charset=utf-8");
  cache.count_bypass();
  const ResultCacheStats s = cache.stats();
  CHECK(s.hits == 1);
  CHECK(s.misses == 1);
  CHECK(s.bypassed == 1);
  CHECK(s.stored == 1);
  CHECK(s.entries == 1);
  CHECK(s.bytes == ResultCache::entry_bytes(key("a").encode().size(), answer("{\"a\":1}")));
  CHECK(s.evictions == 0);
}

TEST_CASE("result cache: non-200 and timed-out answers are never stored") {
  ResultCache cache;
  CHECK_FALSE(cache.store(key("a"), 400, false, answer("{\"error\":{}}")));
  CHECK_FALSE(cache.store(key("a"), 503, false, answer("{\"error\":{}}")));
  CHECK_FALSE(cache.store(key("a"), 200, true, answer("{\"timed_out\":true}")));
  CHECK(cache.find(key("a")) == nullptr);
  CHECK(cache.stats().entries == 0);
  CHECK(cache.stats().stored == 0);
}

TEST_CASE("result cache: least recently used entries go first when over max_entries") {
  ResultCache cache({.enabled = true, .max_entries = 2, .max_bytes = 1 << 20});
  REQUIRE(cache.store(key("a"), 200, false, answer("A")));
  REQUIRE(cache.store(key("b"), 200, false, answer("B")));
  CHECK(body_of(cache, key("a")) == "A");  // a is now the most recently used
  REQUIRE(cache.store(key("c"), 200, false, answer("C")));
  CHECK(body_of(cache, key("b")) == "(none)");
  CHECK(body_of(cache, key("a")) == "A");
  CHECK(body_of(cache, key("c")) == "C");
  CHECK(cache.stats().entries == 2);
  CHECK(cache.stats().evictions == 1);
}

TEST_CASE("result cache: least recently used entries go first when over max_bytes, too large is not stored") {
  const std::string body(1000, 'x');
  const std::size_t one = ResultCache::entry_bytes(key("a").encode().size(), answer(body));
  ResultCache cache({.enabled = true, .max_entries = 100, .max_bytes = 2 * one + one / 2});  // room for two
  REQUIRE(cache.store(key("a"), 200, false, answer(body)));
  REQUIRE(cache.store(key("b"), 200, false, answer(body)));
  CHECK(cache.stats().bytes == 2 * one);
  REQUIRE(cache.store(key("c"), 200, false, answer(body)));
  CHECK(cache.stats().entries == 2);
  CHECK(cache.stats().bytes == 2 * one);
  CHECK(cache.stats().evictions == 1);
  CHECK(cache.find(key("a")) == nullptr);
  CHECK(cache.find(key("b")));
  CHECK(cache.find(key("c")));
  // Larger than the whole cache: not stored, and nothing is evicted for it.
  CHECK_FALSE(cache.store(key("d"), 200, false, answer(std::string(3 * one, 'y'))));
  CHECK(cache.stats().entries == 2);
  CHECK(cache.stats().evictions == 1);
}

TEST_CASE("result cache: scopes, routes and parameters make different keys") {
  ResultCache cache;
  const FilterScope cop = {{"meeting", {"cop"}}};
  const FilterScope mop = {{"meeting", {"np-mop"}}};
  REQUIRE(cache.store(key("a", 1, cop), 200, false, answer("cop")));
  REQUIRE(cache.store(key("a", 1, mop), 200, false, answer("mop")));
  CHECK(body_of(cache, key("a", 1, cop)) == "cop");
  CHECK(body_of(cache, key("a", 1, mop)) == "mop");
  CHECK(body_of(cache, key("a", 1, {})) == "(none)");  // no key: no entry shared with a scoped one

  CacheKey similar = key("a");
  similar.route = "/similar";
  REQUIRE(cache.store(key("a"), 200, false, answer("search")));
  CHECK(body_of(cache, similar) == "(none)");

  // Length-prefixed parts: shifting bytes between names and values is another key.
  CHECK(CacheKey{"/search", {{"ab", "c"}}, {}, {"u", 1}}.encode() != CacheKey{"/search", {{"a", "bc"}}, {}, {"u", 1}}.encode());
  CHECK(CacheKey{"/search", {}, {{"doc", {"a", "b"}}}, {"u", 1}}.encode() !=
        CacheKey{"/search", {}, {{"doc", {"a"}}, {"b", {}}}, {"u", 1}}.encode());
}

TEST_CASE("result cache: canonical parameters are sorted by name, keep repeated values in order, drop ignored ones") {
  using Params = std::vector<std::pair<std::string, std::string>>;
  const Params a = CacheKey::canonical({{"q", "x"}, {"org", "b"}, {"cache", "true"}, {"org", "a"}}, {"cache"});
  CHECK(a == Params{{"org", "b"}, {"org", "a"}, {"q", "x"}});
  const Params b = CacheKey::canonical({{"org", "b"}, {"org", "a"}, {"q", "x"}}, {"cache"});
  CHECK(a == b);
  const Params c = CacheKey::canonical({{"org", "a"}, {"org", "b"}, {"q", "x"}}, {"cache"});
  CHECK(a != c);  // repeated values in another order: another key (never a wrong answer)
}

TEST_CASE("result cache: another revision or generation is another key, a newer one drops the older entries") {
  ResultCache cache;
  REQUIRE(cache.store(key("a", 5), 200, false, answer("r5")));
  REQUIRE(cache.store(key("b", 5), 200, false, answer("r5b")));
  CHECK(body_of(cache, key("a", 6)) == "(none)");
  CHECK(body_of(cache, key("a", 5, {}, "u2")) == "(none)");  // a reindexed generation
  CacheKey renamed = key("a", 5);
  renamed.index.vectors = "123:4096:1.5";  // vectors.bin renamed in after the commit
  CHECK(body_of(cache, renamed) == "(none)");

  REQUIRE(cache.store(key("a", 6), 200, false, answer("r6")));
  CHECK(cache.stats().entries == 1);
  CHECK(cache.stats().evictions == 2);
  CHECK(body_of(cache, key("a", 5)) == "(none)");
  CHECK(body_of(cache, key("a", 6)) == "r6");
  // A worker that read revision 5 just before the commit: not stored, nothing dropped.
  CHECK_FALSE(cache.store(key("b", 5), 200, false, answer("late")));
  CHECK(body_of(cache, key("a", 6)) == "r6");
  // A reindexed generation restarts at revision 1.
  REQUIRE(cache.store(key("a", 1, {}, "u2"), 200, false, answer("g2")));
  CHECK(body_of(cache, key("a", 1, {}, "u2")) == "g2");
  CHECK(body_of(cache, key("a", 6)) == "(none)");
  CHECK(cache.stats().entries == 1);
}

TEST_CASE("result cache: the same key stored twice (two misses raced) keeps one entry") {
  ResultCache cache;
  REQUIRE(cache.store(key("a"), 200, false, answer("first")));
  REQUIRE(cache.store(key("a"), 200, false, answer("second")));
  CHECK(cache.stats().entries == 1);
  CHECK(cache.stats().evictions == 0);
  CHECK(cache.stats().bytes == ResultCache::entry_bytes(key("a").encode().size(), answer("second")));
  CHECK(body_of(cache, key("a")) == "second");
}

TEST_CASE("result cache: disabled, nothing is looked up, stored or counted but bypasses") {
  ResultCache cache({.enabled = false});
  CHECK_FALSE(cache.enabled());
  CHECK_FALSE(cache.store(key("a"), 200, false, answer("A")));
  CHECK(cache.find(key("a")) == nullptr);
  const ResultCacheStats s = cache.stats();
  CHECK(s.hits + s.misses + s.stored + s.entries == 0);
}

TEST_CASE("result cache: threads storing and finding at once keep the bounds and the counts") {
  ResultCache cache({.enabled = true, .max_entries = 50, .max_bytes = 1 << 20});
  constexpr int kThreads = 4, kRounds = 500;
  std::atomic<int> wrong{0};  // Catch2's CHECK is not thread-safe
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&cache, &wrong, t] {
      for (int i = 0; i < kRounds; ++i) {
        const CacheKey k = key(std::to_string((i * 7 + t) % 120));
        if (const auto found = cache.find(k)) {
          if (found->body != "body of " + k.params[0].second) ++wrong;
        } else {
          cache.store(k, 200, false, answer("body of " + k.params[0].second));
        }
      }
    });
  for (auto& thread : threads) thread.join();
  CHECK(wrong == 0);
  const ResultCacheStats s = cache.stats();
  CHECK(s.hits + s.misses == kThreads * kRounds);
  CHECK(s.stored == s.misses);
  CHECK(s.entries <= 50);
  CHECK(s.entries + s.evictions <= s.stored);
  std::size_t bytes = 0;
  for (int i = 0; i < 120; ++i) {
    const CacheKey k = key(std::to_string(i));
    if (const auto found = cache.find(k)) bytes += ResultCache::entry_bytes(k.encode().size(), *found);
  }
  CHECK(bytes == s.bytes);
}
