#include "core/documents/language.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/base/utf8.h"

namespace treaty {
namespace {

constexpr std::size_t kMinLetters = 20;

// The commonest short words of each Latin-script UN language, which the other two rarely use.
struct WordList {
  std::string_view lang;
  std::array<std::string_view, 10> words;
};
constexpr std::array<WordList, 3> kWords = {{
    {"en", {"the", "of", "and", "to", "is", "that", "for", "with", "on", "by"}},
    {"fr", {"le", "les", "des", "du", "et", "est", "une", "pour", "dans", "aux"}},
    {"es", {"el", "los", "las", "del", "y", "que", "por", "una", "para", "con"}},
}};

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

}  // namespace

std::string language_of_text(std::string_view text) {
  std::size_t han = 0, latin = 0, cyrillic = 0, arabic = 0;
  std::array<std::size_t, kWords.size()> hits{};
  std::string word;
  const auto end_word = [&] {
    if (word.empty()) return;
    for (std::size_t l = 0; l < kWords.size(); ++l)
      if (std::find(kWords[l].words.begin(), kWords[l].words.end(), word) != kWords[l].words.end()) ++hits[l];
    word.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    if (cp < 0x80 && std::isalpha(static_cast<int>(cp))) {
      ++latin;
      word += lower(static_cast<char>(cp));
      continue;
    }
    // A Latin letter with a diacritic is part of the word ("été"); it makes no list word.
    if (cp >= 0xC0 && cp <= 0x24F) {
      ++latin;
      word += '#';
      continue;
    }
    end_word();
    if (is_han(cp)) ++han;
    else if (cp >= 0x400 && cp <= 0x4FF) ++cyrillic;
    else if (cp >= 0x600 && cp <= 0x6FF) ++arabic;
  }
  end_word();
  const std::size_t letters = han + latin + cyrillic + arabic;
  if (letters < kMinLetters) return {};
  // A Han character carries about as much as a Latin word: weigh it so.
  const std::size_t most = std::max({han * 4, latin, cyrillic, arabic});
  if (most == han * 4) return "zh";
  if (most == cyrillic) return "ru";
  if (most == arabic) return "ar";
  const std::size_t best = static_cast<std::size_t>(std::max_element(hits.begin(), hits.end()) - hits.begin());
  return hits[best] == 0 ? std::string() : std::string(kWords[best].lang);
}

std::string document_language(const Document& doc) {
  if (!doc.header.language.empty()) return doc.header.language;
  std::string text;
  for (const Passage& p : doc.passages) {
    text += p.text;
    text += '\n';
    if (text.size() > 64 * 1024) break;  // enough to tell
  }
  for (const Footnote& f : doc.footnotes) {
    if (text.size() > 64 * 1024) break;
    text += f.text;
    text += '\n';
  }
  return language_of_text(text);
}

std::optional<std::string> scrambled_arabic(const std::vector<std::string_view>& words) {
  std::size_t arabic_words = 0, single = 0, letters = 0, presentation = 0;
  for (std::string_view w : words) {
    std::size_t word_letters = 0;
    for (std::size_t i = 0; i < w.size();) {
      const char32_t cp = next_code_point(w, i);
      const bool forms = (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF);
      if (forms || (cp >= 0x0621 && cp <= 0x064A)) {
        ++word_letters;
        if (forms) ++presentation;
      }
    }
    if (word_letters == 0) continue;
    ++arabic_words;
    letters += word_letters;
    if (word_letters == 1) ++single;
  }
  if (arabic_words < 40) return std::nullopt;
  if (presentation * 2 <= letters && single * 2 <= arabic_words) return std::nullopt;
  return "the Arabic text layer is scrambled: " + std::to_string(presentation) + " of its " + std::to_string(letters) +
         " Arabic letters are presentation forms and " + std::to_string(single) + " of its " +
         std::to_string(arabic_words) + " Arabic words single letters (a text layer in visual order, letter by "
         "letter); nothing indexed: give a text extract in logical order instead";
}

}  // namespace treaty
