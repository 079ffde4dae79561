// Chinese date expressions -> ISO dates and ranges.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace treaty {

// A calendar date with its precision: month == 0 means the whole year, day == 0 the whole month.
struct PartialDate {
  int year = 0;
  int month = 0;
  int day = 0;

  std::string iso() const;  // "2014", "2014-06", "2014-06-09"
  auto operator<=>(const PartialDate&) const = default;
};

// One date expression: a single (partial) date or a range. For a single date from == to.
struct DateRange {
  PartialDate from;
  PartialDate to;
  std::string text;            // the expression as it appears (in the normalised text)
  std::size_t begin = 0;       // byte range of the expression in the scanned text
  std::size_t end = 0;

  // "2014-10-13/2014-10-17", or "2013-04" for a single date.
  std::string iso() const;
  // First and last day covered, as days since 1970-01-01 (a year covers Jan 1 - Dec 31).
  int first_day() const;
  int last_day() const;
  // Every year / month (YYYYMM) the range touches. months() is empty for year-only ranges:
  // "2013 年" is counted under 2013 but under no month.
  std::vector<int> years() const;
  std::vector<int> months() const;
};

// Finds the date expressions in NFKC-normalised Chinese text (ASCII digits; spaces between the
// parts are optional), left to right, non-overlapping. Understood forms include:
//   2014 年 10 月 13 日至 17 日          -> 2014-10-13/2014-10-17
//   2014 年 3 月 31 日至 4 月 4 日       -> 2014-03-31/2014-04-04
//   2014 年 5 月 19 至 22 日, 2014 年 6 月 9 日-13 日, 2013年 3月 25日-26日
//   2012 年 9 月 3 和 4 日               -> two dates, 2012-09-03 and 2012-09-04
//   2013 年 4 月                         -> 2013-04
//   2011 年和 2012 年                    -> two dates, 2011 and 2012
//   2010 年至 2013 年, 2011 年 - 2020 年, 2011-2020 年  -> 2010/2013, 2011/2020
//   2019-2020 两年期, 2019-2020 双年度 (a biennium)      -> 2019/2020
//   2015 年                              -> 2015
// Impossible dates (month 13, 31 February, year outside 1900-2100) are not dates.
std::vector<DateRange> extract_dates(std::string_view normalized);

// Days since 1970-01-01 of a valid Gregorian date.
int days_from_civil(int year, int month, int day);

// The full date `days` days after 1970-01-01: the inverse of days_from_civil().
PartialDate date_of_day(int days);

}  // namespace treaty
