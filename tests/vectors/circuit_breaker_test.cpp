// The circuit breaker in front of the query embedder (core/vectors/circuit_breaker.h), driven by
// an injected clock and a counting in-process embedder: no test sleeps or measures time.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/vectors/circuit_breaker.h"

using namespace treaty;
using Catch::Contains;
using namespace std::chrono_literals;

namespace {

// Counts calls; fails while `failing`; with `gate` set, each call waits inside embed() until
// open_gate(), after telling wait_entered() that it is there.
class CountingEmbedder final : public Embedder {
 public:
  Expected<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override {
    std::unique_lock lock(mutex_);
    ++calls_;
    ++entered_;
    changed_.notify_all();
    if (gate_) changed_.wait(lock, [this] { return !gate_; });
    if (failing) return fail("cannot connect (test)");
    return std::vector<std::vector<float>>(texts.size(), std::vector<float>{1.0f, 0.0f});
  }
  const std::string& model() const override { return model_; }

  int calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  void close_gate() {
    std::lock_guard lock(mutex_);
    gate_ = true;
  }
  void open_gate() {
    std::lock_guard lock(mutex_);
    gate_ = false;
    changed_.notify_all();
  }
  // Waits until `n` calls have entered embed() in all.
  void wait_entered(int n) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return entered_ >= n; });
  }

  std::atomic<bool> failing{false};

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int calls_ = 0;
  int entered_ = 0;
  bool gate_ = false;
  std::string model_ = "m";
};

// A clock the test moves by hand.
struct ManualClock {
  std::shared_ptr<std::atomic<std::chrono::steady_clock::time_point>> now =
      std::make_shared<std::atomic<std::chrono::steady_clock::time_point>>(std::chrono::steady_clock::time_point{} + 1h);
  void advance(std::chrono::milliseconds d) { now->store(now->load() + d); }
  std::function<std::chrono::steady_clock::time_point()> function() const {
    return [now = now] { return now->load(); };
  }
};

struct Fixture {
  ManualClock clock;
  std::shared_ptr<CountingEmbedder> inner = std::make_shared<CountingEmbedder>();
  BreakerEmbedder breaker{inner, CircuitBreakerOptions{.failures_to_open = 3, .open_duration = 30s,
                                                       .clock = clock.function()}};

  bool call() { return breaker.embed({"文本"}).has_value(); }
  void open_it() {
    inner->failing = true;
    for (int i = 0; i < 3; ++i) REQUIRE_FALSE(call());
    REQUIRE(breaker.stats().state == BreakerState::open);
  }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "consecutive failures open the breaker — a success in between resets the count") {
  inner->failing = true;
  CHECK_FALSE(call());
  CHECK_FALSE(call());
  inner->failing = false;
  CHECK(call());
  CHECK(breaker.stats().consecutive_failures == 0);
  inner->failing = true;
  CHECK_FALSE(call());
  CHECK_FALSE(call());
  CHECK(breaker.stats().state == BreakerState::closed);
  const auto third = breaker.embed({"文本"});
  REQUIRE_FALSE(third);
  CHECK_THAT(third.error().message, Contains("cannot connect (test)"));  // the embedder's own error
  const BreakerStats s = breaker.stats();
  CHECK(s.state == BreakerState::open);
  CHECK(s.consecutive_failures == 3);
  CHECK(s.calls == 6);
  CHECK(s.failures == 5);
  CHECK(s.short_circuited == 0);
  CHECK(s.opened == 1);
  CHECK(inner->calls() == 6);
}

TEST_CASE_METHOD(Fixture, "an open breaker fails at once without calling the embedder") {
  open_it();
  clock.advance(3s);
  for (int i = 0; i < 5; ++i) {
    const auto attempt = breaker.try_embed({"文本"});
    REQUIRE_FALSE(attempt.result);
    CHECK(attempt.skipped);
    CHECK(attempt.result.error().message ==
          "embedder unavailable after 3 failures; retrying in 27 s (last error: cannot connect (test))");
  }
  CHECK(inner->calls() == 3);
  CHECK(breaker.stats().short_circuited == 5);
  clock.advance(26500ms);  // 0.5 s left: rounded up
  CHECK_THAT(breaker.embed({"文本"}).error().message, Contains("retrying in 1 s"));
  CHECK(inner->calls() == 3);
  // Nothing to embed is no call at all, open or not.
  CHECK(breaker.embed({}).has_value());
  CHECK(breaker_state_name(breaker.stats().state) == std::string("open"));
}

TEST_CASE_METHOD(Fixture, "after the open duration one probe goes through") {
  open_it();
  clock.advance(29999ms);
  CHECK_FALSE(call());
  CHECK(inner->calls() == 3);
  clock.advance(1ms);

  SECTION("its success closes the breaker") {
    inner->failing = false;
    CHECK(call());
    CHECK(inner->calls() == 4);
    CHECK(breaker.stats().state == BreakerState::closed);
    CHECK(breaker.stats().consecutive_failures == 0);
    CHECK(call());
    CHECK(inner->calls() == 5);
  }
  SECTION("its failure opens it for another open duration") {
    CHECK_FALSE(call());
    CHECK(inner->calls() == 4);
    const BreakerStats s = breaker.stats();
    CHECK(s.state == BreakerState::open);
    CHECK(s.opened == 2);
    CHECK_THAT(breaker.embed({"文本"}).error().message, Contains("retrying in 30 s"));
    clock.advance(30s);
    inner->failing = false;
    CHECK(call());
    CHECK(inner->calls() == 5);
    CHECK(breaker.stats().state == BreakerState::closed);
  }
}

TEST_CASE_METHOD(Fixture, "while the probe runs, other callers fail fast") {
  open_it();
  clock.advance(30s);
  inner->failing = false;
  inner->close_gate();
  bool probe_ok = false;
  std::thread probe([&] { probe_ok = call(); });
  inner->wait_entered(4);  // the probe is inside the embedder
  CHECK(breaker.stats().state == BreakerState::half_open);

  std::vector<std::thread> others;
  std::atomic<int> refused{0};
  for (int i = 0; i < 4; ++i)
    others.emplace_back([&] {
      const auto attempt = breaker.try_embed({"并发"});
      if (!attempt.result && attempt.skipped &&
          attempt.result.error().message.find("a retry is under way") != std::string::npos)
        ++refused;
    });
  for (auto& t : others) t.join();  // they return while the probe is still held
  CHECK(refused == 4);
  CHECK(inner->calls() == 4);

  inner->open_gate();
  probe.join();
  CHECK(probe_ok);
  const BreakerStats s = breaker.stats();
  CHECK(s.state == BreakerState::closed);
  CHECK(s.short_circuited == 4);
  CHECK(s.calls == 4);
}

TEST_CASE("breaker options are checked") {
  auto inner = std::make_shared<CountingEmbedder>();
  CHECK_THROWS_AS(BreakerEmbedder(inner, CircuitBreakerOptions{.failures_to_open = 0, .clock = {}}), std::invalid_argument);
  CHECK_THROWS_AS(BreakerEmbedder(inner, CircuitBreakerOptions{.open_duration = 0ms, .clock = {}}), std::invalid_argument);
  CHECK_THROWS_AS(BreakerEmbedder(nullptr, CircuitBreakerOptions{}), std::invalid_argument);
}
