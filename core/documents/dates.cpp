#include "core/documents/dates.h"

#include <array>
#include <chrono>
#include <optional>

namespace treaty {
namespace {

// Units in the order they appear in a Chinese date; the enum order is used for "finer than".
enum class Unit { none, year, month, day };

constexpr std::string_view kYearChar = "年";
constexpr std::string_view kMonthChar = "月";
constexpr std::string_view kDayChar = "日";

// "From ... to": 至, 到, the hyphen (NFKC folds the full-width one), en/em dash, tildes.
constexpr std::array<std::string_view, 7> kRangeConnectors = {"至", "到", "-", "–", "—", "~", "〜"};
// Several dates sharing their leading parts: "3 和 4 日", "4 月和 5 月".
constexpr std::array<std::string_view, 4> kListConnectors = {"和", "及", "与", "、"};

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2100;
constexpr int kImpossible = 99;  // a month or day no calendar has

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// Rejoined PDF lines may keep any ASCII whitespace between the parts of a date.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t skip_spaces(std::string_view s, std::size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

bool has_at(std::string_view s, std::size_t i, std::string_view lit) {
  return i <= s.size() && s.substr(i).starts_with(lit);
}

// End of the connector at s[i], or 0 when there is none (a connector never starts at 0 here).
template <std::size_t N>
std::size_t connector_end(std::string_view s, std::size_t i,
                          const std::array<std::string_view, N>& connectors) {
  for (auto c : connectors)
    if (has_at(s, i, c)) return i + c.size();
  return 0;
}

Unit unit_at(std::string_view s, std::size_t i) {
  if (has_at(s, i, kYearChar)) return Unit::year;
  if (has_at(s, i, kMonthChar)) return Unit::month;
  if (has_at(s, i, kDayChar)) return Unit::day;
  return Unit::none;
}

struct Number {
  int value = 0;
  std::size_t digits = 0;
  std::size_t end = 0;
};

// The whole run of ASCII digits at s[i]; the value saturates (only short runs are used).
Number read_number(std::string_view s, std::size_t i) {
  Number n{0, 0, i};
  while (n.end < s.size() && is_digit(s[n.end])) {
    if (n.digits < 6) n.value = n.value * 10 + (s[n.end] - '0');
    ++n.digits;
    ++n.end;
  }
  return n;
}

// "2014 年", "10 月", "13 日" or a bare 1-2 digit number (unit none: a day whose 日 comes
// later, as in "19 至 22 日").
struct Component {
  int value = 0;
  Unit unit = Unit::none;
  std::size_t end = 0;  // after the unit, or after the digits for a bare number
};

std::optional<Component> read_component(std::string_view s, std::size_t i) {
  if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
  const Number n = read_number(s, i);
  const std::size_t j = skip_spaces(s, n.end);
  const Unit unit = unit_at(s, j);
  const bool ok = unit == Unit::year ? n.digits == 4 : n.digits <= 2;
  if (!ok) return std::nullopt;
  if (unit == Unit::none) return Component{n.value, unit, n.end};
  // "0 月" would read as "no month"; make it impossible so validation rejects the expression.
  const int value = n.value == 0 && unit != Unit::year ? kImpossible : n.value;
  return Component{value, unit, j + 3};  // 年, 月 and 日 are 3 bytes in UTF-8
}

// Sets `unit` of `date` and forgets the finer parts (they are not inherited past it).
void set_part(PartialDate& date, Unit unit, int value) {
  switch (unit) {
    case Unit::year: date = PartialDate{value, 0, 0}; break;
    case Unit::month: date.month = value; date.day = 0; break;
    case Unit::day: date.day = value; break;
    case Unit::none: break;
  }
}

struct Tail {
  PartialDate date;
  Unit precision = Unit::none;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The date after a connector: 年 > 月 > 日 components without gaps, the missing leading ones
// taken from `base` ("至 17 日" keeps year and month, "至 4 月 4 日" the year).
std::optional<Tail> read_tail(std::string_view s, std::size_t i, const PartialDate& base,
                              bool allow_year) {
  Tail tail{base, Unit::none, skip_spaces(s, i), 0};
  std::size_t p = tail.begin;
  for (;;) {
    const auto c = read_component(s, skip_spaces(s, p));
    if (!c || c->unit == Unit::none) break;
    if (tail.precision == Unit::none) {
      const bool inheritable = (c->unit == Unit::year && allow_year) ||
                               (c->unit == Unit::month && base.month != 0) ||
                               (c->unit == Unit::day && base.day != 0);
      if (!inheritable) return std::nullopt;
    } else if (static_cast<int>(c->unit) != static_cast<int>(tail.precision) + 1) {
      break;
    }
    set_part(tail.date, c->unit, c->value);
    tail.precision = c->unit;
    tail.end = p = c->end;
  }
  if (tail.precision == Unit::none) return std::nullopt;
  return tail;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

bool valid(const PartialDate& d) {
  if (d.year < kMinYear || d.year > kMaxYear) return false;
  if (d.month == 0) return d.day == 0;
  if (d.month < 1 || d.month > 12) return false;
  return d.day == 0 || (d.day >= 1 && d.day <= days_in_month(d.year, d.month));
}

int first_day_of(const PartialDate& d) {
  return days_from_civil(d.year, d.month == 0 ? 1 : d.month, d.day == 0 ? 1 : d.day);
}

int last_day_of(const PartialDate& d) {
  const int month = d.month == 0 ? 12 : d.month;
  return days_from_civil(d.year, month, d.day == 0 ? days_in_month(d.year, month) : d.day);
}

void append_padded(std::string& out, int value, int width) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width)
    out.append(static_cast<std::size_t>(width) - digits.size(), '0');
  out += digits;
}

// Collects the dates of one expression; an invalid part rejects the whole expression.
class Emitter {
 public:
  Emitter(std::string_view text, std::vector<DateRange>& out) : text_(text), out_(out) {}

  void range(const PartialDate& from, const PartialDate& to, std::size_t begin, std::size_t end) {
    if (!valid(from) || !valid(to) || first_day_of(to) < first_day_of(from)) return;
    out_.push_back(DateRange{from, to, std::string(text_.substr(begin, end - begin)), begin, end});
  }
  void single(const PartialDate& date, std::size_t begin, std::size_t end) {
    range(date, date, begin, end);
  }

 private:
  std::string_view text_;
  std::vector<DateRange>& out_;
};

// Parses the expression whose 4-digit year starts at s[start]; returns where scanning resumes.
std::size_t parse_expression(std::string_view s, std::size_t start, std::vector<DateRange>& out) {
  Emitter emit(s, out);
  const Number year = read_number(s, start);
  PartialDate first{year.value, 0, 0};
  std::size_t p = skip_spaces(s, year.end);
  if (unit_at(s, p) != Unit::year) {
    // "2011-2020 年": one 年 for both years.
    const std::size_t c = connector_end(s, p, kRangeConnectors);
    if (c == 0) return year.end;
    const std::size_t q = skip_spaces(s, c);
    const Number year2 = read_number(s, q);
    const std::size_t r = skip_spaces(s, year2.end);
    if (year2.digits != 4) return year.end;
    // "2019-2020 两年期" and "2019-2020 双年度" (a biennium) name the years without 年.
    for (std::string_view biennium : {"两年期", "双年度"})
      if (s.substr(r).starts_with(biennium)) {
        emit.range(first, PartialDate{year2.value, 0, 0}, start, r + biennium.size());
        return r + biennium.size();
      }
    if (unit_at(s, r) != Unit::year) return year.end;
    emit.range(first, PartialDate{year2.value, 0, 0}, start, r + 3);
    return r + 3;
  }
  std::size_t end = p + 3;

  // A day number without 日 ("19 至 22 日", "3 和 4 日") counts only if a later 日 closes it.
  std::size_t pending_day_end = 0;
  if (const auto m = read_component(s, skip_spaces(s, end)); m && m->unit == Unit::month) {
    first.month = m->value;
    end = m->end;
    if (const auto d = read_component(s, skip_spaces(s, end))) {
      if (d->unit == Unit::day) {
        first.day = d->value;
        end = d->end;
      } else if (d->unit == Unit::none && d->value > 0) {
        first.day = d->value;
        pending_day_end = d->end;
      }
    }
  }
  const bool pending = pending_day_end != 0;
  const std::size_t first_end = pending ? pending_day_end : end;
  const std::size_t c_pos = skip_spaces(s, first_end);

  if (const std::size_t c = connector_end(s, c_pos, kRangeConnectors)) {
    const auto tail = read_tail(s, c, first, /*allow_year=*/true);
    if (tail && (!pending || tail->precision == Unit::day)) {
      emit.range(first, tail->date, start, tail->end);
      return tail->end;
    }
  }

  if (std::size_t c = connector_end(s, c_pos, kListConnectors)) {
    // Each item keeps its own text; a new year is left to the scanner ("2011 年和 2012 年").
    const Unit precision = first.day != 0 ? Unit::day : Unit::month;
    struct Item {
      PartialDate date;
      std::size_t begin, end;
    };
    std::vector<Item> items{{first, start, first_end}};
    while (c != 0) {
      const auto tail = read_tail(s, c, items.back().date, /*allow_year=*/false);
      if (!tail || tail->precision != precision) break;
      items.push_back({tail->date, tail->begin, tail->end});
      c = connector_end(s, skip_spaces(s, tail->end), kListConnectors);
    }
    if (items.size() > 1) {
      const bool all_valid = [&] {
        for (const auto& item : items)
          if (!valid(item.date)) return false;
        return true;
      }();
      if (all_valid)
        for (const auto& item : items) emit.single(item.date, item.begin, item.end);
      return items.back().end;
    }
  }

  if (pending) first.day = 0;  // no 日 ever came: "2014 年 5 月" followed by some number
  emit.single(first, start, end);
  return end;
}

}  // namespace

int days_from_civil(int year, int month, int day) {
  // Howard Hinnant's algorithm: shift the year to start in March so Feb 29 is the last day.
  const int y = month <= 2 ? year - 1 : year;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = month > 2 ? month - 3 : month + 9;
  const int doy = (153 * mp + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

PartialDate date_of_day(int days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::string PartialDate::iso() const {
  std::string out;
  append_padded(out, year, 4);
  if (month != 0) {
    out += '-';
    append_padded(out, month, 2);
    if (day != 0) {
      out += '-';
      append_padded(out, day, 2);
    }
  }
  return out;
}

std::string DateRange::iso() const {
  if (from == to) return from.iso();
  return from.iso() + "/" + to.iso();
}

int DateRange::first_day() const { return first_day_of(from); }
int DateRange::last_day() const { return last_day_of(to); }

std::vector<int> DateRange::years() const {
  std::vector<int> out;
  for (int y = from.year; y <= to.year || y == from.year; ++y) out.push_back(y);
  return out;
}

std::vector<int> DateRange::months() const {
  std::vector<int> out;
  if (from.month == 0 || to.month == 0) return out;  // year precision: no month
  for (int ym = from.year * 12 + from.month - 1; ym <= to.year * 12 + to.month - 1; ++ym)
    out.push_back((ym / 12) * 100 + ym % 12 + 1);
  return out;
}

std::vector<DateRange> extract_dates(std::string_view normalized) {
  std::vector<DateRange> out;
  const std::string_view s = normalized;
  std::size_t i = 0;
  while (i < s.size()) {
    if (!is_digit(s[i])) {
      ++i;
      continue;
    }
    const Number n = read_number(s, i);
    // A year is a 4-digit number on its own, not part of "UNEP/2014" or "1.2014".
    const bool boundary = i == 0 || !(is_ascii_alnum(s[i - 1]) || s[i - 1] == '/' || s[i - 1] == '.');
    i = (n.digits == 4 && boundary) ? parse_expression(s, i, out) : n.end;
  }
  return out;
}

}  // namespace treaty
