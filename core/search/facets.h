// Facet counting: which facets a request counts in the main pass and which (disjunctive mode)
// in a pass without their own filter, counting a match set from the SlotTable, and the facets'
// values with their display labels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

#include "core/base/error.h"
#include "core/documents/references.h"  // decision_label(), used by FacetLabels
#include "core/search/filters.h"
#include "core/search/response.h"
#include "core/search/slot_table.h"
#include "core/search/vector_retrieval.h"

namespace treaty {

class Gazetteer;

// Counts the match set's documents per facet value from a SlotTable: per document, an array
// walk and integer increments.
class FacetSpy : public Xapian::MatchSpy {
 public:
  // Counts the facets kFacetDefs[k] for each k in `facets`; `table` must outlive the spy.
  FacetSpy(const SlotTable& table, std::vector<std::size_t> facets);

  void operator()(const Xapian::Document& doc, double) override { add(doc.get_docid()); }

  // Counts document `did` (vector hits outside the Xapian match set are added this way).
  void add(Xapian::docid did);

  // True when it counts at least one facet (else there is no need to run it over a match set).
  bool counting() const { return !facets_.empty(); }

  // Value -> number of matching documents carrying it, for the i-th facet asked.
  std::vector<std::pair<std::string, std::uint64_t>> values(std::size_t i) const;

 private:
  const SlotTable& table_;
  std::vector<std::size_t> facets_;  // indexes into kFacetDefs
  std::vector<std::vector<std::uint32_t>> counts_;
};

// Where each facet a request asks for is counted (indexes into kFacetDefs, each once).
struct FacetPlan {
  std::vector<std::size_t> main;      // in the main pass over the result set
  std::vector<std::size_t> own_pass;  // disjunctive mode with a filter on the facet's own field:
                                      // in a pass as if that filter were not set
};

// Precondition: request.facets are known names (check_request()).
FacetPlan plan_facets(const SearchRequest& request, const Filters& filters);

// Counts into `own` (a spy for one facet, kFacetDefs[k]) the result set as it would be without
// the filter on that facet's field: the lexical matches of `query` (unless `semantic`) and, with
// `vectors`, the vector candidates the lexical query does not match. `time_limit` (seconds, 0:
// none) bounds the lexical pass (Xapian's Enquire::set_time_limit). True: every match was
// counted; false: the time limit cut the pass short (the counts are lower bounds). Errors: the
// vector search failed.
Expected<bool> count_without_own_filter(std::size_t k, FacetSpy& own, const Xapian::Database& db,
                                        const Xapian::Query& query, const Filters& filters,
                                        const VectorRetriever* vectors, bool semantic, double time_limit = 0);

// Display labels of facet values.
class FacetLabels {
 public:
  // Both must outlive the labeller; `db` is read for document titles only.
  FacetLabels(const Gazetteer& gazetteer, const Xapian::Database& db);

  // The label of `value` in facet `facet`: organizations by the gazetteer's Chinese name and
  // acronym ("联合国环境规划署 (UNEP)"), decisions by decision_label(), documents by their title
  // (the index's per-document metadata; the symbol when the document has no title), meetings by
  // meeting_label() ("名古屋议定书缔约方会议第1次会议 (NP COP-MOP 1)"), types by their Chinese
  // label ("说明"), languages by language_label() ("中文"); anything else (and any value these
  // do not know) is its own label.
  std::string label(std::string_view facet, const std::string& value) const;

 private:
  const Gazetteer* gazetteer_;
  const Xapian::Database* db_;
};

// The facet `name` from its counted values: the `limit` most frequent (ties by value), each with
// its display label (FacetLabels::label()).
Facet make_facet(std::string_view name, std::vector<std::pair<std::string, std::uint64_t>> counted,
                 std::size_t limit, const FacetLabels& labels);

}  // namespace treaty
