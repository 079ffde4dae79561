// searchd's URL parameters → requests: which parameters each route accepts, how each is read and
// checked, and the 400/413 errors a bad one gets (docs/API.md lists them).
#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <string_view>

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
// paging, sort, facets, fields, mode, scope, group, highlight tags (and cache, read by
// cache_param()). Errors: an unknown parameter,
// a single-valued one given twice, a malformed number, sort, facet, scope, group, mode or
// disjunctive value, over-long highlight tags (400), q over config.max_query_bytes (413). Filter
// values and config.query_limits are checked by the searcher (400). The deadline is
// The `cache` parameter of /search, /similar and /documents (whether to use the result cache):
// absent, "true", "1" or "yes": true; "false", "0" or "no": false; anything else 400.
std::expected<bool, HttpError> cache_param(const httplib::Request& req);

// config.request_timeout_ms after `arrived`: the HTTP layer should pass the time the request
// arrived (read off the socket), so time spent queued for a worker counts; the default (now) is
// the time the request is converted.
std::expected<SearchRequest, HttpError> search_request(
    const httplib::Request& req, const SearchdConfig& config,
    std::chrono::steady_clock::time_point arrived = std::chrono::steady_clock::now());

// /documents: the filters doc, meeting, type, lang, issued (repeated and/or comma-separated),
// issued_from/issued_to, size (1-1000, default 20), offset (0-100000), disjunctive (and cache). Errors as
// search_request(); filter values are checked by list_documents(). The deadline and limits as
// search_request()'s.
std::expected<DocumentListRequest, HttpError> document_list_request(
    const httplib::Request& req, const SearchdConfig& config,
    std::chrono::steady_clock::time_point arrived = std::chrono::steady_clock::now());

// The `cache` parameter of /search, /similar and /documents (whether to use the result cache):
// absent, "true", "1" or "yes": true; "false", "0" or "no": false; anything else 400.
std::expected<bool, HttpError> cache_param(const httplib::Request& req);

// The language version a route reading or removing one document or passage is asked for:
// ?lang= (a code or name, parse_language(): "EN", "English" -> "en"), "" when absent. Errors
// (400): any other parameter (the message names `route`), lang given twice, not a language.
std::expected<std::string, HttpError> version_lang_param(const httplib::Request& req, std::string_view route);

// The language code of parameter `name`'s `value` (parse_language()); 400 naming `name` for a
// value that is no language.
std::expected<std::string, HttpError> language_param(std::string_view name, const std::string& value);

// config.request_timeout_ms after `arrived` (read with the steady clock); none when it is 0.
Deadline request_deadline(const SearchdConfig& config, std::chrono::steady_clock::time_point arrived);

}  // namespace treaty::searchd
