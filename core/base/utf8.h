// Small UTF-8 helpers. Everything else in core/ assumes valid UTF-8 and checks it once, at the edge.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace treaty {

// True if `s` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
// On failure stores the byte offset of the first bad sequence in *bad_offset when given.
bool valid_utf8(std::string_view s, std::size_t* bad_offset = nullptr);

// Decodes the code point starting at s[i] and advances i past it.
// Precondition: `s` is valid UTF-8 and i < s.size().
char32_t next_code_point(std::string_view s, std::size_t& i);

// Appends the UTF-8 encoding of `cp` to `out`.
void append_utf8(std::string& out, char32_t cp);

std::u32string to_u32(std::string_view utf8);   // precondition: valid UTF-8
std::string to_utf8(std::u32string_view text);

// CJK unified ideographs (base, extensions A-F) and compatibility ideographs.
bool is_han(char32_t cp);

// Letters and digits of any script other than Han (Latin words, numbers, Roman numerals).
bool is_alnum_non_han(char32_t cp);

// Full-width ASCII (Ｕ, ２, －, ．) to ASCII and U+3000 to a space, so that values typed with a
// Chinese IME (years, dates, symbols) parse. Precondition: valid UTF-8.
std::string fold_full_width(std::string_view s);

// `s` with ASCII letters upper-cased / lower-cased (symbols, codes, header values); other bytes
// as they are.
std::string ascii_upper(std::string_view s);
std::string ascii_lower(std::string_view s);

// `s` without leading and trailing blanks (ASCII spaces and tabs).
std::string_view trim_blank(std::string_view s);

// 1-based line number of byte `offset` in `text`.
int line_of_offset(std::string_view text, std::size_t offset);

}  // namespace treaty
