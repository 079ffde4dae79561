// Snippets: the best-matching window of a passage text with the query's matches highlighted.
//
// Matches are found the way the index finds them (text_query()): the passage text and each
// query string are analysed by the same Analyzer, and a query string occurs where its units
// appear consecutively with the same terms, Han characters joined in the text wherever they are
// joined in the query. The highlight covers exactly the source characters of the occurrence,
// whatever the word segmentation (a single character, or four characters across two words).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/text/analyzer.h"

namespace treaty {

struct SnippetOptions {
  std::size_t length = 120;          // window size in code points; a match crossing an end of
                                     // the window extends it so no match is cut
  std::string open_tag = "<mark>";   // inserted before each match, verbatim (not escaped)
  std::string close_tag = "</mark>"; // inserted after each match, verbatim
  std::string ellipsis = "…";        // marks text cut at either end of the window
};

// A byte range [begin, end) of a text.
struct ByteRange {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool operator==(const ByteRange&) const = default;
};

struct Snippet {
  std::string html;         // escaped text with the tags around matches
  std::size_t matched = 0;  // code points highlighted inside the window
};

// The query strings, analysed once per request and matched against many passage texts.
class Highlighter {
 public:
  // Analyses each of `queries` (words and phrases as typed) with `analyzer`, which must be this
  // thread's and outlive the Highlighter. Strings without units are ignored.
  Highlighter(Analyzer& analyzer, const std::vector<std::string>& queries);

  // Byte ranges of valid UTF-8 `text` where any query string occurs, sorted, overlapping and
  // touching ranges merged.
  std::vector<ByteRange> find(std::string_view text) const;

  // The window of about options.length code points of `text` with the most matched code points
  // (the start of the text when nothing matches), HTML-escaped, matches wrapped in the tags,
  // options.ellipsis where text was cut. Never splits a UTF-8 sequence.
  Snippet snippet(std::string_view text, const SnippetOptions& options = {}) const;

 private:
  Analyzer* analyzer_;
  std::vector<std::vector<Unit>> patterns_;
};

// Appends `text` to `out` with &, <, >, " and ' escaped.
void append_html_escaped(std::string& out, std::string_view text);

}  // namespace treaty
