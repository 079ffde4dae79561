#include "core/documents/cover.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

#include "core/base/utf8.h"
#include "core/documents/document_facts.h"  // language_of_name
#include "core/documents/parser.h"  // looks_like_symbol
#include "core/documents/parser_lines.h"

namespace treaty::cover {
namespace {

using parser_lines::cp_count;
using parser_lines::join_all;
using parser_lines::trim;

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<int> read_number(std::string_view s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string iso_date(int year, int month, int day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

// "第一次会议", "第十二届会议", "第二十二次会议".
bool is_session(std::string_view s) {
  return s.starts_with("第") && cp_count(s) <= 15 &&
         (s.ends_with("会议") || s.ends_with("届会") || s.ends_with("常会"));
}

bool is_agenda_item(std::string_view s) {
  return s.find("议程") != std::string_view::npos && s.find("项目") != std::string_view::npos && cp_count(s) <= 20;
}

bool is_dates_venue(std::string_view s) {
  return s.find("年") != std::string_view::npos && s.find_first_of("0123456789") != std::string_view::npos;
}

// A document type line: "执行秘书的说明", "执行秘书的说明 增编", "缔约方大会通过的决定",
// "缔约方会议的决定草案", "会议室文件", "资料文件", a short "…报告" ("执行秘书的报告"; a long
// one is a title: "…第三次会议的报告").
bool is_doc_type(std::string_view s) {
  for (std::string_view end : {"通过的决定", "决定草案", "通过的建议", "建议草案"})
    if (s.ends_with(end)) return cp_count(s) <= 40;
  if (cp_count(s) > 12) return false;
  for (std::string_view end : {"说明", "增编", "更正", "订正", "会议室文件", "资料文件", "报告"})
    if (s.ends_with(end)) return true;
  return false;
}

// The first line of a meeting name that does not stand alone: "作为…缔约方会议的缔约方大会".
bool starts_meeting(std::string_view s) { return s.starts_with("作为"); }

enum class LineKind { text, symbol, furniture, distribution, issued, language, original, session };

}  // namespace

std::optional<std::string> parse_distribution(std::string_view line) {
  const std::string l = lower_ascii(trim(line));
  if (!l.starts_with("distr")) return std::nullopt;
  for (std::string_view kind : {"general", "limited", "restricted"})
    if (l.ends_with(kind)) return std::string(kind);
  return std::nullopt;
}

std::optional<std::string> parse_issue_date(std::string_view raw) {
  const std::string folded = fold_full_width(trim(raw));
  std::string_view s = folded;
  // "2018 年 10 月 12 日"
  if (s.find("年") != std::string_view::npos) {
    std::array<int, 3> parts{};
    std::size_t k = 0;
    std::string digits;
    for (std::size_t i = 0; i < s.size();) {
      const char32_t cp = next_code_point(s, i);
      if (cp >= '0' && cp <= '9') {
        digits += static_cast<char>(cp);
      } else if (cp == U'年' || cp == U'月' || cp == U'日') {
        if (digits.empty() || k >= 3 || cp != U"年月日"[k]) return std::nullopt;
        parts[k++] = *read_number(digits);
        digits.clear();
      } else if (cp != ' ') {
        return std::nullopt;
      }
    }
    if (k != 3 || !digits.empty()) return std::nullopt;
    if (parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > 31) return std::nullopt;
    return iso_date(parts[0], parts[1], parts[2]);
  }
  // "5 October 2018"
  static constexpr std::string_view kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                                                 "july",    "august",   "september", "october", "november", "december"};
  const std::size_t a = s.find(' ');
  const std::size_t b = s.rfind(' ');
  if (a == std::string_view::npos || a == b) return std::nullopt;
  const auto day = read_number(s.substr(0, a));
  const auto year = read_number(s.substr(b + 1));
  const std::string month = lower_ascii(trim(s.substr(a + 1, b - a - 1)));
  const auto m = std::find(std::begin(kMonths), std::end(kMonths), month);
  if (!day || !year || m == std::end(kMonths) || *day < 1 || *day > 31 || *year < 1900) return std::nullopt;
  return iso_date(*year, static_cast<int>(m - std::begin(kMonths)) + 1, *day);
}

std::optional<std::string> parse_language_line(std::string_view line) { return language_of_name(line); }

std::optional<std::string> parse_original(std::string_view line) {
  const std::string_view t = trim(line);
  for (std::string_view prefix : {"原文：", "原文:"})
    if (t.starts_with(prefix)) return language_of_name(t.substr(prefix.size()));
  const std::string l = lower_ascii(t);
  if (l.starts_with("original:")) return language_of_name(t.substr(std::string_view("original:").size()));
  return std::nullopt;
}

bool is_cover_line(std::string_view line) {
  const std::string_view s = trim(line);
  return parse_distribution(s) || parse_issue_date(s) || parse_language_line(s) || parse_original(s) ||
         is_session(s) || is_dates_venue(s) || is_agenda_item(s);
}

HeaderBlock read_header(const std::vector<std::string_view>& lines, std::optional<std::size_t> symbol_index) {
  HeaderBlock out;
  if (symbol_index) out.info.symbol_line = std::string(lines[*symbol_index]);
  // Cover lines recognised on their own, in any order.
  std::vector<LineKind> kind(lines.size(), LineKind::text);
  std::optional<std::size_t> session;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view s = lines[i];
    if (i == symbol_index) {
      kind[i] = LineKind::symbol;
    } else if (s == "联合国" || lower_ascii(s) == "united nations") {
      kind[i] = LineKind::furniture;
    } else if (auto d = parse_distribution(s)) {
      kind[i] = LineKind::distribution;
      out.info.distribution = *d;
    } else if (auto l = parse_language_line(s)) {
      kind[i] = LineKind::language;
      out.info.language = *l;
    } else if (auto o = parse_original(s)) {
      kind[i] = LineKind::original;
      out.info.original = *o;
    } else if (auto date = parse_issue_date(s); date && out.info.issued.empty() && (!session || i > *session + 1)) {
      // After the session line too (a distribution block printed beside the meeting block),
      // but not in the meeting dates' place right under it.
      kind[i] = LineKind::issued;
      out.info.issued = *date;
    } else if (!session && is_session(s)) {
      kind[i] = LineKind::session;
      session = i;
    }
  }

  // The meeting name: the run of text lines right before the session line, from a line that
  // starts one (作为…) or else its last line; lines of the run before it are a title printed
  // above the meeting name.
  std::size_t meeting_begin = session.value_or(lines.size());
  std::size_t run_begin = meeting_begin;
  if (session) {
    while (run_begin > 0 && kind[run_begin - 1] == LineKind::text) --run_begin;
    meeting_begin = run_begin < *session ? *session - 1 : *session;
    for (std::size_t i = run_begin; i < *session; ++i)
      if (starts_meeting(lines[i])) {
        meeting_begin = i;
        break;
      }
  }
  for (std::size_t i = 0; i < run_begin; ++i) {
    out.lines.emplace_back(lines[i]);
    if (i != symbol_index) out.info.other_lines.emplace_back(lines[i]);
    if (kind[i] == LineKind::text) out.unclassified.push_back(i);
  }
  if (!session) return out;

  const auto add = [&out](std::string& field, std::string value) {
    field = value;
    out.lines.push_back(std::move(value));
  };
  std::string title_above;
  if (run_begin < meeting_begin) {
    title_above = join_all(std::vector<std::string_view>(lines.begin() + run_begin, lines.begin() + meeting_begin));
    out.lines.push_back(title_above);
  }
  if (meeting_begin < *session)
    add(out.info.meeting, join_all(std::vector<std::string_view>(lines.begin() + meeting_begin, lines.begin() + *session)));
  add(out.info.session, std::string(lines[*session]));
  std::size_t j = *session + 1;
  if (j < lines.size() && kind[j] == LineKind::text && is_dates_venue(lines[j])) add(out.info.dates_venue, std::string(lines[j++]));
  if (j < lines.size() && kind[j] == LineKind::text && is_agenda_item(lines[j])) add(out.info.agenda_item, std::string(lines[j++]));
  std::vector<std::string_view> rest;
  for (; j < lines.size(); ++j) {
    if (kind[j] == LineKind::text) {
      rest.push_back(lines[j]);
    } else {
      out.lines.emplace_back(lines[j]);
      if (j != symbol_index) out.info.other_lines.emplace_back(lines[j]);
    }
  }
  // The type may be printed on two lines, an addendum's or corrigendum's mark under it
  // ("执行秘书的说明" / "增编"): joined as one.
  std::string doc_type;
  if (!rest.empty() && is_doc_type(rest.back())) {
    const bool mark = rest.back() == "增编" || rest.back() == "更正" || rest.back() == "订正";
    doc_type = std::string(rest.back());
    rest.pop_back();
    if (mark && !rest.empty() && is_doc_type(rest.back())) {
      doc_type = std::string(rest.back()) + " " + doc_type;
      rest.pop_back();
    }
  }
  std::string title = rest.empty() ? title_above : join_all(rest);
  if (!rest.empty()) out.lines.push_back(title);
  // A "*" after the title calls the cover's footnote: not part of the title.
  while (title.ends_with("*")) title.pop_back();
  out.info.title = std::string(trim(title));
  if (!doc_type.empty()) add(out.info.doc_type, std::move(doc_type));
  return out;
}

}  // namespace treaty::cover
