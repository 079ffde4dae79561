// Field extraction for a whole document: organizations, dates, decisions, symbols per passage.
#pragma once

#include <string>
#include <vector>

#include "core/documents/dates.h"
#include "core/documents/document.h"
#include "core/documents/gazetteer.h"
#include "core/documents/references.h"

namespace treaty {

class Normalizer;

struct PassageFields {
  std::vector<std::string> orgs;        // organization ids, in order of first mention, no duplicates
  std::vector<DateRange> dates;         // in order of appearance
  std::vector<DecisionRef> decisions;   // in order of appearance, no duplicate ids
  std::vector<std::string> symbols;     // cited symbols (and, for the header, the document's own)
};

struct DocumentFields {
  AliasMap mined_aliases;               // 全称（简称） short forms defined in this document, and the
                                        // full and short names of organizations it defines that
                                        // the gazetteer does not know (ids local_org_id())
  std::vector<PassageFields> passages;  // parallel to Document::passages
};

// Extracts the fields of every passage from its text and the texts of the footnotes it cites.
// Short forms mined anywhere in the document apply to all its passages. The header passage
// also carries the document's own symbol and the meeting dates.
DocumentFields extract_fields(const Document& doc, const Normalizer& normalizer,
                              const Gazetteer& gazetteer);

}  // namespace treaty
