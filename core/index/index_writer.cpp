#include "core/index/index_writer.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>

#include "core/documents/dates.h"
#include "core/documents/document_facts.h"
#include "core/text/analyzer.h"
#include "core/index/dictionary.h"
#include "core/index/document_json.h"
#include "core/index/document_versions.h"
#include "core/index/index_layout.h"
#include "core/index/passage_data.h"
#include "core/index/schema.h"
#include "core/index/text_terms.h"
#include "core/index/version_links.h"

namespace treaty {
namespace {

constexpr std::string_view kLockedMessage =
    "index is locked by another writer (an indexer command, or searchd writing documents); retry when it is done";

std::string prefixed(std::string_view prefix, std::string_view value) {
  std::string term(prefix);
  term += value;
  return term;
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += schema::kValueSeparator;
    out += v;
  }
  return out;
}

// The document's facts, the same on every passage: boolean terms and single-valued slots.
void add_document_facts(Xapian::Document& xd, const Document& doc, const DocumentFacts& facts) {
  std::string key = doc.symbol;
  for (char& c : key)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  xd.add_boolean_term(prefixed(schema::kDocKey, key));
  xd.add_boolean_term(prefixed(schema::kMeeting, facts.meeting));
  xd.add_boolean_term(prefixed(schema::kMeeting, facts.body));
  xd.add_boolean_term(prefixed(schema::kDocType, facts.type));
  xd.add_boolean_term(prefixed(schema::kLang, facts.lang));
  xd.add_value(schema::kSlotDoc, doc.symbol);
  xd.add_value(schema::kSlotMeeting, facts.meeting);
  xd.add_value(schema::kSlotDocType, facts.type);
  xd.add_value(schema::kSlotLang, facts.lang);
  if (facts.issued_year > 0) {
    const std::string year = std::to_string(facts.issued_year);
    xd.add_boolean_term(prefixed(schema::kIssuedYear, year));
    xd.add_value(schema::kSlotIssuedYear, year);
  }
  if (auto day = issued_day(facts.issued)) xd.add_value(schema::kSlotIssued, Xapian::sortable_serialise(*day));
}

std::string utc_now_iso() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

bool is_locked(const Error& error) { return error.message == kLockedMessage; }

Xapian::Document build_passage_document(const Document& doc, std::size_t index,
                                        const PassageFields& fields,
                                        Analyzer& analyzer, const Stemmers* stemmers) {
  const Passage& p = doc.passages[index];
  Xapian::Document xd;
  const DocumentFacts facts = document_facts(doc);

  // Analysed text under `prefix` from `pos` on, with the stems of its words in the document's
  // language.
  auto add_text = [&](const std::string& text, Xapian::termpos pos, const std::string& prefix) {
    const Analysis analysis = analyzer.analyze(text);
    if (stemmers != nullptr) add_stem_terms(xd, analysis, facts.lang, *stemmers, prefix);
    return add_text_terms(xd, analysis, pos, prefix);
  };
  // A passage's text, then the texts of the footnotes it cites.
  auto add_body = [&](const Passage& passage, Xapian::termpos pos, const std::string& prefix) {
    pos = add_text(passage.text, pos, prefix);
    for (int n : passage.footnotes)
      for (const Footnote& f : doc.footnotes)
        if (f.number == n) pos = add_text(f.text, pos, prefix);
    return pos;
  };
  // Body text and cited footnotes (searchable with the passage that cites them).
  add_body(p, 1, {});
  // A paragraph's lead-in also carries its items' bodies under their own prefix, so a search by
  // whole paragraphs (group=paragraph) finds words spread over the lead-in and an item.
  if (p.kind == PassageKind::paragraph) {
    Xapian::termpos item_pos = 1;
    for (std::size_t i = index + 1; i < doc.passages.size(); ++i) {
      const Passage& item = doc.passages[i];
      if (item.kind != PassageKind::item || item.number != p.number) break;
      item_pos = add_body(item, item_pos, std::string(schema::kItemText));
    }
  }
  // Section headings under their own prefix, so searchd can boost heading matches.
  Xapian::termpos section_pos = 1;
  for (const std::string& heading : p.section_path)
    section_pos = add_text(heading, section_pos, std::string(schema::kSectionText));

  xd.add_boolean_term(prefixed(schema::kPassageId, p.id));
  xd.add_boolean_term(prefixed(schema::kDocSymbol, doc.symbol));
  xd.add_boolean_term(prefixed(schema::kDocVersion, schema::version_key(doc.symbol, facts.lang)));
  xd.add_boolean_term(prefixed(schema::kKind, kind_name(p.kind)));
  add_document_facts(xd, doc, facts);
  for (const std::string& org : fields.orgs) xd.add_boolean_term(prefixed(schema::kOrg, org));

  std::vector<std::string> years, months, ranges;
  int first_day = 0;
  bool have_day = false;
  for (const DateRange& d : fields.dates) {
    for (int y : d.years()) {
      const std::string s = std::to_string(y);
      xd.add_boolean_term(prefixed(schema::kYear, s));
      if (std::find(years.begin(), years.end(), s) == years.end()) years.push_back(s);
    }
    for (int ym : d.months()) {
      xd.add_boolean_term(prefixed(schema::kMonth, std::to_string(ym)));
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d", ym / 100, ym % 100);
      if (std::find(months.begin(), months.end(), buf) == months.end()) months.emplace_back(buf);
    }
    ranges.push_back(std::to_string(d.first_day()) + ":" + std::to_string(d.last_day()));
    if (!have_day || d.first_day() < first_day) first_day = d.first_day();
    have_day = true;
  }
  std::vector<std::string> decision_ids;
  for (const DecisionRef& d : fields.decisions) {
    // Each with and without its body, so that "2/9" finds any body's and "NP-2/9" only NP's.
    for (const std::string& key : {d.key(), d.part_key(), d.body_key(), d.body_part_key()})
      if (!key.empty()) xd.add_boolean_term(prefixed(schema::kDecision, key));
    decision_ids.push_back(d.id());
  }
  for (const std::string& s : fields.symbols) xd.add_boolean_term(prefixed(schema::kSymbol, s));

  char ordinal[16];
  std::snprintf(ordinal, sizeof ordinal, "%05zu", index);
  xd.add_value(schema::kSlotOrder, doc.symbol + schema::kValueSeparator + ordinal);
  xd.add_value(schema::kSlotId, p.id);
  if (have_day) xd.add_value(schema::kSlotDate, Xapian::sortable_serialise(first_day));
  if (!ranges.empty()) xd.add_value(schema::kSlotDateRanges, joined(ranges));
  if (!fields.orgs.empty()) xd.add_value(schema::kSlotOrgs, joined(fields.orgs));
  if (!years.empty()) xd.add_value(schema::kSlotYears, joined(years));
  if (!months.empty()) xd.add_value(schema::kSlotMonths, joined(months));
  if (!decision_ids.empty()) xd.add_value(schema::kSlotDecisions, joined(decision_ids));
  if (!fields.symbols.empty()) xd.add_value(schema::kSlotSymbols, joined(fields.symbols));

  xd.set_data(encode_passage_data(doc, index, fields, facts));
  return xd;
}

IndexWriter::IndexWriter(Xapian::WritableDatabase db)
    : db_(std::make_unique<Xapian::WritableDatabase>(std::move(db))) {
  // Everything until commit() stays in one transaction: an interrupted or failed run leaves the
  // index exactly at its last commit, even past Xapian's automatic flush threshold.
  db_->begin_transaction(true);
}

IndexWriter::IndexWriter(IndexWriter&&) noexcept = default;
IndexWriter& IndexWriter::operator=(IndexWriter&&) noexcept = default;

IndexWriter::~IndexWriter() {
  if (!db_) return;
  try {
    db_->cancel_transaction();
    db_->close();
  } catch (const Xapian::Error&) {
    // Nothing useful to do while unwinding; the last commit is intact.
  }
}

Expected<IndexWriter> IndexWriter::open(const std::filesystem::path& dir, IndexWriterOptions options) {
  try {
    std::error_code ec;
    // No database yet (the directory may hold other files, such as searchd's keys.json).
    const bool fresh = !std::filesystem::exists(dir / kStubFile, ec) && !std::filesystem::exists(dir / "iamglass", ec);
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail("cannot create index directory: " + ec.message(), dir.string());
    if (fresh && !options.plain) {
      // A new index starts at generation 1 behind a stub; Xapian creates gen-1 through it.
      if (auto ok = switch_generation(dir, 1); !ok) return std::unexpected(ok.error());
    }
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OPEN);
    const std::string version = db.get_metadata(std::string(schema::kMetaSchemaVersion));
    if (!options.lock_only && !version.empty() && version != schema::kSchemaVersion)
      return fail("index has schema version " + version + ", this indexer writes " +
                      std::string(schema::kSchemaVersion) + "; rebuild it in a new directory",
                  dir.string());
    IndexWriter writer(std::move(db));
    writer.link_ = options.link;
    if (options.analysis) {
      const auto recorded = AnalysisFingerprint::from_record(writer.db_->get_metadata(std::string(schema::kMetaAnalysis)));
      if (writer.db_->get_doccount() > 0) writer.differences_ = treaty::analysis_differences(recorded, *options.analysis);
      if (writer.differences_.empty()) writer.analysis_record_ = options.analysis->to_record();
    }
    return writer;
  } catch (const Xapian::DatabaseLockError&) {
    return fail(std::string(kLockedMessage), dir.string());
  } catch (const Xapian::Error& e) {
    return fail("cannot open index for writing: " + e.get_description(), dir.string());
  }
}

std::size_t IndexWriter::replace_document(const Document& doc, const DocumentFields& fields, Analyzer& analyzer,
                                          std::string_view text) {
  const std::string facts_lang = version_language(doc);
  const std::string version = schema::version_key(doc.symbol, facts_lang);
  db_->delete_document(prefixed(schema::kDocVersion, version));
  for (std::size_t i = 0; i < doc.passages.size(); ++i)
    db_->add_document(build_passage_document(doc, i, fields.passages[i], analyzer, &stemmers_));
  db_->set_metadata(prefixed(schema::kMetaDocPrefix, version), document_summary_json(doc, fields).dump());
  // What `indexer reindex` parses again: the text, its file name, the symbol and the language.
  db_->set_metadata(prefixed(schema::kMetaSourcePrefix, version),
                    text.empty() ? std::string()
                                 : nlohmann::json{{"source", doc.source}, {"symbol", doc.symbol}, {"lang", doc.language},
                                                  {"text", text}}.dump());
  store_align_units(*db_, doc.symbol, facts_lang, align_units(doc, fields));
  if (link_) relink(*db_, doc.symbol);
  // Names of the organizations it defines, so that org= finds them by either name.
  for (const auto& [name, id] : fields.mined_aliases)
    if (id.starts_with(kLocalOrgPrefix)) db_->set_metadata(prefixed(schema::kMetaOrgName, name), id);
  return doc.passages.size();
}

std::size_t IndexWriter::remove_document(std::string_view symbol, std::string_view lang) {
  std::vector<std::string> langs;
  if (lang.empty()) {
    langs = versions(symbol);
  } else {
    langs.emplace_back(lang);
  }
  std::size_t count = 0;
  for (const std::string& l : langs) {
    const std::string version = schema::version_key(symbol, l);
    const std::string term = prefixed(schema::kDocVersion, version);
    const std::size_t n = db_->get_termfreq(term);
    if (n > 0) db_->delete_document(term);
    count += n;
    db_->set_metadata(prefixed(schema::kMetaDocPrefix, version), "");
    db_->set_metadata(prefixed(schema::kMetaSourcePrefix, version), "");
    store_align_units(*db_, symbol, l, {}, true);
  }
  if (link_ && !langs.empty()) relink(*db_, std::string(symbol));
  return count;
}

bool IndexWriter::contains(std::string_view symbol, std::optional<std::string_view> lang) const {
  if (lang) return db_->term_exists(prefixed(schema::kDocVersion, schema::version_key(symbol, *lang)));
  return db_->term_exists(prefixed(schema::kDocSymbol, symbol));
}

std::size_t IndexWriter::relink_all() {
  std::size_t linked = 0;
  const std::string prefix(schema::kDocSymbol);
  std::vector<std::string> symbols;
  for (auto it = db_->allterms_begin(prefix); it != db_->allterms_end(prefix); ++it)
    symbols.push_back((*it).substr(prefix.size()));
  for (const std::string& symbol : symbols)
    if (relink(*db_, symbol) > 0) ++linked;
  return linked;
}

std::size_t IndexWriter::rebuild_dictionaries() {
  const std::vector<Dictionary> dictionaries = mine_dictionaries(*db_);
  store_dictionaries(*db_, dictionaries);
  return dictionaries.size();
}

std::vector<std::string> IndexWriter::versions(std::string_view symbol) const {
  return document_versions(*db_, std::string(symbol));
}

std::uint64_t IndexWriter::commit() {
  db_->set_metadata(std::string(schema::kMetaSchemaVersion), std::string(schema::kSchemaVersion));
  db_->set_metadata(std::string(schema::kMetaLastCommit), utc_now_iso());
  if (analysis_record_) db_->set_metadata(std::string(schema::kMetaAnalysis), *analysis_record_);
  db_->commit_transaction();
  const std::uint64_t revision = db_->get_revision();
  db_->begin_transaction(true);
  return revision;
}

}  // namespace treaty
