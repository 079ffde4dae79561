// searchd's thread pools (worker_pools.h), metrics text (metrics.h) and access log lines
// (access_log.h), without a server. Every wait here is for an event, never for a time.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <stdexcept>
#include <string>
#include <vector>

#include "searchd/access_log.h"
#include "searchd/metrics.h"
#include "searchd/worker_pools.h"

using namespace treaty::searchd;

TEST_CASE("QueryQueue runs jobs in arrival order and returns their results") {
  QueryQueue queue(1);
  CHECK(queue.workers() == 1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> first_started;
  std::vector<int> order;  // touched by the single worker only
  // The first job blocks the only worker, so the others queue up behind it.
  auto first = std::async(std::launch::async, [&] {
    return queue.run([&] {
      first_started.set_value();
      released.wait();
      order.push_back(0);
      return 0;
    });
  });
  first_started.get_future().wait();
  std::vector<std::future<int>> rest;
  for (int i = 1; i <= 5; ++i) {
    rest.push_back(std::async(std::launch::async, [&queue, &order, i] {
      return queue.run([&order, i] {
        order.push_back(i);
        return i * 10;
      });
    }));
    while (queue.depth() < static_cast<std::size_t>(i)) std::this_thread::yield();  // queued in this order
  }
  CHECK(queue.depth() == 5);
  CHECK(queue.busy() == 1);
  release.set_value();
  CHECK(first.get() == 0);
  for (int i = 1; i <= 5; ++i) CHECK(rest[static_cast<std::size_t>(i - 1)].get() == i * 10);
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4, 5});
  CHECK(queue.depth() == 0);
}

TEST_CASE("QueryQueue hands a job's exception to its caller") {
  QueryQueue queue(2);
  CHECK_THROWS_WITH(queue.run([]() -> int { throw std::runtime_error("boom"); }), "boom");
  CHECK(queue.run([] { return 7; }) == 7);  // the worker survived
}

TEST_CASE("ConnectionPool gives each connection a thread, up to the cap, and reuses spare threads") {
  ConnectionPool pool(ConnectionPoolOptions{.max_connections = 2});
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> started{0}, rejected_runs{0};
  auto connection = [&] {
    if (pool.rejecting_here()) {
      ++rejected_runs;
      return;
    }
    ++started;
    released.wait();
  };
  pool.enqueue(connection);
  pool.enqueue(connection);
  while (started < 2) std::this_thread::yield();
  CHECK(pool.stats().open == 2);
  CHECK(pool.stats().threads == 2);
  pool.enqueue(connection);  // over the cap: runs on the rejecting thread, at once
  while (rejected_runs < 1) std::this_thread::yield();
  CHECK(started == 2);
  CHECK(pool.stats().rejected == 1);
  CHECK(pool.stats().accepted == 2);
  release.set_value();
  pool.drain();
  CHECK(pool.stats().open == 0);
  // Both threads are spare now: more connections reuse them instead of making new ones.
  for (int i = 0; i < 10; ++i) {
    pool.enqueue(connection);
    pool.drain();
  }
  CHECK(started == 12);
  CHECK(pool.stats().threads == 2);
  CHECK(pool.stats().accepted == 12);
}

TEST_CASE("ConnectionPool retires threads that stay spare") {
  ConnectionPool pool(ConnectionPoolOptions{.max_connections = 4, .spare_lifetime = std::chrono::milliseconds(1)});
  std::atomic<int> runs{0};
  pool.enqueue([&] { ++runs; });
  pool.drain();
  // The spare thread retires on its own; the next enqueue joins it and starts a fresh one.
  while (pool.stats().threads != 0) std::this_thread::yield();
  pool.enqueue([&] { ++runs; });
  pool.drain();
  CHECK(runs == 2);
}

TEST_CASE("Metrics: Prometheus text of counters, histogram and snapshot") {
  Metrics m;
  m.observe("/search", 200, 0.004);
  m.observe("/search", 200, 0.3);
  m.observe("/search", 400, 0.0001);
  m.observe("other", 404, 7.0);
  m.count_timed_out();
  MetricsSnapshot s;
  s.in_flight = 3;
  s.queue_depth = 2;
  s.connections_rejected = 5;
  s.index_revision = 42;
  s.index_passages = 53;
  const std::string text = m.render(s);
  INFO(text);
  auto has = [&](const std::string& line) { return text.find("\n" + line + "\n") != std::string::npos; };
  CHECK(has("searchd_requests_total{route=\"/search\",status=\"200\"} 2"));
  CHECK(has("searchd_requests_total{route=\"/search\",status=\"400\"} 1"));
  CHECK(has("searchd_requests_total{route=\"other\",status=\"404\"} 1"));
  // Buckets are cumulative: 0.0001 and 0.004 are <= 0.005, 0.3 only from 0.5 on.
  CHECK(has("searchd_request_duration_seconds_bucket{route=\"/search\",le=\"0.001\"} 1"));
  CHECK(has("searchd_request_duration_seconds_bucket{route=\"/search\",le=\"0.005\"} 2"));
  CHECK(has("searchd_request_duration_seconds_bucket{route=\"/search\",le=\"0.25\"} 2"));
  CHECK(has("searchd_request_duration_seconds_bucket{route=\"/search\",le=\"0.5\"} 3"));
  CHECK(has("searchd_request_duration_seconds_bucket{route=\"/search\",le=\"+Inf\"} 3"));
  CHECK(has("searchd_request_duration_seconds_count{route=\"/search\"} 3"));
  CHECK(has("searchd_request_duration_seconds_bucket{route=\"other\",le=\"5\"} 0"));
  CHECK(has("searchd_request_duration_seconds_bucket{route=\"other\",le=\"+Inf\"} 1"));
  CHECK(has("searchd_requests_in_flight 3"));
  CHECK(has("searchd_query_queue_depth 2"));
  CHECK(has("searchd_connections_rejected_total 5"));
  CHECK(has("searchd_queries_timed_out_total 1"));
  CHECK(has("searchd_index_revision 42"));
  CHECK(has("searchd_index_passages 53"));
  CHECK(has("# TYPE searchd_request_duration_seconds histogram"));
  CHECK(text.ends_with("\n"));
}

TEST_CASE("access log: one JSON line per entry") {
  AccessLogEntry e;
  e.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795795384123));  // 2026-11-27T16:03:04.123Z
  e.client = "127.0.0.1";
  e.request_id = "abc-1";
  e.method = "GET";
  e.target = "/search?q=%E8%8F%8C";
  e.status = 200;
  e.bytes = 1234;
  e.ms = 3.21749;
  CHECK(access_log_line(e) ==
        R"({"time":"2026-11-27T16:03:04.123Z","client":"127.0.0.1","request_id":"abc-1","method":"GET",)"
        R"("target":"/search?q=%E8%8F%8C","status":200,"bytes":1234,"ms":3.217})"
        "\n");
  AccessLogEntry bare;
  bare.time = e.time;
  bare.target = std::string(2000, 'a') + "\xff";
  bare.status = 413;
  const std::string line = access_log_line(bare);
  CHECK(line.find(R"("method":null)") != std::string::npos);
  CHECK(line.find(R"("request_id":null)") != std::string::npos);
  CHECK(line.find(R"("ms":null)") != std::string::npos);
  CHECK(line.find("\"target\":\"" + std::string(1024, 'a') + "\"") != std::string::npos);  // cut at 1024
}

TEST_CASE("request ids: a client's own is kept when plain, otherwise one is made") {
  RequestIds ids;
  CHECK(ids.id_for("trace-42.a:b_c") == "trace-42.a:b_c");
  const std::string made = ids.id_for("");
  const std::string next = ids.id_for("has space");
  const std::string long_one = ids.id_for(std::string(129, 'x'));
  CHECK(made.size() == 10);  // 8 hex digits, '-', counter
  CHECK(made.ends_with("-1"));
  CHECK(next.ends_with("-2"));
  CHECK(next.substr(0, 8) == made.substr(0, 8));
  CHECK(long_one.ends_with("-3"));
}
