// The treaty lexicon: multi-character terms that override ICU's word breaks (ICU 72 splits
// 缔约方 into 缔|约|方 and takes no user dictionary).
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/base/error.h"

namespace treaty {

class Normalizer;

class Lexicon {
 public:
  Lexicon() = default;

  // Reads a plain-text lexicon: one term per line, '#' starts a comment, blank lines ignored.
  // Terms are normalised with `normalizer` so Traditional or full-width entries work.
  // Errors (unreadable file, invalid UTF-8 on a line) name the file and line.
  static Expected<Lexicon> load(const std::filesystem::path& path, const Normalizer& normalizer);

  // Adds an already-normalised term of at least two code points; shorter terms are ignored.
  void add(std::u32string_view term);

  // Length in code points of the longest term that starts at text[pos]; 0 when none.
  std::size_t longest_match(std::u32string_view text, std::size_t pos) const;

  // Calls f(length) for every term starting at text[pos], shortest first.
  template <class F>
  void for_each_match(std::u32string_view text, std::size_t pos, F&& f) const {
    if (pos >= text.size()) return;
    const std::size_t longest = std::min(max_length_, text.size() - pos);
    for (std::size_t len = 2; len <= longest; ++len)
      if (terms_.contains(text.substr(pos, len))) f(len);
  }

  std::size_t size() const { return terms_.size(); }

 private:
  // Transparent hashing: lookups by u32string_view allocate nothing (this runs per character).
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::u32string_view s) const { return std::hash<std::u32string_view>{}(s); }
  };
  std::unordered_set<std::u32string, Hash, std::equal_to<>> terms_;
  std::size_t max_length_ = 0;
};

}  // namespace treaty
