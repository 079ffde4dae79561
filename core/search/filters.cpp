#include "core/search/filters.h"

#include <algorithm>
#include <limits>

#include "core/documents/dates.h"
#include "core/documents/document_facts.h"
#include "core/documents/gazetteer.h"
#include "core/documents/references.h"
#include "core/base/utf8.h"
#include "core/index/schema.h"
#include "core/search/date_filter.h"
#include "core/search/request.h"
#include "core/text/normalizer.h"

namespace treaty {
namespace {

Xapian::Query weightless(Xapian::Query q) { return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, std::move(q), 0.0); }

Xapian::Query term(std::string_view prefix, std::string_view value) {
  return Xapian::Query(std::string(prefix) + std::string(value));
}

// "decision foo" or "decision:foo", as the user wrote it.
std::string as_written(std::string_view field, std::string_view value, FilterSyntax syntax) {
  return std::string(field) + (syntax == FilterSyntax::query_field ? ":" : " ") + std::string(value);
}

// The document's symbol as the doc filter compares it (schema::kDocKey): NFKC, ASCII upper case.
std::string doc_key(const Normalizer& normalizer, std::string_view value) {
  std::string key = normalizer.normalize_string(value);
  for (char& c : key)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return key;
}

int year_of_day(int day) { return date_of_day(day).year; }

bool starts_year(int day) { return days_from_civil(year_of_day(day), 1, 1) == day; }
bool ends_year(int day) { return days_from_civil(year_of_day(day), 12, 31) == day; }

// Documents issued in `range`: by year terms when it is whole bounded years (no more than a
// century), else by the issue day's value slot.
Xapian::Query issued_query(const DayRange& range) {
  constexpr int kMin = std::numeric_limits<int>::min(), kMax = std::numeric_limits<int>::max();
  if (range.first != kMin && range.last != kMax && starts_year(range.first) && ends_year(range.last) &&
      year_of_day(range.last) - year_of_day(range.first) < 100) {
    std::vector<Xapian::Query> years;
    for (int y = year_of_day(range.first); y <= year_of_day(range.last); ++y)
      years.push_back(term(schema::kIssuedYear, std::to_string(y)));
    return weightless(Xapian::Query(Xapian::Query::OP_OR, years.begin(), years.end()));
  }
  const std::string from = Xapian::sortable_serialise(range.first == kMin ? -1e9 : range.first);
  const std::string to = Xapian::sortable_serialise(range.last == kMax ? 1e9 : range.last);
  return weightless(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotIssued, from, to));
}

// The filters on a document's facts (FilterBuilder::value(): doc, meeting, type, lang, issued);
// nullopt for another field.
std::optional<Expected<Xapian::Query>> document_fact_filter(std::string_view field, std::string_view value,
                                                            FilterSyntax syntax, const Normalizer& normalizer) {
  if (field == "doc") return weightless(term(schema::kDocKey, doc_key(normalizer, value)));
  if (field == "meeting") {
    const auto id = parse_meeting(normalizer.normalize_string(value));
    if (!id)
      return fail(as_written(field, value, syntax) +
                  " is not a meeting (e.g. np-mop:1, NP-MOP 1, COP 13, SBI 2, or a body alone: cop)");
    return weightless(term(schema::kMeeting, *id));
  }
  if (field == "type") {
    const auto type = parse_document_type(normalizer.normalize_string(value));
    if (!type) {
      std::string known;
      for (std::string_view t : kDocumentTypes) known += (known.empty() ? "" : ", ") + std::string(t);
      return fail(as_written(field, value, syntax) + " is not a document type (" + known + ")");
    }
    return weightless(term(schema::kDocType, *type));
  }
  if (field == "lang") {
    const auto lang = parse_language(normalizer.normalize_string(value));
    if (!lang) return fail(as_written(field, value, syntax) + " is not a language (e.g. zh, en, 中文)");
    return weightless(term(schema::kLang, *lang));
  }
  if (field == "issued") {
    auto range = parse_date_range(value);
    if (!range) return fail("issued: " + range.error().message);
    return issued_query(*range);
  }
  return std::nullopt;
}

}  // namespace

FilterBuilder::FilterBuilder(const Normalizer& normalizer, const Gazetteer& gazetteer, const Xapian::Database* db)
    : normalizer_(&normalizer), gazetteer_(&gazetteer), db_(db) {}

std::string FilterBuilder::local_org(std::string_view value) const {
  const std::string name = normalizer_->normalize_string(value);
  if (name.starts_with(kLocalOrgPrefix)) return name;  // a facet value
  if (!db_) return {};
  return db_->get_metadata(std::string(schema::kMetaOrgName) + name);
}

Expected<Xapian::Query> FilterBuilder::value(std::string_view field, std::string_view raw, FilterSyntax syntax,
                                             std::vector<std::string>& warnings) const {
  // Surrounding blanks are never part of a value, whichever way it came.
  const std::string_view value = trim_blank(raw);
  if (field == "org") {
    if (const Organization* org = gazetteer_->resolve(value)) return weightless(term(schema::kOrg, org->id));
    if (const std::string id = local_org(value); !id.empty()) return weightless(term(schema::kOrg, id));
    warnings.push_back("unknown organization \"" + std::string(value) + "\" (matches nothing)");
    return Xapian::Query();  // matches nothing (a query without shared internals)
  }
  if (field == "year") {
    auto year = parse_year(value);
    if (!year) return std::unexpected(year.error());
    return weightless(term(schema::kYear, *year));
  }
  if (field == "decision") {
    // Facet ids ("cop:11/1 D", "np:2/5") work as filters too, in any case or width.
    const auto key = decision_filter_key(normalizer_->normalize_string(value));
    if (!key) return fail(as_written(field, value, syntax) + " is not a decision reference (e.g. XI/1, XI/1 D, 67/212)");
    return weightless(term(schema::kDecision, *key));
  }
  if (field == "symbol") {
    // Symbols are indexed upper case; NFKC folds full-width forms.
    std::string symbol = normalizer_->normalize_string(value);
    for (char& c : symbol)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return weightless(term(schema::kSymbol, symbol));
  }
  if (field == "kind") {
    const std::string kind = normalizer_->normalize_string(value);  // any case or width
    if (kind != "header" && kind != "paragraph" && kind != "item" && kind != "table_row" && kind != "footnote")
      return fail(as_written(field, value, syntax) +
                  " is not a passage kind (header, paragraph, item, table_row, footnote)");
    return weightless(term(schema::kKind, kind));
  }
  if (field == "date") return date(value, DateRelation::intersects);
  if (auto q = document_fact_filter(field, value, syntax, *normalizer_)) return std::move(*q);
  return fail("unknown filter field \"" + std::string(field) + "\"");
}

Expected<Xapian::Query> FilterBuilder::date(std::string_view value, DateRelation relation) const {
  auto range = parse_date_range(trim_blank(value));
  if (!range) return std::unexpected(range.error());
  return date_filter_query(*range, relation);
}

Expected<Xapian::Query> FilterBuilder::any_of(std::string_view field, const std::vector<std::string>& values,
                                              FilterSyntax syntax, std::vector<std::string>& warnings) const {
  std::vector<Xapian::Query> alternatives;
  for (const std::string& v : values) {
    auto q = value(field, v, syntax, warnings);
    if (!q) return std::unexpected(q.error());
    alternatives.push_back(std::move(*q));
  }
  if (alternatives.size() == 1) return alternatives.front();
  return weightless(Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end()));
}

void Filters::add(std::string_view field, Xapian::Query query) {
  filters_.push_back({std::string(field), std::move(query)});
}

bool Filters::has(std::string_view field) const {
  return std::any_of(filters_.begin(), filters_.end(), [&](const FieldFilter& f) { return f.field == field; });
}

bool Filters::restricts_except(std::string_view skip) const {
  return std::any_of(filters_.begin(), filters_.end(), [&](const FieldFilter& f) { return f.field != skip; });
}

Xapian::Query Filters::apply(const Xapian::Query& base, std::string_view skip) const {
  std::vector<Xapian::Query> parts;
  for (const FieldFilter& f : filters_)
    if (f.field != skip) parts.push_back(f.query);
  if (parts.empty()) return base;
  return Xapian::Query(Xapian::Query::OP_FILTER, base, Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
}

Expected<Filters> request_filters(const SearchRequest& r, const FilterBuilder& builder,
                                  std::vector<std::string>& warnings) {
  Filters filters;
  const std::pair<std::string_view, const std::vector<std::string>*> fields[] = {
      {"org", &r.orgs},   {"year", &r.years},         {"decision", &r.decisions}, {"symbol", &r.symbols},
      {"kind", &r.kinds}, {"doc", &r.docs},           {"meeting", &r.meetings},   {"type", &r.types},
      {"lang", &r.langs}};
  for (const auto& [field, values] : fields) {
    if (values->empty()) continue;
    auto q = builder.any_of(field, *values, FilterSyntax::parameter, warnings);
    if (!q) return std::unexpected(q.error());
    filters.add(field, std::move(*q));
  }
  if (r.paragraphs) {
    // Items are part of their paragraph's lead-in passage (kItemText).
    // Table rows and unplaced footnotes are passages of their own, never part of a paragraph.
    const std::vector<Xapian::Query> whole = {term(schema::kKind, "header"), term(schema::kKind, "paragraph"),
                                              term(schema::kKind, "table_row"), term(schema::kKind, "footnote")};
    filters.add("group", Xapian::Query(Xapian::Query::OP_OR, whole.begin(), whole.end()));
  }
  if (!r.date_from.empty() || !r.date_to.empty()) {
    auto q = builder.date(r.date_from + ".." + r.date_to, r.date_relation);
    if (!q) return std::unexpected(q.error());
    filters.add("date", std::move(*q));
  }
  // issued: any of the listed ranges, and within [issued_from, issued_to]; one field either way.
  std::vector<Xapian::Query> issued;
  if (!r.issued.empty()) {
    auto q = builder.any_of("issued", r.issued, FilterSyntax::parameter, warnings);
    if (!q) return std::unexpected(q.error());
    issued.push_back(std::move(*q));
  }
  if (!r.issued_from.empty() || !r.issued_to.empty()) {
    auto q = builder.value("issued", r.issued_from + ".." + r.issued_to, FilterSyntax::parameter, warnings);
    if (!q) return std::unexpected(q.error());
    issued.push_back(std::move(*q));
  }
  if (!issued.empty())
    filters.add("issued", issued.size() == 1 ? issued.front() : Xapian::Query(Xapian::Query::OP_AND, issued.begin(), issued.end()));
  // Under a name of their own, so that no facet's disjunctive pass skips them.
  for (const auto& [field, values] : r.scope) {
    if (values.empty()) continue;
    auto q = builder.any_of(field, values, FilterSyntax::parameter, warnings);
    if (!q) return std::unexpected(q.error());
    filters.add("scope:" + field, std::move(*q));
  }
  return filters;
}

}  // namespace treaty
