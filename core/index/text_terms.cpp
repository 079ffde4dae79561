#include "core/index/text_terms.h"

#include "core/base/utf8.h"
#include "core/index/schema.h"

namespace treaty {
namespace {

// Xapian rejects terms over 245 bytes; such "words" are junk (a huge URL or number run).
constexpr std::size_t kMaxTermBytes = 240;

std::string han_term(const std::string& prefix, const Unit& u) {
  return prefix + std::string(schema::kHanChar) + u.term;
}

std::string bigram_term(const std::string& prefix, const Unit& a, const Unit& b) {
  return prefix + std::string(schema::kHanBigram) + a.term + b.term;
}

// For each unit that is a compound part followed by another ("3" in "3/5"), the term of the
// pair with its joiner ("J3/5"), indexed by unit; "" elsewhere.
std::vector<std::string> pair_terms(const Analysis& analysis, const std::string& prefix) {
  std::vector<std::string> out(analysis.units.size());
  for (const Compound& c : analysis.compounds) {
    std::size_t offset = 0;  // in c.term, the compound as written: part joiner part joiner ...
    for (std::uint32_t i = 0; i + 1 < c.unit_count; ++i) {
      const Unit& a = analysis.units[c.first_unit + i];
      const Unit& b = analysis.units[c.first_unit + i + 1];
      offset += a.term.size();
      if (offset >= c.term.size()) break;
      std::string term = prefix + std::string(schema::kAlnumPair) + a.term + c.term[offset] + b.term;
      offset += 1;
      if (term.size() <= kMaxTermBytes) out[c.first_unit + i] = std::move(term);
    }
  }
  return out;
}

}  // namespace

Xapian::termpos add_text_terms(Xapian::Document& doc, const Analysis& analysis,
                               Xapian::termpos base, const std::string& prefix) {
  const auto& units = analysis.units;
  for (std::size_t k = 0; k < units.size(); ++k) {
    const Xapian::termpos pos = base + static_cast<Xapian::termpos>(k);
    const Unit& u = units[k];
    if (u.kind == UnitKind::han) {
      // A query phrase only ever asks for a single character's position at the edge of a Han
      // run (next to an alnum unit, a break, or the phrase end; inside a run it uses bigrams).
      // An inner character gets no term at all: it starts a bigram, and a one-character query
      // also looks for the bigrams it starts (text_query). That is a quarter of all postings.
      const bool run_edge = !u.joins_previous || k + 1 == units.size() || !units[k + 1].joins_previous;
      if (run_edge) doc.add_posting(han_term(prefix, u), pos);
      if (u.joins_previous) doc.add_posting(bigram_term(prefix, units[k - 1], u), pos - 1);
    } else if (u.term.size() <= kMaxTermBytes) {
      doc.add_posting(prefix + u.term, pos);
    }
  }
  const std::vector<std::string> pairs = pair_terms(analysis, prefix);
  for (std::size_t k = 0; k < pairs.size(); ++k)
    if (!pairs[k].empty()) doc.add_posting(pairs[k], base + static_cast<Xapian::termpos>(k));
  // A one-character word has exactly its character term's postings: that term stands for it.
  for (const Word& w : analysis.words)
    if (w.unit_count > 1) doc.add_term(prefix + w.term);
  for (const Word& w : analysis.lexicon_terms) doc.add_term(prefix + std::string(schema::kLexiconTerm) + w.term);
  for (const Compound& c : analysis.compounds)
    if (c.term.size() <= kMaxTermBytes) doc.add_term(prefix + c.term);
  // The gap keeps phrases from matching across the end of one text and the start of the next.
  return base + static_cast<Xapian::termpos>(units.size()) + 100;
}

Xapian::Query text_query(const Analysis& analysis, const std::string& prefix, bool lexicon_terms) {
  const auto& units = analysis.units;
  if (units.empty()) return Xapian::Query();

  // One element per unit at consecutive positions: a Han character joined to the next one is
  // their bigram, any other Han character itself, an alnum unit its term. A final character
  // already covered by the bigram before it adds nothing and is dropped, and so does a final
  // compound part already covered by its pair term.
  std::vector<Xapian::Query> elements;
  elements.reserve(units.size());
  // A compound part followed by another is matched with its joiner: "3/5" is J3/5 then 5, so
  // it never matches "4.3.5".
  const std::vector<std::string> pairs = pair_terms(analysis, prefix);
  for (std::size_t k = 0; k < units.size(); ++k) {
    const Unit& u = units[k];
    if (u.kind == UnitKind::han) {
      const bool joins_next = k + 1 < units.size() && units[k + 1].joins_previous;
      if (joins_next) {
        elements.emplace_back(bigram_term(prefix, u, units[k + 1]));
      } else if (!(k + 1 == units.size() && u.joins_previous)) {
        elements.emplace_back(han_term(prefix, u));
      }
    } else if (!pairs[k].empty()) {
      elements.emplace_back(pairs[k]);
    } else if (k + 1 == units.size() && k > 0 && !pairs[k - 1].empty()) {
      // The last part of a compound is already spelt by the pair before it: "XI/1" is the
      // one term JXI/1, found without position checks.
    } else {
      elements.emplace_back(prefix + u.term.substr(0, kMaxTermBytes));
    }
  }
  Xapian::Query match = elements.size() == 1
                            ? elements.front()
                            : Xapian::Query(Xapian::Query::OP_PHRASE, elements.begin(), elements.end(),
                                            static_cast<Xapian::termcount>(elements.size()));
  // One Han character: where it ends or starts a run (its H term) or starts a bigram (every
  // character of a run but the last), found by expanding the bigrams it begins.
  if (units.size() == 1 && units.front().kind == UnitKind::han)
    match = Xapian::Query(Xapian::Query::OP_OR, match,
                          Xapian::Query(Xapian::Query::OP_WILDCARD, prefix + std::string(schema::kHanBigram) + units.front().term,
                                        0, Xapian::Query::WILDCARD_LIMIT_ERROR, Xapian::Query::OP_SYNONYM));
  // The text is one lexicon term (one run of joined Han characters): its L term says exactly
  // where it occurs, without reading positions.
  if (lexicon_terms && elements.size() > 1)
    for (const Word& w : analysis.lexicon_terms)
      if (w.first_unit == 0 && w.unit_count == units.size()) {
        match = Xapian::Query(prefix + std::string(schema::kLexiconTerm) + w.term);
        break;
      }

  std::vector<Xapian::Query> boosts;
  // One-character words (mostly 的, 和, 在) are not indexed as words and boost nothing.
  for (const Word& w : analysis.words)
    if (w.unit_count > 1) boosts.emplace_back(prefix + w.term);
  for (const Compound& c : analysis.compounds) boosts.emplace_back(prefix + c.term.substr(0, kMaxTermBytes));
  if (boosts.empty()) return match;
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, match,
                       Xapian::Query(Xapian::Query::OP_OR, boosts.begin(), boosts.end()));
}

namespace {

bool has_letter(const std::string& word) {
  for (std::size_t i = 0; i < word.size();) {
    const char32_t cp = next_code_point(word, i);
    if (is_alnum_non_han(cp) && !(cp >= '0' && cp <= '9')) return true;
  }
  return false;
}

std::string stem_term(const std::string& prefix, std::string_view lang, const std::string& stem) {
  std::string term = prefix;
  term += schema::kStem;
  term += lang;
  term += ':';
  term += stem;
  return term;
}

}  // namespace

void add_stem_terms(Xapian::Document& doc, const Analysis& analysis, std::string_view lang, const Stemmers& stemmers,
                    const std::string& prefix) {
  if (!Stemmers::has(lang)) return;
  for (const Unit& u : analysis.units)
    if (u.kind == UnitKind::alnum && has_letter(u.term))
      doc.add_term(stem_term(prefix, lang, stemmers.stem(lang, u.term)));
}

std::vector<std::string> stem_terms(const std::string& word, const Stemmers& stemmers, const std::string& prefix) {
  std::vector<std::string> out;
  if (!has_letter(word)) return out;
  for (std::string_view lang : Stemmers::kLanguages) out.push_back(stem_term(prefix, lang, stemmers.stem(lang, word)));
  return out;
}

}  // namespace treaty
