// Organizations, conventions, bodies and initiatives, from config/organizations.toml.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"

namespace treaty {

class Normalizer;

struct Organization {
  std::string id;                       // canonical id, e.g. "fao", "unep", "sprep"
  std::string kind;                     // "organization", "convention", "body", "initiative", ...
  std::string name_zh;                  // preferred Chinese name (display label)
  std::vector<std::string> aliases_zh;  // other Chinese names and short forms
  std::string name_en;                  // English name
  std::string acronym;                  // "FAO"; may be empty
  std::vector<std::string> aliases_en;  // other English names and acronyms
  std::string parent;                   // id of the parent body, if any (informative only)
};

// A name found in text.
struct OrgMention {
  std::string id;
  std::size_t begin = 0;  // byte range in the scanned (normalised) text
  std::size_t end = 0;
};

// Normalised short name -> organization id, e.g. mined from "全称（简称）" in one document.
using AliasMap = std::map<std::string, std::string, std::less<>>;

// The id of an organization defined in a document but not in the gazetteer: "x:" + its
// normalised full name ("x:非洲遗传资源研究网络"), the same in every document that defines it.
std::string local_org_id(std::string_view normalized_full_name);
inline constexpr std::string_view kLocalOrgPrefix = "x:";

class Gazetteer {
 public:
  Gazetteer() = default;

  // Loads the TOML gazetteer (format documented at the top of config/organizations.toml).
  // Errors name the file and line: syntax errors, an entry without id or name_zh, duplicate ids,
  // one name given to two organizations. Keeps a reference to `normalizer` (resolve() uses it),
  // which must outlive the gazetteer.
  static Expected<Gazetteer> load(const std::filesystem::path& path, const Normalizer& normalizer);
  // Same from a string (`source_name` is used in error messages).
  static Expected<Gazetteer> parse(std::string_view toml, const std::string& source_name,
                                   const Normalizer& normalizer);

  const std::vector<Organization>& organizations() const { return orgs_; }
  const Organization* find_by_id(std::string_view id) const;

  // The organization a user means by `name`: its id, a Chinese name or alias, an English name
  // or acronym, in any script, width or case. nullptr when unknown.
  const Organization* resolve(std::string_view name) const;

  // Names found in normalised text, left to right; at each position the longest name wins and
  // matches do not overlap, so 太平洋区域环境规划署 is SPREP, not UNEP's 环境规划署. Latin names
  // match whole words only and never inside a document symbol (UNEP/CBD/... is not UNEP).
  // `extra` adds document-specific aliases (see mine_aliases).
  std::vector<OrgMention> find_mentions(std::string_view normalized,
                                        const AliasMap& extra = {}) const;

  // Inline definitions 全称（简称）, 全称（ACRONYM）, 全称（以下简称“简称”）, anywhere in a sentence
  // (inline_names.h: where the full name starts, what a short form may be). Text must be
  // normalised. A short form that is already a known name defines nothing.
  //
  // Short forms of known organizations: when the full name is a known name (or, when the full
  // name cannot be told, a known name ends right at the bracket), maps the short form to that
  // organization: 联合国环境规划署（环境署） gives 环境署 -> unep.
  AliasMap mine_aliases(std::string_view normalized) const;

  // Organizations the gazetteer does not know: the full name and the short form both map to the
  // id local_org_id(full name). A full name longer than the known name it contains is its own
  // organization, never the known one (longest match wins): 西亚区域环境规划署（西亚环境署） and
  // 非洲知识产权组织（OAPI） define organizations of their own, not UNEP or WIPO.
  AliasMap mine_local_organizations(std::string_view normalized) const;

 private:
  struct NameIndex;   // code-point trie over the names, for find_mentions (gazetteer.cpp)
  struct Definition;  // one inline definition (gazetteer.cpp)
  std::vector<Definition> definitions(std::string_view normalized) const;

  std::vector<Organization> orgs_;
  std::map<std::string, std::size_t, std::less<>> by_name_;  // normalised name -> index in orgs_
  std::size_t max_name_bytes_ = 0;
  std::shared_ptr<const NameIndex> index_;  // immutable, shared by copies
  const Normalizer* normalizer_ = nullptr;  // not owned
};

}  // namespace treaty
