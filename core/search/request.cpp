#include "core/search/request.h"

#include <algorithm>

namespace treaty {

std::optional<SortOrder> parse_sort_order(std::string_view name) {
  if (name == "relevance") return SortOrder::relevance;
  if (name == "date") return SortOrder::date;
  if (name == "-date") return SortOrder::date_desc;
  if (name == "document") return SortOrder::document;
  return std::nullopt;
}

std::optional<SearchMode> parse_search_mode(std::string_view name) {
  if (name == "lexical") return SearchMode::lexical;
  if (name == "hybrid") return SearchMode::hybrid;
  if (name == "semantic") return SearchMode::semantic;
  return std::nullopt;
}

std::string_view search_mode_name(SearchMode mode) {
  switch (mode) {
    case SearchMode::lexical: return "lexical";
    case SearchMode::hybrid: return "hybrid";
    case SearchMode::semantic: return "semantic";
  }
  return "hybrid";
}

std::string_view sort_order_name(SortOrder order) {
  switch (order) {
    case SortOrder::relevance: return "relevance";
    case SortOrder::date: return "date";
    case SortOrder::date_desc: return "-date";
    case SortOrder::document: return "document";
  }
  return "relevance";
}

Expected<void> check_request(const SearchRequest& request) {
  std::size_t values = 0;
  for (const auto* field : {&request.orgs, &request.years, &request.decisions, &request.symbols, &request.kinds,
                            &request.docs, &request.meetings, &request.types, &request.langs, &request.issued})
    values += field->size();
  if (auto ok = check_filter_values(values, request.limits); !ok) return ok;
  for (const std::string& name : request.facets)
    if (std::find(std::begin(kFacetNames), std::end(kFacetNames), name) == std::end(kFacetNames)) {
      std::string known;
      for (std::string_view k : kFacetNames) known += (known.empty() ? "" : ", ") + std::string(k);
      return fail("unknown facet \"" + name + "\" (facets: " + known + ")");
    }
  for (const std::string& f : request.fields)
    if (std::find(std::begin(kHitFields), std::end(kHitFields), f) == std::end(kHitFields)) {
      std::string known;
      for (std::string_view k : kHitFields) known += (known.empty() ? "" : ", ") + std::string(k);
      return fail("unknown field \"" + f + "\" (fields: " + known + ")");
    }
  return {};
}

}  // namespace treaty
