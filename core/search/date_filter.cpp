#include "core/search/date_filter.h"

#include <charconv>
#include <chrono>
#include <limits>
#include <optional>
#include <vector>

#include "core/base/utf8.h"
#include "core/documents/dates.h"
#include "core/index/schema.h"

namespace treaty {
namespace {

std::optional<int> read_int(std::string_view s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

int year_of_day(int day) { return date_of_day(day).year; }

// Candidate filter by year terms is only worth it for spans like the ones users type.
constexpr int kMaxYearTerms = 50;

// Passages with at least one "first:last" range in kSlotDateRanges overlapping [first, last].
class DateOverlapSource : public Xapian::ValuePostingSource {
 public:
  DateOverlapSource(DayRange range, DateRelation relation)
      : Xapian::ValuePostingSource(schema::kSlotDateRanges), range_(range), relation_(relation) {}

  void init(const Xapian::Database& database) override {
    Xapian::ValuePostingSource::init(database);
    set_termfreq_min(0);  // the slot is only a superset
  }

  void next(double min_wt) override {
    Xapian::ValuePostingSource::next(min_wt);
    skip_non_matching(min_wt);
  }

  void skip_to(Xapian::docid did, double min_wt) override {
    Xapian::ValuePostingSource::skip_to(did, min_wt);
    skip_non_matching(min_wt);
  }

  bool check(Xapian::docid did, double min_wt) override {
    // false: `did` has no value, so it is not in this list.
    if (!Xapian::ValuePostingSource::check(did, min_wt)) return false;
    if (Xapian::ValuePostingSource::at_end()) return true;
    return overlaps(get_value());
  }

  Xapian::PostingSource* clone() const override { return new DateOverlapSource(range_, relation_); }

  std::string get_description() const override {
    return "DateOverlapSource(" + std::to_string(range_.first) + ":" + std::to_string(range_.last) +
           (relation_ == DateRelation::within ? " within" : "") + ")";
  }

 private:
  void skip_non_matching(double min_wt) {
    while (!Xapian::ValuePostingSource::at_end() && !overlaps(get_value()))
      Xapian::ValuePostingSource::next(min_wt);
  }

  bool overlaps(std::string_view value) const {
    while (!value.empty()) {
      const std::size_t sep = value.find(schema::kValueSeparator);
      const std::string_view one = value.substr(0, sep);
      value = sep == std::string_view::npos ? std::string_view() : value.substr(sep + 1);
      const std::size_t colon = one.find(':');
      if (colon == std::string_view::npos) continue;
      int first = 0, last = 0;
      std::from_chars(one.data(), one.data() + colon, first);
      std::from_chars(one.data() + colon + 1, one.data() + one.size(), last);
      const bool match = relation_ == DateRelation::within ? first >= range_.first && last <= range_.last
                                                           : first <= range_.last && last >= range_.first;
      if (match) return true;
    }
    return false;
  }

  DayRange range_;
  DateRelation relation_;
};

}  // namespace

std::optional<DateRelation> parse_date_relation(std::string_view name) {
  if (name == "intersects") return DateRelation::intersects;
  if (name == "within") return DateRelation::within;
  return std::nullopt;
}

Expected<int> parse_date_bound(std::string_view raw, bool end) {
  const std::string folded = fold_full_width(trim_blank(raw));
  std::string_view v = folded;
  const std::string what = "date " + folded + ": ";
  std::optional<int> parts[3];
  int count = 0;
  while (count < 3) {
    const std::size_t dash = v.find('-');
    const std::string_view part = v.substr(0, dash);
    parts[count] = read_int(part);
    const std::size_t want = count == 0 ? 4 : 2;
    if (!parts[count] || part.size() > want || (count == 0 && part.size() != 4))
      return fail(what + "expected YYYY, YYYY-MM or YYYY-MM-DD");
    ++count;
    if (dash == std::string_view::npos) break;
    v.remove_prefix(dash + 1);
    if (count == 3) return fail(what + "expected YYYY, YYYY-MM or YYYY-MM-DD");
  }
  const int year = *parts[0];
  if (year < 1) return fail(what + "expected YYYY, YYYY-MM or YYYY-MM-DD");
  if (count == 1) return end ? days_from_civil(year, 12, 31) : days_from_civil(year, 1, 1);
  const int month = *parts[1];
  if (month < 1 || month > 12) return fail(what + "month must be 1-12");
  const std::chrono::year_month_day_last last_of_month(
      std::chrono::year(year), std::chrono::month_day_last(std::chrono::month(static_cast<unsigned>(month))));
  const int days_in_month = static_cast<int>(static_cast<unsigned>(last_of_month.day()));
  if (count == 2) return end ? days_from_civil(year, month, days_in_month) : days_from_civil(year, month, 1);
  const int day = *parts[2];
  if (day < 1 || day > days_in_month)
    return fail(what + "day must be 1-" + std::to_string(days_in_month) + " in that month");
  return days_from_civil(year, month, day);
}

Expected<DayRange> parse_date_range(std::string_view raw) {
  const std::string folded = fold_full_width(trim_blank(raw));
  std::string_view v = folded;
  std::size_t sep = v.find("..");
  std::size_t sep_len = 2;
  if (sep == std::string_view::npos) {
    sep = v.find('/');
    sep_len = 1;
  }
  DayRange range{std::numeric_limits<int>::min(), std::numeric_limits<int>::max()};
  if (sep == std::string_view::npos) {
    auto first = parse_date_bound(v, false);
    if (!first) return std::unexpected(first.error());
    range.first = *first;
    range.last = *parse_date_bound(v, true);
    return range;
  }
  const std::string_view from = trim_blank(v.substr(0, sep));
  const std::string_view to = trim_blank(v.substr(sep + sep_len));
  if (from.empty() && to.empty()) return range;  // any dated passage
  if (!from.empty()) {
    auto first = parse_date_bound(from, false);
    if (!first) return std::unexpected(first.error());
    range.first = *first;
  }
  if (!to.empty()) {
    auto last = parse_date_bound(to, true);
    if (!last) return std::unexpected(last.error());
    range.last = *last;
  }
  if (range.first > range.last) return fail("date " + folded + ": the range ends before it starts");
  return range;
}

Xapian::Query date_filter_query(const DayRange& range, DateRelation relation) {
  // Years still select the candidates: a date inside the range overlaps it.
  Xapian::Query exact((new DateOverlapSource(range, relation))->release());
  const bool bounded = range.first != std::numeric_limits<int>::min() &&
                       range.last != std::numeric_limits<int>::max();
  if (bounded) {
    const int first_year = year_of_day(range.first);
    const int last_year = year_of_day(range.last);
    if (last_year - first_year < kMaxYearTerms) {
      std::vector<Xapian::Query> years;
      for (int y = first_year; y <= last_year; ++y)
        years.emplace_back(std::string(schema::kYear) + std::to_string(y));
      exact = Xapian::Query(Xapian::Query::OP_FILTER,
                            Xapian::Query(Xapian::Query::OP_OR, years.begin(), years.end()), exact);
    }
  }
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, exact, 0.0);
}

Expected<std::string> parse_year(std::string_view raw) {
  const std::string folded = fold_full_width(trim_blank(raw));
  bool digits = folded.size() == 4;
  for (char c : folded) digits = digits && c >= '0' && c <= '9';
  if (!digits) return fail("year " + folded + ": expected four digits, e.g. 2014");
  return folded;
}

}  // namespace treaty
