// The language a document is written in, told from its text: by script first (Han -> zh,
// Cyrillic -> ru, Arabic -> ar), then, for the Latin script, by the commonest short words of
// English, French and Spanish.
#pragma once

#include <string>
#include <string_view>

#include "core/documents/document.h"

namespace treaty {

// The language of `text`: "zh", "ru", "ar", "en", "fr" or "es"; "" when it has too few letters
// to tell (fewer than 20) or its Latin-script words are none of the three languages'.
std::string language_of_text(std::string_view text);

// The language of `doc`: the cover's language line when it names a UN language, else
// language_of_text() over its passages and footnotes; "" when neither tells.
std::string document_language(const Document& doc);

}  // namespace treaty
