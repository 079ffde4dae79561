// searchd's URL parameters → requests: which parameters each route accepts, how each is read and
// checked, and the 400/413 errors a bad one gets (docs/API.md lists them).
#pragma once

#include <expected>
#include <string>

#include "core/search/document_list.h"
#include "core/search/request.h"
#include "searchd/config.h"

namespace httplib {
struct Request;
}

namespace treaty::searchd {

// A request the route refuses: the status (400, 413) and a message naming the parameter.
struct HttpError {
  int status;
  std::string message;
};

// /search and /similar: q, the filters (org, year, decision, symbol, kind, doc, meeting, type,
// lang, issued: repeated and/or comma-separated; date_from/date_to, issued_from/issued_to),
// paging, sort, facets, fields, mode, scope, group, highlight tags. Errors: an unknown parameter,
// a single-valued one given twice, a malformed number, sort, facet, scope, group, mode or
// disjunctive value, over-long highlight tags (400), q over config.max_query_bytes (413). Filter
// values are checked by the searcher.
std::expected<SearchRequest, HttpError> search_request(const httplib::Request& req, const SearchdConfig& config);

// /documents: the filters doc, meeting, type, lang, issued (repeated and/or comma-separated),
// issued_from/issued_to, size (1-1000, default 20), offset (0-100000), disjunctive. Errors as
// search_request(); filter values are checked by list_documents().
std::expected<DocumentListRequest, HttpError> document_list_request(const httplib::Request& req);

}  // namespace treaty::searchd
