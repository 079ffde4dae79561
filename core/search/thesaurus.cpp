#include "core/search/thesaurus.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <sstream>

#include <toml++/toml.h>
#include <xapian.h>

#include "core/documents/gazetteer.h"
#include "core/text/normalizer.h"
#include "core/base/toml_fields.h"
#include "core/base/utf8.h"

namespace treaty {
namespace {

// A token of normalised text: one Han character, or a run of other letters and digits.
struct Token {
  std::string plain;         // normalised UTF-8
  std::string stem;          // English stem of `plain` (a Han character is its own stem)
  bool han = false;
  bool joins_previous = false;  // Han character directly after another one
  bool slash_before = false;    // directly after '/' ...
  bool slash_after = false;     // ... or before it: part of a symbol such as UNEP/CBD/COP/12/24
  std::size_t cp_begin = 0;  // code point range in the normalised text
  std::size_t cp_end = 0;
};

std::vector<Token> tokenize(const std::u32string& text, const Xapian::Stem& stemmer) {
  std::vector<Token> out;
  bool previous_han = false;  // the previous code point was a Han character
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = text[i];
    if (is_han(cp)) {
      Token t;
      append_utf8(t.plain, cp);
      t.stem = t.plain;
      t.han = true;
      t.joins_previous = previous_han;
      t.cp_begin = i;
      t.cp_end = ++i;
      out.push_back(std::move(t));
      previous_han = true;
    } else if (is_alnum_non_han(cp)) {
      Token t;
      t.cp_begin = i;
      while (i < text.size() && is_alnum_non_han(text[i])) append_utf8(t.plain, text[i++]);
      t.cp_end = i;
      t.stem = stemmer(t.plain);
      t.slash_before = t.cp_begin > 0 && text[t.cp_begin - 1] == '/';
      t.slash_after = i < text.size() && text[i] == '/';
      out.push_back(std::move(t));
      previous_han = false;
    } else {
      ++i;
      previous_han = false;
    }
  }
  return out;
}

// Appends token `t` to a key: joined Han characters are concatenated (the key of 惠益分享 is
// 惠益分享), everything else is separated by one space ("benefit share", "里约 20").
void append_token(std::string& key, const Token& t, bool stemmed) {
  if (!key.empty() && !(t.han && t.joins_previous)) key += ' ';
  key += stemmed ? t.stem : t.plain;
}

std::string make_key(const std::vector<Token>& tokens, std::size_t first, std::size_t last, bool stemmed) {
  std::string key;
  for (std::size_t k = first; k < last; ++k) {
    if (k == first) {
      key += stemmed ? tokens[k].stem : tokens[k].plain;
    } else {
      append_token(key, tokens[k], stemmed);
    }
  }
  return key;
}

bool starts_with_latin(std::string_view s) { return !s.empty() && static_cast<unsigned char>(s.front()) < 0x80; }
bool ends_with_latin(std::string_view s) { return !s.empty() && static_cast<unsigned char>(s.back()) < 0x80; }

// Does plain key `hay` contain plain key `needle` on token boundaries? Inside a joined Han run
// any position is a boundary (a Chinese string matches wherever its characters occur); a Latin
// edge of `needle` must meet a space or an end of `hay`.
bool contains_key(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return false;
  for (std::size_t pos = hay.find(needle); pos != std::string_view::npos; pos = hay.find(needle, pos + 1)) {
    const std::size_t end = pos + needle.size();
    const bool left_ok = pos == 0 || hay[pos - 1] == ' ' || !starts_with_latin(needle);
    const bool right_ok = end == hay.size() || hay[end] == ' ' || !ends_with_latin(needle);
    if (left_ok && right_ok) return true;
  }
  return false;
}

NormalizedText normalize(const Normalizer* normalizer, std::string_view text) {
  if (normalizer) return normalizer->normalize(text);
  NormalizedText out;  // a default-constructed Thesaurus: identity, for completeness
  for (std::size_t i = 0; i < text.size();) {
    out.source.push_back(static_cast<uint32_t>(i));
    out.text.push_back(next_code_point(text, i));
  }
  out.source.push_back(static_cast<uint32_t>(text.size()));
  return out;
}

// Byte offset in the source text just after normalised code point cp_end - 1.
std::size_t source_end(const NormalizedText& n, std::size_t cp_end) {
  std::size_t j = cp_end;
  while (j < n.text.size() && n.source[j] == n.source[cp_end - 1]) ++j;
  return n.source[j];
}

// ---- TOML helpers (the same conventions as the gazetteer) -------------------------------------

using toml_fields::line_of;
using toml_fields::SourcedString;
using toml_fields::string_array_key;
using toml_fields::string_key;
using toml_fields::valid_id;

constexpr std::array<std::string_view, 5> kConceptKeys = {"id", "zh", "zh_variants", "en", "acronyms"};

}  // namespace

std::vector<std::string> Concept::terms() const {
  std::vector<std::string> out;
  out.push_back(zh);
  out.insert(out.end(), zh_variants.begin(), zh_variants.end());
  out.insert(out.end(), en.begin(), en.end());
  out.insert(out.end(), acronyms.begin(), acronyms.end());
  return out;
}

Expected<Thesaurus> Thesaurus::load(const std::filesystem::path& path, const Normalizer& normalizer,
                                    const Gazetteer& gazetteer, const ThesaurusOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read the thesaurus", path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string(), normalizer, gazetteer, options);
}

// parse()'s steps, with the state they share: the concepts of the file, then those of the
// gazetteer, added one by one to the thesaurus being built.
class Thesaurus::Builder {
 public:
  Builder(Thesaurus& thesaurus, const std::string& source_name, const Normalizer& normalizer)
      : thesaurus_(thesaurus), source_name_(source_name), normalizer_(normalizer) {}

  // One [[concept]] table of the file, checked, with its terms.
  Expected<void> add_file_concept(const toml::node& element) {
    const int line = line_of(element);
    const toml::table* entry = element.as_table();
    if (!entry) return fail("a [[concept]] entry must be a table", source_name_, line);
    for (const auto& [key, node] : *entry) {
      if (std::find(kConceptKeys.begin(), kConceptKeys.end(), key.str()) == kConceptKeys.end())
        return fail("unknown key '" + std::string(key.str()) + "'", source_name_, line_of(node));
    }

    auto id = string_key(*entry, "id", source_name_);
    if (!id) return std::unexpected(id.error());
    auto zh = string_key(*entry, "zh", source_name_);
    if (!zh) return std::unexpected(zh.error());
    std::array<Expected<std::vector<SourcedString>>, 3> lists = {
        string_array_key(*entry, "zh_variants", source_name_), string_array_key(*entry, "en", source_name_),
        string_array_key(*entry, "acronyms", source_name_)};
    for (const auto& list : lists)
      if (!list) return std::unexpected(list.error());

    if (!entry->get("id")) return fail("concept without id", source_name_, line);
    if (!valid_id(id->text))
      return fail("id '" + id->text + "' must be lowercase ASCII letters, digits, '_' or '-'", source_name_,
                  id->line);
    if (auto [it, inserted] = id_lines_.emplace(id->text, line); !inserted)
      return fail("duplicate id '" + id->text + "' (first at line " + std::to_string(it->second) + ")",
                  source_name_, id->line);
    if (!entry->get("zh")) return fail("concept '" + id->text + "' without zh", source_name_, line);

    Concept c;
    c.id = id->text;
    c.zh = zh->text;
    c.line = line;
    std::vector<SourcedString> all{*zh};
    for (std::size_t k = 0; k < lists.size(); ++k) {
      auto& target = k == 0 ? c.zh_variants : k == 1 ? c.en : c.acronyms;
      for (const SourcedString& s : *lists[k]) {
        target.push_back(s.text);
        all.push_back(s);
      }
    }
    const std::size_t index = thesaurus_.concepts_.size();
    thesaurus_.concepts_.push_back(std::move(c));
    thesaurus_.terms_.emplace_back();
    for (const SourcedString& s : all) {
      if (s.text.empty()) return fail("empty term in concept '" + id->text + "'", source_name_, s.line);
      if (auto added = add_term(index, s.text, s.line); !added) return std::unexpected(added.error());
    }
    return {};
  }

  // The concept "org:<id>" of gazetteer organization `org`, with its names as terms.
  Expected<void> add_organization(const Organization& org) {
    Concept c;
    c.id = "org:" + org.id;
    c.zh = org.name_zh;
    c.zh_variants = org.aliases_zh;
    if (!org.name_en.empty()) c.en.push_back(org.name_en);
    if (!org.acronym.empty()) c.acronyms.push_back(org.acronym);
    for (const std::string& alias : org.aliases_en) {
      // aliases_en mixes names and acronyms: an alias without lower-case letters is an acronym.
      const bool acronym = std::none_of(alias.begin(), alias.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
      (acronym ? c.acronyms : c.en).push_back(alias);
    }
    const std::size_t index = thesaurus_.concepts_.size();
    const std::vector<std::string> names = c.terms();
    thesaurus_.concepts_.push_back(std::move(c));
    thesaurus_.terms_.emplace_back();
    for (const std::string& name : names) {
      if (name.empty()) continue;
      if (auto added = add_term(index, name, 0); !added) return std::unexpected(added.error());
    }
    return {};
  }

 private:
  // Adds `text` to concept `index` (`line` 0: a gazetteer name). A key already taken by another
  // concept is an error naming the file term's line, unless both are gazetteer names: the
  // gazetteer has validated its names, and stemming alone can merge two of them (first wins).
  Expected<void> add_term(std::size_t index, const std::string& text, int line) {
    Thesaurus& t = thesaurus_;
    const NormalizedText n = normalizer_.normalize(text);
    const std::vector<Token> tokens = tokenize(n.text, stemmer_);
    if (tokens.empty()) {
      if (line == 0) return {};
      return fail("term '" + text + "' has no letters, digits or Han characters", source_name_, line);
    }
    Term term;
    term.text = text;
    term.key = make_key(tokens, 0, tokens.size(), true);
    term.plain = make_key(tokens, 0, tokens.size(), false);
    term.han = std::all_of(tokens.begin(), tokens.end(), [](const Token& k) { return k.han; });
    term.latin = std::none_of(tokens.begin(), tokens.end(), [](const Token& k) { return k.han; });

    auto& terms = t.terms_[index];
    if (std::any_of(terms.begin(), terms.end(), [&](const Term& o) { return o.plain == term.plain; }))
      return {};  // the same term twice in one concept ("benefit-sharing", "benefit sharing")
    auto it = t.by_key_.find(term.key);
    if (it != t.by_key_.end() && it->second.concept_index != index) {
      const Concept& other = t.concepts_[it->second.concept_index];
      if (line == 0 && other.line == 0) return {};
      if (line == 0)  // file terms come first: a gazetteer name meets a file term
        return fail("term '" + t.terms_[it->second.concept_index][it->second.term_index].text + "' of concept '" +
                        other.id + "' is already a name of organization '" + t.concepts_[index].id.substr(4) +
                        "' (gazetteer)",
                    source_name_, key_lines_[term.key]);
      return fail("term '" + text + "' of concept '" + t.concepts_[index].id + "' is already a term of concept '" +
                      other.id + "' (line " + std::to_string(key_lines_[term.key]) + ")",
                  source_name_, line);
    }
    if (it == t.by_key_.end()) {
      t.by_key_.emplace(term.key, TermRef{index, terms.size()});
      if (line > 0) key_lines_.emplace(term.key, line);
    }
    t.max_key_tokens_ = std::max(t.max_key_tokens_, tokens.size());
    terms.push_back(std::move(term));
    return {};
  }

  Thesaurus& thesaurus_;
  const std::string& source_name_;
  const Normalizer& normalizer_;
  const Xapian::Stem stemmer_{"en"};
  std::map<std::string, int> key_lines_;  // key -> line of the file term that has it
  std::map<std::string, int> id_lines_;   // concept id -> line of its [[concept]] table
};

Expected<Thesaurus> Thesaurus::parse(std::string_view toml_text, const std::string& source_name,
                                     const Normalizer& normalizer, const Gazetteer& gazetteer,
                                     const ThesaurusOptions& options) {
  if (!valid_utf8(toml_text)) {
    std::size_t bad = 0;
    valid_utf8(toml_text, &bad);
    return fail("invalid UTF-8", source_name, line_of_offset(toml_text, bad));
  }
  auto root = toml_fields::parse_entries_file(toml_text, source_name, "concept", "no [[concept]] tables");
  if (!root) return std::unexpected(root.error());
  const toml::array* entries = (*root)["concept"].as_array();

  Thesaurus t;
  t.options_ = options;
  t.normalizer_ = &normalizer;
  Builder builder(t, source_name, normalizer);
  for (const toml::node& element : *entries)
    if (auto added = builder.add_file_concept(element); !added) return std::unexpected(added.error());

  // Every organization is a concept of its names. File terms came first, so a collision names
  // the file's line: the file must not repeat organizations, the gazetteer is their source.
  for (const Organization& org : gazetteer.organizations())
    if (auto added = builder.add_organization(org); !added) return std::unexpected(added.error());

  return t;
}

const Concept* Thesaurus::lookup(std::string_view term) const {
  if (!valid_utf8(term)) return nullptr;
  const Xapian::Stem stemmer("en");
  const std::vector<Token> tokens = tokenize(normalize(normalizer_, term).text, stemmer);
  if (tokens.empty() || tokens.size() > max_key_tokens_) return nullptr;
  auto it = by_key_.find(make_key(tokens, 0, tokens.size(), true));
  return it == by_key_.end() ? nullptr : &concepts_[it->second.concept_index];
}

std::vector<std::string> Thesaurus::expansions(std::string_view term) const {
  if (!valid_utf8(term)) return {};
  const Xapian::Stem stemmer("en");
  const std::vector<Token> tokens = tokenize(normalize(normalizer_, term).text, stemmer);
  if (tokens.empty() || tokens.size() > max_key_tokens_) return {};
  auto it = by_key_.find(make_key(tokens, 0, tokens.size(), true));
  if (it == by_key_.end()) return {};
  return expansions_of(it->second.concept_index, make_key(tokens, 0, tokens.size(), false));
}

std::vector<std::string> Thesaurus::expansions_of(std::size_t concept_index, const std::string& typed_plain) const {
  std::vector<std::string> out;
  for (const Term& term : terms_[concept_index]) {
    if (out.size() >= options_.max_expansions) break;
    // A term containing what was typed matches only where the typed text matches already.
    if (contains_key(term.plain, typed_plain)) continue;
    out.push_back(term.text);
  }
  return out;
}

std::vector<ThesaurusMatch> Thesaurus::find(std::string_view text) const {
  std::vector<ThesaurusMatch> out;
  if (!valid_utf8(text) || by_key_.empty()) return out;
  const Xapian::Stem stemmer("en");
  const NormalizedText n = normalize(normalizer_, text);
  const std::vector<Token> tokens = tokenize(n.text, stemmer);
  for (std::size_t i = 0; i < tokens.size();) {
    // Grow the key token by token and keep the longest that is a term.
    std::string key;
    std::size_t best_end = 0;
    const TermRef* best = nullptr;
    for (std::size_t j = i; j < tokens.size() && j - i < max_key_tokens_; ++j) {
      if (j == i) {
        key = tokens[j].stem;
      } else {
        append_token(key, tokens[j], true);
      }
      // Like gazetteer names, an English term never matches inside a symbol (UNEP/CBD/...).
      const bool in_symbol = (!tokens[i].han && tokens[i].slash_before) || (!tokens[j].han && tokens[j].slash_after);
      if (auto it = by_key_.find(key); it != by_key_.end() && !in_symbol) {
        best = &it->second;
        best_end = j + 1;
      }
    }
    if (!best) {
      ++i;
      continue;
    }
    ThesaurusMatch m;
    m.begin = n.source[tokens[i].cp_begin];
    m.end = source_end(n, tokens[best_end - 1].cp_end);
    m.entry = &concepts_[best->concept_index];
    m.term = terms_[best->concept_index][best->term_index].text;
    m.expansions = expansions_of(best->concept_index, make_key(tokens, i, best_end, false));
    m.token_begin = i;
    m.token_end = best_end;
    out.push_back(std::move(m));
    i = best_end;
  }
  return out;
}

std::vector<ThesaurusVariant> Thesaurus::variants(std::string_view text) const {
  std::vector<ThesaurusVariant> out;
  const std::vector<ThesaurusMatch> matches = find(text);
  if (matches.empty()) return out;
  const Xapian::Stem stemmer("en");
  const std::size_t token_count = tokenize(normalize(normalizer_, text).text, stemmer).size();
  const bool whole = matches.size() == 1 && matches[0].token_begin == 0 && matches[0].token_end == token_count;

  // The replacements each match allows.
  std::vector<std::vector<std::string>> options(matches.size());
  for (std::size_t m = 0; m < matches.size(); ++m) {
    if (whole) {
      options[m] = matches[m].expansions;
      continue;
    }
    const Term* matched = nullptr;
    const std::size_t ci = static_cast<std::size_t>(matches[m].entry - concepts_.data());
    for (const Term& term : terms_[ci])
      if (term.text == matches[m].term) matched = &term;
    for (const std::string& e : matches[m].expansions) {
      for (const Term& term : terms_[ci]) {
        if (term.text != e) continue;
        if (matched && ((matched->han && term.han) || (matched->latin && term.latin))) options[m].push_back(e);
        break;
      }
    }
  }

  // Fewest replacements first: every choice of k matches, each with each of its options.
  auto emit = [&](const std::vector<std::size_t>& chosen, const std::vector<std::size_t>& pick) {
    ThesaurusVariant v;
    std::size_t at = 0;
    for (std::size_t k = 0; k < chosen.size(); ++k) {
      const ThesaurusMatch& m = matches[chosen[k]];
      const std::string& replacement = options[chosen[k]][pick[k]];
      v.text.append(text.substr(at, m.begin - at));
      v.text += replacement;
      v.replacements.push_back(std::string(text.substr(m.begin, m.end - m.begin)) + " → " + replacement);
      at = m.end;
    }
    v.text.append(text.substr(at));
    out.push_back(std::move(v));
  };
  const std::size_t cap = options_.max_expansions;
  for (std::size_t k = 1; k <= matches.size() && out.size() < cap; ++k) {
    // Combinations of k match indices in lexicographic order.
    std::vector<std::size_t> chosen(k);
    for (std::size_t i = 0; i < k; ++i) chosen[i] = i;
    while (out.size() < cap) {
      const bool possible = std::all_of(chosen.begin(), chosen.end(), [&](std::size_t c) { return !options[c].empty(); });
      if (possible) {
        std::vector<std::size_t> pick(k, 0);  // odometer over the options of the chosen matches
        while (out.size() < cap) {
          emit(chosen, pick);
          std::size_t d = k;
          while (d > 0 && ++pick[d - 1] == options[chosen[d - 1]].size()) pick[--d] = 0;
          if (d == 0) break;
        }
      }
      // Next combination.
      std::size_t i = k;
      while (i > 0 && chosen[i - 1] == matches.size() - k + (i - 1)) --i;
      if (i == 0) break;
      ++chosen[i - 1];
      for (std::size_t j = i; j < k; ++j) chosen[j] = chosen[j - 1] + 1;
    }
  }
  return out;
}

std::vector<Thesaurus::WordRun> Thesaurus::multiword_terms(const std::vector<std::string>& words) const {
  std::vector<WordRun> out;
  if (words.size() < 2) return out;
  std::string joined;
  std::vector<std::size_t> begins, ends;  // byte range of each word in `joined`
  for (const std::string& w : words) {
    if (!joined.empty()) joined += ' ';
    begins.push_back(joined.size());
    joined += w;
    ends.push_back(joined.size());
  }
  for (const ThesaurusMatch& m : find(joined)) {
    const auto first = std::find(begins.begin(), begins.end(), m.begin);
    const auto last = std::find(ends.begin(), ends.end(), m.end);
    if (first == begins.end() || last == ends.end()) continue;
    const auto a = static_cast<std::size_t>(first - begins.begin());
    const auto b = static_cast<std::size_t>(last - ends.begin());
    if (b > a) out.push_back({a, b - a + 1});
  }
  return out;
}

}  // namespace treaty
