// Document-level facts: which meeting a document belongs to (body and session), what kind of
// document it is, when it was issued and in which language. Derived by general rules from the
// symbol and the cover (HeaderInfo), never from a list of known documents, so a new document of a
// known body is classified without code changes. The index stores them on every passage of the
// document (schema.h) for filters and facets.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/documents/document.h"

namespace treaty {

// The bodies whose meetings issue the documents (ids as in facet values and filters):
//   np-mop  the COP serving as the meeting of the Parties to the Nagoya Protocol
//           (symbols …/NP/MOP/…, …/NP/COP-MOP/…)
//   bs-mop  the same for the Cartagena Protocol on Biosafety (…/BS/COP-MOP/…, …/BS/MOP/…,
//           …/CP/MOP/…, …/CP/COP-MOP/…)
//   cop     the Conference of the Parties to the Convention (…/COP/…)
//   sbi     Subsidiary Body on Implementation (…/SBI/…)
//   sbstta  Subsidiary Body on Scientific, Technical and Technological Advice (…/SBSTTA/…)
//   icnp    Intergovernmental Committee for the Nagoya Protocol (…/ICNP/…)
//   wg8j    Working Group on Article 8(j) (…/WG8J/…)
//   other   anything else
inline constexpr std::string_view kBodies[] = {"np-mop", "bs-mop", "cop", "sbi", "sbstta", "icnp", "wg8j", "other"};

// Document types (ids as in facet values and filters), with their Chinese labels:
//   note 说明, report 报告, information 资料文件 (…/INF/…), decision 决定 (…/DEC/…),
//   recommendation 建议 (…/REC/…), draft_decision 决定草案 (limited drafts, …/L.N),
//   conference_room_paper 会议室文件 (…/CRP.N), other 其他.
inline constexpr std::string_view kDocumentTypes[] = {"note",           "report",         "information",
                                                      "decision",       "recommendation", "draft_decision",
                                                      "conference_room_paper", "other"};

// The body and session a symbol names. body is one of kBodies; session is 0 when the symbol
// holds no session number.
struct SymbolMeeting {
  std::string body;
  int session = 0;
};

struct DocumentFacts {
  std::string body;           // one of kBodies (from the symbol)
  int session = 0;            // the body's session (from the symbol); 0: none found
  std::string meeting;        // meeting id: "np-mop:1"; the body alone without a session;
                              // "other" for other bodies (meeting_id())
  std::string meeting_label;  // "名古屋议定书缔约方会议第1次会议 (NP COP-MOP 1)" (meeting_label())
  std::string type;           // one of kDocumentTypes (document_type())
  std::string type_label;     // "说明" (document_type_label())
  std::string issued;         // the cover's issue date, ISO "2018-10-05"; "" when not printed
  int issued_year = 0;        // its year; 0 when not printed
  std::string lang;           // the document's language code ("zh", "en"...): Document::language,
                              // else the cover's language line; "zh" when neither tells
  std::string distribution;   // "general" | "limited" | "" (as on the cover)
  std::string title;          // HeaderInfo::title ("" for documents without one, e.g. decisions)
};

// The language of the version `doc` is (DocumentFacts::lang): doc.language, else the cover's
// language line, else "zh"; lower case. Never empty.
std::string version_language(const Document& doc);

// The facts of `doc`, from doc.symbol and doc.header (rules: meeting_of_symbol(),
// document_type()). Never fails: what cannot be told is "other", 0 or "".
DocumentFacts document_facts(const Document& doc);

// Body and session of a UN symbol, any ASCII case. Leading "UNEP" and "CBD" parts are skipped;
// the body is named by the parts up to the first number or "DEC"/"REC" part (NP/MOP → np-mop,
// COP → cop, …; kBodies lists them all); the session is the first number after the body, Arabic
// or Roman (XIII = 13), skipping "DEC" and "REC":
//   CBD/NP/MOP/DEC/2/1 → np-mop 2     CBD/COP/DEC/XIII/26 → cop 13
//   UNEP/CBD/BS/COP-MOP/8/4 → bs-mop 8   CBD/SBI/2/8 → sbi 2   UNEP/CBD/NP/COP-MOP/1/6 → np-mop 1
// An unknown body is "other" (with the session still read).
SymbolMeeting meeting_of_symbol(std::string_view symbol);

// The meeting id of a body (one of kBodies) and session: "np-mop:1"; the body alone when
// session is 0; "other" for the body "other" whatever the session.
std::string meeting_id(std::string_view body, int session);

// Display label of a meeting id: "名古屋议定书缔约方会议第1次会议 (NP COP-MOP 1)",
// "生物多样性公约缔约方大会第13届会议 (COP 13)", "执行问题附属机构 (SBI)" without a session,
// "其他会议 (other)". nullopt for a malformed id or an unknown body.
std::optional<std::string> meeting_label(std::string_view meeting);

// A meeting as users write it, in ASCII any case (callers NFKC-normalise full-width forms
// first): "np-mop:1", "NP-MOP 1", "NP COP-MOP 1", "COP 13", "cop13", "COP XIII", "SBI 2", or a
// body alone ("cop", "NP-MOP") → its meeting id ("np-mop:1", "cop:13", "cop"). Body spellings
// compare without spaces, '-' and '.': npmop, npcopmop; bsmop, bscopmop, cpmop, cpcopmop; cop,
// sbi, sbstta, icnp, wg8j, other. nullopt: not a meeting.
std::optional<std::string> parse_meeting(std::string_view value);

// The document's type (one of kDocumentTypes):
//   1. from the symbol, with trailing Add.N, Rev.N and Corr.N parts ignored (an addendum or
//      revision has its base's type): a "DEC" part → decision, "REC" → recommendation, "INF" →
//      information, a last part "L.N" → draft_decision, "CRP.N" → conference_room_paper;
//   2. else from the printed document type line (header.doc_type, containing) and then from the
//      title (ending with): 草案 → draft_decision, 资料文件 → information, 会议室文件 →
//      conference_room_paper, 说明 → note, 报告 → report, 建议 → recommendation, 决定 → decision
//      (first match in this order);
//   3. else "other".
std::string document_type(std::string_view symbol, const HeaderInfo& header);

// "说明" for "note", … (kDocumentTypes); "" for an unknown id.
std::string_view document_type_label(std::string_view type);

// A type as users write it: an id of kDocumentTypes (any ASCII case) or its Chinese label
// ("说明"); nullopt for anything else.
std::optional<std::string> parse_document_type(std::string_view value);

// Display label of a language code: zh 中文, en 英文, fr 法文, es 西班牙文, ru 俄文, ar 阿拉伯文;
// any other code is its own label.
std::string language_label(std::string_view code);

// A UN language by its name: "中文", "Chinese", "ENGLISH", "英文" -> "zh", "en"; nullopt for
// anything else (codes are not names: see parse_language).
std::optional<std::string> language_of_name(std::string_view name);

// A language as users write it: a code of two or three ASCII letters (any case: "ZH" → "zh"), or
// the Chinese or English name of a UN language ("中文", "chinese" → "zh"); nullopt otherwise.
std::optional<std::string> parse_language(std::string_view value);

}  // namespace treaty
