#include "core/index/version_links.h"

#include "core/index/document_versions.h"
#include "core/index/schema.h"

namespace treaty {
namespace {

using nlohmann::json;

std::string anchors_key(std::string_view symbol, std::string_view lang) {
  return std::string(schema::kMetaAnchorsPrefix) + schema::version_key(symbol, lang);
}

}  // namespace

json units_to_json(const std::vector<AlignUnit>& units) {
  json out = json::array();
  for (const AlignUnit& u : units)
    out.push_back({u.para, static_cast<int>(u.kind), u.item, u.section, u.anchors, u.length});
  return out;
}

std::vector<AlignUnit> units_from_json(const json& j) {
  std::vector<AlignUnit> units;
  if (!j.is_array()) return units;
  try {
    for (const json& e : j) {
      AlignUnit u;
      u.para = e.at(0).get<std::string>();
      u.kind = static_cast<PassageKind>(e.at(1).get<int>());
      u.item = e.at(2).get<std::string>();
      u.section = e.at(3).get<std::string>();
      u.anchors = e.at(4).get<std::vector<std::string>>();
      u.length = e.at(5).get<std::size_t>();
      units.push_back(std::move(u));
    }
  } catch (const json::exception&) {
    return {};
  }
  return units;
}

std::vector<std::pair<std::string, double>> VersionLinks::linked(std::string_view from, std::string_view para,
                                                                 std::string_view to) const {
  std::vector<std::pair<std::string, double>> out;
  for (const VersionPair& p : pairs) {
    const bool forward = p.a == from && p.b == to;
    const bool backward = p.b == from && p.a == to;
    if (!forward && !backward) continue;
    for (const PassageLink& l : p.alignment.links)
      if ((forward ? l.a : l.b) == para) out.emplace_back(forward ? l.b : l.a, l.confidence);
  }
  return out;
}

json VersionLinks::to_json() const {
  json out = json::array();
  for (const VersionPair& p : pairs) {
    json links = json::array();
    for (const PassageLink& l : p.alignment.links) links.push_back({l.a, l.b, l.confidence});
    out.push_back({{"a", p.a},
                   {"b", p.b},
                   {"links", std::move(links)},
                   {"unlinked_a", p.alignment.unlinked_a},
                   {"unlinked_b", p.alignment.unlinked_b}});
  }
  return {{"pairs", std::move(out)}};
}

VersionLinks VersionLinks::from_json(const json& j) {
  VersionLinks v;
  if (!j.is_object() || !j.contains("pairs") || !j["pairs"].is_array()) return v;
  try {
    for (const json& p : j["pairs"]) {
      VersionPair pair{p.at("a").get<std::string>(), p.at("b").get<std::string>(), {}};
      for (const json& l : p.at("links"))
        pair.alignment.links.push_back({l.at(0).get<std::string>(), l.at(1).get<std::string>(), l.at(2).get<double>()});
      pair.alignment.unlinked_a = p.at("unlinked_a").get<std::vector<std::string>>();
      pair.alignment.unlinked_b = p.at("unlinked_b").get<std::vector<std::string>>();
      v.pairs.push_back(std::move(pair));
    }
  } catch (const json::exception&) {
    return {};
  }
  return v;
}

void store_align_units(Xapian::WritableDatabase& db, std::string_view symbol, std::string_view lang,
                       const std::vector<AlignUnit>& units, bool remove) {
  db.set_metadata(anchors_key(symbol, lang), remove ? std::string() : units_to_json(units).dump());
}

std::size_t relink(Xapian::WritableDatabase& db, const std::string& symbol) {
  const std::vector<std::string> langs = document_versions(db, symbol);
  const std::string key = std::string(schema::kMetaLinksPrefix) + symbol;
  if (langs.size() < 2) {
    db.set_metadata(key, "");  // nothing to link (any links of a removed version go)
    return 0;
  }
  std::vector<std::vector<AlignUnit>> units;
  for (const std::string& lang : langs)
    units.push_back(units_from_json(json::parse(db.get_metadata(anchors_key(symbol, lang)), nullptr, false)));
  VersionLinks links;
  for (std::size_t i = 0; i < langs.size(); ++i)
    for (std::size_t k = i + 1; k < langs.size(); ++k)
      links.pairs.push_back({langs[i], langs[k], align_versions(units[i], units[k])});
  db.set_metadata(key, links.to_json().dump());
  return links.pairs.size();
}

std::optional<VersionLinks> read_links(const Xapian::Database& db, const std::string& symbol) {
  const std::string data = db.get_metadata(std::string(schema::kMetaLinksPrefix) + symbol);
  if (data.empty()) return std::nullopt;
  return VersionLinks::from_json(json::parse(data, nullptr, false));
}

}  // namespace treaty
