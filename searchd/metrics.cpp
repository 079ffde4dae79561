#include "searchd/metrics.h"

#include <cstdio>

namespace treaty::searchd {
namespace {

// Route labels come from our own table, so they need no escaping beyond this.
std::string label(std::string_view name, std::string_view value) {
  std::string out(name);
  out += "=\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view name, std::uint64_t value, std::string_view labels = {}) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(std::to_string(value)).append("\n");
}

// A metric without labels: its HELP and TYPE lines and its one sample.
void single(std::string& out, std::string_view name, std::string_view type, std::string_view help, std::uint64_t value) {
  header(out, name, type, help);
  sample(out, name, value);
}

}  // namespace

void Metrics::observe(std::string_view route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), status}];
  auto it = latency_.find(route);
  if (it == latency_.end()) it = latency_.emplace(std::string(route), Histogram{}).first;
  Histogram& h = it->second;
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::render(const MetricsSnapshot& s) const {
  std::string out;
  {
    std::lock_guard lock(mutex_);
    header(out, "searchd_requests_total", "counter", "Requests answered, by route and HTTP status.");
    for (const auto& [key, count] : requests_)
      sample(out, "searchd_requests_total", count, label("route", key.first) + "," + label("status", std::to_string(key.second)));
    header(out, "searchd_request_duration_seconds", "histogram", "Time from a request's arrival to its answer, by route.");
    for (const auto& [route, h] : latency_) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += h.buckets[i];
        sample(out, "searchd_request_duration_seconds_bucket", cumulative,
               label("route", route) + "," + label("le", number(kBuckets[i])));
      }
      sample(out, "searchd_request_duration_seconds_bucket", h.count, label("route", route) + ",le=\"+Inf\"");
      out += "searchd_request_duration_seconds_sum{" + label("route", route) + "} " + number(h.sum) + "\n";
      sample(out, "searchd_request_duration_seconds_count", h.count, label("route", route));
    }
  }
  single(out, "searchd_requests_in_flight", "gauge", "Requests being handled now.", s.in_flight);
  single(out, "searchd_query_queue_depth", "gauge", "Requests waiting for a query worker.", s.queue_depth);
  single(out, "searchd_query_workers", "gauge", "Threads that run index work.", s.query_workers);
  single(out, "searchd_connections_open", "gauge", "Connections being served.", s.connections_open);
  single(out, "searchd_connections_accepted_total", "counter", "Connections served.", s.connections_accepted);
  single(out, "searchd_connections_rejected_total", "counter", "Connections over max_connections, answered 503.", s.connections_rejected);
  single(out, "searchd_queries_timed_out_total", "counter", "Searches that ran out of their time budget.", timed_out_.load());
  single(out, "searchd_embedder_failures_total", "counter", "Query embeddings that failed.", s.embedder_failures);
  single(out, "searchd_embedder_skipped_total", "counter", "Query embeddings skipped while the circuit breaker was open.", s.embedder_skipped);
  single(out, "searchd_embedder_circuit_open", "gauge", "1 while the embedder's circuit breaker is open.", s.embedder_circuit_open ? 1 : 0);
  single(out, "searchd_index_revision", "gauge", "Revision of the index last searched.", s.index_revision);
  single(out, "searchd_index_documents", "gauge", "Documents in the index.", s.index_documents);
  single(out, "searchd_index_passages", "gauge", "Passages in the index.", s.index_passages);
  out += "# HELP searchd_writes_total Document writes (POST and DELETE /documents) by result.\n"
         "# TYPE searchd_writes_total counter\n";
  sample(out, "searchd_writes_total", s.writes_ok, "result=\"ok\"");
  sample(out, "searchd_writes_total", s.writes_failed, "result=\"failed\"");
  single(out, "searchd_write_commits_total", "counter", "Index commits of document writes (writes arriving together share one).", s.write_commits);
  single(out, "searchd_writes_pending", "gauge", "Document writes waiting for the writer.", s.writes_pending);
  single(out, "searchd_write_lock_held", "gauge", "1 while searchd holds the index's write lock.", s.write_lock_held ? 1 : 0);
  single(out, "searchd_cache_hits_total", "counter", "Answers served from the result cache.", s.cache_hits);
  single(out, "searchd_cache_misses_total", "counter", "Result cache lookups that found nothing (the answer was computed).", s.cache_misses);
  single(out, "searchd_cache_bypass_total", "counter", "Cacheable requests that did not use the result cache (cache=false, or [cache] enabled = false).", s.cache_bypassed);
  single(out, "searchd_cache_evictions_total", "counter", "Result cache entries dropped for room or for a newer index revision.", s.cache_evictions);
  single(out, "searchd_cache_entries", "gauge", "Answers in the result cache.", s.cache_entries);
  single(out, "searchd_cache_bytes", "gauge", "Size of the answers in the result cache (bodies, keys and overhead).", s.cache_bytes);
  return out;
}

}  // namespace treaty::searchd
