// What searchd exports at GET /metrics, in the Prometheus text exposition format (0.0.4).
// Counters live here; gauges owned elsewhere (pools, index, embedder) are read at scrape time
// and passed in as a MetricsSnapshot. docs/API.md lists every metric.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace treaty::searchd {

// Values read when /metrics is asked for.
struct MetricsSnapshot {
  std::size_t in_flight = 0;             // requests being handled
  std::size_t queue_depth = 0;           // requests waiting for a query worker
  std::size_t query_workers = 0;         // size of the query pool
  std::size_t connections_open = 0;      // connections being served
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_rejected = 0;  // over max_connections: answered 503
  std::uint64_t embedder_failures = 0;   // embedding calls that failed
  std::uint64_t embedder_skipped = 0;    // calls the circuit breaker answered without trying
  bool embedder_circuit_open = false;
  std::uint64_t index_revision = 0;      // of the index the last request saw
  std::uint64_t index_documents = 0;
  std::uint64_t index_passages = 0;
  std::uint64_t writes_ok = 0;           // document writes committed (POST, DELETE /documents)
  std::uint64_t writes_failed = 0;       // document writes that failed (locked, embedding, index)
  std::uint64_t write_commits = 0;       // commits they took (fewer: group commit)
  std::size_t writes_pending = 0;        // writes waiting for the writer
  bool write_lock_held = false;          // searchd holds the index's write lock now
  std::uint64_t cache_hits = 0;          // result cache (result_cache.h): answers served from it
  std::uint64_t cache_misses = 0;        // lookups that found nothing
  std::uint64_t cache_bypassed = 0;      // requests that did not use it (cache=false, or disabled)
  std::uint64_t cache_evictions = 0;     // entries dropped for room or for a newer index revision
  std::size_t cache_entries = 0;         // entries now
  std::size_t cache_bytes = 0;           // their size now
};

class Metrics {
 public:
  // Upper bounds (seconds) of the latency histogram's buckets; +Inf is implicit.
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

  // Counts one answered request: `route` is a label from a fixed set (the route table's paths,
  // "static", "other"), `status` its HTTP status, `seconds` the time it took. Thread-safe.
  void observe(std::string_view route, int status, double seconds);

  // Counts a search that ran out of its time budget (timed_out in its response). Thread-safe.
  void count_timed_out() { ++timed_out_; }

  // The exposition text: the counters above and `snapshot`.
  std::string render(const MetricsSnapshot& snapshot) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // per bucket, not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;  // (route, status) -> count
  std::map<std::string, Histogram, std::less<>> latency_;          // route -> histogram
  std::atomic<std::uint64_t> timed_out_{0};
};

}  // namespace treaty::searchd
