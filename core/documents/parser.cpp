#include "core/documents/parser.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/base/utf8.h"

namespace treaty {
namespace {

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

bool ends_with_space(std::string_view s) {
  if (s.empty()) return false;
  const auto c = static_cast<unsigned char>(s.back());
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') return true;
  return s.ends_with("\xC2\xA0") || s.ends_with("\xE3\x80\x80") || s.ends_with("\xEF\xBB\xBF");
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

char32_t first_cp(std::string_view s) {
  std::size_t i = 0;
  return next_code_point(s, i);
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

// Leading decimal number of at most `max_digits` digits; advances `i` past it.
std::optional<int> leading_number(std::string_view s, std::size_t& i, std::size_t max_digits) {
  std::size_t j = i;
  int value = 0;
  while (j < s.size() && is_digit(s[j]) && j - i < max_digits) value = value * 10 + (s[j++] - '0');
  if (j == i || (j < s.size() && is_digit(s[j]))) return std::nullopt;
  i = j;
  return value;
}

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

struct Numbered {
  int number = 0;
  std::string_view rest;
};

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

struct Item {
  char letter = 'a';
  std::string_view rest;
};

// "(b) text".
std::optional<Item> parse_item(std::string_view t) {
  if (t.size() < 3 || t[0] != '(' || t[1] < 'a' || t[1] > 'z' || t[2] != ')') return std::nullopt;
  if (t.size() > 3 && !is_blank_byte(t[3])) return std::nullopt;
  return Item{t[1], trim(t.substr(3))};
}

struct Heading {
  std::string_view label;
  std::string_view title;
};

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

struct FootnoteStart {
  int number = 0;
  std::string_view rest;
};

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

struct HeaderBlock {
  HeaderInfo info;
  std::vector<std::string> lines;  // the block's lines, wrapped meeting/title lines rejoined
};

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

// ---------------------------------------------------------------- the parser

// A line of body text (header block, headings, paragraphs), trimmed.
struct BodyLine {
  int line = 0;
  std::string text;
};

class Parser {
 public:
  Parser(std::string_view text, const ParseOptions& options) : text_(text), options_(options) {}

  Expected<Document> run() {
    if (text_.empty()) return fail("empty document", options_.source_name);
    std::size_t bad = 0;
    if (!valid_utf8(text_, &bad))
      return fail("invalid UTF-8 (the file must be UTF-8 text)", options_.source_name, line_of_offset(text_, bad));
    if (trim(text_).empty()) return fail("empty document", options_.source_name);

    split_lines();
    scan_lines();
    doc_.symbol = std::string(trim(options_.symbol));
    if (doc_.symbol.empty()) doc_.symbol = printed_symbol_;
    if (doc_.symbol.empty())
      return fail("no document symbol found in the header or the running headers; pass it with --symbol",
                  options_.source_name);
    doc_.source = options_.source_name;
    remove_markers();
    build_structure();
    for (const auto& [body_index, number] : citations_) {
      const std::size_t p = passage_of_line_[body_index];
      if (p < doc_.passages.size()) doc_.passages[p].footnotes.push_back(number);
    }
    return std::move(doc_);
  }

 private:
  void split_lines() {
    for (std::size_t start = 0; start <= text_.size();) {
      std::size_t end = text_.find('\n', start);
      if (end == std::string_view::npos) end = text_.size();
      lines_.push_back(text_.substr(start, end - start));
      start = end + 1;
    }
  }

  // True if the next non-blank line after `i` is "Page N" (so line `i` is a running header).
  bool page_number_follows(std::size_t i) const {
    for (std::size_t j = i + 1; j < lines_.size() && j <= i + 8; ++j) {
      const std::string_view t = trim(lines_[j]);
      if (!t.empty()) return is_page_number(t);
    }
    return false;
  }

  // Pass 1: drops running headers, page numbers and layout lines, collects footnote areas,
  // and keeps everything else as body lines.
  void scan_lines() {
    const std::string_view given = trim(options_.symbol);
    bool header_done = false;
    bool in_notes = false;          // inside a footnote area (after the blank rule)
    std::size_t area_first = 0;     // index of the first footnote of the current area
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      const std::string_view raw = lines_[i];
      const std::string_view t = trim(raw);
      const int line_no = static_cast<int>(i) + 1;
      if (t.empty()) {
        if (blank_width(raw) >= 20) {  // the blank rule above the footnotes of a page
          in_notes = true;
          area_first = doc_.footnotes.size();
        }
        continue;
      }
      if (is_underscore_rule(t)) {
        in_notes = true;
        area_first = doc_.footnotes.size();
        continue;
      }
      if (is_page_number(t)) {
        in_notes = false;
        continue;
      }
      if (looks_like_symbol(t)) {
        if (!header_done && !header_symbol_ && !page_number_follows(i)) {
          // The symbol printed in the header block is header text, not a running header.
          header_symbol_ = body_.size();
          if (printed_symbol_.empty()) printed_symbol_ = std::string(t);
          body_.push_back({line_no, std::string(t)});
          continue;
        }
        if (printed_symbol_.empty() || t == printed_symbol_ || t == given) {
          if (printed_symbol_.empty()) printed_symbol_ = std::string(t);
          in_notes = false;
          continue;
        }
      }
      if (in_notes) {
        // A page starts with an indented line; until then every line belongs to the footnotes.
        if (space_length(raw, 0) == 0) {
          const int next = doc_.footnotes.empty() ? 1 : doc_.footnotes.back().number + 1;
          if (const auto start = parse_footnote_start(t); start && start->number == next) {
            doc_.footnotes.push_back({start->number, std::string(start->rest), {}, line_no});
            continue;
          }
          if (doc_.footnotes.size() > area_first) {
            add_to_last_footnote(t, area_first);
            continue;
          }
        }
        in_notes = false;
      }
      if (!header_done && starts_body(t)) header_done = true;
      body_.push_back({line_no, std::string(t)});
    }
  }

  // A footnote continuation line, or a bare URL repeating a URL of a footnote in the same area
  // (a PDF link annotation), which is kept with that footnote.
  void add_to_last_footnote(std::string_view t, std::size_t area_first) {
    if (is_url(t)) {
      for (std::size_t k = doc_.footnotes.size(); k-- > area_first;)
        if (doc_.footnotes[k].text.find(t) != std::string::npos) {
          doc_.footnotes[k].links.emplace_back(t);
          return;
        }
    }
    join_into(doc_.footnotes.back().text, t);
  }

  // Pass 2: finds each footnote's marker (its number glued after a Han character or CJK
  // punctuation, before a space or the line end), in order, removes it and records the citation.
  void remove_markers() {
    if (doc_.footnotes.empty()) return;
    const int max_number = doc_.footnotes.back().number;
    struct Marker {
      std::size_t body_index, offset, length;
    };
    std::vector<std::vector<Marker>> by_number(static_cast<std::size_t>(max_number) + 1);
    for (std::size_t b = 0; b < body_.size(); ++b) {
      const std::string& s = body_[b].text;
      for (std::size_t i = 0; i < s.size();) {
        if (!is_digit(s[i])) {
          ++i;
          continue;
        }
        std::size_t end = i;
        while (end < s.size() && is_digit(s[end])) ++end;
        const bool glued = i > 0 && [&] {
          const char32_t before = last_cp(std::string_view(s).substr(0, i));
          return is_wide(before) && !is_opening(before);
        }();
        std::size_t after = end;
        while (after < s.size() && is_blank_byte(s[after])) ++after;
        if (glued && end - i <= 3 && (after > end || end == s.size())) {
          const int value = std::stoi(s.substr(i, end - i));
          if (value >= 1 && value <= max_number)
            by_number[static_cast<std::size_t>(value)].push_back({b, i, after - i});
        }
        i = end;
      }
    }
    std::vector<Marker> found;
    std::pair<std::size_t, std::size_t> last{0, 0};
    bool have_last = false;
    for (const Footnote& note : doc_.footnotes) {
      const auto& candidates = by_number[static_cast<std::size_t>(note.number)];
      const auto it = std::find_if(
          std::lower_bound(candidates.begin(), candidates.end(), last,
                           [](const Marker& m, const auto& pos) {
                             return std::pair{m.body_index, m.offset} < pos;
                           }),
          candidates.end(), [&](const Marker& m) { return !have_last || std::pair{m.body_index, m.offset} > last; });
      // The marker is on the page the footnote is printed on, so before the footnote text.
      if (it == candidates.end() || body_[it->body_index].line > note.line) continue;
      found.push_back(*it);
      citations_.emplace_back(it->body_index, note.number);
      last = {it->body_index, it->offset};
      have_last = true;
    }
    for (auto m = found.rbegin(); m != found.rend(); ++m) body_[m->body_index].text.erase(m->offset, m->length);
  }

  // Pass 3: header block, headings, numbered paragraphs and items.
  void build_structure() {
    passage_of_line_.assign(body_.size(), 0);
    doc_.passages.push_back(Passage{});  // the header block, filled in at the end
    std::vector<std::size_t> header_lines;
    for (std::size_t b = 0; b < body_.size(); ++b) {
      const std::string_view t = body_[b].text;
      const int line = body_[b].line;
      if (in_header_ && !starts_body(t)) {
        header_lines.push_back(b);
        continue;
      }
      const bool complete = in_header_ || after_heading_ || text_complete_;
      // Lines of a heading map to the passage that follows it (in case they cite a footnote).
      std::size_t passage = doc_.passages.size();
      if (const auto h = parse_level1(t); h && complete) {
        open_section(*h, 1, line);
      } else if (const auto h2 = parse_level2(t); h2 && complete) {
        open_section(*h2, 2, line);
      } else if (after_heading_ && !parse_numbered(t) && !is_terminal(last_cp(t))) {
        join_into(doc_.sections.back().title, t);  // a long heading wrapped onto a second line
      } else if (const auto n = parse_numbered(t); n && n->number == expected_para_) {
        start_paragraph(*n, line);
        passage = doc_.passages.size() - 1;
      } else if (const auto item = parse_item(t); item && current_para_ > 0 && item->letter == next_item_) {
        start_item(*item, line);
        passage = doc_.passages.size() - 1;
      } else if (is_sub_heading(b)) {
        open_section(Heading{{}, t}, 3, line);
      } else {
        // Continuation text; text before any paragraph stays with the header block.
        if (doc_.passages.size() == 1) {
          header_lines.push_back(b);
        } else {
          Passage& p = doc_.passages.back();
          join_into(p.text, t);
          p.last_line = line;
        }
        passage = doc_.passages.size() - 1;
        text_complete_ = is_terminal(last_cp(t));
        after_heading_ = false;
      }
      passage_of_line_[b] = passage;
    }
    finish_header(header_lines);
  }

  // An unlettered sub-heading ("世界菌种收集联合会"): a short line without punctuation, standing
  // alone after a completed paragraph and directly followed by the next numbered paragraph.
  bool is_sub_heading(std::size_t b) const {
    const std::string_view t = body_[b].text;
    if (doc_.passages.size() == 1 || !text_complete_ || after_heading_ || cp_count(t) > 30) return false;
    const char32_t last = last_cp(t);
    if (is_terminal(last) || last == U'，' || last == U'、' || last == U',' ||
        t.find("。") != std::string_view::npos)
      return false;
    if (b + 1 >= body_.size()) return false;
    const auto next = parse_numbered(body_[b + 1].text);
    return next && next->number == expected_para_;
  }

  void open_section(const Heading& h, int level, int line) {
    in_header_ = false;
    while (!open_sections_.empty() && doc_.sections[open_sections_.back()].level >= level) open_sections_.pop_back();
    open_sections_.push_back(doc_.sections.size());
    doc_.sections.push_back(Section{std::string(h.label), std::string(h.title), level, line, doc_.passages.size()});
    current_para_ = 0;
    after_heading_ = level < 3;  // only level-1/2 headings wrap onto a second line
    text_complete_ = true;
  }

  Passage new_passage(int line) const {
    Passage p;
    for (std::size_t s : open_sections_) p.section_path.push_back(doc_.sections[s].heading());
    p.first_line = p.last_line = line;
    return p;
  }

  void start_paragraph(const Numbered& n, int line) {
    in_header_ = false;
    Passage p = new_passage(line);
    p.kind = PassageKind::paragraph;
    p.number = n.number;
    p.para = std::to_string(n.number);
    p.id = doc_.symbol + "#" + p.para;
    p.text = std::string(n.rest);
    doc_.passages.push_back(std::move(p));
    current_para_ = n.number;
    ++expected_para_;
    next_item_ = 'a';
    after_heading_ = false;
    text_complete_ = !n.rest.empty() && is_terminal(last_cp(n.rest));
  }

  void start_item(const Item& item, int line) {
    Passage p = new_passage(line);
    p.kind = PassageKind::item;
    p.number = current_para_;
    p.item = std::string(1, item.letter);
    p.para = std::to_string(current_para_) + "(" + p.item + ")";
    p.id = doc_.symbol + "#" + p.para;
    p.text = std::string(item.rest);
    doc_.passages.push_back(std::move(p));
    ++next_item_;
    after_heading_ = false;
    text_complete_ = !item.rest.empty() && is_terminal(last_cp(item.rest));
  }

  void finish_header(const std::vector<std::size_t>& header_lines) {
    std::vector<std::string_view> texts;
    std::optional<std::size_t> symbol_index;
    for (std::size_t k = 0; k < header_lines.size(); ++k) {
      if (header_lines[k] == header_symbol_) symbol_index = k;
      texts.push_back(body_[header_lines[k]].text);
    }
    HeaderBlock block = read_header(texts, symbol_index);
    Passage& p = doc_.passages.front();
    p.kind = PassageKind::header;
    p.para = "header";
    p.id = doc_.symbol + "#header";
    for (std::size_t k = 0; k < block.lines.size(); ++k) {
      if (k > 0) p.text += '\n';
      p.text += block.lines[k];
    }
    if (!header_lines.empty()) {
      p.first_line = body_[header_lines.front()].line;
      p.last_line = body_[header_lines.back()].line;
    }
    for (std::size_t b : header_lines) passage_of_line_[b] = 0;
    doc_.header = std::move(block.info);
  }

  std::string_view text_;
  const ParseOptions& options_;
  Document doc_;
  std::vector<std::string_view> lines_;
  std::vector<BodyLine> body_;
  std::optional<std::size_t> header_symbol_;  // index in body_ of the symbol printed in the header
  std::string printed_symbol_;                // the symbol as found in the header or running headers
  std::vector<std::pair<std::size_t, int>> citations_;  // body line index, footnote number
  std::vector<std::size_t> passage_of_line_;            // body line index -> passage index

  // Structure state.
  bool in_header_ = true;
  bool after_heading_ = false;   // the last thing seen was a level-1/2 heading
  bool text_complete_ = false;   // the last text line ended a sentence or a lead-in
  int expected_para_ = 1;
  int current_para_ = 0;         // open numbered paragraph, 0 after a heading
  char next_item_ = 'a';
  std::vector<std::size_t> open_sections_;  // indices in doc_.sections, outermost first
};

}  // namespace

bool looks_like_symbol(std::string_view s) {
  s = trim(s);
  std::size_t parts = 0;
  for (std::size_t start = 0; start <= s.size(); ++parts) {
    std::size_t end = s.find('/', start);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view part = s.substr(start, end - start);
    if (part.empty()) return false;
    for (char c : part) {
      const bool upper = c >= 'A' && c <= 'Z';
      const bool ok = upper || (c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '-';
      if (!ok || (parts == 0 && !upper)) return false;
    }
    start = end + 1;
  }
  return parts >= 3;
}

Expected<Document> parse_document(std::string_view text, const ParseOptions& options) {
  return Parser(text, options).run();
}

}  // namespace treaty
