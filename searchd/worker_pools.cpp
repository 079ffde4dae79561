#include "searchd/worker_pools.h"

#include <algorithm>
#include <system_error>
#include <utility>

namespace treaty::searchd {

// ---- ConnectionPool -----------------------------------------------------------------------------

ConnectionPool::ConnectionPool(ConnectionPoolOptions options) : options_(options) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, options_.rejecting_threads); ++i)
    rejecting_threads_.emplace_back([this] { reject(); });
}

ConnectionPool::~ConnectionPool() {
  drain();
  std::map<std::thread::id, std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    threads.swap(threads_);
  }
  work_.notify_all();
  rejects_.notify_all();
  for (auto& [id, t] : threads) t.join();
  for (std::thread& t : rejecting_threads_) t.join();
}

void ConnectionPool::enqueue(std::function<void()> connection) {
  std::unique_lock lock(mutex_);
  reap(lock);
  if (open_ >= options_.max_connections) {
    ++rejected_;
    ++rejecting_;
    pending_rejects_.push_back(std::move(connection));
    lock.unlock();
    rejects_.notify_one();
    return;
  }
  ++open_;
  ++accepted_;
  pending_.push_back(std::move(connection));
  if (pending_.size() > spare_) {
    try {
      std::thread t([this] { serve(); });
      threads_.emplace(t.get_id(), std::move(t));
    } catch (const std::system_error&) {  // out of threads: reject this one rather than fail
      --open_;
      --accepted_;
      ++rejected_;
      ++rejecting_;
      pending_rejects_.push_back(std::move(pending_.back()));
      pending_.pop_back();
      lock.unlock();
      rejects_.notify_one();
    }
  } else {
    lock.unlock();
    work_.notify_one();
  }
}

void ConnectionPool::serve() {
  std::unique_lock lock(mutex_);
  while (true) {
    ++spare_;
    const bool woken = work_.wait_for(lock, options_.spare_lifetime, [&] { return !pending_.empty() || stopping_; });
    --spare_;
    if (!pending_.empty()) {
      std::function<void()> connection = std::move(pending_.front());
      pending_.pop_front();
      lock.unlock();
      connection();
      connection = nullptr;  // whatever it holds goes before the connection counts as finished
      lock.lock();
      --open_;
      idle_.notify_all();
      continue;
    }
    if (stopping_ || !woken) break;  // spare for spare_lifetime: retire
  }
  if (!stopping_) exited_.push_back(std::this_thread::get_id());  // joined by the next reap()
}

void ConnectionPool::reject() {
  std::unique_lock lock(mutex_);
  while (true) {
    rejects_.wait(lock, [&] { return !pending_rejects_.empty() || stopping_; });
    if (pending_rejects_.empty()) return;  // stopping
    std::function<void()> connection = std::move(pending_rejects_.front());
    pending_rejects_.pop_front();
    lock.unlock();
    connection();
    connection = nullptr;
    lock.lock();
    --rejecting_;
    idle_.notify_all();
  }
}

void ConnectionPool::reap(std::unique_lock<std::mutex>& lock) {
  std::vector<std::thread> done;
  for (std::thread::id id : exited_) {
    auto it = threads_.find(id);
    if (it == threads_.end()) continue;
    done.push_back(std::move(it->second));
    threads_.erase(it);
  }
  exited_.clear();
  if (done.empty()) return;
  // An exited thread has nothing left to do but return: joining it is quick, but not under the lock.
  lock.unlock();
  for (std::thread& t : done) t.join();
  lock.lock();
}

void ConnectionPool::drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return open_ == 0 && rejecting_ == 0; });
}

bool ConnectionPool::rejecting_here() const {
  const auto self = std::this_thread::get_id();
  return std::any_of(rejecting_threads_.begin(), rejecting_threads_.end(),
                     [&](const std::thread& t) { return t.get_id() == self; });
}

ConnectionPoolStats ConnectionPool::stats() const {
  std::lock_guard lock(mutex_);
  return {open_, threads_.size() - exited_.size(), accepted_, rejected_};
}

// ---- QueryQueue ---------------------------------------------------------------------------------

QueryQueue::QueryQueue(std::size_t workers) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, workers); ++i) workers_.emplace_back([this] { work(); });
}

QueryQueue::~QueryQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void QueryQueue::post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  ready_.notify_one();
}

void QueryQueue::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    ready_.wait(lock, [&] { return !jobs_.empty() || stopping_; });
    if (jobs_.empty()) return;  // stopping, nothing left
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    ++busy_;
    lock.unlock();
    job();  // a packaged_task: it keeps what the job throws for the caller
    lock.lock();
    --busy_;
  }
}

std::size_t QueryQueue::depth() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

std::size_t QueryQueue::busy() const {
  std::lock_guard lock(mutex_);
  return busy_;
}

}  // namespace treaty::searchd
