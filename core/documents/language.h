// The language a document is written in, told from its text: by script first (Han -> zh,
// Cyrillic -> ru, Arabic -> ar), then, for the Latin script, by the commonest short words of
// English, French and Spanish.
#pragma once

#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "core/documents/document.h"

namespace treaty {

// The language of `text`: "zh", "ru", "ar", "en", "fr" or "es"; "" when it has too few letters
// to tell (fewer than 20) or its Latin-script words are none of the three languages'.
std::string language_of_text(std::string_view text);

// The language of `doc`: the cover's language line when it names a UN language, else
// language_of_text() over its passages and footnotes; "" when neither tells.
std::string document_language(const Document& doc);

// Why the Arabic of `words` (a text layer's words, as Poppler's boxes or a text split at blanks)
// cannot be read: its letters are presentation forms (U+FB50..U+FDFF, U+FE70..U+FEFF) or its
// words single letters — a text layer in visual order, letter by letter, as broken Arabic PDFs
// have. Judged only with 40 or more Arabic-script words, a majority of them so. nullopt: not
// scrambled (or too little Arabic to tell).
std::optional<std::string> scrambled_arabic(const std::vector<std::string_view>& words);

}  // namespace treaty
