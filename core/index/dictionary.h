// A bilingual dictionary mined from the linked passages of an index's language versions
// (version_links.h): for each other language X, which Chinese words translate each X word stem,
// by the log-likelihood ratio (G²) of their co-occurrence in linked zh–X passage pairs. It lets a
// query in X find documents that have only a Chinese version. Stored under
// schema::kMetaDictionaryPrefix + "zh-" + X; rebuilt by `indexer add` and `indexer reindex`.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

namespace treaty {

struct DictionaryOptions {
  // Links below this confidence are not used.
  double min_confidence = 0.8;
  // A pair of words must occur together in at least this many linked passage pairs.
  std::size_t min_pairs = 2;
  // And be associated at least this strongly (G², one degree of freedom: 10.8 is p < 0.001).
  double min_g2 = 10.8;
  // Words in more than this share of the pairs (on either side: "the", 缔约方) are too common to
  // translate anything: left out.
  double max_share = 0.4;
  // Chinese words kept per source word, strongest first.
  std::size_t max_targets = 3;
};

// One direction of the dictionary: source stem -> Chinese words with weights in (0, 1] (G² over
// the strongest of that source).
struct Dictionary {
  std::string lang;  // the source language ("en")
  std::map<std::string, std::vector<std::pair<std::string, double>>> entries;
  std::size_t pairs = 0;  // linked passage pairs it was mined from
};

// Mines the dictionaries zh–X for every language X with a stemmer that has linked pairs with
// Chinese in `db` (the passages' own terms: the X side's stems, the Chinese side's words of two
// or more characters). Reads every document's links and both passages' term lists.
std::vector<Dictionary> mine_dictionaries(const Xapian::Database& db, const DictionaryOptions& options = {});

// Stores `dictionaries` (replacing every stored one: a language no longer mined is dropped).
void store_dictionaries(Xapian::WritableDatabase& db, const std::vector<Dictionary>& dictionaries);

// The stored dictionary zh–`lang`; empty entries when there is none.
Dictionary read_dictionary(const Xapian::Database& db, const std::string& lang);

// The languages with a stored dictionary, sorted.
std::vector<std::string> dictionary_languages(const Xapian::Database& db);

}  // namespace treaty
