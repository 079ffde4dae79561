#include "core/search/budget.h"

#include <algorithm>

namespace treaty {

Deadline::Deadline(Clock::time_point start, std::chrono::milliseconds budget, Now now)
    : start_(start), budget_(budget), now_(std::move(now)) {}

bool StepBudget::allows(std::string_view what) {
  if (!deadline_->set()) return true;
  if (!expired_) {
    const Deadline::Clock::duration left = deadline_->left();
    expired_ = left <= Deadline::Clock::duration::zero();
    if (!expired_) {
      time_limit_ = std::chrono::duration<double>(left).count();
      return true;
    }
  }
  cut(what);
  return false;
}

void StepBudget::cut(std::string_view what) {
  if (std::find(cuts_.begin(), cuts_.end(), what) == cuts_.end()) cuts_.emplace_back(what);
}

std::string StepBudget::warning() const {
  if (cuts_.empty()) return {};
  std::string out = "time budget of " + std::to_string(deadline_->budget().count()) + " ms exceeded: ";
  for (std::size_t i = 0; i < cuts_.size(); ++i) out += (i > 0 ? ", " : "") + cuts_[i];
  return out;
}

Expected<void> check_filter_values(std::size_t values, const QueryLimits& limits) {
  if (values <= limits.max_filter_values) return {};
  return fail("the filters have " + std::to_string(values) + " values; the limit is " +
              std::to_string(limits.max_filter_values));
}

}  // namespace treaty
