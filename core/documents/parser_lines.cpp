#include "core/documents/parser_lines.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/base/utf8.h"
#include "core/documents/parser.h"  // looks_like_symbol

namespace treaty::parser_lines {
namespace {

bool ends_with_space(std::string_view s) {
  if (s.empty()) return false;
  const auto c = static_cast<unsigned char>(s.back());
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') return true;
  return s.ends_with("\xC2\xA0") || s.ends_with("\xE3\x80\x80") || s.ends_with("\xEF\xBB\xBF");
}

char32_t first_cp(std::string_view s) {
  std::size_t i = 0;
  return next_code_point(s, i);
}

// Leading decimal number of at most `max_digits` digits; advances `i` past it.
std::optional<int> leading_number(std::string_view s, std::size_t& i, std::size_t max_digits) {
  std::size_t j = i;
  int value = 0;
  while (j < s.size() && is_digit(s[j]) && j - i < max_digits) value = value * 10 + (s[j++] - '0');
  if (j == i || (j < s.size() && is_digit(s[j]))) return std::nullopt;
  i = j;
  return value;
}

}  // namespace

// ---------------------------------------------------------------- characters

// Layout whitespace: ASCII blanks plus the no-break and ideographic spaces PDF extraction emits.
std::size_t space_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') return 1;
  if (s.substr(i, 2) == "\xC2\xA0") return 2;      // U+00A0
  if (s.substr(i, 3) == "\xE3\x80\x80") return 3;  // U+3000
  if (s.substr(i, 3) == "\xEF\xBB\xBF") return 3;  // U+FEFF byte-order mark
  return 0;
}

std::string_view trim(std::string_view s) {
  std::size_t n = 0;
  while (!s.empty() && (n = space_length(s, 0)) > 0) s.remove_prefix(n);
  while (ends_with_space(s)) {
    const auto c = static_cast<unsigned char>(s.back());
    s.remove_suffix(c < 0x80 ? 1 : c == 0xA0 ? 2 : 3);
  }
  return s;
}

// Number of whitespace characters in `s`, or 0 if `s` holds anything else.
std::size_t blank_width(std::string_view s) {
  std::size_t count = 0;
  for (std::size_t i = 0, n = 0; i < s.size(); i += n, ++count)
    if ((n = space_length(s, i)) == 0) return 0;
  return count;
}

char32_t last_cp(std::string_view s) {
  std::size_t i = s.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return next_code_point(s, i);
}

std::size_t cp_count(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Characters set without spaces around them: Han, CJK punctuation, full-width forms, Hangul,
// and the curly quotes / dashes / ellipsis Chinese text uses as its own punctuation.
bool is_wide(char32_t cp) {
  return is_han(cp) || (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
         (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
         (cp >= 0x2018 && cp <= 0x201F) || cp == 0x2014 || cp == 0x2026;
}

// Punctuation that ends a sentence or a lead-in: a line ending with it completes its text.
bool is_terminal(char32_t cp) {
  switch (cp) {
    case U'。': case U'；': case U'：': case U'！': case U'？': case U'…':
    case U'.': case U';': case U':': case U'!': case U'?':
      return true;
    default:
      return false;
  }
}

// Opening brackets and quotes: a number right after one ("（2014 年") is text, never a marker.
bool is_opening(char32_t cp) {
  switch (cp) {
    case U'（': case U'《': case U'〈': case U'「': case U'『': case U'【': case U'〔':
    case U'“': case U'‘': case U'［': case U'｛':
      return true;
    default:
      return false;
  }
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_blank_byte(char c) { return c == ' ' || c == '\t'; }

// Appends a hard-wrapped line to `out`: Chinese joins without a space, two Latin/digit
// sides keep one, except around a '/': a symbol or decision number wrapped at its slash
// ("第 67/" + "212 号", "UNEP/CBD/" + "COP/12") is one token again.
void join_into(std::string& out, std::string_view line) {
  if (line.empty()) return;
  const bool at_slash = (!out.empty() && out.back() == '/') || line.front() == '/';
  if (!out.empty() && !at_slash && !is_wide(last_cp(out)) && !is_wide(first_cp(line))) out += ' ';
  out += line;
}

std::string join_all(const std::vector<std::string_view>& lines) {
  std::string out;
  for (std::string_view line : lines) join_into(out, line);
  return out;
}

// ---------------------------------------------------------------- line patterns

bool is_page_number(std::string_view t) {
  if (!t.starts_with("Page ")) return false;
  std::size_t i = 5;
  while (i < t.size() && t[i] == ' ') ++i;
  return leading_number(t, i, 5).has_value() && i == t.size();
}

// "______": the rule that ends a document (or draws a footnote separator).
bool is_underscore_rule(std::string_view t) {
  return t.size() >= 3 && t.find_first_not_of('_') == std::string_view::npos;
}

bool is_url(std::string_view t) {
  return (t.starts_with("http://") || t.starts_with("https://")) &&
         t.find_first_of(" \t") == std::string_view::npos;
}

// "12. text" (also "12.text" before Chinese); not "1.5" or "2014 年".
std::optional<Numbered> parse_numbered(std::string_view t) {
  std::size_t i = 0;
  const auto number = leading_number(t, i, 4);
  if (!number || i >= t.size() || t[i] != '.') return std::nullopt;
  ++i;
  if (i < t.size() && !is_blank_byte(t[i]) && static_cast<unsigned char>(t[i]) < 0x80)
    return std::nullopt;
  return Numbered{*number, trim(t.substr(i))};
}

// "(b) text".
std::optional<Item> parse_item(std::string_view t) {
  if (t.size() < 3 || t[0] != '(' || t[1] < 'a' || t[1] > 'z' || t[2] != ')') return std::nullopt;
  if (t.size() > 3 && !is_blank_byte(t[3])) return std::nullopt;
  return Item{t[1], trim(t.substr(3))};
}

// "一.     导言" / "二、合作": Chinese numeral, '.' or '、', title.
std::optional<Heading> parse_level1(std::string_view t) {
  static constexpr std::string_view numerals[] = {"一", "二", "三", "四", "五", "六", "七",
                                                  "八", "九", "十", "百", "零", "〇"};
  std::size_t i = 0;
  for (bool more = true; more;) {
    more = false;
    for (std::string_view n : numerals)
      if (t.substr(i).starts_with(n)) {
        i += n.size();
        more = true;
        break;
      }
  }
  if (i == 0) return std::nullopt;
  const std::string_view label = t.substr(0, i);
  std::string_view rest = t.substr(i);
  if (rest.starts_with("."))
    rest.remove_prefix(1);
  else if (rest.starts_with("、"))
    rest.remove_prefix(std::string_view("、").size());
  else
    return std::nullopt;
  rest = trim(rest);
  if (rest.empty()) return std::nullopt;
  return Heading{label, rest};
}

// "A. 粮食和农业植物遗传资源国际条约".
std::optional<Heading> parse_level2(std::string_view t) {
  if (t.size() < 4 || t[0] < 'A' || t[0] > 'Z' || t[1] != '.' || !is_blank_byte(t[2]))
    return std::nullopt;
  const std::string_view title = trim(t.substr(2));
  if (title.empty()) return std::nullopt;
  return Heading{t.substr(0, 1), title};
}

// The header block ends at the first section heading or at paragraph 1.
bool starts_body(std::string_view t) {
  if (parse_level1(t) || parse_level2(t)) return true;
  const auto numbered = parse_numbered(t);
  return numbered && numbered->number == 1;
}

// "1  UNEP/CBD/NP/COP-MOP/1/INF/5。", "4 2013年 3月 25日-26日于日本东京。".
std::optional<FootnoteStart> parse_footnote_start(std::string_view t) {
  std::size_t i = 0;
  const auto number = leading_number(t, i, 3);
  if (!number || i >= t.size() || !is_blank_byte(t[i])) return std::nullopt;
  const std::string_view rest = trim(t.substr(i));
  if (rest.empty()) return std::nullopt;
  return FootnoteStart{*number, rest};
}

// ---------------------------------------------------------------- header fields

namespace {

bool has_han(std::string_view s) {
  for (std::size_t i = 0; i < s.size();)
    if (is_han(next_code_point(s, i))) return true;
  return false;
}

// "2014 年 8 月 14 日": digits, spaces and 年月日 only.
bool is_date_only(std::string_view s) {
  bool digit = false;
  for (std::size_t i = 0; i < s.size();) {
    const char32_t cp = next_code_point(s, i);
    if (cp >= '0' && cp <= '9')
      digit = true;
    else if (cp != ' ' && cp != U'年' && cp != U'月' && cp != U'日')
      return false;
  }
  return digit;
}

// "第一次会议", "第十二届会议".
bool is_session(std::string_view s) {
  return s.starts_with("第") && cp_count(s) <= 15 &&
         (s.ends_with("会议") || s.ends_with("届会") || s.ends_with("常会"));
}

// Lines of the cover page that are not part of the meeting name: "联合国", the symbol,
// "Distr.: General", the issue date, "中文", "原文：英文".
bool is_cover_line(std::string_view s) {
  return looks_like_symbol(s) || !has_han(s) || is_date_only(s) || cp_count(s) <= 4 ||
         s.find("原文") != std::string_view::npos;
}

bool is_doc_type(std::string_view s) {
  return cp_count(s) <= 20 && (s.ends_with("说明") || s.ends_with("报告"));
}

}  // namespace

// Splits the header block into its fields. `symbol_index` is the index of the printed
// symbol line in `lines`, if any.
HeaderBlock read_header(const std::vector<std::string_view>& lines, std::optional<std::size_t> symbol_index) {
  HeaderBlock out;
  if (symbol_index) out.info.symbol_line = std::string(lines[*symbol_index]);
  const auto session = std::find_if(lines.begin(), lines.end(), [](std::string_view s) { return is_session(s); });
  const auto s = static_cast<std::size_t>(session - lines.begin());
  // The meeting name is the run of (wrapped) lines right before the session line.
  std::size_t meeting_begin = s;
  if (session != lines.end())
    while (meeting_begin > 0 && meeting_begin - 1 != symbol_index && !is_cover_line(lines[meeting_begin - 1]))
      --meeting_begin;
  for (std::size_t i = 0; i < meeting_begin; ++i) {
    out.lines.emplace_back(lines[i]);
    if (i != symbol_index) out.info.other_lines.emplace_back(lines[i]);
  }
  if (session == lines.end()) return out;

  const auto add = [&out](std::string& field, std::string value) {
    field = value;
    out.lines.push_back(std::move(value));
  };
  if (meeting_begin < s) add(out.info.meeting, join_all(std::vector<std::string_view>(lines.begin() + meeting_begin, lines.begin() + s)));
  add(out.info.session, std::string(lines[s]));
  std::size_t j = s + 1;
  if (j < lines.size() && lines[j].find("年") != std::string_view::npos &&
      lines[j].find_first_of("0123456789") != std::string_view::npos)
    add(out.info.dates_venue, std::string(lines[j++]));
  if (j < lines.size() && lines[j].find("议程") != std::string_view::npos)
    add(out.info.agenda_item, std::string(lines[j++]));
  std::vector<std::string_view> rest(lines.begin() + j, lines.end());
  std::string doc_type;
  if (!rest.empty() && is_doc_type(rest.back())) {
    doc_type = std::string(rest.back());
    rest.pop_back();
  }
  if (!rest.empty()) add(out.info.title, join_all(rest));
  if (!doc_type.empty()) add(out.info.doc_type, std::move(doc_type));
  return out;
}

}  // namespace treaty::parser_lines
