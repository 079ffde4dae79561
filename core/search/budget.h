// What a request may cost: a deadline (a time budget from the request's arrival) that the
// searcher checks between its steps, and caps on the query's size, refused with a clear error.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"

namespace treaty {

// When a request's time is up. The clock is injectable, so tests use a fake one.
class Deadline {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;

  // No deadline: never expires.
  Deadline() = default;
  // `budget` after `start` (the request's arrival), read with `now`. Precondition: now is callable.
  Deadline(Clock::time_point start, std::chrono::milliseconds budget, Now now = &Clock::now);

  bool set() const { return static_cast<bool>(now_); }
  std::chrono::milliseconds budget() const { return budget_; }
  // Reads the clock once: the time left (<= 0: expired). Precondition: set().
  Clock::duration left() const { return start_ + budget_ - now_(); }

 private:
  Clock::time_point start_{};
  std::chrono::milliseconds budget_{0};
  Now now_;
};

// A search's time budget as it goes: each step asks before it starts, and what was skipped or
// cut short is reported once, in one warning.
class StepBudget {
 public:
  // `deadline` must outlive the budget.
  explicit StepBudget(const Deadline& deadline) : deadline_(&deadline) {}

  // Reads the clock once (not at all without a deadline, or once it has passed). False when the
  // deadline has passed: the caller skips the step, and `cut` ("facets not counted") is
  // recorded. True: time_limit() is the seconds left at this read (0 without a deadline).
  bool allows(std::string_view cut);
  // For Xapian::Enquire::set_time_limit() (0: none), as of the last allows() that said true.
  double time_limit() const { return time_limit_; }
  // Records a step that ran but was cut short ("total estimated").
  void cut(std::string_view what);

  bool timed_out() const { return !cuts_.empty(); }
  // "time budget of 2000 ms exceeded: facets not counted, snippets not made"; empty when
  // nothing was cut.
  std::string warning() const;

 private:
  const Deadline* deadline_;
  bool expired_ = false;
  double time_limit_ = 0;
  std::vector<std::string> cuts_;  // each once, in the order they happened
};

// Caps on what one query may ask for; a request over one is refused (400 in searchd).
struct QueryLimits {
  // Words, phrases and field:value terms in q (after parsing: QueryNode leaves).
  std::size_t max_clauses = 64;
  // Thesaurus expansions the query's words and phrases add (ParsedQuery::expansions).
  std::size_t max_expansions = 128;
  // Values of the URL filters together (org, year, decision, symbol, kind, doc, meeting, type,
  // lang, issued): each is a clause of the filter query.
  std::size_t max_filter_values = 64;
};

// `values` filter values are within limits.max_filter_values; the error gives both
// ("the filters have 65 values; the limit is 64").
Expected<void> check_filter_values(std::size_t values, const QueryLimits& limits);

}  // namespace treaty
