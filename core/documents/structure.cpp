#include "core/documents/structure.h"

#include <map>
#include <string_view>
#include <utility>

#include "core/documents/cover.h"
#include "core/documents/parser_lines.h"

namespace treaty::structure {
namespace {

using namespace parser_lines;

// Where paragraph numbering runs: the body, an annex or one decision of a decision document.
struct Scope {
  std::string prefix;         // "", "annex-1/", "NP-2/1/": the start of its passages' para
  int expected = 1;           // the next paragraph number
  int current = 0;            // the last numbered paragraph; 0 before the first
  int unnumbered = 0;         // unnumbered paragraphs so far
  std::map<int, int> times;   // paragraph number -> paragraphs printed with it
};

std::string roman_name(int value) {
  static constexpr std::string_view kOnes[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"};
  std::string out;
  for (int tens = value / 10; tens > 0; --tens) out += 'x';
  out += kOnes[value % 10];
  return out;
}

class Builder {
 public:
  Builder(Document& doc, const std::vector<BodyLine>& body, std::optional<std::size_t> header_symbol)
      : doc_(doc), body_(body), header_symbol_(header_symbol) {}

  std::vector<std::size_t> run() {
    passage_of_line_.assign(body_.size(), 0);
    doc_.passages.push_back(Passage{});  // the header block, filled in at the end
    std::vector<std::size_t> header_lines;
    for (std::size_t b = 0; b < body_.size(); ++b) {
      if (body_[b].table > 0) {
        passage_of_line_[b] = table_row(body_[b]);
        continue;
      }
      if (in_header_ && !starts_body(body_[b].text)) {
        header_lines.push_back(b);
        continue;
      }
      passage_of_line_[b] = classify(b);
      prev_end_ = last_cp(body_[b].text);
    }
    finish_header(header_lines);
    return std::move(passage_of_line_);
  }

 private:
  // Reads body line `b` after the header block; returns the passage it belongs to.
  std::size_t classify(std::size_t b) {
    const std::string_view t = body_[b].text;
    const int line = body_[b].line;
    const bool complete = in_header_ || after_heading_ || text_complete_;
    const std::size_t next = doc_.passages.size();  // a heading's lines belong to the passage after it
    if (complete && open_heading(t, line)) return next;
    if (after_heading_ && heading_may_wrap() && !parse_numbered(t) && !starts_preamble(t) &&
        !is_terminal(last_cp(t)) && !t.ends_with("，")) {
      join_into(doc_.sections.back().title, t);  // a long heading wrapped onto a further line
      return next;
    }
    if (const auto n = parse_numbered(t); n && numbered_paragraph(*n, complete, line)) return last();
    if (const auto br = parse_bracketed(t); br && para_open_ && item(*br, b, line)) return last();
    if (starts_preamble(t) && scope_.current == 0 &&
        (complete || prev_end_ == U'，' || prev_end_ == U'；' || prev_end_ == U',' || prev_end_ == U';')) {
      start_paragraph(std::nullopt, t, line);
      return last();
    }
    if (is_sub_heading(b)) {
      open_section(Heading{{}, t}, 3, line, false);
      return next;
    }
    if (in_header_ || after_heading_ || !para_open_) {
      // Text that opens a section's body or follows the cover without a number.
      start_paragraph(std::nullopt, t, line);
      return last();
    }
    Passage& p = doc_.passages.back();
    join_into(p.text, t);
    p.last_line = line;
    text_complete_ = is_terminal(last_cp(t));
    after_heading_ = false;
    return last();
  }

  std::size_t last() const { return doc_.passages.size() - 1; }

  // A data row of a table: a passage of its own in the current section; the paragraph before
  // the table takes no further items or continuation lines.
  std::size_t table_row(const BodyLine& line) {
    in_header_ = false;
    Passage p = new_passage(line.line);
    p.kind = PassageKind::table_row;
    p.para = "table-" + std::to_string(line.table) + "/row-" + std::to_string(line.row);
    p.id = doc_.symbol + "#" + p.para;
    p.number = scope_.current;
    p.text = line.text;
    doc_.passages.push_back(std::move(p));
    para_open_ = false;
    after_heading_ = false;
    text_complete_ = true;
    return last();
  }

  // The last heading may continue on the next line: an annex heading (its title follows) or a
  // heading long enough to have been wrapped. A short heading is followed by a sub-heading.
  bool heading_may_wrap() const {
    const Section& s = doc_.sections.back();
    return s.title.empty() || cp_count(s.heading()) >= 18;
  }

  // Numbering restarts: a decision or an annex.
  void open_scope(std::string prefix) {
    scope_ = Scope{};
    scope_.prefix = std::move(prefix);
  }

  // Decision, annex, level-1 and level-2 headings; true if `t` is one. A decision (or
  // recommendation) inside an annex — a report's annex holding what the meeting adopted, a note's
  // annex holding draft decisions — is a section of the annex, one level down, and so are its own
  // lettered sub-headings; its paragraphs are numbered by its label all the same ("4/1/3").
  bool open_heading(std::string_view t, int line) {
    if (const auto d = parse_decision_heading(t)) {
      open_scope(std::string(d->label) + "/");
      decision_in_annex_ = in_annex_;
      open_section(*d, decision_in_annex_ ? 2 : 1, line, true);
      return true;
    }
    if (const auto a = parse_annex_heading(t)) {
      open_scope("annex-" + std::to_string(a->number) + "/");
      last_letter_ = 0;
      open_section(Heading{a->label, {}}, 1, line, true);
      in_annex_ = true;
      decision_in_annex_ = false;
      return true;
    }
    // "I." is section I, unless the lettered headings before it reached H (and "V." after U,
    // "X." after W).
    const auto h2 = parse_level2(t);
    const bool next_letter = h2 && last_letter_ != 0 && h2->label[0] == last_letter_ + 1;
    if (const auto h = next_letter ? std::nullopt : parse_level1(t)) {
      open_section(*h, 1, line, true);
      in_annex_ = decision_in_annex_ = false;
      last_letter_ = 0;
      return true;
    }
    if (h2) {
      open_section(*h2, decision_in_annex_ ? 3 : 2, line, true);
      lettered_heading_ = true;
      last_letter_ = h2->label[0];
      return true;
    }
    return false;
  }

  // "N. text": the next paragraph; after a completed text also a number past a gap of one or
  // two or the number just used (both kept as printed, with a warning). False: it is text — a
  // wider jump is more often a number that a line wrap put at a line start ("2." then "7. 你…"
  // inside the text of 2, with 3 to follow) than paragraphs missing from a document.
  bool numbered_paragraph(const Numbered& n, bool complete, int line) {
    if (n.number != scope_.expected) {
      if (!complete || in_header_ || scope_.current == 0) return false;
      if (n.number > scope_.expected && n.number <= scope_.expected + 2) {
        warn(line, "numbering gap: paragraph " + std::to_string(scope_.current) + " is followed by " +
                       std::to_string(n.number));
      } else if (n.number == scope_.current) {
        warn(line, "repeated paragraph number " + std::to_string(n.number) + " (kept as " +
                       std::to_string(n.number) + "[" + std::to_string(scope_.times[n.number] + 1) + "])");
      } else {
        return false;
      }
    }
    start_paragraph(n.number, n.rest, line);
    return true;
  }

  // "(b) text" under an open paragraph, or "(ii) text" under its lettered item. "(i)", "(v)",
  // "(x)" are read as the next letter unless the next bracketed line continues Roman numbering.
  bool item(const Bracketed& br, std::size_t b, int line) {
    const bool letter = br.label.size() == 1 && br.label[0] == next_item_;
    const int roman = roman_value(br.label);
    bool nested = current_item_ != 0 && roman == next_roman_;
    if (letter && nested) nested = next_label(b) == roman_name(roman + 1);
    if (nested) {
      start_item(br.label, br.rest, line, true);
      return true;
    }
    if (!letter) return false;
    start_item(br.label, br.rest, line, false);
    return true;
  }

  // The label of the next bracketed body line after `b`, or "".
  std::string next_label(std::size_t b) const {
    for (std::size_t k = b + 1; k < body_.size() && k <= b + 40; ++k)
      if (const auto br = parse_bracketed(body_[k].text)) return br->label;
    return {};
  }

  // An unlettered sub-heading ("世界菌种收集联合会"): a short line without punctuation, standing
  // alone after a completed paragraph (or a short lettered heading) and directly followed by the
  // next numbered paragraph.
  bool is_sub_heading(std::size_t b) const {
    const std::string_view t = body_[b].text;
    if (doc_.passages.size() == 1 || !text_complete_ || cp_count(t) > 30) return false;
    if (after_heading_ && (heading_may_wrap() || !lettered_heading_)) return false;
    const char32_t end = last_cp(t);
    if (is_terminal(end) || end == U'，' || end == U'、' || end == U',' || t.find("。") != std::string_view::npos)
      return false;
    if (b + 1 >= body_.size()) return false;
    const auto next = parse_numbered(body_[b + 1].text);
    return next && next->number == scope_.expected;
  }

  // Opens a section at `level`; `titled`: a numbered or lettered heading, which may wrap onto a
  // further line (an unlettered sub-heading does not).
  void open_section(const Heading& h, int level, int line, bool titled) {
    in_header_ = false;
    while (!open_sections_.empty() && doc_.sections[open_sections_.back()].level >= level) open_sections_.pop_back();
    open_sections_.push_back(doc_.sections.size());
    doc_.sections.push_back(Section{std::string(h.label), std::string(h.title), level, line, doc_.passages.size()});
    para_open_ = false;
    after_heading_ = titled;
    lettered_heading_ = false;
    text_complete_ = true;
  }

  Passage new_passage(int line) const {
    Passage p;
    for (std::size_t s : open_sections_) p.section_path.push_back(doc_.sections[s].heading());
    p.first_line = p.last_line = line;
    return p;
  }

  // A numbered paragraph, or without `number` an unnumbered one ("pre-K").
  void start_paragraph(std::optional<int> number, std::string_view rest, int line) {
    in_header_ = false;
    Passage p = new_passage(line);
    p.kind = PassageKind::paragraph;
    std::string base;
    if (number) {
      const int times = ++scope_.times[*number];
      base = std::to_string(*number) + (times > 1 ? "[" + std::to_string(times) + "]" : "");
      p.number = *number;
      scope_.current = *number;
      scope_.expected = *number + 1;
    } else {
      base = "pre-" + std::to_string(++scope_.unnumbered);
    }
    p.para = scope_.prefix + base;
    p.id = doc_.symbol + "#" + p.para;
    p.text = std::string(rest);
    paragraph_para_ = p.para;
    doc_.passages.push_back(std::move(p));
    para_open_ = true;
    next_item_ = 'a';
    current_item_ = 0;
    after_heading_ = false;
    text_complete_ = !rest.empty() && is_terminal(last_cp(rest));
  }

  // A lettered item of the open paragraph, or (`nested`) a Roman sub-item of its open item.
  void start_item(const std::string& label, std::string_view rest, int line, bool nested) {
    Passage p = new_passage(line);
    p.kind = PassageKind::item;
    p.number = scope_.current;
    if (nested) {
      p.item = std::string(1, current_item_);
      p.para = item_para_ + "(" + label + ")";
      ++next_roman_;
    } else {
      p.item = label;
      p.para = paragraph_para_ + "(" + label + ")";
      item_para_ = p.para;
      current_item_ = label[0];
      ++next_item_;
      next_roman_ = 1;
    }
    p.id = doc_.symbol + "#" + p.para;
    p.text = std::string(rest);
    doc_.passages.push_back(std::move(p));
    after_heading_ = false;
    text_complete_ = !rest.empty() && is_terminal(last_cp(rest));
  }

  void finish_header(const std::vector<std::size_t>& header_lines) {
    std::vector<std::string_view> texts;
    std::optional<std::size_t> symbol_index;
    for (std::size_t k = 0; k < header_lines.size(); ++k) {
      if (header_lines[k] == header_symbol_) symbol_index = k;
      texts.push_back(body_[header_lines[k]].text);
    }
    cover::HeaderBlock block = cover::read_header(texts, symbol_index);
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
    for (std::size_t k : block.unclassified)
      warn(body_[header_lines[k]].line, "cover line not recognised (kept in the header): " + std::string(texts[k]));
    doc_.header = std::move(block.info);
  }

  void warn(int line, std::string message) { doc_.warnings.push_back({line, std::move(message)}); }

  Document& doc_;
  const std::vector<BodyLine>& body_;
  std::optional<std::size_t> header_symbol_;
  std::vector<std::size_t> passage_of_line_;

  bool in_header_ = true;
  bool after_heading_ = false;  // the last thing seen was a numbered or lettered heading
  bool text_complete_ = false;  // the last text line ended a sentence or a lead-in
  bool para_open_ = false;      // a paragraph (numbered or not) is open for items
  char32_t prev_end_ = 0;       // last code point of the previous body line
  Scope scope_;
  std::string paragraph_para_;  // para of the open paragraph ("annex-1/4")
  std::string item_para_;       // para of the open lettered item ("annex-1/4(b)")
  char next_item_ = 'a';
  char current_item_ = 0;       // letter of the open item; 0: none
  int next_roman_ = 1;
  std::vector<std::size_t> open_sections_;  // indices in doc_.sections, outermost first
  bool in_annex_ = false;           // an annex heading opened the current level-1 section
  char last_letter_ = 0;            // label of the last lettered heading of this level-1 section
  bool decision_in_annex_ = false;  // the open decision is a section of that annex
  bool lettered_heading_ = false;   // the last heading was a lettered one ("A. 标题")
};

}  // namespace

std::vector<std::size_t> build(Document& doc, const std::vector<BodyLine>& body, std::optional<std::size_t> header_symbol) {
  return Builder(doc, body, header_symbol).run();
}

}  // namespace treaty::structure
