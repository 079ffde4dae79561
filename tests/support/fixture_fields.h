// The [fields] expectations of a fixture document (<stem>.expected.toml): the decisions cited,
// the organizations defined inline and the dates, checked against extract_fields() of its parse.
// Shared by the text-extract fixtures (fixtures_test) and the PDF fixtures (pdf_fixtures_test).
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/documents/passage_fields.h"
#include "core/documents/references.h"
#include "core/search/resources.h"

namespace treaty::test {
namespace fixture_fields_detail {

// Does the expectation `e` (a reference as printed: "NP-2/5", "XII/12 B", "SBI 1/3",
// "A/RES/70/1", a bare "2/9") name the extracted reference `r`?
inline bool names(const std::string& e, const DecisionRef& r) {
  if (e.starts_with("A/RES/")) return r.body == "unga" && r.key() == e.substr(6);
  for (std::string body : {"SBI", "SBSTTA", "ICNP"})
    if (e.starts_with(body + " ")) {
      for (char& c : body) c = static_cast<char>(c - 'A' + 'a');
      return r.body == body && decision_filter_key(e.substr(e.find(' ') + 1)) == r.key();
    }
  const auto key = decision_filter_key(e);
  if (!key) return false;
  if (key->find(':') != std::string::npos) return *key == r.body_key() || *key == r.body_part_key();
  return *key == r.key() || *key == r.part_key();
}

inline std::string str(const toml::node_view<const toml::node>& n) { return n.value_or(std::string()); }

}  // namespace fixture_fields_detail

// Checks (Catch2 CHECKs) the [fields] table of `expected` against the fields of `doc`.
inline void check_expected_fields(const Document& doc, const toml::table& expected, const Resources& res_ref) {
  using namespace fixture_fields_detail;
  const Resources* res = &res_ref;
  const DocumentFields fields = extract_fields(doc, res->normalizer, res->gazetteer);
  const auto want = expected["fields"];

  // Decisions cited anywhere: each expected one found, each found one expected.
  std::vector<DecisionRef> found;
  for (const PassageFields& f : fields.passages) found.insert(found.end(), f.decisions.begin(), f.decisions.end());
  std::vector<std::string> cited;
  if (const toml::array* d = want["decisions"].as_array())
    for (const toml::node& n : *d) cited.push_back(n.value_or(std::string()));
  for (const std::string& e : cited) {
    INFO("expected " << e);
    CHECK(std::any_of(found.begin(), found.end(), [&](const DecisionRef& r) { return names(e, r); }));
  }
  for (const DecisionRef& r : found) {
    INFO("found " << r.id() << " (" << r.text << ")");
    CHECK(std::any_of(cited.begin(), cited.end(), [&](const std::string& e) { return names(e, r); }));
  }

  // Organizations defined inline: the short form names the organization the full name does.
  if (const toml::array* orgs = want["organizations_defined"].as_array())
    for (const toml::node& node : *orgs) {
      const toml::node_view<const toml::node> o(node);
      const std::string name = res->normalizer.normalize_string(str(o["name"]));
      const std::string short_name = res->normalizer.normalize_string(str(o["short"]));
      auto id_of = [&](const std::string& n) -> std::string {
        if (const Organization* org = res->gazetteer.resolve(n)) return org->id;
        const auto it = fields.mined_aliases.find(n);
        return it == fields.mined_aliases.end() ? std::string() : it->second;
      };
      INFO(name << " (" << short_name << ")");
      CHECK_FALSE(id_of(name).empty());
      CHECK(id_of(short_name) == id_of(name));
    }

  // Dates of the body and footnotes (the cover's are not listed): each expected one found.
  std::set<std::string> dates;
  for (std::size_t i = 1; i < fields.passages.size(); ++i)
    for (const DateRange& d : fields.passages[i].dates) dates.insert(d.iso());
  if (const toml::array* d = want["dates"].as_array())
    for (const toml::node& n : *d) {
      std::string iso = n.value_or(std::string());
      if (const std::size_t dots = iso.find(".."); dots != std::string::npos) iso.replace(dots, 2, "/");
      INFO("date " << iso);
      CHECK(dates.contains(iso));
    }
}

}  // namespace treaty::test
