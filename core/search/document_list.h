// The list of indexed documents (searchd's GET /documents): each document's facts from its
// per-document metadata, filtered by the same FilterBuilder as searches, paged, with counts by
// meeting and type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/base/error.h"
#include "core/search/budget.h"
#include "core/search/response.h"

namespace treaty {

class Searcher;

struct DocumentListRequest {
  // Filters on the documents' facts, as SearchRequest's fields of the same names (filters.h):
  // values of one field are alternatives (OR), fields all apply (AND).
  std::vector<std::string> docs;
  std::vector<std::string> meetings;
  std::vector<std::string> types;
  std::vector<std::string> langs;
  std::vector<std::string> issued;
  std::string issued_from;
  std::string issued_to;
  std::size_t size = 20;       // documents to return
  std::size_t offset = 0;      // documents to skip, in symbol order
  bool disjunctive = false;    // count each of meeting and type as if its own filter were not set
  std::size_t count_limit = 1000;  // values listed per count (the most frequent first)
  Deadline deadline;               // as SearchRequest::deadline (the list is such a search)
  QueryLimits limits;              // max_filter_values caps the filter values together
  FilterScope scope;               // as SearchRequest::scope (a scoped API key)
};

struct DocumentList {
  std::uint64_t total = 0;              // documents passing the filters
  std::vector<nlohmann::json> documents;  // the page, in symbol order: {symbol, title, meeting,
                                          // meeting_label, type, type_label, issued, lang,
                                          // distribution, passages (count), source}
  std::vector<Facet> counts;            // "meeting" then "type": {value, label, count} of the
                                        // documents passing the filters
  std::vector<std::string> warnings;
  bool timed_out = false;               // the time budget ran out (SearchResponse::timed_out; a
                                        // warning says what was cut)

  // {"total", "documents", "counts": {"meeting": [...], "type": [...]}, "warnings", "timed_out"}
  nlohmann::json to_json() const;
};

// Lists the documents of the index `searcher` searches that pass `request`'s filters.
// A document is found through its header passage (Document::passages[0], kind header: one per
// document), so every filter and count works on the same terms and slots as a search; its
// entry is read from its metadata (schema.h, kMetaDocPrefix). The deadline applies as in
// Searcher::search(). Errors: malformed filter values, more than limits.max_filter_values, as
// Searcher::search().
Expected<DocumentList> list_documents(Searcher& searcher, const DocumentListRequest& request);

}  // namespace treaty
