#include "core/vectors/circuit_breaker.h"

#include <algorithm>
#include <stdexcept>

namespace treaty {

const char* breaker_state_name(BreakerState state) {
  switch (state) {
    case BreakerState::closed: return "closed";
    case BreakerState::open: return "open";
    case BreakerState::half_open: return "half-open";
  }
  return "closed";
}

CircuitBreaker::CircuitBreaker(CircuitBreakerOptions options) : options_(std::move(options)) {
  if (options_.failures_to_open < 1 || options_.open_duration.count() <= 0)
    throw std::invalid_argument("circuit breaker: failures_to_open must be >= 1 and open_duration > 0");
}

std::chrono::steady_clock::time_point CircuitBreaker::now() const {
  return options_.clock ? options_.clock() : std::chrono::steady_clock::now();
}

void CircuitBreaker::open_locked(std::chrono::steady_clock::time_point now) {
  stats_.state = BreakerState::open;
  ++stats_.opened;
  opened_at_ = now;
  failures_when_opened_ = stats_.consecutive_failures;
}

CircuitBreaker::Ticket CircuitBreaker::admit() {
  const auto t = now();
  std::lock_guard lock(mutex_);
  if (stats_.state == BreakerState::closed) {
    ++stats_.calls;
    return {true, false, {}};
  }
  const auto reopen = opened_at_ + options_.open_duration;
  if (stats_.state == BreakerState::open && t >= reopen) {
    stats_.state = BreakerState::half_open;
    ++stats_.calls;
    return {true, true, {}};
  }
  ++stats_.short_circuited;
  std::string why = "embedder unavailable after " + std::to_string(failures_when_opened_) + " failures; ";
  if (stats_.state == BreakerState::half_open) {
    why += "a retry is under way";
  } else {
    // Whole seconds, rounded up: "retrying in 0 s" would read as "now".
    const auto left = std::chrono::ceil<std::chrono::seconds>(reopen - t).count();
    why += "retrying in " + std::to_string(std::max<long long>(1, left)) + " s";
  }
  if (!last_error_.empty()) why += " (last error: " + last_error_ + ")";
  return {false, false, std::move(why)};
}

void CircuitBreaker::record(const Ticket& ticket, bool success, const std::string& error) {
  if (!ticket.admitted) return;
  const auto t = now();
  std::lock_guard lock(mutex_);
  if (success) {
    // Any success proves the service answers, a late one from before the breaker opened too.
    stats_.state = BreakerState::closed;
    stats_.consecutive_failures = 0;
    return;
  }
  ++stats_.failures;
  ++stats_.consecutive_failures;
  last_error_ = error;
  if (ticket.probe || (stats_.state == BreakerState::closed && stats_.consecutive_failures >= options_.failures_to_open))
    open_locked(t);
  // A failure of a call admitted before the breaker opened leaves an open breaker as it is.
}

BreakerStats CircuitBreaker::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

BreakerEmbedder::BreakerEmbedder(std::shared_ptr<Embedder> inner, CircuitBreakerOptions options)
    : inner_(std::move(inner)), breaker_(std::move(options)) {
  if (!inner_) throw std::invalid_argument("BreakerEmbedder: no embedder to wrap");
}

BreakerEmbedder::Attempt BreakerEmbedder::try_embed(const std::vector<std::string>& texts) {
  if (texts.empty()) return {std::vector<std::vector<float>>{}, false};
  const CircuitBreaker::Ticket ticket = breaker_.admit();
  if (!ticket.admitted) return {fail(ticket.refusal), true};
  Expected<std::vector<std::vector<float>>> result;
  try {
    result = inner_->embed(texts);
  } catch (...) {
    breaker_.record(ticket, false, "the embedder threw");  // a probe must not stay in flight forever
    throw;
  }
  breaker_.record(ticket, result.has_value(), result ? std::string() : result.error().describe());
  return {std::move(result), false};
}

Expected<std::vector<std::vector<float>>> BreakerEmbedder::embed(const std::vector<std::string>& texts) {
  return try_embed(texts).result;
}

}  // namespace treaty
