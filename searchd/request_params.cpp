#include "searchd/request_params.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <string_view>
#include <vector>

#include <httplib.h>

#include "core/documents/document_facts.h"

namespace treaty::searchd {
namespace {

constexpr std::string_view kSearchSingle[] = {"q",         "size",          "offset",          "sort",
                                              "facet_size", "disjunctive",  "date_from",       "date_to",
                                              "highlight_open", "highlight_close", "mode", "id", "scope", "group",
                                              "issued_from", "issued_to", "date_relation", "cache", "cross_lang"};
constexpr std::string_view kSearchMulti[] = {"org",  "year",    "decision", "symbol", "kind",   "facets",
                                             "fields", "doc",   "meeting",  "type",   "lang",   "issued",
                                             "display_lang"};
constexpr std::string_view kDocumentsSingle[] = {"size", "offset", "disjunctive", "issued_from", "issued_to", "cache"};
constexpr std::string_view kDocumentsMulti[] = {"doc", "meeting", "type", "lang", "issued"};

template <std::size_t N>
bool one_of(std::string_view s, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

// Every parameter is one of `single` or `multi`, and those of `single` are given at most once.
template <std::size_t S, std::size_t M>
std::expected<void, HttpError> check_names(const httplib::Request& req, const std::string_view (&single)[S],
                                           const std::string_view (&multi)[M]) {
  for (const auto& [key, value] : req.params) {
    if (!one_of(key, single) && !one_of(key, multi)) {
      std::string accepted;
      for (std::string_view p : single) accepted += (accepted.empty() ? "" : ", ") + std::string(p);
      for (std::string_view p : multi) accepted += ", " + std::string(p);
      return std::unexpected(HttpError{400, "unknown parameter \"" + key + "\" (accepted: " + accepted + ")"});
    }
    if (one_of(key, single) && req.get_param_value_count(key) > 1)
      return std::unexpected(HttpError{400, "parameter \"" + key + "\" given more than once"});
  }
  return {};
}

std::expected<bool, HttpError> boolean(const httplib::Request& req, const std::string& key, bool fallback) {
  if (!req.has_param(key)) return fallback;
  const std::string d = req.get_param_value(key);
  if (d == "true" || d == "1") return true;
  if (d == "false" || d == "0") return false;
  return std::unexpected(HttpError{400, key + " must be true or false, got \"" + d + "\""});
}

// Every value of a multi-valued parameter, repeated and/or comma-separated, blanks dropped.
std::vector<std::string> values_of(const httplib::Request& req, const std::string& key) {
  std::vector<std::string> out;
  auto range = req.params.equal_range(key);
  for (auto it = range.first; it != range.second; ++it) {
    std::string_view rest = it->second;
    while (true) {
      const std::size_t comma = rest.find(',');
      std::string_view one = rest.substr(0, comma);
      while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
      while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
      if (!one.empty()) out.emplace_back(one);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

std::expected<std::size_t, HttpError> number(const httplib::Request& req, const std::string& key,
                                             std::size_t fallback, std::size_t min, std::size_t max) {
  if (!req.has_param(key)) return fallback;
  const std::string value = req.get_param_value(key);
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() || n < min || n > max)
    return std::unexpected(HttpError{400, key + " must be a whole number from " + std::to_string(min) + " to " +
                                              std::to_string(max) + ", got \"" + value + "\""});
  return n;
}

// The document-level filters, the same on /search and /documents.
template <class Request>
void read_document_filters(const httplib::Request& req, Request& r) {
  r.docs = values_of(req, "doc");
  r.meetings = values_of(req, "meeting");
  r.types = values_of(req, "type");
  r.langs = values_of(req, "lang");
  r.issued = values_of(req, "issued");
  r.issued_from = req.get_param_value("issued_from");
  r.issued_to = req.get_param_value("issued_to");
}

}  // namespace

std::expected<bool, HttpError> cache_param(const httplib::Request& req) {
  if (!req.has_param("cache")) return true;
  const std::string v = req.get_param_value("cache");
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  return std::unexpected(HttpError{400, "cache must be true or false (or yes, no), got \"" + v + "\""});
}

std::expected<std::string, HttpError> version_lang_param(const httplib::Request& req, std::string_view route) {
  for (const auto& [name, value] : req.params)
    if (name != "lang")
      return std::unexpected(HttpError{400, "unknown parameter \"" + name + "\" (" + std::string(route) + " takes lang)"});
  if (req.get_param_value_count("lang") > 1) return std::unexpected(HttpError{400, "lang is given more than once"});
  if (!req.has_param("lang")) return std::string();
  return language_param("lang", req.get_param_value("lang"));
}

std::expected<std::string, HttpError> language_param(std::string_view name, const std::string& value) {
  auto code = parse_language(value);
  if (!code)
    return std::unexpected(HttpError{400, std::string(name) + " must be a language code (ar, en, es, fr, ru, zh), got \"" +
                                              value + "\""});
  return *code;
}

Deadline request_deadline(const SearchdConfig& config, std::chrono::steady_clock::time_point arrived) {
  if (config.request_timeout_ms <= 0) return {};
  return Deadline(arrived, std::chrono::milliseconds(config.request_timeout_ms));
}

std::expected<SearchRequest, HttpError> search_request(const httplib::Request& req, const SearchdConfig& c,
                                                       std::chrono::steady_clock::time_point arrived) {
  if (auto ok = check_names(req, kSearchSingle, kSearchMulti); !ok) return std::unexpected(ok.error());
  SearchRequest r;
  r.deadline = request_deadline(c, arrived);
  r.limits = c.query_limits;
  r.q = req.get_param_value("q");
  if (r.q.size() > c.max_query_bytes)
    return std::unexpected(HttpError{413, "q is " + std::to_string(r.q.size()) + " bytes; the limit is " +
                                              std::to_string(c.max_query_bytes)});
  r.orgs = values_of(req, "org");
  r.years = values_of(req, "year");
  r.decisions = values_of(req, "decision");
  r.symbols = values_of(req, "symbol");
  r.kinds = values_of(req, "kind");
  read_document_filters(req, r);
  r.fields = values_of(req, "fields");  // names checked by the searcher (400)
  r.display_langs = values_of(req, "display_lang");
  for (const std::string& lang : r.display_langs)
    if (auto ok = language_param("display_lang", lang); !ok) return std::unexpected(ok.error());
  if (req.has_param("cross_lang")) {
    const std::string v = req.get_param_value("cross_lang");
    if (v == "true" || v == "1") r.cross_lang = true;
    else if (v == "false" || v == "0") r.cross_lang = false;
    else return std::unexpected(HttpError{400, "cross_lang must be true or false, got \"" + v + "\""});
  }
  if (req.has_param("scope")) {
    const std::string scope = req.get_param_value("scope");
    if (scope == "all") r.headings = true;
    else if (scope == "text") r.headings = false;
    else return std::unexpected(HttpError{400, "unknown scope \"" + scope + "\" (all, text)"});
  }
  if (req.has_param("group")) {
    const std::string group = req.get_param_value("group");
    if (group == "passage") r.paragraphs = false;
    else if (group == "paragraph") r.paragraphs = true;
    else return std::unexpected(HttpError{400, "unknown group \"" + group + "\" (passage, paragraph)"});
  }
  r.date_from = req.get_param_value("date_from");
  r.date_to = req.get_param_value("date_to");
  if (req.has_param("date_relation")) {
    const std::string relation = req.get_param_value("date_relation");
    const auto parsed = parse_date_relation(relation);
    if (!parsed) return std::unexpected(HttpError{400, "unknown date_relation \"" + relation + "\" (intersects, within)"});
    r.date_relation = *parsed;
  }

  auto size = number(req, "size", c.default_size, 1, c.max_size);
  if (!size) return std::unexpected(size.error());
  r.size = *size;
  auto offset = number(req, "offset", 0, 0, c.max_offset);
  if (!offset) return std::unexpected(offset.error());
  r.offset = *offset;
  auto facet_size = number(req, "facet_size", c.facet_size, 1, 1000);
  if (!facet_size) return std::unexpected(facet_size.error());
  r.facet_size = *facet_size;

  if (req.has_param("sort")) {
    const std::string sort = req.get_param_value("sort");
    r.sort = parse_sort_order(sort);
    if (!r.sort)
      return std::unexpected(HttpError{400, "unknown sort \"" + sort + "\" (relevance, date, -date, document)"});
  }
  r.facets = values_of(req, "facets");
  for (const std::string& f : r.facets)
    if (!one_of(f, kFacetNames)) {
      std::string known;
      for (std::string_view k : kFacetNames) known += (known.empty() ? "" : ", ") + std::string(k);
      return std::unexpected(HttpError{400, "unknown facet \"" + f + "\" (" + known + ")"});
    }
  auto disjunctive = boolean(req, "disjunctive", false);
  if (!disjunctive) return std::unexpected(disjunctive.error());
  r.disjunctive = *disjunctive;
  // mode: lexical | hybrid (default) | semantic; Searcher::search says what each does and when
  // semantic is refused.
  if (req.has_param("mode")) {
    const std::string m = req.get_param_value("mode");
    const auto mode = parse_search_mode(m);
    if (!mode) return std::unexpected(HttpError{400, "unknown mode \"" + m + "\" (lexical, hybrid, semantic)"});
    r.mode = *mode;
  }
  r.snippet.length = c.snippet_length;
  r.snippet.open_tag = req.has_param("highlight_open") ? req.get_param_value("highlight_open") : c.highlight_open;
  r.snippet.close_tag = req.has_param("highlight_close") ? req.get_param_value("highlight_close") : c.highlight_close;
  if (r.snippet.open_tag.size() > 64 || r.snippet.close_tag.size() > 64)
    return std::unexpected(HttpError{400, "highlight_open and highlight_close: at most 64 bytes each"});
  return r;
}

std::expected<DocumentListRequest, HttpError> document_list_request(const httplib::Request& req,
                                                                   const SearchdConfig& c,
                                                                   std::chrono::steady_clock::time_point arrived) {
  if (auto ok = check_names(req, kDocumentsSingle, kDocumentsMulti); !ok) return std::unexpected(ok.error());
  DocumentListRequest r;
  r.deadline = request_deadline(c, arrived);
  r.limits = c.query_limits;
  read_document_filters(req, r);
  auto size = number(req, "size", 20, 1, 1000);
  if (!size) return std::unexpected(size.error());
  r.size = *size;
  auto offset = number(req, "offset", 0, 0, 100000);
  if (!offset) return std::unexpected(offset.error());
  r.offset = *offset;
  auto disjunctive = boolean(req, "disjunctive", false);
  if (!disjunctive) return std::unexpected(disjunctive.error());
  r.disjunctive = *disjunctive;
  return r;
}

}  // namespace treaty::searchd
