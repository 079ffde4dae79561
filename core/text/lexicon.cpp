#include "core/text/lexicon.h"

#include <fstream>

#include "core/text/normalizer.h"
#include "core/base/utf8.h"

namespace treaty {

Expected<Lexicon> Lexicon::load(const std::filesystem::path& path, const Normalizer& normalizer) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read lexicon", path.string());
  Lexicon lexicon;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!valid_utf8(line)) return fail("invalid UTF-8", path.string(), line_no);
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const auto last = line.find_last_not_of(" \t\r");
    lexicon.add(normalizer.normalize(std::string_view(line).substr(first, last - first + 1)).text);
  }
  return lexicon;
}

void Lexicon::add(std::u32string_view term) {
  if (term.size() < 2) return;
  terms_.emplace(term);
  max_length_ = std::max(max_length_, term.size());
}

std::size_t Lexicon::longest_match(std::u32string_view text, std::size_t pos) const {
  if (pos >= text.size()) return 0;
  for (std::size_t len = std::min(max_length_, text.size() - pos); len >= 2; --len) {
    if (terms_.contains(text.substr(pos, len))) return len;
  }
  return 0;
}

}  // namespace treaty
