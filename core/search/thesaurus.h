// The thesaurus: concepts whose different wordings should find each other at search time
// (遗传资源 / 基因资源 / genetic resources, 讲习班 / 研讨会 / workshop, FAO / 粮农组织).
//
// Concepts come from config/thesaurus.toml (format documented at its top) and from every
// organization of the gazetteer. Terms are compared after normalisation (NFKC, Traditional ->
// Simplified, lower case) and tokenisation: Han characters one by one, other letters and digits
// as words, English words reduced by Xapian's English stemmer (workshops = workshop); hyphens
// and other punctuation separate words ("benefit-sharing" = "benefit sharing"). Chinese terms
// match anywhere in a query string, English terms only as whole words or whole phrases.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/error.h"

namespace treaty {

class Gazetteer;
class Normalizer;

struct ThesaurusOptions {
  // At most this many expansions per matched term (lookup(), find()) and variants per query
  // string (variants()): a concept with many names (an organization) must not turn one query
  // word into dozens of phrase queries.
  std::size_t max_expansions = 12;
};

struct Concept {
  std::string id;                        // "genetic_resources"; "org:fao" for gazetteer entries
  std::string zh;                        // preferred Chinese term (display label)
  std::vector<std::string> zh_variants;  // other Chinese wordings
  std::vector<std::string> en;           // English terms
  std::vector<std::string> acronyms;     // English acronyms
  int line = 0;                          // line of its [[concept]] table; 0 for the gazetteer

  // zh, zh_variants, en, acronyms in that order, as written.
  std::vector<std::string> terms() const;
};

// A concept term found in a query string.
struct ThesaurusMatch {
  std::size_t begin = 0;                // byte range of the match in the query string as given
  std::size_t end = 0;
  const Concept* entry = nullptr;       // the concept (owned by the Thesaurus)
  std::string term;                     // the concept's term that matched, as written
  std::vector<std::string> expansions;  // the concept's other terms, as written (see expansions())
  std::size_t token_begin = 0;          // the matched words and Han characters of the string,
  std::size_t token_end = 0;            // counted from 0 ([token_begin, token_end))
};

// A rewriting of a query string with concept terms replaced by other terms of their concepts.
struct ThesaurusVariant {
  std::string text;                       // the rewritten query string
  std::vector<std::string> replacements;  // one "typed → replacement" per replaced term, in order
};

class Thesaurus {
 public:
  Thesaurus() = default;

  // Loads the TOML thesaurus and adds one concept per gazetteer organization ("org:<id>": its
  // Chinese name and aliases, English name, acronym and English aliases). Errors name the file
  // and line: TOML syntax, a concept without id or zh, an unknown key, a value of the wrong
  // type, an empty or invalid id, a duplicate id, a term (after normalisation and stemming) that
  // belongs to two concepts of the file or to a concept and an organization. `normalizer` is
  // kept by reference and must outlive the thesaurus.
  static Expected<Thesaurus> load(const std::filesystem::path& path, const Normalizer& normalizer,
                                  const Gazetteer& gazetteer, const ThesaurusOptions& options = {});
  // Same from a string (`source_name` is used in error messages).
  static Expected<Thesaurus> parse(std::string_view toml, const std::string& source_name,
                                   const Normalizer& normalizer, const Gazetteer& gazetteer,
                                   const ThesaurusOptions& options = {});

  // The concept whose term is the whole of `term` (a query word or phrase, any script, width or
  // case, surrounding spaces and punctuation ignored); nullptr when none. Thread-safe.
  const Concept* lookup(std::string_view term) const;

  // The other terms of lookup(term)'s concept, as written: preferred Chinese term first, then
  // Chinese variants, English terms and acronyms, without the term itself, without terms that
  // contain it (they could only match where it matches already) and without duplicates; at
  // most options.max_expansions. Empty when `term` is no concept's term.
  std::vector<std::string> expansions(std::string_view term) const;

  // Concept terms in `text` (valid UTF-8), left to right, the longest at each position, not
  // overlapping. Chinese terms match anywhere; terms starting or ending with a letter or digit
  // only at word boundaries. Thread-safe.
  std::vector<ThesaurusMatch> find(std::string_view text) const;

  // Rewritings of `text` (valid UTF-8) with matched terms (find()) replaced by their expansions,
  // fewest replacements first, at most options.max_expansions, without `text` itself. A match
  // covering all of `text` may be replaced by any expansion; a match inside a longer string only
  // by an expansion of the same script (Chinese within Chinese, English within English), since
  // 海洋genetic resources matches nothing. Empty when nothing matches.
  std::vector<ThesaurusVariant> variants(std::string_view text) const;

  // Runs of consecutive query words (each as typed, valid UTF-8) that together form one term:
  // "capacity" "building" -> {first 0, count 2}. Only runs of two or more words whose match
  // starts at the first word's start and ends at the last word's end; left to right, longest
  // first, not overlapping.
  struct WordRun {
    std::size_t first = 0;  // index into `words`
    std::size_t count = 0;  // >= 2
    bool operator==(const WordRun&) const = default;
  };
  std::vector<WordRun> multiword_terms(const std::vector<std::string>& words) const;

  const std::vector<Concept>& concepts() const { return concepts_; }
  const ThesaurusOptions& options() const { return options_; }

 private:
  struct TermRef {
    std::size_t concept_index;
    std::size_t term_index;  // into terms_[concept_index]
  };
  struct Term {
    std::string text;  // as written
    std::string key;   // normalised, tokenised, stemmed (thesaurus.cpp, make_key()): for matching
    std::string plain;  // the same unstemmed: the form searched in the (unstemmed) index
    bool han = false;  // only Han characters (and separators): can replace Chinese in Chinese
    bool latin = false;  // no Han character
  };
  class Builder;  // parse()'s steps (thesaurus.cpp)

  // The terms of concept `concept_index` that can find more than `typed_plain` (a plain key).
  std::vector<std::string> expansions_of(std::size_t concept_index, const std::string& typed_plain) const;

  ThesaurusOptions options_;
  std::vector<Concept> concepts_;
  std::vector<std::vector<Term>> terms_;              // per concept, deduplicated by key
  std::unordered_map<std::string, TermRef> by_key_;   // key -> term
  std::size_t max_key_tokens_ = 0;                    // longest term, in tokens
  const Normalizer* normalizer_ = nullptr;            // not owned
};

}  // namespace treaty
