// Decision references and UN document symbols found in text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace treaty {

enum class DecisionKind {
  cop_decision,     // 第 XI/1 D 号决定: decision of the CBD Conference of the Parties
  recommendation,   // 第 3/5 号建议: recommendation (e.g. of the ICNP)
  unga_resolution,  // 第 67/212 号决议: UN General Assembly resolution
};

struct DecisionRef {
  DecisionKind kind = DecisionKind::cop_decision;
  int session = 0;          // Roman or Arabic in the text; always a number here (XI -> 11)
  int number = 0;
  std::string part;         // "D" in XI/1 D; empty when none
  std::string text;         // as it appears, e.g. "第 XI/1 D 号决定"
  std::size_t begin = 0;    // byte range in the scanned text
  std::size_t end = 0;

  // Stable id used in the index and the API: "cop:11/1 D", "rec:3/5", "unga:67/212".
  std::string id() const;
  // Display label: "COP XI/1 D", "Recommendation 3/5", "UNGA resolution 67/212".
  std::string label() const;
  // Filter keys: "11/1" and, with a part, "11/1 d" (see schema.h).
  std::string key() const;
  std::string part_key() const;  // empty without a part
};

// Finds 第 … 号决定 / 号建议 / 号决议 references in NFKC-normalised text (case as in the source
// or folded; both work). "第 X/1 号决定" and "第 XI/1 D 号决定" are different decisions.
std::vector<DecisionRef> extract_decisions(std::string_view normalized);

// Parses a user's decision filter ("XI/1", "11/1", "XI/1 D", "xi/1d", "67/212") into the key
// to look up: "11/1" or "11/1 d". Empty optional when it is not a decision reference.
std::optional<std::string> decision_filter_key(std::string_view text);

// Roman numeral (I..XXXIX, either case) to int; 0 if not one.
int roman_to_int(std::string_view roman);
std::string int_to_roman(int n);

// UN document symbols cited in `text` (e.g. UNEP/CBD/COP/12/24, UNEP/CBD/NP/COP-MOP/1/INF/5),
// upper-cased, without trailing punctuation, in order of first appearance, no duplicates.
std::vector<std::string> extract_symbols(std::string_view text);

}  // namespace treaty
