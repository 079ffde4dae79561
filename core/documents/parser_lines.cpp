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
namespace {

// The value of an upper-case Roman numeral of I, V and X only, I to XXXIX; 0 otherwise. (L, C, D
// and M are left out: "C." and "D." are lettered headings far more often than sections 100, 500.)
int upper_roman_value(std::string_view label) {
  if (label.empty() || label.size() > 6) return 0;
  std::string lower;
  for (char c : label) {
    if (c != 'I' && c != 'V' && c != 'X') return 0;
    lower += static_cast<char>(c - 'A' + 'a');
  }
  return roman_value(lower);
}

// "I.   Introduction", "II. Ouverture de la réunion", "IV. Введение": a Roman numeral of the
// Latin-script and Cyrillic versions, '.', blank, title.
std::optional<Heading> parse_roman_level1(std::string_view t) {
  std::size_t i = 0;
  while (i < t.size() && (t[i] == 'I' || t[i] == 'V' || t[i] == 'X')) ++i;
  if (i == 0 || upper_roman_value(t.substr(0, i)) == 0) return std::nullopt;
  if (i + 2 > t.size() || t[i] != '.' || !is_blank_byte(t[i + 1])) return std::nullopt;
  const std::string_view title = trim(t.substr(i + 1));
  if (title.empty()) return std::nullopt;
  return Heading{t.substr(0, i), title};
}

// "أولاً - مقدمة", "ثانيا. افتتاح": an Arabic ordinal adverb (with or without its tanwin), then
// '-', '.' or '–', then the title.
std::optional<Heading> parse_arabic_level1(std::string_view t) {
  static constexpr std::string_view kOrdinals[] = {"أولا", "ثانيا", "ثالثا", "رابعا", "خامسا",
                                                   "سادسا", "سابعا", "ثامنا", "تاسعا", "عاشرا"};
  for (std::string_view o : kOrdinals) {
    if (!t.starts_with(o)) continue;
    std::size_t i = o.size();
    if (t.substr(i).starts_with("\u064B")) i += std::string_view("\u064B").size();  // tanwin fath
    std::string_view rest = trim(t.substr(i));
    bool separated = false;
    for (std::string_view sep : {"-", ".", "\u2013"})
      if (rest.starts_with(sep)) {
        rest = trim(rest.substr(sep.size()));
        separated = true;
        break;
      }
    if (!separated || rest.empty()) return std::nullopt;
    return Heading{t.substr(0, i), rest};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Heading> parse_level1(std::string_view t) {
  if (auto h = parse_roman_level1(t)) return h;
  if (auto h = parse_arabic_level1(t)) return h;
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

bool starts_body(std::string_view t) {
  if (parse_level1(t) || parse_level2(t) || parse_decision_heading(t) || parse_annex_heading(t)) return true;
  if (t.ends_with("，") && !t.starts_with("第")) return true;
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

bool is_page_label(std::string_view t) {
  if (is_page_number(t)) return true;
  std::size_t i = 0;
  // "第 3 页"
  if (t.starts_with("第")) {
    i = std::string_view("第").size();
    while (i < t.size() && t[i] == ' ') ++i;
    if (!leading_number(t, i, 4)) return false;
    while (i < t.size() && t[i] == ' ') ++i;
    return t.substr(i) == "页";
  }
  // "- 3 -"
  if (t.starts_with("-") && t.ends_with("-") && t.size() >= 3) {
    std::string_view inner = trim(t.substr(1, t.size() - 2));
    std::size_t k = 0;
    return leading_number(inner, k, 4) && k == inner.size();
  }
  // "3/12"
  const auto page = leading_number(t, i, 3);
  if (!page || i >= t.size() || t[i] != '/') return false;
  ++i;
  const auto of = leading_number(t, i, 3);
  return of && i == t.size() && *page >= 1 && *page <= *of;
}

bool is_rule(std::string_view t) {
  if (is_underscore_rule(t)) return true;
  std::size_t dashes = 0;
  for (std::size_t i = 0; i < t.size();) {
    const char32_t cp = next_code_point(t, i);
    if (cp != '-' && cp != U'—' && cp != U'－') return false;
    ++dashes;
  }
  return dashes >= 5;
}

std::optional<Bracketed> parse_bracketed(std::string_view t) {
  std::size_t i = 0;
  std::string_view close;
  if (t.starts_with("(")) {
    i = 1;
    close = ")";
  } else if (t.starts_with("（")) {
    i = std::string_view("（").size();
    close = "）";
  } else if (!t.empty() && t[0] >= 'a' && t[0] <= 'z') {
    close = ")";  // "a) texte", "ii) texto": French and Spanish print no opening bracket
  } else {
    return std::nullopt;
  }
  const bool open = i > 0;
  const std::size_t start = i;
  while (i < t.size() && t[i] >= 'a' && t[i] <= 'z' && i - start < 6) ++i;
  if (i == start || !t.substr(i).starts_with(close)) return std::nullopt;
  const std::string label(t.substr(start, i - start));
  i += close.size();
  // A label is followed by a space or the text; "(a)" inside a word is not an item ("27(b)").
  if (i < t.size() && !is_blank_byte(t[i]) && static_cast<unsigned char>(t[i]) < 0x80) return std::nullopt;
  // Without an opening bracket, only when a blank follows ("a) De tenir", not "a)b").
  if (!open && (i >= t.size() || !is_blank_byte(t[i]))) return std::nullopt;
  if (label.size() > 1 && roman_value(label) == 0) return std::nullopt;
  return Bracketed{label, trim(t.substr(i))};
}

int roman_value(std::string_view label) {
  static constexpr std::string_view kRoman[] = {"i",     "ii",   "iii",   "iv",   "v",     "vi",   "vii",
                                                "viii",  "ix",   "x",     "xi",   "xii",   "xiii", "xiv",
                                                "xv",    "xvi",  "xvii",  "xviii", "xix",  "xx"};
  for (std::size_t k = 0; k < std::size(kRoman); ++k)
    if (kRoman[k] == label) return static_cast<int>(k) + 1;
  return 0;
}

std::optional<Heading> parse_decision_heading(std::string_view t) {
  std::size_t i = 0;
  for (std::string_view body : {"NP-", "BS-", "CP-"})
    if (t.starts_with(body)) i = body.size();
  const std::size_t session_start = i;
  while (i < t.size() && (is_digit(t[i]) || t[i] == 'I' || t[i] == 'V' || t[i] == 'X' || t[i] == 'L')) ++i;
  if (i == session_start || i - session_start > 6 || i >= t.size() || t[i] != '/') return std::nullopt;
  ++i;
  const std::size_t number_start = i;
  while (i < t.size() && is_digit(t[i])) ++i;
  if (i == number_start || i - number_start > 3 || i >= t.size() || t[i] != '.') return std::nullopt;
  const std::string_view label = t.substr(0, i);
  const std::string_view title = trim(t.substr(i + 1));
  if (title.empty() || i + 1 >= t.size() || !is_blank_byte(t[i + 1])) return std::nullopt;
  return Heading{label, title};
}

namespace {

// "Annex", "ANNEX II", "Annexe I", "Anexo III", "Приложение I", "المرفق الثاني" alone on the line.
std::optional<Annex> parse_other_annex_heading(std::string_view t) {
  static constexpr std::string_view kWords[] = {"Annex", "ANNEX", "Annexe", "ANNEXE", "Anexo", "ANEXO",
                                                "Приложение", "ПРИЛОЖЕНИЕ", "المرفق"};
  static constexpr std::string_view kArabicOrdinals[] = {"الأول", "الثاني", "الثالث", "الرابع", "الخامس",
                                                         "السادس", "السابع", "الثامن", "التاسع", "العاشر"};
  for (std::string_view word : kWords) {
    if (!t.starts_with(word)) continue;
    const std::string_view rest = trim(t.substr(word.size()));
    if (rest.empty()) return Annex{t, 1};
    if (rest.size() == t.size() - word.size()) continue;  // "Annexe" read as "Annex" + "e", or "Annexed"
    if (const int n = upper_roman_value(rest)) return Annex{t, n};
    if (rest.size() <= 2 && std::all_of(rest.begin(), rest.end(), is_digit)) return Annex{t, std::stoi(std::string(rest))};
    for (std::size_t k = 0; k < std::size(kArabicOrdinals); ++k)
      if (rest == kArabicOrdinals[k]) return Annex{t, static_cast<int>(k) + 1};
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Annex> parse_annex_heading(std::string_view t) {
  if (auto a = parse_other_annex_heading(t)) return a;
  if (!t.starts_with("附件")) return std::nullopt;
  static constexpr std::string_view kNumerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  const std::string_view rest = t.substr(std::string_view("附件").size());
  if (rest.empty()) return Annex{t, 1};
  for (std::size_t k = 0; k < std::size(kNumerals); ++k)
    if (rest == kNumerals[k]) return Annex{t, static_cast<int>(k) + 1};
  return std::nullopt;
}

namespace {

// The participles that open preambular paragraphs of UN decisions in the other languages, as
// printed at a paragraph's start (capitalised; "Recalling also" starts with "Recalling").
constexpr std::string_view kOtherPreambleWords[] = {
    // English
    "Recalling", "Noting", "Recognizing", "Recognising", "Welcoming", "Acknowledging", "Emphasizing", "Stressing",
    "Reaffirming", "Bearing in mind", "Taking note", "Taking into account", "Concerned", "Aware", "Conscious",
    "Convinced", "Mindful", "Considering", "Expressing", "Appreciating", "Affirming", "Desiring",
    // French
    "Rappelant", "Notant", "Reconnaissant", "Se félicitant", "Prenant note", "Prenant acte", "Considérant",
    "Consciente", "Conscient", "Soulignant", "Réaffirmant", "Convaincue", "Convaincu", "Ayant à l'esprit",
    "Ayant à l’esprit", "Saluant", "Tenant compte", "Préoccupée", "Sachant",
    // Spanish
    "Recordando", "Observando", "Tomando nota", "Reconociendo", "Acogiendo", "Considerando", "Consciente",
    "Subrayando", "Destacando", "Reafirmando", "Convencida", "Teniendo presente", "Teniendo en cuenta",
    "Preocupada", "Celebrando",
    // Russian
    "Ссылаясь", "Отмечая", "Признавая", "Приветствуя", "Принимая к сведению", "Принимая во внимание", "Учитывая",
    "Сознавая", "Подчеркивая", "Подтверждая", "Будучи убеждена", "Памятуя", "Выражая"};

}  // namespace

bool starts_preamble(std::string_view t) {
  for (std::string_view w : kOtherPreambleWords)
    if (t.starts_with(w) && (t.size() == w.size() || t[w.size()] == ' ' || t[w.size()] == ','))
      return true;
  static constexpr std::string_view kVerbs[] = {
      "回顾", "忆及", "认识到", "注意到", "铭记", "欢迎", "重申", "确认", "考虑到", "强调", "意识到", "承认",
      "赞赏", "申明", "念及", "关切", "深为关切", "满意地注意到", "遗憾地注意到", "表示赞赏", "深信", "希望"};
  for (std::string_view adverb : {"", "又", "还", "并"}) {
    if (!t.starts_with(adverb)) continue;
    const std::string_view rest = t.substr(adverb.size());
    for (std::string_view verb : kVerbs)
      if (rest.starts_with(verb)) return true;
  }
  return false;
}

}  // namespace treaty::parser_lines
