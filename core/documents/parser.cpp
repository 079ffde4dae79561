#include "core/documents/parser.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/base/utf8.h"
#include "core/documents/parser_lines.h"

namespace treaty {

// Characters, line patterns and header fields: the pieces this parser is made of.
using namespace parser_lines;

namespace {

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
