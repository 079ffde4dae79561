#include "core/search/facets.h"

#include <algorithm>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "core/documents/document_facts.h"
#include "core/documents/gazetteer.h"
#include "core/documents/references.h"
#include "core/index/document_versions.h"
#include "core/index/passage_data.h"
#include "core/index/schema.h"

namespace treaty {

FacetLabels::FacetLabels(const Gazetteer& gazetteer, const Xapian::Database& db) : gazetteer_(&gazetteer), db_(&db) {}

std::string FacetLabels::label(std::string_view facet, const std::string& value) const {
  if (facet == "org") {
    const Organization* org = gazetteer_->find_by_id(value);
    // An organization a document defines: its full name.
    if (!org && value.starts_with(kLocalOrgPrefix)) return value.substr(kLocalOrgPrefix.size());
    if (!org) return value;
    return org->acronym.empty() ? org->name_zh : org->name_zh + " (" + org->acronym + ")";
  }
  if (facet == "decision") return decision_label(value);
  if (facet == "doc") {
    // The title of its first version in language-code order (IndexReader::document()).
    const std::vector<std::string> langs = document_versions(*db_, value);
    std::string title = langs.empty() ? std::string() : document_title(*db_, value, langs.front());
    return title.empty() ? value : title;
  }
  if (facet == "meeting") return meeting_label(value).value_or(value);
  if (facet == "type") {
    const std::string_view label = document_type_label(value);
    return label.empty() ? value : std::string(label);
  }
  if (facet == "lang") return language_label(value);
  return value;
}

FacetSpy::FacetSpy(const SlotTable& table, std::vector<std::size_t> facets) : table_(table), facets_(std::move(facets)) {
  for (std::size_t k : facets_) counts_.emplace_back(table_.facet(k).names.size(), 0);
}

void FacetSpy::add(Xapian::docid did) {
  for (std::size_t i = 0; i < facets_.size(); ++i) {
    const SlotTable::Values& values = table_.facet(facets_[i]);
    if (did + 1 >= values.begin.size()) continue;
    for (std::uint32_t j = values.begin[did]; j < values.begin[did + 1]; ++j) ++counts_[i][values.ids[j]];
  }
}

std::vector<std::pair<std::string, std::uint64_t>> FacetSpy::values(std::size_t i) const {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  const SlotTable::Values& values = table_.facet(facets_[i]);
  for (std::size_t id = 0; id < counts_[i].size(); ++id)
    if (counts_[i][id] > 0) out.emplace_back(values.names[id], counts_[i][id]);
  return out;
}

FacetPlan plan_facets(const SearchRequest& request, const Filters& filters) {
  FacetPlan plan;
  for (const std::string& name : request.facets) {
    const std::size_t k = *find_facet(name);
    if (std::find(plan.main.begin(), plan.main.end(), k) != plan.main.end() ||
        std::find(plan.own_pass.begin(), plan.own_pass.end(), k) != plan.own_pass.end())
      continue;  // asked twice
    (request.disjunctive && filters.has(name) ? plan.own_pass : plan.main).push_back(k);
  }
  return plan;
}

Expected<bool> count_without_own_filter(std::size_t k, FacetSpy& own, const Xapian::Database& db,
                                        const Xapian::Query& query, const Filters& filters,
                                        const VectorRetriever* vectors, bool semantic, double time_limit) {
  const std::string_view name = kFacetDefs[k].name;
  bool exact = true;
  if (!semantic) {
    Xapian::Enquire pass(db);
    pass.set_query(filters.apply(query, name));
    pass.set_weighting_scheme(Xapian::BoolWeight());  // counting only
    pass.set_time_limit(time_limit);
    pass.add_matchspy(&own);
    const Xapian::MSet counted = pass.get_mset(0, 0, db.get_doccount());
    pass.clear_matchspies();
    exact = counted.get_matches_lower_bound() == counted.get_matches_upper_bound();
  }
  if (vectors) {
    auto candidates = vectors->candidates(name);
    if (!candidates) return std::unexpected(candidates.error());
    const std::unordered_set<Xapian::docid> lexical =
        semantic ? std::unordered_set<Xapian::docid>() : matching_docids(db, *candidates, filters.apply(query, name));
    for (const VectorCandidate& c : *candidates)
      if (!lexical.contains(c.did)) own.add(c.did);
  }
  return exact;
}

Facet make_facet(std::string_view name, std::vector<std::pair<std::string, std::uint64_t>> counted,
                 std::size_t limit, const FacetLabels& labels) {
  std::vector<std::pair<std::string, std::uint64_t>> sorted = std::move(counted);
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (sorted.size() > limit) sorted.resize(limit);
  Facet facet{std::string(name), {}};
  for (auto& [value, count] : sorted) {
    std::string label = labels.label(name, value);
    facet.values.push_back({std::move(value), std::move(label), count});
  }
  return facet;
}

}  // namespace treaty
