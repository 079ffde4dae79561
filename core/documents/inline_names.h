// Organizations defined inline, 全称（简称）: the short form in the brackets and where the full
// name before them starts. Gazetteer::mine_aliases and Gazetteer::mine_local_organizations build
// on these. All text is normalised (core/text/normalizer.h: half-width brackets, lower case).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace treaty::inline_names {

struct ByteSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The short name in "(简称)" right after byte `end` (at most 2 spaces before the bracket):
// 1-12 characters of letters, digits and a few joining marks; "(以下简称“X”)", "(简称 X)" and the
// like give X. nullopt for a year or number, a list item ((a), (ii)), a cross-reference (见…,
// 第…, 附件…) or anything longer.
std::optional<std::string_view> short_name_after(std::string_view s, std::size_t end);

// The full name of a body ending at byte `end` (where its bracket opens), as a span of `s`:
// the title inside 《…》 right before `end`; or else the run of Han characters before `end`,
// starting after the last word there that cannot belong to a name (a preposition, conjunction or
// verb: 与, 同, 和, 向, 由, 在, 的, 了, 邀请, 支持 ...; a conjunction between two place names, as
// in 亚洲及太平洋 or 拉丁美洲和加勒比, belongs to the name), without a leading determiner (各, 该,
// 上述 ...). Never cuts inside one of `known` (spans of known names in `s`). nullopt unless the
// name has 4-30 characters and ends like a body's name (…组织, …秘书处, …署, …中心, …网络,
// …公约, …伙伴关系 ...), or when the run is too long for its start to be seen.
std::optional<ByteSpan> full_name_before(std::string_view s, std::size_t end, const std::vector<ByteSpan>& known);

}  // namespace treaty::inline_names
