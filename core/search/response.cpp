#include "core/search/response.h"

namespace treaty {

using nlohmann::json;

json SearchResponse::to_json() const {
  json hits_json = json::array();
  for (const Hit& h : hits) {
    json j = h.passage;
    j["snippet"] = h.snippet;
    j["snippet_source"] = h.snippet_source;
    j["score"] = h.score;
    j["matched_expansions"] = h.matched_expansions;
    if (vector) {
      auto rank = [](std::size_t r) { return r == 0 ? json(nullptr) : json(r); };
      j["retrieval"] = {{"lexical", h.lexical_match},
                        {"lexical_rank", rank(h.lexical_rank)},
                        {"vector_rank", rank(h.vector_rank)},
                        {"vector_score", h.vector_rank == 0 ? json(nullptr) : json(h.vector_score)}};
    }
    if (!fields.empty()) {
      json picked = json::object();
      for (const std::string& f : fields)
        if (f == "id") picked["id"] = h.id;  // also when the passage was not read
        else if (auto it = j.find(f); it != j.end()) picked[f] = *it;
      j = std::move(picked);
    }
    hits_json.push_back(std::move(j));
  }
  json facets_json = json::object();
  for (const Facet& f : facets) {
    json values = json::array();
    for (const FacetValue& v : f.values) values.push_back({{"value", v.value}, {"label", v.label}, {"count", v.count}});
    facets_json[f.name] = std::move(values);
  }
  return {{"mode", search_mode_name(mode)},
          {"vector", vector},
          {"total", total},
          {"total_exact", total_exact},
          {"timed_out", timed_out},
          {"sort", sort_order_name(sort)},
          {"hits", std::move(hits_json)},
          {"facets", std::move(facets_json)},
          {"warnings", warnings},
          {"expansions", expansions}};
}

}  // namespace treaty
