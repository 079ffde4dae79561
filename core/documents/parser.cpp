#include "core/documents/parser.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/base/utf8.h"
#include "core/documents/parser_lines.h"
#include "core/documents/structure.h"

namespace treaty {

// Characters, line patterns and header fields: the pieces this parser is made of.
using namespace parser_lines;

namespace {

// ---------------------------------------------------------------- the parser

using structure::BodyLine;

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
    find_symbol();
    scan_lines();
    doc_.symbol = std::string(trim(options_.symbol));
    if (doc_.symbol.empty()) doc_.symbol = printed_symbol_;
    if (doc_.symbol.empty())
      return fail("no document symbol found in the header or the running headers; pass it with --symbol",
                  options_.source_name);
    doc_.source = options_.source_name;
    remove_markers();
    passage_of_line_ = structure::build(doc_, body_, header_symbol_);
    // The cover's "*" footnote is cited by the header block (its mark stays in the text).
    if (!doc_.footnotes.empty() && doc_.footnotes.front().number == 0) doc_.passages.front().footnotes.push_back(0);
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
      std::string_view line = text_.substr(start, end - start);
      // A form feed starts a page; a carriage return ends a line. Neither is text.
      while (!line.empty() && (line.front() == '\f' || line.back() == '\r')) {
        if (line.front() == '\f') line.remove_prefix(1);
        else line.remove_suffix(1);
      }
      lines_.push_back(line);
      start = end + 1;
    }
  }

  // The document's symbol as printed: the first line that is a symbol (the cover's, or the
  // first running header when the extract has no cover).
  void find_symbol() {
    for (std::string_view raw : lines_)
      if (const std::string_view t = trim(raw); looks_like_symbol(t)) {
        printed_symbol_ = std::string(t);
        return;
      }
  }

  // True if the next non-blank line after `i` is a page label (so line `i` is a running header).
  bool page_label_follows(std::size_t i) const {
    for (std::size_t j = i + 1; j < lines_.size() && j <= i + 8; ++j) {
      const std::string_view t = trim(lines_[j]);
      if (!t.empty()) return is_page_label(t);
    }
    return false;
  }

  // A running header: the document's symbol (as printed or as given) on a line of its own.
  bool is_running_header(std::string_view t) const {
    return (!printed_symbol_.empty() && t == printed_symbol_) || (!given_.empty() && t == given_);
  }

  // `t` without a running header glued to its end ("…执行工作。CBD/NP/MOP/3/4"), or `t`.
  std::string_view without_glued_header(std::string_view t) const {
    for (std::string_view symbol : {std::string_view(printed_symbol_), given_})
      if (!symbol.empty() && t.size() > symbol.size() && t.ends_with(symbol)) {
        const std::string_view before = t.substr(0, t.size() - symbol.size());
        // Glued to text, not part of a longer symbol or a citation ("见 CBD/NP/MOP/3/4").
        const char32_t end = last_cp(before);
        if (is_wide(end)) return trim(before);
      }
    return t;
  }

  void start_notes(std::size_t& area_first, int line_no) {
    area_first = doc_.footnotes.size();
    rule_lines_.push_back(line_no);
  }

  // Pass 1: drops running headers (alone or glued to a line's end), page labels, form feeds and
  // layout lines, collects footnote areas (after a rule: blank, underscores or dashes), and keeps
  // everything else as body lines.
  void scan_lines() {
    bool header_done = false;
    bool in_notes = false;          // inside a footnote area (after a rule)
    std::size_t area_first = 0;     // index of the first footnote of the current area
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      const std::string_view raw = lines_[i];
      std::string_view t = trim(raw);
      const int line_no = static_cast<int>(i) + 1;
      if (t.empty()) {
        if (blank_width(raw) >= 20) {  // the blank rule above the footnotes of a page
          start_notes(area_first, line_no);
          in_notes = true;
        }
        continue;
      }
      if (is_rule(t)) {
        start_notes(area_first, line_no);
        in_notes = true;
        continue;
      }
      if (is_page_label(t)) {
        in_notes = false;
        continue;
      }
      if (looks_like_symbol(t)) {
        if (!header_done && !header_symbol_ && !page_label_follows(i)) {
          // The symbol printed in the header block is header text, not a running header.
          header_symbol_ = body_.size();
          body_.push_back({line_no, std::string(t)});
          continue;
        }
        if (is_running_header(t)) {
          in_notes = false;
          continue;
        }
      }
      if (in_notes && add_to_notes(t, space_length(raw, 0) > 0, area_first, line_no)) continue;
      in_notes = false;
      // A running header glued to the end of the page's last line: the page ends there.
      if (const std::string_view rest = without_glued_header(t); rest.size() != t.size()) t = rest;
      if (!header_done && starts_body(t)) header_done = true;
      body_.push_back({line_no, std::string(t)});
    }
    // The cover's "*" footnote first, then 1, 2, ...
    std::stable_sort(doc_.footnotes.begin(), doc_.footnotes.end(),
                     [](const Footnote& a, const Footnote& b) { return a.number < b.number; });
  }

  // In a footnote area: the next footnote ("N text", or the cover's "* text"; indented or not),
  // or a continuation of the last one (a page starts with an indented line; until then every
  // line belongs to the footnotes). False: the line is body text.
  bool add_to_notes(std::string_view t, bool indented, std::size_t area_first, int line_no) {
    if (t.starts_with("*") && !has_cover_note_ && t.size() > 1) {
      has_cover_note_ = true;
      doc_.footnotes.push_back({0, std::string(trim(t.substr(1))), {}, line_no});
      return true;
    }
    if (const auto start = parse_footnote_start(t); start && start->number == last_number_ + 1) {
      last_number_ = start->number;
      doc_.footnotes.push_back({start->number, std::string(start->rest), {}, line_no});
      return true;
    }
    if (!indented && doc_.footnotes.size() > area_first) {
      add_to_last_footnote(t, area_first);
      return true;
    }
    return false;
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
  // CJK punctuation at s[i] that may follow a footnote marker.
  static bool is_marker_follower(std::string_view s, std::size_t i) {
    for (std::string_view p : {"，", "。", "；", "：", "、", "）"})
      if (s.substr(i).starts_with(p)) return true;
    return false;
  }

  // The source line of the first footnote rule after `line`, or past the end.
  int next_rule_after(int line) const {
    const auto it = std::upper_bound(rule_lines_.begin(), rule_lines_.end(), line);
    return it == rule_lines_.end() ? static_cast<int>(lines_.size()) + 1 : *it;
  }

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
        // A marker is followed by a space, the line end, or punctuation ("研究1，同时").
        const bool closed = after > end || end == s.size() || is_marker_follower(s, end);
        if (glued && end - i <= 3 && closed) {
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
      if (note.number == 0) continue;  // the cover's "*": its mark stays in the text
      const auto& candidates = by_number[static_cast<std::size_t>(note.number)];
      const auto it = std::find_if(
          std::lower_bound(candidates.begin(), candidates.end(), last,
                           [](const Marker& m, const auto& pos) {
                             return std::pair{m.body_index, m.offset} < pos;
                           }),
          candidates.end(), [&](const Marker& m) { return !have_last || std::pair{m.body_index, m.offset} > last; });
      // The marker is on the page the footnote is printed on (before the footnote text), or on
      // the next page (before that page's footnote rule).
      if (it == candidates.end() || body_[it->body_index].line > next_rule_after(note.line)) continue;
      found.push_back(*it);
      citations_.emplace_back(it->body_index, note.number);
      last = {it->body_index, it->offset};
      have_last = true;
    }
    for (auto m = found.rbegin(); m != found.rend(); ++m) body_[m->body_index].text.erase(m->offset, m->length);
  }

  std::string_view text_;
  const ParseOptions& options_;
  Document doc_;
  std::vector<std::string_view> lines_;
  std::vector<BodyLine> body_;
  std::optional<std::size_t> header_symbol_;  // index in body_ of the symbol printed in the header
  std::string printed_symbol_;                // the symbol as found in the header or running headers
  std::string_view given_ = trim(options_.symbol);  // the symbol passed in the options
  bool has_cover_note_ = false;               // the cover's "*" footnote was read
  int last_number_ = 0;                       // the last numbered footnote read
  std::vector<int> rule_lines_;               // source lines of footnote rules, in order
  std::vector<std::pair<std::size_t, int>> citations_;  // body line index, footnote number
  std::vector<std::size_t> passage_of_line_;            // body line index -> passage index

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
