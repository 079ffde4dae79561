// The links between the language versions of a document, stored with the index: every version
// keeps its passages' alignment units (alignment.h; schema::kMetaAnchorsPrefix), and whenever a
// version is written or removed the links between every pair of the document's versions are
// aligned again from them (schema::kMetaLinksPrefix).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/documents/alignment.h"

namespace treaty {

// JSON form of alignment units; units_from_json() reads it back (an empty list for anything else).
nlohmann::json units_to_json(const std::vector<AlignUnit>& units);
std::vector<AlignUnit> units_from_json(const nlohmann::json& j);

// The alignment of two versions of one document.
struct VersionPair {
  std::string a, b;  // language codes, a < b
  Alignment alignment;
};

// The stored links of one document's versions.
struct VersionLinks {
  std::vector<VersionPair> pairs;  // every pair of its versions, in language-code order

  // The paras of version `to` linked to para `para` of version `from`, with their confidence,
  // in document order; empty when there is none (or `from` == `to`).
  std::vector<std::pair<std::string, double>> linked(std::string_view from, std::string_view para,
                                                     std::string_view to) const;

  nlohmann::json to_json() const;
  static VersionLinks from_json(const nlohmann::json& j);
};

// Stores the units of the `lang` version of `symbol` (empty `units` and `remove`: drops them).
void store_align_units(Xapian::WritableDatabase& db, std::string_view symbol, std::string_view lang,
                       const std::vector<AlignUnit>& units, bool remove = false);

// Aligns every pair of the versions of `symbol` again from their stored units and stores the
// result (none when it has fewer than two versions). Returns the pairs aligned.
std::size_t relink(Xapian::WritableDatabase& db, const std::string& symbol);

// The stored links of `symbol`'s versions; nullopt when it has none (fewer than two versions).
std::optional<VersionLinks> read_links(const Xapian::Database& db, const std::string& symbol);

}  // namespace treaty
