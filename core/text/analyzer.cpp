#include "core/text/analyzer.h"

#include <algorithm>
#include <stdexcept>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include "core/text/lexicon.h"
#include "core/text/normalizer.h"
#include "core/base/utf8.h"

namespace treaty {
namespace {

bool is_compound_joiner(char32_t cp) { return cp == '/' || cp == '-' || cp == '.'; }

// End of the source bytes that produced normalised code point `i` (NFKC may expand one source
// code point into several; they share one source range).
uint32_t source_end(const NormalizedText& norm, std::size_t i) {
  std::size_t j = i + 1;
  while (j + 1 < norm.source.size() && norm.source[j] == norm.source[i]) ++j;
  return norm.source[j];
}

// The Han units of an analysis, to find Han runs for word segmentation.
struct HanUnits {
  std::vector<std::size_t> index;  // normalised index of each Han unit's character
  std::vector<std::size_t> unit;   // its index in Analysis::units
};

// One unit per Han character; records it in `han`.
void add_han_unit(const NormalizedText& norm, std::size_t i, Analysis& out, HanUnits& han) {
  const std::u32string& t = norm.text;
  Unit u;
  append_utf8(u.term, t[i]);
  u.kind = UnitKind::han;
  u.joins_previous = i > 0 && is_han(t[i - 1]);
  u.begin = norm.source[i];
  u.end = source_end(norm, i);
  han.index.push_back(i);
  han.unit.push_back(out.units.size());
  out.units.push_back(std::move(u));
}

// The alnum run starting at `i`, possibly the first part of a compound (unep/cbd/cop/12/24,
// xi/1, cop-mop): one unit per part, and the compound when there are two parts or more.
// Returns the index past the run.
std::size_t add_alnum_units(const NormalizedText& norm, std::size_t i, Analysis& out) {
  const std::u32string& t = norm.text;
  const std::size_t compound_start = i;
  const uint32_t first_unit = static_cast<uint32_t>(out.units.size());
  uint32_t parts = 0;
  while (true) {
    const std::size_t start = i;
    while (i < t.size() && is_alnum_non_han(t[i])) ++i;
    Unit u;
    u.term = to_utf8(std::u32string_view(t).substr(start, i - start));
    u.kind = UnitKind::alnum;
    u.joins_previous = false;
    u.begin = norm.source[start];
    u.end = source_end(norm, i - 1);
    out.units.push_back(std::move(u));
    ++parts;
    if (i + 1 < t.size() && is_compound_joiner(t[i]) && is_alnum_non_han(t[i + 1])) {
      ++i;
      continue;
    }
    break;
  }
  if (parts >= 2) {
    out.compounds.push_back(Compound{
        to_utf8(std::u32string_view(t).substr(compound_start, i - compound_start)), first_unit, parts});
  }
  return i;
}

// ICU word boundaries over the whole text, as normalised (UTF-32) indices.
std::vector<std::size_t> word_boundaries(icu::BreakIterator& words, const std::u32string& t) {
  icu::UnicodeString u16 = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(t.data()),
                                                         static_cast<int32_t>(t.size()));
  std::vector<std::size_t> u16_to_u32(static_cast<std::size_t>(u16.length()) + 1);
  {
    std::size_t k = 0;
    for (int32_t j = 0; j < u16.length(); ++k) {
      const int32_t len = U16_LENGTH(u16.char32At(j));
      for (int32_t m = 0; m < len; ++m) u16_to_u32[static_cast<std::size_t>(j + m)] = k;
      j += len;
    }
    u16_to_u32.back() = k;
  }
  words.setText(u16);
  std::vector<std::size_t> boundaries;
  for (int32_t b = words.first(); b != icu::BreakIterator::DONE; b = words.next())
    boundaries.push_back(u16_to_u32[static_cast<std::size_t>(b)]);
  return boundaries;
}

// Every lexicon term occurring in a Han run, wherever it starts.
void find_lexicon_terms(const Lexicon& lexicon, const std::u32string& t, const HanUnits& han, Analysis& out) {
  for (std::size_t first = 0; first < han.index.size();) {
    std::size_t end = first + 1;
    while (end < han.index.size() && han.index[end] == han.index[end - 1] + 1) ++end;
    const std::u32string_view run = std::u32string_view(t).substr(0, han.index[end - 1] + 1);
    for (std::size_t k = first; k < end; ++k)
      lexicon.for_each_match(run, han.index[k], [&](std::size_t len) {
        out.lexicon_terms.push_back(Word{to_utf8(run.substr(han.index[k], len)), static_cast<uint32_t>(han.unit[k]),
                                         static_cast<uint32_t>(len)});
      });
    first = end;
  }
}

// Each Han run: forward maximum matching with the lexicon, ICU's breaks elsewhere; a lexicon
// term starting inside an ICU word cuts it there, so treaty terms always win.
void segment_han_runs(const Lexicon& lexicon, const std::u32string& t, const HanUnits& han,
                      const std::vector<std::size_t>& boundaries, Analysis& out) {
  auto emit_word = [&](std::size_t h_first, std::size_t len) {
    std::u32string_view w = std::u32string_view(t).substr(han.index[h_first], len);
    out.words.push_back(Word{to_utf8(w), static_cast<uint32_t>(han.unit[h_first]), static_cast<uint32_t>(len)});
  };

  std::size_t h = 0;
  while (h < han.index.size()) {
    std::size_t run_end = h + 1;
    while (run_end < han.index.size() && han.index[run_end] == han.index[run_end - 1] + 1) ++run_end;
    const std::size_t run_stop = han.index[run_end - 1] + 1;  // normalised index past the run
    while (h < run_end) {
      const std::size_t pos = han.index[h];
      if (std::size_t len = lexicon.longest_match(std::u32string_view(t).substr(0, run_stop), pos); len > 0) {
        emit_word(h, len);
        h += len;
        continue;
      }
      auto next = std::upper_bound(boundaries.begin(), boundaries.end(), pos);
      std::size_t stop = next == boundaries.end() ? run_stop : std::min(*next, run_stop);
      for (std::size_t q = pos + 1; q < stop; ++q) {
        if (lexicon.longest_match(std::u32string_view(t).substr(0, run_stop), q) > 0) {
          stop = q;
          break;
        }
      }
      emit_word(h, stop - pos);
      h += stop - pos;
    }
  }
}

}  // namespace

Analyzer::Analyzer(const Normalizer& normalizer, const Lexicon& lexicon)
    : normalizer_(&normalizer), lexicon_(&lexicon) {
  UErrorCode status = U_ZERO_ERROR;
  words_.reset(icu::BreakIterator::createWordInstance(icu::Locale("zh"), status));
  if (U_FAILURE(status) || !words_)
    throw std::runtime_error(std::string("ICU word break iterator unavailable: ") + u_errorName(status));
}

Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

Analysis Analyzer::analyze(std::string_view text, bool with_words) {
  const NormalizedText norm = normalizer_->normalize(text);
  const std::u32string& t = norm.text;
  Analysis out;
  out.units.reserve(t.size());

  HanUnits han;
  std::size_t i = 0;
  while (i < t.size()) {
    const char32_t cp = t[i];
    if (is_han(cp)) {
      add_han_unit(norm, i, out, han);
      ++i;
    } else if (is_alnum_non_han(cp)) {
      i = add_alnum_units(norm, i, out);
    } else {
      ++i;
    }
  }
  if (han.index.empty() || !with_words) return out;

  const std::vector<std::size_t> boundaries = word_boundaries(*words_, t);
  find_lexicon_terms(*lexicon_, t, han, out);
  segment_han_runs(*lexicon_, t, han, boundaries, out);
  return out;
}

}  // namespace treaty
