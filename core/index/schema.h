// The index schema: term prefixes, value slots and passage ids. This is a contract between the
// indexer and searchd (and any index already on disk); docs/DESIGN.md explains each entry.
// Change it only together with kSchemaVersion.
#pragma once

#include <string>
#include <string_view>
#include <xapian.h>

namespace treaty::schema {

// Stored in the index metadata under kMetaSchemaVersion; searchd refuses other versions.
inline constexpr std::string_view kSchemaVersion = "9";  // 2: kItemText, kSlotId; 3: kLexiconTerm;
                                                         // 4: kAlnumPair; 5: decision bodies;
                                                         // 6: document facts (kDocKey, kMeeting,
                                                         // kDocType, kLang, kIssuedYear, slots 9-14);
                                                         // 7: kMetaAnalysis, kMetaSourcePrefix;
                                                         // 8: document data in MessagePack, the
                                                         // passage's own fields only; H terms only
                                                         // at run edges; no one-character words;
                                                         // 9: language versions (kDocVersion,
                                                         // metadata keyed by version_key())

// ---- Term prefixes --------------------------------------------------------------------------
// Text (body and footnotes of a passage; see text_terms.h):
inline constexpr std::string_view kHanChar = "H";     // H缔   a Han character at the first or last place
                                                      // of a run of joined ones, positional (inner
                                                      // ones are found by the bigrams they start)
inline constexpr std::string_view kHanBigram = "B";   // B缔约 two adjacent Han characters, positional
inline constexpr std::string_view kAlnumPair = "J";   // J3/5 two alnum parts of a compound with the
                                                      // character joining them, positional
inline constexpr std::string_view kLexiconTerm = "L"; // L遗传资源 a lexicon term occurring as a substring
                                                      // (any occurrence, overlapping); no positions
inline constexpr std::string_view kStem = "Z";        // Zen:workshop the Snowball stem of a word of the
                                                      // body text in the document's language, when it
                                                      // has a stemmer (ar en es fr ru): "Z" + lang +
                                                      // ":" + stem, no positions (also under kSectionText
                                                      // and kItemText); an unquoted query word matches
                                                      // its stems in every such language. Added
                                                      // within version 8: an index written before has
                                                      // none, and matches words exactly
// unprefixed: alnum units ("unep", "2014", "xi"; positional), Han words of 2+ characters
// ("缔约方"; no positions; a one-character word is its kHanChar term),
// compounds ("unep/cbd/cop/12/24", "xi/1"; no positions).
inline constexpr std::string_view kSectionText = "S";  // section headings' text, same scheme with this prefix
inline constexpr std::string_view kItemText = "P";     // on a paragraph with items, lead-in passage only:
                                                       // the items' text (and their footnotes), same
                                                       // scheme with this prefix, for group=paragraph

// Identity and structure (boolean filters, wdf 0):
inline constexpr std::string_view kPassageId = "Q";    // QUNEP/CBD/NP/COP-MOP/1/6#27(b): the passage key,
                                                       // the same in every language version of the
                                                       // document (one Xapian document per version)
inline constexpr std::string_view kDocSymbol = "XP";   // XPUNEP/CBD/NP/COP-MOP/1/6 (parent document, all
                                                       // its language versions)
inline constexpr std::string_view kDocVersion = "XV";  // XVUNEP/CBD/NP/COP-MOP/1/6@zh: one language version
                                                       // of the document (version_key()); re-adding a
                                                       // version deletes by this term
inline constexpr std::string_view kKind = "XKIND";     // XKINDheader | XKINDparagraph | XKINDitem

// Fields (boolean filters, wdf 0). No field prefix is a prefix of another, so a prefix scan
// (allterms_begin) lists one field only.
inline constexpr std::string_view kOrg = "XO";         // XOfao (organization id); XOx:非洲遗传资源研究网络
                                                       // (one a document defines, not in the gazetteer)
inline constexpr std::string_view kYear = "XY";        // XY2014, for every year a date covers
inline constexpr std::string_view kMonth = "XM";       // XM201406, for every month a date of month
                                                       // or day precision covers
inline constexpr std::string_view kDecision = "XD";    // XD11/1 and XD11/1 d (session always Arabic),
                                                       // and with the body: XDcop:11/1, XDcop:11/1 d,
                                                       // XDnp:2/5, XDcp:7/5, XDicnp:3/5 (DecisionRef)
inline constexpr std::string_view kSymbol = "XSYM";    // XSYMUNEP/CBD/COP/12/24 (cited or own)

// Document facts (document_facts.h), on every passage of the document (boolean filters, wdf 0):
inline constexpr std::string_view kDocKey = "XU";      // XUCBD/NP/MOP/3/4/ADD.1: the document's symbol
                                                       // in ASCII upper case, for the doc filter (any
                                                       // case); kDocSymbol keeps it as given
inline constexpr std::string_view kMeeting = "XB";     // XBnp-mop:1 (meeting id) and XBnp-mop (its
                                                       // body alone, so a body filter needs one term)
inline constexpr std::string_view kDocType = "XT";     // XTnote (document type id)
inline constexpr std::string_view kLang = "XL";        // XLzh (language code)
inline constexpr std::string_view kIssuedYear = "XI";  // XI2018 (year of the cover's issue date;
                                                       // none when the cover has no date)

// ---- Value slots ----------------------------------------------------------------------------
// Multi-valued slots hold the values joined by kValueSeparator.
inline constexpr char kValueSeparator = '\x1f';
inline constexpr Xapian::valueno kSlotOrder = 0;      // sort key for document order:
                                                      // "<symbol>\x1f<5-digit passage ordinal>"
inline constexpr Xapian::valueno kSlotDate = 1;       // sortable_serialise(first day), for sort=date
inline constexpr Xapian::valueno kSlotDateRanges = 2; // "first_day:last_day" per date (days since 1970)
inline constexpr Xapian::valueno kSlotOrgs = 3;       // organization ids
inline constexpr Xapian::valueno kSlotYears = 4;      // years covered ("2014")
inline constexpr Xapian::valueno kSlotDecisions = 5;  // decision ids ("cop:11/1 D", "np:2/5")
inline constexpr Xapian::valueno kSlotSymbols = 6;    // symbols cited or own
inline constexpr Xapian::valueno kSlotMonths = 7;     // months covered ("2014-06")
inline constexpr Xapian::valueno kSlotId = 8;         // the passage id, so hits asked only for ids
                                                      // need not decode the stored passage
// Document facts, the same on every passage of a document (single-valued):
inline constexpr Xapian::valueno kSlotDoc = 9;        // the document's symbol (doc facet)
inline constexpr Xapian::valueno kSlotMeeting = 10;   // meeting id "np-mop:1" (meeting facet)
inline constexpr Xapian::valueno kSlotDocType = 11;   // type id "note" (type facet)
inline constexpr Xapian::valueno kSlotLang = 12;      // language code "zh" (lang facet)
inline constexpr Xapian::valueno kSlotIssuedYear = 13;  // "2018" (issued facet); absent without a date
inline constexpr Xapian::valueno kSlotIssued = 14;    // sortable_serialise(issue day, days since
                                                      // 1970), for issued date ranges; absent without
                                                      // a full date

// ---- Document data --------------------------------------------------------------------------
// Xapian::Document::get_data() holds what is the passage's own, as a MessagePack array
// (passage_data.h): para, kind (PassageKind), order, section (path), text, footnotes
// [[number, text, links]], org ids, dates [[from, to, text]], decisions [[id, text(, label)]]
// (the label only when decision_label(id) differs), symbols, first line, last line, then only
// when needed the id (when not "<symbol>#<para>"; else null) and the issue date (when kSlotIssued
// cannot hold it). Readers make the passage's JSON (passage_to_json(): id, doc, para, kind, order,
// section, text, footnotes, orgs [{id, label, acronym}], dates, decisions [{id, label, text}],
// symbols, title, lines, meeting, type, issued, lang) with decode_passage_data(): doc, meeting,
// type, lang and issued from slots 9-12 and 14, the title from the document's summary
// (kMetaDocPrefix), organizations' labels and acronyms from the gazetteer.

// ---- Metadata -------------------------------------------------------------------------------
inline constexpr std::string_view kMetaSchemaVersion = "treaty:schema";
inline constexpr std::string_view kMetaLastCommit = "treaty:last_commit";  // ISO 8601 UTC
inline constexpr std::string_view kMetaAnalysis = "treaty:analysis";  // how the index was analysed:
                                                                      // AnalysisFingerprint record
                                                                      // (analysis.h), every commit
inline constexpr std::string_view kMetaSourcePrefix = "treaty:source:";  // + version key -> JSON {source
                                                                         // (file name), symbol, lang
                                                                         // (Document::language), text
                                                                         // (the text parsed)}, for
                                                                         // `indexer reindex`
inline constexpr std::string_view kMetaOrgName = "treaty:orgname:";    // + normalised name -> the id of
                                                                           // an organization a document
                                                                           // defines (local_org_id)
inline constexpr std::string_view kMetaDocPrefix = "treaty:doc:";          // + version key -> document
                                                                           // JSON (header, facts,
                                                                           // sections, passage ids)
inline constexpr std::string_view kMetaLinksPrefix = "treaty:links:";      // + symbol -> the links
                                                                           // between its versions'
                                                                           // passages, when it has
                                                                           // two or more
                                                                           // (version_links.h)
inline constexpr std::string_view kMetaDictionaryPrefix = "treaty:dictionary:";  // + "zh-" + lang ->
                                                                           // the mined bilingual
                                                                           // dictionary (dictionary.h)
inline constexpr std::string_view kMetaAnchorsPrefix = "treaty:anchors:";  // + version key -> its
                                                                           // passages' alignment
                                                                           // units (AlignUnit)

// A document version's key: "<symbol>@<lang>" ("<symbol>@" when its language is not known).
// A language code holds no '@', so the key splits at its last '@'.
inline std::string version_key(std::string_view symbol, std::string_view lang) {
  std::string key(symbol);
  key += '@';
  key += lang;
  return key;
}

// Vectors (vectors.bin) are per language version: a passage's vector id is "<lang>:<passage id>",
// and those of one version share the prefix vector_document(symbol, lang) + '#'.
inline std::string vector_document(std::string_view symbol, std::string_view lang) {
  std::string key(lang);
  key += ':';
  key += symbol;
  return key;
}
inline std::string vector_id(std::string_view lang, std::string_view passage_id) {
  return vector_document(passage_id, lang);
}
// The passage id of vector id `id` (what follows the language's ':'); `id` itself without one.
inline std::string_view passage_of_vector_id(std::string_view id) {
  const std::size_t colon = id.find(':');
  return colon == std::string_view::npos ? id : id.substr(colon + 1);
}

// Passage id: "<symbol>#<para>".
inline std::string passage_id(std::string_view symbol, std::string_view para) {
  std::string id(symbol);
  id += '#';
  id += para;
  return id;
}

}  // namespace treaty::schema
