#include "core/documents/references.h"

#include "core/documents/document_facts.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <unordered_set>

namespace treaty {
namespace {

constexpr std::string_view kOrdinal = "第";
constexpr std::string_view kNumberMark = "号";

struct Suffix {
  std::string_view text;
  DecisionKind kind;
};
constexpr std::array<Suffix, 3> kSuffixes = {{
    {"决定", DecisionKind::cop_decision},
    {"建议", DecisionKind::recommendation},
    {"决议", DecisionKind::unga_resolution},
}};

// "第 X/1 号和第 X/2 号决定", "第 X/1、X/2 号决定": the kind comes from the last one.
constexpr std::array<std::string_view, 5> kListConnectors = {"和", "及", "与", "、", ","};

// Bounds the rescans after a chain that never reaches 号决定 (keeps scanning linear).
constexpr std::size_t kMaxListItems = 16;

constexpr int kMaxRoman = 39;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_letter(char c) { return is_upper(c) || is_lower(c); }
char to_upper(char c) { return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c; }
char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_roman_letter(char c) {
  const char u = to_upper(c);
  return u == 'I' || u == 'V' || u == 'X';
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

bool has_at(std::string_view s, std::size_t i, std::string_view lit) {
  return i <= s.size() && s.substr(i).starts_with(lit);
}

// A positive number of at most `max_digits` digits at s[i..]; advances i.
std::optional<int> read_number(std::string_view s, std::size_t& i, std::size_t max_digits) {
  std::size_t j = i;
  int value = 0;
  while (j < s.size() && is_digit(s[j]) && j - i < max_digits) value = value * 10 + (s[j++] - '0');
  if (j == i || (j < s.size() && is_digit(s[j])) || value == 0) return std::nullopt;
  i = j;
  return value;
}

struct Core {
  std::string body;  // from a prefix: "np" (NP-), "cp" (BS-, CP-); empty without one
  bool roman = false;
  int session = 0;
  int number = 0;
  std::string part;
  std::size_t end = 0;
};

// "NP-", "BS-", "CP-" (any case) at s[i]: the body it names, and advances i past it.
std::string read_body_prefix(std::string_view s, std::size_t& i) {
  if (i + 3 > s.size() || s[i + 2] != '-') return {};
  const std::string two{to_lower(s[i]), to_lower(s[i + 1])};
  if (two != "np" && two != "bs" && two != "cp") return {};
  i += 3;
  return two == "np" ? "np" : "cp";
}

// "XI/1 D", "11/1", "xi/1d", "67/212" at s[i] (spaces allowed around '/' and before the part).
// `whole` demands that nothing but spaces follows (for user filters).
std::optional<Core> read_core(std::string_view s, std::size_t i, bool whole) {
  Core core;
  core.body = read_body_prefix(s, i);
  if (i < s.size() && is_digit(s[i])) {
    const auto session = read_number(s, i, 3);
    if (!session) return std::nullopt;
    core.session = *session;
  } else {
    std::size_t j = i;
    while (j < s.size() && is_letter(s[j])) ++j;
    core.session = roman_to_int(s.substr(i, j - i));
    if (core.session == 0) return std::nullopt;
    core.roman = true;
    i = j;
  }
  i = skip_spaces(s, i);
  if (i >= s.size() || s[i] != '/') return std::nullopt;
  i = skip_spaces(s, i + 1);
  const auto number = read_number(s, i, 4);
  if (!number) return std::nullopt;
  core.number = *number;
  core.end = i;
  // A part is one letter standing alone: "XI/1 D", "XI/1D", but not "XI/1 Dec".
  const std::size_t p = skip_spaces(s, i);
  if (p < s.size() && is_letter(s[p]) && (p + 1 == s.size() || !is_letter(s[p + 1]))) {
    core.part = std::string(1, to_upper(s[p]));
    core.end = p + 1;
  }
  if (whole && skip_spaces(s, core.end) != s.size()) return std::nullopt;
  return core;
}

std::string session_number(int session, int number) {
  return std::to_string(session) + "/" + std::to_string(number);
}

// The recommending body named last in the sentence before s[start] ("附属履行机构在第 1/3 号建议中",
// "政府间委员会…第三次会议在其第 3/5 号建议"), or "".
std::string body_named_before(std::string_view s, std::size_t start) {
  static constexpr std::pair<std::string_view, std::string_view> kBodies[] = {
      {"附属履行机构", "sbi"}, {"履行问题附属机构", "sbi"}, {"执行问题附属机构", "sbi"}, {"sbi", "sbi"},
      {"科学、技术和工艺咨询附属机构", "sbstta"}, {"科咨机构", "sbstta"}, {"sbstta", "sbstta"},
      {"政府间委员会", "icnp"}, {"icnp", "icnp"}, {"8(j)", "wg8j"}};
  std::size_t from = start > 300 ? start - 300 : 0;
  std::string_view before = s.substr(from, start - from);
  for (std::string_view stop : {"。", "；"})
    if (const std::size_t at = before.rfind(stop); at != std::string_view::npos) before.remove_prefix(at + stop.size());
  std::string lower(before);
  for (char& c : lower) c = to_lower(c);
  std::size_t best = std::string::npos;
  std::string_view body;
  for (const auto& [name, id] : kBodies) {
    const std::size_t at = lower.rfind(name);
    if (at != std::string::npos && (best == std::string::npos || at > best)) {
      best = at;
      body = id;
    }
  }
  return std::string(body);
}

// The body of a reference of `kind` read with `prefix_body` (NP-, BS-, CP-; empty without) and
// a Roman or Arabic session: a resolution is the UNGA's, a recommendation the body named just
// before it (`named`) or the document's, a decision its prefix's or the context's.
std::string body_of(DecisionKind kind, const std::string& prefix_body, bool roman, const std::string& named,
                    const DecisionContext& context) {
  if (kind == DecisionKind::unga_resolution) return "unga";
  if (kind == DecisionKind::recommendation) return named.empty() ? context.recommendations : named;
  if (!prefix_body.empty()) return prefix_body;
  return roman ? "cop" : context.decisions;
}

// Parses the reference(s) after the 第 at s[start]; returns where scanning resumes.
std::size_t parse_reference(std::string_view s, std::size_t start, const DecisionContext& context,
                            std::vector<DecisionRef>& out) {
  std::vector<DecisionRef> items;
  std::vector<bool> roman;
  std::size_t item_begin = start;
  std::size_t i = start + kOrdinal.size();
  for (;;) {
    auto core = read_core(s, skip_spaces(s, i), /*whole=*/false);
    if (!core) return start + kOrdinal.size();
    DecisionRef ref;
    ref.body = core->body;
    roman.push_back(core->roman);
    ref.session = core->session;
    ref.number = core->number;
    ref.part = std::move(core->part);
    ref.begin = item_begin;
    ref.end = core->end;
    i = skip_spaces(s, core->end);
    if (has_at(s, i, kNumberMark)) {
      ref.end = i + kNumberMark.size();
      i = skip_spaces(s, ref.end);
      for (const auto& suffix : kSuffixes) {
        if (!has_at(s, i, suffix.text)) continue;
        ref.end = i + suffix.text.size();
        const std::size_t end = ref.end;
        items.push_back(std::move(ref));
        const std::string named = suffix.kind == DecisionKind::recommendation ? body_named_before(s, start) : "";
        for (std::size_t k = 0; k < items.size(); ++k) {
          DecisionRef& item = items[k];
          item.kind = suffix.kind;
          item.text = std::string(s.substr(item.begin, item.end - item.begin));
          item.body = body_of(item.kind, item.body, roman[k], named, context);
          out.push_back(std::move(item));
        }
        return end;
      }
    }
    items.push_back(std::move(ref));
    std::size_t next = 0;
    for (auto c : kListConnectors)
      if (has_at(s, i, c)) next = i + c.size();
    if (next == 0 || items.size() >= kMaxListItems) return start + kOrdinal.size();
    i = skip_spaces(s, next);
    item_begin = i;
    if (has_at(s, i, kOrdinal)) i += kOrdinal.size();
  }
}

}  // namespace

std::string DecisionRef::id() const {
  std::string out = body;
  if (out.empty()) out = kind == DecisionKind::recommendation ? "rec" : kind == DecisionKind::unga_resolution ? "unga" : "cop";
  out += ":" + session_number(session, number);
  if (!part.empty()) out += " " + part;
  return out;
}

std::string DecisionRef::label() const {
  const std::string roman = int_to_roman(session);
  const std::string roman_or_arabic = (roman.empty() ? std::to_string(session) : roman) + "/" + std::to_string(number);
  std::string out;
  if (kind == DecisionKind::unga_resolution) out = "UNGA resolution " + session_number(session, number);
  else if (kind == DecisionKind::recommendation && body.empty()) out = "Recommendation " + session_number(session, number);
  else if (kind == DecisionKind::recommendation) {
    for (char c : body) out += to_upper(c);
    out += " " + session_number(session, number);
  } else if (body == "np") out = "NP-" + session_number(session, number);
  // The Cartagena COP-MOP numbered BS-I … BS-VIII, then CP-9 onwards.
  else if (body == "cp") out = session <= 8 ? "BS-" + roman_or_arabic : "CP-" + session_number(session, number);
  else out = "COP " + roman_or_arabic;
  if (!part.empty()) out += " " + part;
  return out;
}

std::string decision_label(std::string_view id) {
  // "<body>:<session>/<number>[ <part>]" (DecisionRef::id()).
  const std::size_t colon = id.find(':');
  const std::size_t slash = id.find('/');
  if (colon == std::string_view::npos || slash == std::string_view::npos || slash < colon) return std::string(id);
  DecisionRef ref;
  ref.body = std::string(id.substr(0, colon));
  if (ref.body == "unga") ref.kind = DecisionKind::unga_resolution;
  else if (ref.body == "rec" || ref.body == "sbi" || ref.body == "sbstta" || ref.body == "icnp" || ref.body == "wg8j")
    ref.kind = DecisionKind::recommendation;
  else if (ref.body != "cop" && ref.body != "np" && ref.body != "cp") return std::string(id);
  if (ref.body == "rec") ref.body.clear();
  const std::string_view session = id.substr(colon + 1, slash - colon - 1);
  std::string_view rest = id.substr(slash + 1);
  const std::size_t space = rest.find(' ');
  const std::string_view number = rest.substr(0, space);
  if (space != std::string_view::npos) ref.part = std::string(rest.substr(space + 1));
  // Both numbers whole and positive: any other id is its own label.
  auto whole = [](std::string_view digits, int& out) {
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return ec == std::errc() && end == digits.data() + digits.size() && out > 0;
  };
  if (!whole(session, ref.session) || !whole(number, ref.number)) return std::string(id);
  return ref.label();
}

std::string DecisionRef::key() const { return session_number(session, number); }

std::string DecisionRef::part_key() const {
  if (part.empty()) return {};
  std::string out = key() + " ";
  for (char c : part) out += to_lower(c);
  return out;
}

std::string DecisionRef::body_key() const { return body.empty() ? std::string() : body + ":" + key(); }

std::string DecisionRef::body_part_key() const {
  return body.empty() || part.empty() ? std::string() : body + ":" + part_key();
}

DecisionContext decision_context(std::string_view symbol) {
  // The body the symbol names, read as for the document's facts (meeting_of_symbol).
  const std::string body = meeting_of_symbol(symbol).body;
  DecisionContext context;
  if (body == "np-mop") context.decisions = "np";
  else if (body == "bs-mop") context.decisions = "cp";
  else if (body == "sbi" || body == "sbstta" || body == "icnp" || body == "wg8j") context.recommendations = body;
  return context;
}

// The reference named right after a kind word: "建议 4/2", "决定 XIII/26", "决定 NP-3/1" (the
// word first, as a heading-like citation puts it), appended to `out` unless one found by its 第
// form already covers it.
void kind_first_references(std::string_view s, const DecisionContext& context, std::vector<DecisionRef>& out) {
  const std::size_t found_by_ordinal = out.size();
  for (const auto& suffix : kSuffixes) {
    for (std::size_t at = s.find(suffix.text); at != std::string_view::npos; at = s.find(suffix.text, at + 1)) {
      // Only the number may follow, after spaces: "决定草案 4/1" is not decision 4/1.
      const std::size_t from = skip_spaces(s, at + suffix.text.size());
      auto core = read_core(s, from, /*whole=*/false);
      if (!core) continue;
      // Not a month and year ("4/2020"), nor the start of a longer number or path.
      if (core->number >= 1000 || (core->end < s.size() && s[core->end] == '/')) continue;
      const bool covered = std::any_of(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(found_by_ordinal),
                                       [&](const DecisionRef& r) { return r.begin <= at && at < r.end; });
      if (covered) continue;
      DecisionRef ref;
      ref.kind = suffix.kind;
      ref.body = core->body;
      ref.session = core->session;
      ref.number = core->number;
      ref.part = std::move(core->part);
      ref.begin = at;
      ref.end = core->end;
      ref.text = std::string(s.substr(at, ref.end - at));
      const std::string named = ref.kind == DecisionKind::recommendation ? body_named_before(s, at) : "";
      ref.body = body_of(ref.kind, ref.body, core->roman, named, context);
      out.push_back(std::move(ref));
    }
  }
}

std::vector<DecisionRef> extract_decisions(std::string_view normalized, const DecisionContext& context) {
  std::vector<DecisionRef> out;
  std::size_t i = normalized.find(kOrdinal);
  while (i != std::string_view::npos) {
    i = normalized.find(kOrdinal, parse_reference(normalized, i, context, out));
  }
  kind_first_references(normalized, context, out);
  std::stable_sort(out.begin(), out.end(), [](const DecisionRef& a, const DecisionRef& b) { return a.begin < b.begin; });
  return out;
}

std::optional<std::string> decision_filter_key(std::string_view text) {
  std::size_t begin = skip_spaces(text, 0);
  // A facet id's body ("np:2/5"); "rec:" is a recommendation of unknown body: any body.
  std::string body;
  if (const std::size_t colon = text.find(':', begin); colon != std::string_view::npos) {
    for (std::size_t k = begin; k < colon; ++k) {
      if (!is_letter(text[k]) && !is_digit(text[k])) return std::nullopt;
      body += to_lower(text[k]);
    }
    static constexpr std::string_view kIdBodies[] = {"cop", "np", "cp", "sbi", "sbstta", "icnp", "wg8j", "unga", "rec"};
    if (std::find(std::begin(kIdBodies), std::end(kIdBodies), body) == std::end(kIdBodies)) return std::nullopt;
    if (body == "rec") body.clear();
    begin = skip_spaces(text, colon + 1);
  }
  const auto core = read_core(text, begin, /*whole=*/true);
  if (!core) return std::nullopt;
  if (!core->body.empty()) {
    if (!body.empty() && body != core->body) return std::nullopt;
    body = core->body;
  }
  std::string key = session_number(core->session, core->number);
  if (!core->part.empty()) key += " " + std::string(1, to_lower(core->part[0]));
  return body.empty() ? key : body + ":" + key;
}

int roman_to_int(std::string_view roman) {
  if (roman.empty() || roman.size() > 8) return 0;
  int value = 0;
  for (std::size_t k = 0; k < roman.size(); ++k) {
    if (!is_roman_letter(roman[k])) return 0;
    const char c = to_upper(roman[k]);
    const char next = k + 1 < roman.size() ? to_upper(roman[k + 1]) : '\0';
    const int v = c == 'X' ? 10 : c == 'V' ? 5 : 1;
    const int v_next = next == 'X' ? 10 : next == 'V' ? 5 : next == 'I' ? 1 : 0;
    value += v < v_next ? -v : v;
  }
  if (value < 1 || value > kMaxRoman) return 0;
  // Only the canonical spelling counts ("IIII", "VX" and "IIX" are not numerals).
  std::string canonical = int_to_roman(value);
  for (std::size_t k = 0; k < roman.size(); ++k)
    if (to_upper(roman[k]) != canonical[k]) return 0;
  return canonical.size() == roman.size() ? value : 0;
}

std::string int_to_roman(int n) {
  if (n < 1 || n > kMaxRoman) return {};
  constexpr std::array<std::string_view, 10> kUnits = {"",  "I",  "II",  "III",  "IV",
                                                       "V", "VI", "VII", "VIII", "IX"};
  std::string out(static_cast<std::size_t>(n / 10), 'X');
  out += kUnits[static_cast<std::size_t>(n % 10)];
  return out;
}

std::vector<std::string> extract_symbols(std::string_view text) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  // A word is a run of symbol characters plus ':' and '_', so a URL stays one word and is skipped.
  const auto in_word = [](char c) {
    return is_letter(c) || is_digit(c) || c == '/' || c == '.' || c == '-' || c == ':' || c == '_';
  };
  std::size_t i = 0;
  while (i < text.size()) {
    if (!in_word(text[i])) {
      ++i;
      continue;
    }
    const std::size_t begin = i;
    while (i < text.size() && in_word(text[i])) ++i;
    std::string_view word = text.substr(begin, i - begin);
    while (!word.empty() && (word.back() == '.' || word.back() == '/' || word.back() == '-' ||
                             word.back() == ':'))
      word.remove_suffix(1);
    if (!is_letter(word.empty() ? '\0' : word.front())) continue;
    if (word.find("://") != std::string_view::npos || word.find(':') != std::string_view::npos ||
        word.find('_') != std::string_view::npos)
      continue;
    const std::string lower_head = [&] {
      std::string h;
      for (char c : word.substr(0, 4)) h += to_lower(c);
      return h;
    }();
    if (lower_head.starts_with("http") || lower_head.starts_with("www.")) continue;
    // At least three non-empty parts, an all-letter first part, and a digit somewhere: UN
    // symbols always carry a number, which keeps out "and/or/not" in case-folded text.
    std::size_t parts = 1;
    bool empty_part = false, has_digit = false, letters_first = true;
    for (std::size_t k = 0; k < word.size(); ++k) {
      const char c = word[k];
      if (c == '/') {
        ++parts;
        empty_part = empty_part || word[k - 1] == '/';
      } else if (is_digit(c)) {
        has_digit = true;
        if (parts == 1) letters_first = false;
      } else if (!is_letter(c) && parts == 1) {
        letters_first = false;
      }
    }
    if (parts < 3 || empty_part || !has_digit || !letters_first) continue;
    std::string symbol;
    symbol.reserve(word.size());
    for (char c : word) symbol += to_upper(c);
    if (seen.insert(symbol).second) out.push_back(std::move(symbol));
  }
  return out;
}

}  // namespace treaty
