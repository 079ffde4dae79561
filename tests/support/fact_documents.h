// Small documents built by hand through the core API (no parser), of several meetings, types,
// issue dates and languages, for the tests of document-level filters, facets and listings.
#pragma once

#include <string>
#include <vector>

#include "core/documents/document.h"

namespace treaty::test {

// What each fact document is, as the tests expect document_facts() to find it.
struct FactDocument {
  Document doc;
  std::string meeting;  // meeting id
  std::string type;     // type id
  std::string issued;   // ISO date or ""
  std::string lang;
};

// Six documents (none of them the seed):
//   CBD/NP/MOP/3/4        np-mop:3  note            2018-10-05  zh   header + 3 paragraphs
//   CBD/NP/MOP/3/4/Add.1  np-mop:3  note            2018-10-22  zh   header + 2 paragraphs
//   CBD/NP/MOP/3/INF/2    np-mop:3  information     2018-10-12  zh   header + 1 paragraph
//   CBD/COP/DEC/XIII/26   cop:13    decision        2016-12-17  zh   header + 2 paragraphs (no title)
//   CBD/SBI/2/8           sbi:2     note            2018-06-18  en   header + 2 paragraphs
//   UNEP/CBD/ICNP/3/10    icnp:3    report          (none)      zh   header + 1 paragraph (no
//                                                                    language on the cover)
// Every paragraph holds 信息交换所 or 能力建设 (or both), so text queries cut across documents.
std::vector<FactDocument> fact_documents();

}  // namespace treaty::test
