// Date and year filter values ("2014", "2014-05..2014-06", "..2013") and the Xapian query that
// matches passages whose dates overlap a range. Used by the filter builder (filters.h) for both
// the URL parameters and the query language's date: and year: fields.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <xapian.h>

#include "core/base/error.h"

namespace treaty {

// An inclusive range of days since 1970-01-01.
struct DayRange {
  int first = 0;
  int last = 0;
};

// "2014", "2014-05", "2014-05-03" (ASCII or full-width digits) -> its first day, or its last
// day when `end` is true. Errors name the value: "date 2014-13: month must be 1-12".
Expected<int> parse_date_bound(std::string_view value, bool end);

// A date filter value: "2014", "2014-05..2014-06", "2014-05-03..", "..2013", also with '/' as
// separator. An open end extends without limit (to INT_MIN or INT_MAX days).
Expected<DayRange> parse_date_range(std::string_view value);

// How a passage's date expression must relate to a filter's range (Elasticsearch's range
// query "relation"): share at least a day with it, or lie wholly inside it.
enum class DateRelation { intersects, within };

// "intersects", "within"; nullopt for anything else.
std::optional<DateRelation> parse_date_relation(std::string_view name);

// Matches the passages with a date expression (schema::kSlotDateRanges) that overlaps `range`
// (intersects) or lies inside it (within): year terms select candidates, a posting source over
// the value slot checks exactly. Weight 0.
Xapian::Query date_filter_query(const DayRange& range, DateRelation relation = DateRelation::intersects);

// Normalised year filter value ("2014", "２０１４"), or an error for anything but four digits.
Expected<std::string> parse_year(std::string_view value);

}  // namespace treaty
