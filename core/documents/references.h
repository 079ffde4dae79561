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
  std::string body;         // the body that took it: "cop" (CBD COP), "np" (Nagoya COP-MOP), "cp"
                            // (Cartagena COP-MOP: BS-VII/5 and CP-9/3), "sbi", "sbstta", "icnp",
                            // "wg8j" for recommendations ("" when unknown), "unga"
  int session = 0;          // Roman or Arabic in the text; always a number here (XI -> 11)
  int number = 0;
  std::string part;         // "D" in XI/1 D; empty when none
  std::string text;         // as it appears, e.g. "第 XI/1 D 号决定"
  std::size_t begin = 0;    // byte range in the scanned text
  std::size_t end = 0;

  // Stable id used in the index and the API: "<body>:<session>/<number>[ <part>]":
  // "cop:11/1 D", "np:2/5", "cp:7/5", "icnp:3/5", "unga:67/212"; "rec:3/5" for a
  // recommendation of an unknown body.
  std::string id() const;
  // Display label as the body prints it: "COP XI/1 D", "NP-2/5", "BS-VII/5" (sessions up to 8),
  // "CP-9/3", "SBI 1/3", "ICNP 3/5", "Recommendation 3/5", "UNGA resolution 67/212".
  std::string label() const;
  // Filter keys (see schema.h): "11/1" and, with a part, "11/1 d", whatever the body; and the
  // same with the body: "np:2/5", "cop:11/1 d" (empty for a recommendation of unknown body).
  std::string key() const;
  std::string part_key() const;  // empty without a part
  std::string body_key() const;
  std::string body_part_key() const;  // empty without a part or a body
};

// DecisionRef::id() -> DecisionRef::label(): "cop:11/1 D" -> "COP XI/1 D"; an id of another form
// is its own label. The label of a DecisionRef whose kind its body does not imply (not seen in
// this corpus) can differ from ref.label().
std::string decision_label(std::string_view id);

// What a reference without a body prefix belongs to, from the document it is in.
struct DecisionContext {
  std::string decisions = "cop";     // body of a bare Arabic decision ("第 2/9 号决定"): the
                                     // document's COP-MOP ("np", "cp") or "cop"; Roman sessions
                                     // are always the COP's
  std::string recommendations;       // body of a recommendation whose body the text does not
                                     // name nearby: the document's ("sbi", ...), or ""
};

// The context of a document with symbol `symbol`: NP/MOP, NP/COP-MOP -> np; BS/COP-MOP, BS/MOP,
// CP/MOP -> cp; SBI, SBSTTA, ICNP, WG8J documents -> their recommendations.
DecisionContext decision_context(std::string_view symbol);

// Finds 第 … 号决定 / 号建议 / 号决议 references in NFKC-normalised text (case as in the source
// or folded; both work): "第 XI/1 D 号决定", "第 NP-2/5 号决定", "第 BS-VII/5 号决定", "第 CP-9/3
// 号决定", "第 1/3 号建议" (its body named just before it, e.g. 附属履行机构…第 1/3 号建议, or
// the context's). "第 X/1 号决定" and "第 XI/1 D 号决定" are different decisions. Also the kind
// word first: "建议 4/2", "决定 XIII/26", "决定 NP-3/1". In order of position.
std::vector<DecisionRef> extract_decisions(std::string_view normalized, const DecisionContext& context = {});

// Parses a user's decision filter into the key to look up: "XI/1", "11/1", "XI/1 D", "xi/1d",
// "67/212" -> "11/1", "11/1 d" (any body); "NP-2/5", "BS-VII/5", "CP-7/5", and facet ids
// "cop:11/1 D", "np:2/5" -> "np:2/5", "cp:7/5", "cop:11/1 d" (that body only; "rec:" ids any).
// Empty optional when it is not a decision reference.
std::optional<std::string> decision_filter_key(std::string_view text);

// Roman numeral (I..XXXIX, either case) to int; 0 if not one.
int roman_to_int(std::string_view roman);
std::string int_to_roman(int n);

// UN document symbols cited in `text` (e.g. UNEP/CBD/COP/12/24, UNEP/CBD/NP/COP-MOP/1/INF/5),
// upper-cased, without trailing punctuation, in order of first appearance, no duplicates.
std::vector<std::string> extract_symbols(std::string_view text);

}  // namespace treaty
