// The two kinds of threads searchd runs, so that open connections and search work are separate:
//
//   ConnectionPool: one thread per open connection, made on demand and kept for reuse while
//     idle (cpp-httplib serves a keep-alive connection on one thread from its first byte to its
//     close). Up to a cap; a connection beyond it is handed to a small set of rejecting threads,
//     whose requests the HTTP layer answers with 503 at once.
//   QueryQueue: a fixed number of workers (about one per core) that run the index work of
//     requests, first come first served. Connection threads wait on it, idle connections cost no
//     worker, and at most `workers` searches compete for the CPU.
//
// Neither knows about HTTP; http_server.cpp adapts ConnectionPool to cpp-httplib's TaskQueue.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace treaty::searchd {

struct ConnectionPoolOptions {
  std::size_t max_connections = 512;  // connections served at once; more are rejected
  std::size_t rejecting_threads = 1;  // threads that run rejected connections (to answer 503)
  std::chrono::milliseconds spare_lifetime{30000};  // an idle thread exits after this long
};

struct ConnectionPoolStats {
  std::size_t open = 0;            // connections being served now
  std::size_t threads = 0;         // connection threads alive (serving or spare)
  std::uint64_t accepted = 0;      // connections served since start
  std::uint64_t rejected = 0;      // connections over the cap since start
};

class ConnectionPool {
 public:
  explicit ConnectionPool(ConnectionPoolOptions options);
  ~ConnectionPool();  // drain()s, then joins every thread
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Runs `connection` (serving one connection until it closes) on a thread of its own: a spare
  // one, or a new one. Beyond max_connections open, runs it on a rejecting thread instead, where
  // rejecting_here() is true. Never blocks on the task.
  void enqueue(std::function<void()> connection);

  // Waits until every connection handed over so far has finished. Threads stay for reuse.
  void drain();

  // True on a rejecting thread: the connection being served there is over the cap.
  bool rejecting_here() const;

  ConnectionPoolStats stats() const;

 private:
  void serve();   // a connection thread's loop
  void reject();  // a rejecting thread's loop
  void reap(std::unique_lock<std::mutex>& lock);  // joins threads that have exited

  const ConnectionPoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable work_;     // a connection is pending, or stopping_
  std::condition_variable rejects_;  // a rejected connection is pending, or stopping_
  std::condition_variable idle_;     // a connection finished
  std::deque<std::function<void()>> pending_;
  std::deque<std::function<void()>> pending_rejects_;
  std::size_t open_ = 0;        // accepted connections not yet finished (pending or running)
  std::size_t rejecting_ = 0;   // rejected connections not yet finished
  std::size_t spare_ = 0;       // connection threads waiting for work
  std::uint64_t accepted_ = 0;
  std::uint64_t rejected_ = 0;
  bool stopping_ = false;
  std::map<std::thread::id, std::thread> threads_;  // connection threads
  std::vector<std::thread::id> exited_;             // connection threads to join
  std::vector<std::thread> rejecting_threads_;      // fixed; their ids never change
};

// A fixed pool of workers running jobs in arrival order.
class QueryQueue {
 public:
  // Starts `workers` (>= 1) threads.
  explicit QueryQueue(std::size_t workers);
  ~QueryQueue();  // finishes queued jobs, then joins the workers
  QueryQueue(const QueryQueue&) = delete;
  QueryQueue& operator=(const QueryQueue&) = delete;

  // Runs `job` on a worker after every job queued before it has started, and returns its
  // result (or rethrows what it threw), blocking the caller meanwhile.
  template <class F>
  std::invoke_result_t<F&> run(F&& job) {
    std::packaged_task<std::invoke_result_t<F&>()> task(std::forward<F>(job));
    auto result = task.get_future();
    post([&task] { task(); });  // `task` outlives the job: we wait for its result below
    return result.get();
  }

  std::size_t workers() const { return workers_.size(); }
  // Jobs waiting for a worker (not those running).
  std::size_t depth() const;
  // Jobs running now.
  std::size_t busy() const;

 private:
  void post(std::function<void()> job);
  void work();

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::size_t busy_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace treaty::searchd
