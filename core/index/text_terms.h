// How analysed text becomes Xapian terms, for documents and for queries alike (see schema.h).
#pragma once

#include <string>
#include <xapian.h>

#include <string_view>
#include <vector>

#include "core/index/stemmers.h"
#include "core/text/analyzer.h"

namespace treaty {

// Adds the terms of `analysis` to `doc`:
//   unit terms (Han characters with schema::kHanChar, alnum units unprefixed) at positions
//   base, base+1, ... (only the first and last Han character of each run of joined characters:
//   an inner character is found through the bigram it starts); Han bigrams (schema::kHanBigram)
//   at the position of their first character;
//   words of two or more characters (a one-character word's postings are its character
//   term's), compounds and lexicon terms (schema::kLexiconTerm, every occurrence) without
//   positions (wdf only).
// `prefix` is prepended to every term (empty for body text). Returns the first position after
// the text plus a gap, so that phrases cannot match across two texts added one after the other.
Xapian::termpos add_text_terms(Xapian::Document& doc, const Analysis& analysis,
                               Xapian::termpos base, const std::string& prefix = {});

// Adds the stem of every alnum unit of `analysis` that holds a letter, in language `lang`, as
// prefix + schema::kStem + lang + ":" + stem, without positions (wdf only). Nothing when `lang`
// has no stemmer (Chinese).
void add_stem_terms(Xapian::Document& doc, const Analysis& analysis, std::string_view lang, const Stemmers& stemmers,
                    const std::string& prefix = {});

// The stem terms of normalised alnum `word` in every language with a stemmer (one term per
// language, prefix + schema::kStem + lang + ":" + stem); none for a word without a letter.
std::vector<std::string> stem_terms(const std::string& word, const Stemmers& stemmers, const std::string& prefix = {});

// A query that matches exactly the passages in which the analysed text occurs as a contiguous
// sequence of units (ignoring spaces and punctuation), e.g. a Chinese substring of any length:
//   one Han character  -> its character term OR every bigram it starts (a wildcard, expanded
//                         by Xapian against the index); two -> their bigram;
//   longer             -> a phrase of the overlapping bigrams (plus lone characters and alnum
//                         units, all at consecutive positions). Inside a quoted phrase, a space or
//                         punctuation between two Han characters must be a break in the text too;
//   a compound          -> a phrase of its pair terms (schema::kAlnumPair); the last part is
//                          spelt by the pair before it, so "XI/1" is the one term JXI/1;
//   a lexicon term      -> its lexicon-term term (the same passages, no position checks), unless
//                          !lexicon_terms: an index analysed with another lexicon may lack the
//                          term (analysis.h), while the phrase matches under any lexicon.
// Word (of two or more characters) and compound terms of the text are added with OP_AND_MAYBE
// so they only affect ranking.
// An analysis with no units gives an empty Xapian::Query (matches nothing).
Xapian::Query text_query(const Analysis& analysis, const std::string& prefix = {}, bool lexicon_terms = true);

}  // namespace treaty
