// The line-level pieces of the document parser (parser.cpp): layout whitespace and code points,
// the rejoining of hard-wrapped lines, the patterns a trimmed line can match (page number, rule,
// numbered paragraph, item, heading, footnote start) and the fields of the header block.
// Internal to the documents layer; every `std::string_view` argument is valid UTF-8.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/documents/document.h"

namespace treaty::parser_lines {

// ---------------------------------------------------------------- characters

// Byte length of the layout whitespace at s[i] (ASCII blanks, U+00A0, U+3000, U+FEFF); 0 if none.
std::size_t space_length(std::string_view s, std::size_t i);

// `s` without leading and trailing layout whitespace.
std::string_view trim(std::string_view s);

// Number of whitespace characters in `s`, or 0 if `s` holds anything else.
std::size_t blank_width(std::string_view s);

// The last code point of `s`; precondition: `s` is not empty.
char32_t last_cp(std::string_view s);

// Number of code points in `s`.
std::size_t cp_count(std::string_view s);

// Characters set without spaces around them: Han, CJK punctuation, full-width forms, Hangul,
// and the curly quotes / dashes / ellipsis Chinese text uses as its own punctuation.
bool is_wide(char32_t cp);

// Punctuation that ends a sentence or a lead-in: a line ending with it completes its text.
bool is_terminal(char32_t cp);

// Opening brackets and quotes: a number right after one ("（2014 年") is text, never a marker.
bool is_opening(char32_t cp);

// ASCII digit.
bool is_digit(char c);

// ASCII space or tab.
bool is_blank_byte(char c);

// Appends a hard-wrapped line to `out`: Chinese joins without a space, two Latin/digit
// sides keep one, except around a '/': a symbol or decision number wrapped at its slash
// ("第 67/" + "212 号", "UNEP/CBD/" + "COP/12") is one token again.
void join_into(std::string& out, std::string_view line);

// `lines` rejoined one after the other with join_into().
std::string join_all(const std::vector<std::string_view>& lines);

// ---------------------------------------------------------------- line patterns
// Each takes a trimmed line `t`; the views they return point into `t`.

// "Page 12": a page number.
bool is_page_number(std::string_view t);

// "______": the rule that ends a document (or draws a footnote separator).
bool is_underscore_rule(std::string_view t);

// A bare "http://" or "https://" address.
bool is_url(std::string_view t);

struct Numbered {
  int number = 0;
  std::string_view rest;
};

// "12. text" (also "12.text" before Chinese); not "1.5" or "2014 年".
std::optional<Numbered> parse_numbered(std::string_view t);

struct Item {
  char letter = 'a';
  std::string_view rest;
};

// "(b) text".
std::optional<Item> parse_item(std::string_view t);

struct Heading {
  std::string_view label;
  std::string_view title;
};

// "一.     导言" / "二、合作": Chinese numeral, '.' or '、', title; in the other versions
// "I.  Introduction" (a Roman numeral of I, V, X, '.', blank) and "أولاً - مقدمة" (an Arabic ordinal,
// '-' or '.').
std::optional<Heading> parse_level1(std::string_view t);

// "A. 粮食和农业植物遗传资源国际条约".
std::optional<Heading> parse_level2(std::string_view t);

// The header block ends at the first section heading, decision or annex heading, paragraph 1, or
// a line ending with "，" (the "作为…缔约方大会，" that opens a decision's text).
bool starts_body(std::string_view t);

struct FootnoteStart {
  int number = 0;
  std::string_view rest;
};

// "1  UNEP/CBD/NP/COP-MOP/1/INF/5。", "4 2013年 3月 25日-26日于日本东京。".
std::optional<FootnoteStart> parse_footnote_start(std::string_view t);

// A page label on a line of its own: "Page 3", "第 3 页", "- 3 -", "3/12".
bool is_page_label(std::string_view t);

// A footnote rule: three or more underscores, or five or more dashes ("-", "—", "－").
bool is_rule(std::string_view t);

// "(b) text", "（b） text", "(ii) text": a bracketed label of lower-case letters (ASCII or
// full-width brackets) and the text after it; also "b) text", "ii) text" (French and Spanish
// print no opening bracket), a blank after the ")". The label is "b" or "ii"; whether "i" is a
// letter or a Roman numeral is the caller's to decide.
struct Bracketed {
  std::string label;
  std::string_view rest;
};
std::optional<Bracketed> parse_bracketed(std::string_view t);

// 1 for "i", 2 for "ii", ... up to 39; 0 when `label` is not a lower-case Roman numeral.
int roman_value(std::string_view label);

// A decision heading: "NP-2/1. 标题", "XIII/26. 标题", "BS-VII/5. 标题", "14/8. 标题": the label
// ("NP-2/1") and the title.
std::optional<Heading> parse_decision_heading(std::string_view t);

// An annex heading: "附件", "附件一", "附件二" alone on its line (the title follows on the next
// lines), in the other versions "Annex I", "Annexe II", "Anexo", "Приложение I", "المرفق الأول".
// Its number: 1 for 附件, 附件一 and a bare "Annex", 2 for 附件二 and "Annex II"...
struct Annex {
  std::string_view label;
  int number = 1;
};
std::optional<Annex> parse_annex_heading(std::string_view t);

// A line opening an unnumbered preambular paragraph: 回顾, 又回顾, 认识到, 注意到, 铭记, 欢迎,
// 重申, 确认, 考虑到, 强调, 意识到 ... at its start; in the other languages their participles
// (Recalling, Noting, Rappelant, Recordando, Ссылаясь ...), capitalised, as a whole word.
bool starts_preamble(std::string_view t);


}  // namespace treaty::parser_lines
