#include "core/documents/parser.h"

#include "core/documents/language.h"

#include <algorithm>
#include <map>
#include <set>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/base/utf8.h"
#include "core/documents/parser_lines.h"
#include "core/documents/page_layout.h"
#include "core/documents/source_lines.h"
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

  // Reads the text into the lines the structure builder takes. Errors: as parse_document's.
  Expected<SourceLines> run() {
    if (text_.empty()) return fail("empty document", options_.source_name);
    std::size_t bad = 0;
    if (!valid_utf8(text_, &bad))
      return fail("invalid UTF-8 (the file must be UTF-8 text)", options_.source_name, line_of_offset(text_, bad));
    if (trim(text_).empty()) return fail("empty document", options_.source_name);

    split_lines();
    find_symbol();
    scan_lines();
    remove_markers();
    out_.printed_symbol = printed_symbol_;
    out_.header_symbol = header_symbol_;
    out_.body = std::move(body_);
    return std::move(out_);
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
    area_first = out_.footnotes.size();
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
    std::stable_sort(out_.footnotes.begin(), out_.footnotes.end(),
                     [](const Footnote& a, const Footnote& b) { return a.number < b.number; });
  }

  // In a footnote area: the next footnote ("N text", or the cover's "* text"; indented or not),
  // or a continuation of the last one (a page starts with an indented line; until then every
  // line belongs to the footnotes). False: the line is body text.
  bool add_to_notes(std::string_view t, bool indented, std::size_t area_first, int line_no) {
    if (t.starts_with("*") && !has_cover_note_ && t.size() > 1) {
      has_cover_note_ = true;
      out_.footnotes.push_back({0, std::string(trim(t.substr(1))), {}, line_no});
      return true;
    }
    if (const auto start = parse_footnote_start(t); start && start->number == last_number_ + 1) {
      last_number_ = start->number;
      out_.footnotes.push_back({start->number, std::string(start->rest), {}, line_no});
      return true;
    }
    if (!indented && out_.footnotes.size() > area_first) {
      add_to_last_footnote(t, area_first);
      return true;
    }
    return false;
  }

  // A footnote continuation line, or a bare URL repeating a URL of a footnote in the same area
  // (a PDF link annotation), which is kept with that footnote.
  void add_to_last_footnote(std::string_view t, std::size_t area_first) {
    if (is_url(t)) {
      for (std::size_t k = out_.footnotes.size(); k-- > area_first;)
        if (out_.footnotes[k].text.find(t) != std::string::npos) {
          out_.footnotes[k].links.emplace_back(t);
          return;
        }
    }
    join_into(out_.footnotes.back().text, t);
  }

  // Pass 2: finds each footnote's marker (its number glued after a Han character or CJK
  // punctuation, before a space or the line end), in order, removes it and records the citation.
  // CJK punctuation at s[i] that may follow a footnote marker.
  static bool is_marker_follower(std::string_view s, std::size_t i) {
    for (std::string_view p : {"，", "。", "；", "：", "、", "）"})
      if (s.substr(i).starts_with(p)) return true;
    return false;
  }

  // A unit a number counts or measures, at s[i] ("1个", "3年", "2项"): the number is no marker.
  static bool counts_next(std::string_view s, std::size_t i) {
    for (std::string_view u : {"个", "年", "月", "日", "段", "项", "次", "号", "条", "款", "名", "份", "种", "届", "位",
                               "页", "章", "节", "%", "％", "倍", "人", "天", "周", "万", "亿", "千", "百", "国", "家",
                               "类", "批", "轮", "期", "岁", "时", "分", "点", "册", "卷", "篇", "处", "部", "级"})
      if (s.substr(i).starts_with(u)) return true;
    return false;
  }

  // The source line of the first footnote rule after `line`, or past the end.
  int next_rule_after(int line) const {
    const auto it = std::upper_bound(rule_lines_.begin(), rule_lines_.end(), line);
    return it == rule_lines_.end() ? static_cast<int>(lines_.size()) + 1 : *it;
  }

  void remove_markers() {
    if (out_.footnotes.empty()) return;
    const int max_number = out_.footnotes.back().number;
    struct Marker {
      std::size_t body_index, offset, length;
    };
    std::vector<std::vector<Marker>> by_number(static_cast<std::size_t>(max_number) + 1);
    std::vector<std::vector<Marker>> weak_by_number(static_cast<std::size_t>(max_number) + 1);
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
        // Glued on both sides too ("报告4指出", "。3随着"), unless the number counts what follows
        // ("1个国家") or is an ordinal ("第1段"): such a marker is only taken when no spaced one
        // is found.
        const bool weak = !closed && glued && end - i <= 3 && after == end && !counts_next(s, end) &&
                          !std::string_view(s).substr(0, i).ends_with("第") &&
                          end < s.size() && [&] {
                            std::size_t k = end;
                            return is_wide(next_code_point(s, k));
                          }();
        if (glued && end - i <= 3 && (closed || weak)) {
          const int value = std::stoi(s.substr(i, end - i));
          if (value >= 1 && value <= max_number)
            (closed ? by_number : weak_by_number)[static_cast<std::size_t>(value)].push_back({b, i, after - i});
        }
        i = end;
      }
    }
    std::vector<Marker> found;
    std::pair<std::size_t, std::size_t> last{0, 0};
    bool have_last = false;
    for (const Footnote& note : out_.footnotes) {
      if (note.number == 0) continue;  // the cover's "*": its mark stays in the text
      // The first candidate after the last marker found, on the page the footnote is printed on
      // (before the footnote text) or on the next page (before that page's footnote rule).
      const auto next_marker = [&](const std::vector<Marker>& candidates) -> const Marker* {
        const auto it = std::find_if(
            std::lower_bound(candidates.begin(), candidates.end(), last,
                             [](const Marker& m, const auto& pos) { return std::pair{m.body_index, m.offset} < pos; }),
            candidates.end(), [&](const Marker& m) { return !have_last || std::pair{m.body_index, m.offset} > last; });
        if (it == candidates.end() || body_[it->body_index].line > next_rule_after(note.line)) return nullptr;
        return &*it;
      };
      const Marker* it = next_marker(by_number[static_cast<std::size_t>(note.number)]);
      if (it == nullptr) it = next_marker(weak_by_number[static_cast<std::size_t>(note.number)]);
      if (it == nullptr) continue;
      found.push_back(*it);
      out_.citations.emplace_back(it->body_index, note.number);
      last = {it->body_index, it->offset};
      have_last = true;
    }
    for (auto m = found.rbegin(); m != found.rend(); ++m) body_[m->body_index].text.erase(m->offset, m->length);
  }

  std::string_view text_;
  const ParseOptions& options_;
  SourceLines out_;
  std::vector<std::string_view> lines_;
  std::vector<BodyLine> body_;
  std::optional<std::size_t> header_symbol_;  // index in body_ of the symbol printed in the header
  std::string printed_symbol_;                // the symbol as found in the header or running headers
  std::string_view given_ = trim(options_.symbol);  // the symbol passed in the options
  bool has_cover_note_ = false;               // the cover's "*" footnote was read
  int last_number_ = 0;                       // the last numbered footnote read
  std::vector<int> rule_lines_;               // source lines of footnote rules, in order

};

// Footnotes no marker was found for: each becomes a passage of its own ("21/note-3"), right after
// the passage of the last body line before it (the nearest paragraph), with a warning, so that
// its text is searchable.
void keep_unplaced_footnotes(Document& doc, const std::vector<structure::BodyLine>& body,
                             const std::vector<std::size_t>& passage_of_line, const std::set<int>& cited) {
  std::vector<std::pair<std::size_t, const Footnote*>> placed;  // insert after passage index
  for (const Footnote& f : doc.footnotes) {
    if (f.number == 0 || cited.count(f.number) != 0) continue;
    std::size_t nearest = 0;
    for (std::size_t b = 0; b < body.size() && body[b].line < f.line; ++b) nearest = passage_of_line[b];
    placed.emplace_back(std::min(nearest, doc.passages.size() - 1), &f);
  }
  for (auto it = placed.rbegin(); it != placed.rend(); ++it) {
    const Passage& near = doc.passages[it->first];
    Passage p;
    p.kind = PassageKind::footnote;
    p.para = near.para + "/note-" + std::to_string(it->second->number);
    p.id = doc.symbol + "#" + p.para;
    p.number = near.number;
    p.text = it->second->text;
    p.section_path = near.section_path;
    p.footnotes = {it->second->number};
    p.first_line = p.last_line = it->second->line;
    doc.warnings.push_back({it->second->line,
                            "footnote " + std::to_string(it->second->number) +
                                ": no marker found in the text; kept as passage " + p.para,
                            it->second->page});
    doc.passages.insert(doc.passages.begin() + static_cast<std::ptrdiff_t>(it->first) + 1, std::move(p));
  }
}

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

Expected<Document> assemble_document(SourceLines lines, const ParseOptions& options) {
  Document doc;
  doc.symbol = std::string(trim(options.symbol));
  if (doc.symbol.empty()) doc.symbol = lines.printed_symbol;
  if (doc.symbol.empty())
    return fail("no document symbol found in the header or the running headers; pass it with --symbol",
                options.source_name);
  doc.source = options.source_name;
  doc.footnotes = std::move(lines.footnotes);
  doc.warnings = std::move(lines.warnings);
  doc.pages = std::move(lines.pages);
  const std::vector<std::size_t> passage_of_line = structure::build(doc, lines.body, lines.header_symbol);
  // The cover's "*" footnote is cited by the header block (its mark stays in the text).
  if (!doc.footnotes.empty() && doc.footnotes.front().number == 0) doc.passages.front().footnotes.push_back(0);
  std::set<int> cited;
  for (const auto& [body_index, number] : lines.citations) {
    const std::size_t p = passage_of_line[body_index];
    if (p < doc.passages.size()) {
      doc.passages[p].footnotes.push_back(number);
      cited.insert(number);
    }
  }
  keep_unplaced_footnotes(doc, lines.body, passage_of_line, cited);
  // Warnings in source order, each with its page where the source has pages.
  std::map<int, int> page_of_line;
  for (const structure::BodyLine& b : lines.body)
    if (b.page > 0) page_of_line[b.line] = b.page;
  for (ParseWarning& w : doc.warnings)
    if (w.page == 0 && !page_of_line.empty()) {
      auto it = page_of_line.upper_bound(w.line);
      if (it != page_of_line.begin()) w.page = std::prev(it)->second;
    }
  // The language, told once here (document_facts() reads it for every passage).
  doc.language = options.lang.empty() ? document_language(doc) : options.lang;
  std::size_t text_bytes = 0;
  for (const Passage& p : doc.passages) text_bytes += p.text.size();
  if (doc.language.empty() && text_bytes >= 1000)
    doc.warnings.push_back({1, "the document's language cannot be told from its text (indexed as zh); give it with --lang"});
  std::stable_sort(doc.warnings.begin(), doc.warnings.end(),
                   [](const ParseWarning& a, const ParseWarning& b) { return a.line < b.line; });
  return doc;
}

Expected<Document> parse_document(std::string_view text, const ParseOptions& options) {
  if (is_page_model_text(text)) {
    auto model = parse_page_model_text(text, options.source_name);
    if (!model) return std::unexpected(model.error());
    return parse_pages(*model, options);
  }
  std::vector<std::string_view> words;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t end = std::min(text.find_first_of(" \t\n\r", i), text.size());
    if (end > i) words.push_back(text.substr(i, end - i));
    i = end + 1;
  }
  if (auto scrambled = scrambled_arabic(words)) return fail(*scrambled, options.source_name);
  auto lines = Parser(text, options).run();
  if (!lines) return std::unexpected(lines.error());
  return assemble_document(std::move(*lines), options);
}

Expected<Document> parse_pages(const PageModel& model, const ParseOptions& options) {
  std::vector<std::string_view> words;
  for (const PageBoxes& page : model.pages)
    for (const TextBox& box : page.boxes) words.emplace_back(box.text);
  if (auto scrambled = scrambled_arabic(words)) return fail(*scrambled, options.source_name);
  return assemble_document(lay_out_pages(model), options);
}

}  // namespace treaty
