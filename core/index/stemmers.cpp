#include "core/index/stemmers.h"

#include <algorithm>

namespace treaty {
namespace {

std::size_t index_of(std::string_view lang) {
  const auto& langs = Stemmers::kLanguages;
  return static_cast<std::size_t>(std::find(langs.begin(), langs.end(), lang) - langs.begin());
}

}  // namespace

Stemmers::Stemmers()
    : stems_{Xapian::Stem("arabic"), Xapian::Stem("english"), Xapian::Stem("spanish"), Xapian::Stem("french"),
             Xapian::Stem("russian")} {}

bool Stemmers::has(std::string_view lang) { return index_of(lang) < kLanguages.size(); }

std::string Stemmers::stem(std::string_view lang, const std::string& word) const {
  const std::size_t i = index_of(lang);
  return i < kLanguages.size() ? stems_[i](word) : word;
}

}  // namespace treaty
