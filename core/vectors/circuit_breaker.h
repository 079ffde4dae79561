// A circuit breaker for the query embedder: after a few consecutive failures, calls fail at once
// for a while instead of each waiting for a dead server's timeouts and retries (a hybrid query
// then answers lexically without delay); after that one call is let through as a probe, whose
// success closes the breaker again.
//
//   closed ──N consecutive failures──▶ open ──open_duration elapsed──▶ half-open (one probe)
//     ▲                                  ▲                                 │
//     └──────────── probe succeeds ──────┼──────────── probe fails ────────┘
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/vectors/embedder.h"

namespace treaty {

struct CircuitBreakerOptions {
  // Consecutive failed calls that open the breaker (>= 1). A success resets the count.
  int failures_to_open = 3;
  // How long an open breaker refuses calls before letting one probe through (> 0).
  std::chrono::milliseconds open_duration{30000};
  // The time source; empty: std::chrono::steady_clock::now. Tests inject their own to move time
  // without sleeping.
  std::function<std::chrono::steady_clock::time_point()> clock;
};

enum class BreakerState { closed, open, half_open };

// "closed", "open", "half-open".
const char* breaker_state_name(BreakerState state);

// Counters for monitoring; all since the breaker was made.
struct BreakerStats {
  BreakerState state = BreakerState::closed;
  int consecutive_failures = 0;  // failed calls since the last success
  std::uint64_t calls = 0;            // calls passed on to the protected service
  std::uint64_t failures = 0;         // of which failed
  std::uint64_t short_circuited = 0;  // calls refused without contacting the service
  std::uint64_t opened = 0;           // times the breaker opened (probe failures included)
};

// The state machine alone; thread-safe. Each admitted call must be followed by exactly one
// record() with the ticket admit() returned.
class CircuitBreaker {
 public:
  explicit CircuitBreaker(CircuitBreakerOptions options);

  struct Ticket {
    bool admitted = false;  // false: refused, `refusal` says why
    bool probe = false;     // the one call let through by a half-open breaker
    std::string refusal;    // "embedder unavailable after 3 failures; retrying in 27 s (last error: ...)"
  };
  // Whether a call may go ahead now. Closed: yes. Open: no, until open_duration has passed, then
  // the first caller becomes the probe (half-open) and later callers are refused until the
  // probe's record().
  Ticket admit();

  // The outcome of an admitted call; `error` is its message on failure. A success closes the
  // breaker (whoever reports it); a failure opens it when it is the probe's or the
  // failures_to_open-th in a row.
  void record(const Ticket& ticket, bool success, const std::string& error = {});

  BreakerStats stats() const;

 private:
  std::chrono::steady_clock::time_point now() const;
  void open_locked(std::chrono::steady_clock::time_point now);

  CircuitBreakerOptions options_;
  mutable std::mutex mutex_;  // guards everything below
  BreakerStats stats_;
  std::chrono::steady_clock::time_point opened_at_;
  int failures_when_opened_ = 0;
  std::string last_error_;
};

// An Embedder that passes calls to `inner` through a CircuitBreaker: while the breaker is open,
// embed() fails at once without contacting the server. Thread-safe when `inner` is (HttpEmbedder
// is).
class BreakerEmbedder final : public Embedder {
 public:
  // `inner` is not null; `options` as CircuitBreakerOptions says (failures_to_open >= 1,
  // open_duration > 0).
  BreakerEmbedder(std::shared_ptr<Embedder> inner, CircuitBreakerOptions options);

  struct Attempt {
    Expected<std::vector<std::vector<float>>> result;
    bool skipped = false;  // the breaker refused the call: `inner` was not called
  };
  // embed(), saying whether the breaker refused the call.
  Attempt try_embed(const std::vector<std::string>& texts);

  // Fails with "embedder unavailable after N failures; retrying in S s (last error: ...)" while
  // the breaker is open; otherwise inner's embed() (embedder.h).
  Expected<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override;
  const std::string& model() const override { return inner_->model(); }

  BreakerStats stats() const { return breaker_.stats(); }

 private:
  std::shared_ptr<Embedder> inner_;
  CircuitBreaker breaker_;
};

}  // namespace treaty
