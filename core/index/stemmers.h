// Snowball stemmers (Xapian's) for the UN languages that have one: Arabic, English, French,
// Russian and Spanish. Chinese has none: its words are matched as exact substrings.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include <xapian.h>

namespace treaty {

class Stemmers {
 public:
  // The language codes with a stemmer, in a fixed order.
  static constexpr std::array<std::string_view, 5> kLanguages = {"ar", "en", "es", "fr", "ru"};

  // Creates one stemmer per language. Throws Xapian::Error if Xapian lacks one (a broken install).
  Stemmers();

  // True if `lang` has a stemmer.
  static bool has(std::string_view lang);

  // The stem of normalised (case-folded) `word` in `lang`; `word` itself when `lang` has no
  // stemmer. Not thread-safe (Snowball stemmers keep state): one Stemmers per thread.
  std::string stem(std::string_view lang, const std::string& word) const;

 private:
  std::array<Xapian::Stem, kLanguages.size()> stems_;
};

}  // namespace treaty
