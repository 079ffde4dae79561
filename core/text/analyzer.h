// Chinese-aware text analysis, one code path for documents and queries.
//
// The text is normalised (NFKC, Traditional -> Simplified, case folding) and cut into
//   - units: every Han character, and every run of other letters/digits (a Latin word, a number,
//     a Roman numeral). Units get consecutive positions; punctuation and spaces get none.
//     Indexing Han characters one by one (plus the bigrams of adjacent ones) lets any contiguous
//     Chinese string be found whatever the word segmentation;
//   - words: ICU word segmentation of each Han run, overridden by the treaty lexicon, for ranking;
//   - compounds: letter/digit tokens joined by '/', '-' or '.' without spaces (UN symbols such as
//     unep/cbd/cop/12/24, decision references such as xi/1), kept whole as well as in parts.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/uversion.h>  // ICU's versioned namespace, for the forward declaration

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace treaty {

class Lexicon;
class Normalizer;

enum class UnitKind : uint8_t { han, alnum };

struct Unit {
  std::string term;        // normalised UTF-8: one Han character, or a lower-cased alnum run
  UnitKind kind;
  bool joins_previous;     // Han unit directly after another Han unit (no space or punctuation):
                           // the pair forms a bigram
  uint32_t begin, end;     // byte range in the analysed (source) text
};

struct Word {
  std::string term;        // normalised UTF-8 Han word (ICU + lexicon)
  uint32_t first_unit;     // index of its first unit in Analysis::units
  uint32_t unit_count;     // number of Han characters
};

struct Compound {
  std::string term;        // e.g. "unep/cbd/cop/12/24", "xi/1", "cop-mop"
  uint32_t first_unit;
  uint32_t unit_count;     // number of alnum parts (>= 2)
};

struct Analysis {
  std::vector<Unit> units;
  std::vector<Word> words;
  std::vector<Compound> compounds;
  // Every occurrence of a lexicon term inside a run of joined Han characters, overlapping ones
  // included (缔约方大会 holds 缔约方 and 缔约方大会): a passage holds the term as a substring
  // exactly when it has one, so a query that is one lexicon term needs no phrase check
  // (text_terms.h). Filled with `words`.
  std::vector<Word> lexicon_terms;
};

class Analyzer {
 public:
  // Keeps references to `normalizer` and `lexicon`, which must outlive it.
  // Throws std::runtime_error if ICU cannot create a word break iterator (broken ICU data).
  Analyzer(const Normalizer& normalizer, const Lexicon& lexicon);
  ~Analyzer();
  Analyzer(Analyzer&&) noexcept;
  Analyzer& operator=(Analyzer&&) noexcept;

  // Analyses valid UTF-8 `text`. With `with_words` false, Analysis::words stays empty and ICU
  // is not run: matching and highlighting need only units, and segmentation is most of the cost.
  // Not thread-safe (ICU break iterators carry state): use one Analyzer per thread.
  Analysis analyze(std::string_view text, bool with_words = true);

  const Normalizer& normalizer() const { return *normalizer_; }

 private:
  const Normalizer* normalizer_;
  const Lexicon* lexicon_;
  std::unique_ptr<icu::BreakIterator> words_;
};

}  // namespace treaty
