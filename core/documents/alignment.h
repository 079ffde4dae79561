// Aligning two language versions of one document passage by passage. The passage key
// ("<symbol>#<para>") is language-neutral, but versions do not always number alike (a paragraph
// added in a revised version, two items printed as one, "(a)" in one where another has "1."),
// so a link is never taken from the ids alone: it is checked against what every language writes
// the same (numbers, symbols, the footnotes cited, where in the
// document's sections it is, its share of the document's length) and realigned within its
// section when they disagree. Each link has a confidence; what has no counterpart is reported.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/documents/document.h"
#include "core/documents/passage_fields.h"

namespace treaty {

// One passage as the aligner sees it: only what does not depend on the language.
struct AlignUnit {
  std::string para;                  // Passage::para ("6(b)", "table-1/row-2")
  PassageKind kind = PassageKind::paragraph;
  std::string item;                  // Passage::item ("b"), "" for other kinds
  std::string section;               // ordinal path of its sections of levels 1-2 ("2.1": the
                                     // first level-2 section of the second level-1 one; "" before
                                     // any), not their headings, which are in the language
  std::vector<std::string> anchors;  // sorted, with repeats: "n:2014" (digit runs, any script's
                                     // digits), "s:UNEP/CBD/COP/12/24" (symbols cited), "f:3"
                                     // (footnotes cited)
  std::size_t length = 0;            // letters and digits of its text (code points)
};

// The units of `doc`'s passages but the header block (the cover and front matter, which are
// never linked), in document order. `fields` parallels doc.passages (extract_fields()).
std::vector<AlignUnit> align_units(const Document& doc, const DocumentFields& fields);

struct PassageLink {
  std::string a;            // para of the passage in version a
  std::string b;            // para in version b
  double confidence = 0;    // 0.5-1: how well the anchors, position and length agree
  bool operator==(const PassageLink&) const = default;
};

struct Alignment {
  std::vector<PassageLink> links;  // in document order; a passage may be in two (a merge)
  std::vector<std::string> unlinked_a;  // paras of a with no counterpart in b
  std::vector<std::string> unlinked_b;
};

// Aligns versions a and b (align_units() of each): by dynamic programming over the units, within
// each section when both have the same sections (else over the whole document), with one-to-one
// links, passages left unlinked, and two passages of one version linked to one of the other.
// No link is made where both passages have anchors and share none, or where the evidence is
// weaker than leaving both unlinked (confidence below 0.5).
Alignment align_versions(const std::vector<AlignUnit>& a, const std::vector<AlignUnit>& b);

}  // namespace treaty
