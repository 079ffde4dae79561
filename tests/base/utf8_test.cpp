#include <catch2/catch.hpp>

#include "core/base/utf8.h"

using namespace treaty;

TEST_CASE("valid_utf8 accepts well-formed text and locates the first bad byte") {
  struct Row {
    std::string bytes;
    bool valid;
    std::size_t bad_offset;
  };
  const std::vector<Row> rows = {
      {"", true, 0},
      {"abc", true, 0},
      {"缔约方", true, 0},
      {"\xF0\x9F\x98\x80", true, 0},           // U+1F600
      {"ab\xFF", false, 2},                    // never valid in UTF-8
      {"缔\xE7\xBA", false, 3},                // truncated sequence at the end
      {"\xC0\xAF", false, 0},                  // overlong '/'
      {"x\xED\xA0\x80", false, 1},             // UTF-16 surrogate
      {"\xF4\x90\x80\x80", false, 0},          // above U+10FFFF
      {"a\x80", false, 1},                     // lone continuation byte
  };
  for (const Row& row : rows) {
    CAPTURE(row.bytes);
    std::size_t bad = 999;
    CHECK(valid_utf8(row.bytes, &bad) == row.valid);
    if (!row.valid) CHECK(bad == row.bad_offset);
  }
}

TEST_CASE("UTF-8 round trip and code point classes") {
  const std::string text = "UNEP 缔约方 𠀀 Ａ";
  CHECK(to_utf8(to_u32(text)) == text);
  CHECK(to_u32("缔约").size() == 2);
  CHECK(is_han(U'缔'));
  CHECK(is_han(U'\U00020000'));
  CHECK_FALSE(is_han(U'。'));
  CHECK_FALSE(is_han(U'a'));
  CHECK(is_alnum_non_han(U'a'));
  CHECK(is_alnum_non_han(U'7'));
  CHECK(is_alnum_non_han(U'é'));
  CHECK_FALSE(is_alnum_non_han(U'/'));
  CHECK_FALSE(is_alnum_non_han(U'缔'));
  CHECK(line_of_offset("a\nb\nc", 0) == 1);
  CHECK(line_of_offset("a\nb\nc", 2) == 2);
  CHECK(line_of_offset("a\nb\nc", 4) == 3);
}
