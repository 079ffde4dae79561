#include "core/documents/document_facts.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "core/base/utf8.h"

namespace treaty {
namespace {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  while (true) {
    const std::size_t at = s.find(sep);
    out.emplace_back(trim_blank(s.substr(0, at)));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

// The canonical Roman numeral of 1 ≤ n ≤ 3999.
std::string to_roman(int n) {
  static constexpr std::pair<int, std::string_view> kDigits[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
      {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"}};
  std::string out;
  for (const auto& [value, digits] : kDigits)
    for (; n >= value; n -= value) out += digits;
  return out;
}

// "13" or "XIII" (upper case, canonical form only) → 13; 0 for anything else.
int session_number(std::string_view part) {
  if (part.empty() || part.size() > 9) return 0;
  if (std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int n = 0;
    std::from_chars(part.data(), part.data() + part.size(), n);
    return n;
  }
  int value = 0;
  for (char c : part) {
    switch (c) {
      case 'I': value += 1; break;
      case 'V': value += 5; break;
      case 'X': value += 10; break;
      case 'L': value += 50; break;
      case 'C': value += 100; break;
      case 'D': value += 500; break;
      case 'M': value += 1000; break;
      default: return 0;
    }
  }
  // Additive sum is an upper bound; find the value whose canonical numeral is `part`.
  for (int n = 1; n <= std::min(value, 3999); ++n)
    if (to_roman(n) == part) return n;
  return 0;
}

// Body spellings without spaces, '-' and '.', lower case → body id.
std::optional<std::string_view> body_of_key(std::string_view key) {
  static constexpr std::pair<std::string_view, std::string_view> kKeys[] = {
      {"npmop", "np-mop"},   {"npcopmop", "np-mop"}, {"bsmop", "bs-mop"}, {"bscopmop", "bs-mop"},
      {"cpmop", "bs-mop"},   {"cpcopmop", "bs-mop"}, {"cop", "cop"},      {"sbi", "sbi"},
      {"sbstta", "sbstta"},  {"icnp", "icnp"},       {"wg8j", "wg8j"},    {"other", "other"}};
  for (const auto& [k, body] : kKeys)
    if (k == key) return body;
  return std::nullopt;
}

std::string body_key(std::string_view s) {
  std::string key;
  for (char c : ascii_lower(s))
    if (c != ' ' && c != '-' && c != '.' && c != '\t') key += c;
  return key;
}

struct BodyNames {
  std::string_view body;
  std::string_view zh;       // the body's Chinese name
  std::string_view meeting;  // "次会议" or "届会议"
  std::string_view en;       // short English name
};

constexpr BodyNames kBodyNames[] = {
    {"np-mop", "名古屋议定书缔约方会议", "次会议", "NP COP-MOP"},
    {"bs-mop", "卡塔赫纳生物安全议定书缔约方会议", "次会议", "CP COP-MOP"},
    {"cop", "生物多样性公约缔约方大会", "届会议", "COP"},
    {"sbi", "执行问题附属机构", "次会议", "SBI"},
    {"sbstta", "科学、技术和工艺咨询附属机构", "次会议", "SBSTTA"},
    {"icnp", "名古屋议定书政府间委员会", "次会议", "ICNP"},
    {"wg8j", "第8(j)条和相关条款问题工作组", "次会议", "WG8J"},
};

constexpr std::pair<std::string_view, std::string_view> kTypeLabels[] = {
    {"note", "说明"},         {"report", "报告"},         {"information", "资料文件"},
    {"decision", "决定"},     {"recommendation", "建议"}, {"draft_decision", "决定草案"},
    {"conference_room_paper", "会议室文件"}, {"other", "其他"}};

// Printed words → type, in the order they are tried.
constexpr std::pair<std::string_view, std::string_view> kTypeWords[] = {
    {"草案", "draft_decision"}, {"资料文件", "information"}, {"会议室文件", "conference_room_paper"},
    {"说明", "note"},           {"报告", "report"},          {"建议", "recommendation"},
    {"决定", "decision"}};

struct Language {
  std::string_view code, zh, en;
};
constexpr Language kLanguages[] = {{"zh", "中文", "chinese"},  {"en", "英文", "english"}, {"fr", "法文", "french"},
                                   {"es", "西班牙文", "spanish"}, {"ru", "俄文", "russian"}, {"ar", "阿拉伯文", "arabic"}};

// A trailing part that makes a document an addendum, revision or corrigendum of its base.
bool is_amendment(std::string_view part) {
  for (std::string_view prefix : {"ADD.", "REV.", "CORR."})
    if (part.starts_with(prefix)) return true;
  return false;
}

}  // namespace

SymbolMeeting meeting_of_symbol(std::string_view symbol) {
  std::vector<std::string> parts = split(ascii_upper(trim_blank(symbol)), '/');
  std::size_t i = 0;
  while (i < parts.size() && (parts[i] == "UNEP" || parts[i] == "CBD")) ++i;
  std::string body_parts;
  for (; i < parts.size(); ++i) {
    if (session_number(parts[i]) > 0 || parts[i] == "DEC" || parts[i] == "REC") break;
    body_parts += parts[i];
  }
  SymbolMeeting out;
  out.body = std::string(body_of_key(body_key(body_parts)).value_or("other"));
  for (; i < parts.size(); ++i) {
    if (parts[i] == "DEC" || parts[i] == "REC") continue;
    out.session = session_number(parts[i]);
    break;
  }
  return out;
}

std::string meeting_id(std::string_view body, int session) {
  if (body == "other") return "other";
  std::string id(body);
  if (session > 0) id += ":" + std::to_string(session);
  return id;
}

std::optional<std::string> meeting_label(std::string_view meeting) {
  if (meeting == "other") return std::string("其他会议 (other)");
  const std::size_t colon = meeting.find(':');
  const std::string_view body = meeting.substr(0, colon);
  int session = 0;
  if (colon != std::string_view::npos) {
    const std::string_view n = meeting.substr(colon + 1);
    const auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), session);
    if (n.empty() || ec != std::errc() || end != n.data() + n.size() || session <= 0) return std::nullopt;
  }
  for (const BodyNames& b : kBodyNames) {
    if (b.body != body) continue;
    if (session == 0) return std::string(b.zh) + " (" + std::string(b.en) + ")";
    const std::string n = std::to_string(session);
    return std::string(b.zh) + "第" + n + std::string(b.meeting) + " (" + std::string(b.en) + " " + n + ")";
  }
  return std::nullopt;
}

std::optional<std::string> parse_meeting(std::string_view value) {
  const std::string s = ascii_lower(trim_blank(value));
  if (s.empty()) return std::nullopt;
  // "np-mop:1", "COP 13", "cop/13": the last part is the session when it is a number.
  const std::size_t sep = s.find_last_of(" :/");
  if (sep != std::string::npos && sep + 1 < s.size()) {
    const int session = session_number(ascii_upper(s.substr(sep + 1)));
    const auto body = body_of_key(body_key(std::string_view(s).substr(0, sep)));
    if (session > 0 && body && *body != "other") return meeting_id(*body, session);
    if (session > 0) return std::nullopt;
  }
  const std::string key = body_key(s);
  if (key.find_first_of(":/") != std::string::npos) return std::nullopt;
  if (auto body = body_of_key(key)) return std::string(*body);
  // "cop13", "sbstta22": digits glued to the body.
  std::size_t digits = key.size();
  while (digits > 0 && key[digits - 1] >= '0' && key[digits - 1] <= '9') --digits;
  if (digits == key.size() || digits == 0) return std::nullopt;
  const auto body = body_of_key(std::string_view(key).substr(0, digits));
  const int session = session_number(key.substr(digits));
  if (!body || *body == "other" || session <= 0) return std::nullopt;
  return meeting_id(*body, session);
}

std::string document_type(std::string_view symbol, const HeaderInfo& header) {
  std::vector<std::string> parts = split(ascii_upper(trim_blank(symbol)), '/');
  while (parts.size() > 1 && is_amendment(parts.back())) parts.pop_back();
  for (const std::string& p : parts) {
    if (p == "DEC") return "decision";
    if (p == "REC") return "recommendation";
    if (p == "INF") return "information";
  }
  if (!parts.empty() && parts.back().starts_with("L.")) return "draft_decision";
  if (!parts.empty() && parts.back().starts_with("CRP.")) return "conference_room_paper";
  for (const auto& [word, type] : kTypeWords)
    if (header.doc_type.find(word) != std::string::npos) return std::string(type);
  for (const auto& [word, type] : kTypeWords)
    if (std::string_view(header.title).ends_with(word)) return std::string(type);
  return "other";
}

std::string_view document_type_label(std::string_view type) {
  for (const auto& [id, label] : kTypeLabels)
    if (id == type) return label;
  return {};
}

std::optional<std::string> parse_document_type(std::string_view value) {
  const std::string v = ascii_lower(trim_blank(value));
  for (const auto& [id, label] : kTypeLabels)
    if (id == v || label == v) return std::string(id);
  return std::nullopt;
}

std::string language_label(std::string_view code) {
  for (const Language& l : kLanguages)
    if (l.code == code) return std::string(l.zh);
  return std::string(code);
}

std::optional<std::string> language_of_name(std::string_view name) {
  const std::string v = ascii_lower(trim_blank(name));
  for (const Language& l : kLanguages)
    if (l.zh == v || l.en == v) return std::string(l.code);
  // The language line of the other versions' covers, in their own language.
  static constexpr std::pair<std::string_view, std::string_view> kOwnNames[] = {
      {"français", "fr"}, {"franÇais", "fr"}, {"español", "es"}, {"espaÑol", "es"}, {"русский", "ru"},
      {"Русский", "ru"},  {"РУССКИЙ", "ru"},  {"العربية", "ar"}, {"عربي", "ar"}};
  for (const auto& [own, code] : kOwnNames)
    if (v == own) return std::string(code);
  return std::nullopt;
}

std::optional<std::string> parse_language(std::string_view value) {
  if (auto code = language_of_name(value)) return code;
  const std::string v = ascii_lower(trim_blank(value));
  for (const Language& l : kLanguages)
    if (l.code == v) return std::string(l.code);
  if ((v.size() == 2 || v.size() == 3) && std::all_of(v.begin(), v.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    return v;
  return std::nullopt;
}

std::string version_language(const Document& doc) {
  // The language told at parse time, else the cover's language line; Chinese when neither tells
  // (a document too short to tell: the corpus's first language).
  const std::string& lang = doc.language.empty() ? doc.header.language : doc.language;
  return lang.empty() ? "zh" : ascii_lower(lang);
}

DocumentFacts document_facts(const Document& doc) {
  DocumentFacts f;
  const SymbolMeeting m = meeting_of_symbol(doc.symbol);
  f.body = m.body;
  f.session = m.session;
  f.meeting = meeting_id(m.body, m.session);
  f.meeting_label = meeting_label(f.meeting).value_or(f.meeting);
  f.type = document_type(doc.symbol, doc.header);
  f.type_label = std::string(document_type_label(f.type));
  f.issued = doc.header.issued;
  if (f.issued.size() >= 4 && std::all_of(f.issued.begin(), f.issued.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }))
    std::from_chars(f.issued.data(), f.issued.data() + 4, f.issued_year);
  f.lang = version_language(doc);
  f.distribution = doc.header.distribution;
  f.title = doc.header.title;
  return f;
}

}  // namespace treaty
