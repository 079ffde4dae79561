// Filters: one builder for the URL parameters (SearchRequest's orgs, years, decisions, symbols,
// kinds, dates, docs, meetings, types, langs, issued) and the query language's fields (org:,
// year:, decision:, symbol:, kind:, date:, doc:, meeting:, type:, lang:, issued:), so the same
// value is normalised the same way and matches the same passages either way.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "core/base/error.h"
#include "core/search/date_filter.h"

namespace treaty {

class Gazetteer;
class Normalizer;
struct SearchRequest;

// The fields a filter can be on: the query language's field names and the URL parameters'.
inline constexpr std::string_view kFilterFields[] = {"org",  "year",    "decision", "symbol", "kind", "date",
                                                     "doc",  "meeting", "type",     "lang",   "issued"};

// How a value was given, for error messages: "decision foo ..." (a URL parameter) or
// "decision:foo ..." (a field in the query).
enum class FilterSyntax { parameter, query_field };

class FilterBuilder {
 public:
  // All must outlive the builder. `db` (optional) resolves the names of organizations that
  // documents define but the gazetteer does not know (schema::kMetaOrgName).
  FilterBuilder(const Normalizer& normalizer, const Gazetteer& gazetteer, const Xapian::Database* db = nullptr);

  // The passages with `value` in `field` (one of kFilterFields), at weight 0:
  //   org       an organization id, name or acronym in any script or case (the gazetteer's
  //             resolve()), or the full or short name of one a document defines (its id
  //             "x:<full name>"); an unknown one matches nothing and adds a warning, it is no error
  //   year      four digits, ASCII or full-width
  //   decision  "XI/1", "11/1", "XI/1 D", "67/212", or a decision facet id ("cop:11/1 D")
  //   symbol    a document symbol, any case or width ("unep/cbd/cop/12/24")
  //   kind      a passage kind: header, paragraph, item
  //   date      "2014", "2014-05..2014-06", "2014-05-03..", "..2013" (date_filter.h)
  // and on the document's facts (document_facts.h), true of every passage of a document:
  //   doc       the document's own symbol, any case or width ("cbd/np/mop/3/4/add.1")
  //   meeting   a meeting id "np-mop:1", a form parse_meeting() reads ("NP-MOP 1", "COP 13",
  //             "COP XIII"), or a body alone ("cop": all its sessions)
  //   type      a document type id ("note") or its Chinese label ("说明")
  //   lang      a language code ("zh") or a UN language's name ("中文", "Chinese")
  //   issued    the cover's issue date in a range, written as for date ("2018",
  //             "2018-05..2018-10"); whole years match by year, other ranges need the full date
  // Surrounding blanks are ignored. Errors: a malformed value (for decision and kind, the message
  // names field and value as `syntax` writes them; year and date errors read "year 20x4: ..."
  // either way) or a field not in kFilterFields.
  Expected<Xapian::Query> value(std::string_view field, std::string_view value, FilterSyntax syntax,
                                std::vector<std::string>& warnings) const;

  // The passages with a date expression that overlaps (intersects) or lies inside (within) the
  // range `value` ("2014", "2014-05..2014-06", "..2013"), at weight 0; value("date", v) is
  // date(v, DateRelation::intersects). Errors: a malformed range.
  Expected<Xapian::Query> date(std::string_view value, DateRelation relation) const;

  // The passages with any of `values` in `field`, at weight 0. Precondition: values not empty.
  Expected<Xapian::Query> any_of(std::string_view field, const std::vector<std::string>& values,
                                 FilterSyntax syntax, std::vector<std::string>& warnings) const;

 private:
  // The id of the organization called `value` when a document defines it, or "".
  std::string local_org(std::string_view value) const;

  const Normalizer* normalizer_;
  const Gazetteer* gazetteer_;
  const Xapian::Database* db_;
};

// One field's filter: its values ORed.
struct FieldFilter {
  std::string field;       // a kFilterFields name, which is also its facet's name; "group" for
                           // group=paragraph's restriction to headers and paragraphs
  Xapian::Query query;     // weight 0
};

// A request's filters, one per field, ANDed.
class Filters {
 public:
  // Adds the filter on `field`; callers add one filter per field (its values ORed), so that
  // skipping a field in apply() skips all of it.
  void add(std::string_view field, Xapian::Query query);

  bool has(std::string_view field) const;
  // Any filter on another field than `skip`?
  bool restricts_except(std::string_view skip) const;

  // `base` restricted by every filter except the one on `skip` (empty: none skipped).
  Xapian::Query apply(const Xapian::Query& base, std::string_view skip = {}) const;

  const std::vector<FieldFilter>& all() const { return filters_; }

 private:
  std::vector<FieldFilter> filters_;
};

// The filters of `request`'s URL-parameter fields (each field's values ORed), of
// request.paragraphs (items are searched through their paragraph's lead-in) and of request.scope
// (named "scope:<field>", so never skipped). Errors as
// FilterBuilder::value(); unknown organizations add to `warnings`.
Expected<Filters> request_filters(const SearchRequest& request, const FilterBuilder& builder,
                                  std::vector<std::string>& warnings);

}  // namespace treaty
