#include "core/documents/gazetteer.h"

#include <algorithm>
#include <array>
#include <map>
#include <cstdint>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "core/documents/inline_names.h"
#include "core/text/normalizer.h"
#include "core/base/toml_fields.h"
#include "core/base/utf8.h"

namespace treaty {

namespace {

constexpr std::array<std::string_view, 9> kKinds = {
    "organization", "convention", "treaty", "body", "secretariat",
    "initiative", "programme", "meeting", "event"};

// Decodes the code point at s[i] (valid UTF-8 assumed, but never reads past the end).
inline char32_t decode_at(std::string_view s, std::size_t i, std::size_t& len) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    len = 1;
    return c;
  }
  len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if (i + len > s.size()) len = s.size() - i;
  char32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return cp;
}

// The code point ending at byte `pos` (0 when none); its first byte goes to *start.
char32_t decode_before(std::string_view s, std::size_t pos, std::size_t* start) {
  if (pos == 0) {
    *start = 0;
    return 0;
  }
  std::size_t i = pos - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  *start = i;
  std::size_t len = 0;
  return decode_at(s, i, len);
}

inline bool is_word_char(char32_t cp) { return is_alnum_non_han(cp); }

// Characters that glue words into one token when a word character follows them (www.cbd.int,
// file_names, user@host): a name next to one is part of something else.
inline bool is_joiner(char32_t cp) { return cp == '.' || cp == '_' || cp == '@'; }

// A name starting with a word character must not continue a word, a symbol (UNEP/CBD) or a
// dotted token.
bool left_boundary_ok(std::string_view s, std::size_t pos) {
  std::size_t start = 0;
  const char32_t before = decode_before(s, pos, &start);
  if (before == 0) return true;
  if (is_word_char(before) || before == '/') return false;
  if (is_joiner(before)) return !is_word_char(decode_before(s, start, &start));
  return true;
}

bool right_boundary_ok(std::string_view s, std::size_t end) {
  if (end >= s.size()) return true;
  std::size_t len = 0;
  const char32_t after = decode_at(s, end, len);
  if (is_word_char(after) || after == '/') return false;
  if (is_joiner(after) && end + len < s.size()) return !is_word_char(decode_at(s, end + len, len));
  return true;
}

// Document-specific aliases, probed at positions whose code point starts one of them.
class ExtraNames {
 public:
  explicit ExtraNames(const AliasMap& extra) {
    for (const auto& [name, id] : extra) {
      if (name.empty()) continue;
      std::size_t len = 0;
      const char32_t first = decode_at(name, 0, len);
      names_.push_back({first, name, id});
      mask_ |= uint64_t{1} << (first & 63);
    }
    std::sort(names_.begin(), names_.end(), [](const Entry& a, const Entry& b) { return a.first < b.first; });
  }

  bool empty() const { return names_.empty(); }
  bool may_start(char32_t cp) const { return (mask_ >> (cp & 63)) & 1; }

  // Longer than `best_end`, starting at `pos` with code point `cp`: updates best_end and id.
  void longest(std::string_view s, std::size_t pos, char32_t cp, std::size_t& best_end,
               std::string_view& id) const {
    auto it = std::lower_bound(names_.begin(), names_.end(), cp,
                               [](const Entry& e, char32_t c) { return e.first < c; });
    for (; it != names_.end() && it->first == cp; ++it) {
      const std::size_t end = pos + it->name.size();
      if (end <= best_end || s.substr(pos, it->name.size()) != it->name) continue;
      std::size_t start = 0;
      const char32_t last = decode_before(it->name, it->name.size(), &start);
      if (is_word_char(last) && !right_boundary_ok(s, end)) continue;
      best_end = end;
      id = it->id;
    }
  }

 private:
  struct Entry {
    char32_t first;
    std::string_view name;
    std::string_view id;
  };
  std::vector<Entry> names_;
  uint64_t mask_ = 0;
};

// One match: [begin, end) with either a gazetteer org index or an extra alias's id.
struct Match {
  std::size_t begin = 0;
  std::size_t end = 0;
  int32_t org = -1;
  std::string_view extra_id;
};

bool has_prefix(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

// Code-point trie over the normalised names. The root's children sit in a flat array indexed by
// BMP code point, so the scan of a position where no name starts costs one load; below the root
// each node's edges are a sorted run of (code point, child) pairs.
struct Gazetteer::NameIndex {
  static constexpr uint32_t kNone = 0;  // node 0 is the root: never a child

  std::vector<uint32_t> root_bmp;               // BMP code point -> child of the root
  std::map<char32_t, uint32_t> root_astral;     // the same beyond the BMP (rare)
  std::vector<uint32_t> edge_begin;             // node n's edges: [edge_begin[n], edge_begin[n+1])
  std::vector<char32_t> edge_cp;
  std::vector<uint32_t> edge_child;
  std::vector<int32_t> value;                   // org index of the name ending at a node, or -1

  uint32_t root_child(char32_t cp) const {
    if (cp < root_bmp.size()) return root_bmp[cp];
    auto it = root_astral.find(cp);
    return it == root_astral.end() ? kNone : it->second;
  }

  uint32_t child(uint32_t node, char32_t cp) const {
    const auto first = edge_cp.begin() + edge_begin[node];
    const auto last = edge_cp.begin() + edge_begin[node + 1];
    const auto it = std::lower_bound(first, last, cp);
    return it != last && *it == cp ? edge_child[static_cast<std::size_t>(it - edge_cp.begin())] : kNone;
  }

  static NameIndex build(const std::vector<std::pair<std::string, std::size_t>>& names);

  // Scans normalised text: at each position the longest gazetteer (`index`, may be null) or
  // extra name, left to right, calling emit(const Match&) for each.
  template <class Emit>
  static void scan(const NameIndex* index, const ExtraNames& extra, std::string_view s, Emit&& emit);
};

Gazetteer::NameIndex Gazetteer::NameIndex::build(const std::vector<std::pair<std::string, std::size_t>>& names) {
  // Build with map children, then flatten into sorted edge runs.
  std::vector<std::map<char32_t, uint32_t>> children(1);
  std::vector<int32_t> values(1, -1);
  for (const auto& [name, org] : names) {
    uint32_t node = 0;
    std::size_t len = 0;
    for (std::size_t i = 0; i < name.size(); i += len) {
      const char32_t cp = decode_at(name, i, len);
      auto [it, inserted] = children[node].emplace(cp, static_cast<uint32_t>(children.size()));
      if (inserted) {
        children.emplace_back();
        values.push_back(-1);
      }
      node = it->second;
    }
    values[node] = static_cast<int32_t>(org);
  }

  NameIndex index;
  index.root_bmp.assign(0x10000, kNone);
  for (const auto& [cp, child_node] : children[0]) {
    if (cp < 0x10000)
      index.root_bmp[cp] = child_node;
    else
      index.root_astral.emplace(cp, child_node);
  }
  index.edge_begin.reserve(children.size() + 1);
  for (const auto& edges : children) {
    index.edge_begin.push_back(static_cast<uint32_t>(index.edge_cp.size()));
    for (const auto& [cp, child_node] : edges) {
      index.edge_cp.push_back(cp);
      index.edge_child.push_back(child_node);
    }
  }
  index.edge_begin.push_back(static_cast<uint32_t>(index.edge_cp.size()));
  index.value = std::move(values);
  return index;
}

template <class Emit>
void Gazetteer::NameIndex::scan(const NameIndex* index, const ExtraNames& extra, std::string_view s, Emit&& emit) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t len = 0;
    const char32_t cp = decode_at(s, pos, len);
    const uint32_t first = index ? index->root_child(cp) : kNone;
    const bool try_extra = !extra.empty() && extra.may_start(cp);
    if (first == kNone && !try_extra) {
      pos += len;
      continue;
    }
    // Every candidate here starts with `cp`: one left-boundary test serves them all.
    if (is_word_char(cp) && !left_boundary_ok(s, pos)) {
      pos += len;
      continue;
    }

    Match best;
    best.begin = pos;
    if (first != kNone) {
      uint32_t node = first;
      std::size_t p = pos + len;
      char32_t last = cp;
      while (true) {
        const int32_t org = index->value[node];
        if (org >= 0 && (!is_word_char(last) || right_boundary_ok(s, p))) {
          best.end = p;
          best.org = org;
        }
        if (p >= s.size()) break;
        std::size_t next_len = 0;
        const char32_t next = decode_at(s, p, next_len);
        node = index->child(node, next);
        if (node == kNone) break;
        p += next_len;
        last = next;
      }
    }
    if (try_extra) {
      std::size_t end = best.end;
      std::string_view id;
      extra.longest(s, pos, cp, end, id);
      if (!id.empty()) {
        best.end = end;
        best.org = -1;
        best.extra_id = id;
      }
    }
    if (best.end == 0) {
      pos += len;
      continue;
    }
    emit(best);
    pos = best.end;
  }
}

namespace {

using toml_fields::line_of;
using toml_fields::valid_id;
using NameSource = toml_fields::SourcedString;

}  // namespace

Expected<Gazetteer> Gazetteer::load(const std::filesystem::path& path, const Normalizer& normalizer) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read the gazetteer", path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string(), normalizer);
}

Expected<Gazetteer> Gazetteer::parse(std::string_view toml_text, const std::string& source_name,
                                     const Normalizer& normalizer) {
  auto root = toml_fields::parse_entries_file(toml_text, source_name, "org", "no [[org]] entries");
  if (!root) return std::unexpected(root.error());
  const toml::array* entries = (*root)["org"].as_array();

  Gazetteer g;
  g.normalizer_ = &normalizer;
  std::vector<int> entry_lines;
  std::map<std::string, int, std::less<>> name_lines;           // normalised name -> its line
  std::vector<std::pair<std::string, std::size_t>> text_names;  // names matched in text

  for (const toml::node& element : *entries) {
    const int line = line_of(element);
    const toml::table* entry = element.as_table();
    if (!entry) return fail("an [[org]] entry must be a table", source_name, line);
    for (const auto& [key, node] : *entry) {
      static constexpr std::array<std::string_view, 8> kKeys = {
          "id", "kind", "name_zh", "aliases_zh", "name_en", "acronym", "aliases_en", "parent"};
      if (std::find(kKeys.begin(), kKeys.end(), key.str()) == kKeys.end())
        return fail("unknown key '" + std::string(key.str()) + "'", source_name, line_of(node));
    }

    Organization org;
    std::vector<NameSource> names;  // every name but the id, with its line
    auto single = [&](std::string_view key, std::string& out) -> Expected<void> {
      auto value = toml_fields::string_key(*entry, key, source_name);
      if (!value) return std::unexpected(value.error());
      out = value->text;
      if (!out.empty() && key != "id" && key != "kind" && key != "parent") names.push_back(std::move(*value));
      return {};
    };
    auto multiple = [&](std::string_view key, std::vector<std::string>& out) -> Expected<void> {
      auto values = toml_fields::string_array_key(*entry, key, source_name);
      if (!values) return std::unexpected(values.error());
      for (NameSource& v : *values) {
        if (v.text.empty()) return fail("empty name in '" + std::string(key) + "'", source_name, v.line);
        out.push_back(v.text);
        names.push_back(std::move(v));
      }
      return {};
    };
    for (auto result : {single("id", org.id), single("kind", org.kind), single("name_zh", org.name_zh),
                        multiple("aliases_zh", org.aliases_zh), single("name_en", org.name_en),
                        single("acronym", org.acronym), multiple("aliases_en", org.aliases_en),
                        single("parent", org.parent)}) {
      if (!result) return std::unexpected(result.error());
    }

    if (org.id.empty()) return fail("entry without id", source_name, line);
    if (!valid_id(org.id))
      return fail("id '" + org.id + "' must be lowercase ASCII letters, digits, '_' or '-'", source_name, line);
    if (org.name_zh.empty()) return fail("entry '" + org.id + "' without name_zh", source_name, line);
    if (org.kind.empty()) org.kind = "organization";
    if (std::find(kKinds.begin(), kKinds.end(), org.kind) == kKinds.end())
      return fail("entry '" + org.id + "' has unknown kind '" + org.kind + "'", source_name, line);
    for (std::size_t i = 0; i < g.orgs_.size(); ++i) {
      if (g.orgs_[i].id == org.id)
        return fail("duplicate id '" + org.id + "' (first at line " + std::to_string(entry_lines[i]) + ")",
                    source_name, line);
    }

    // The id is a name for resolve() only; the others are also matched in text.
    const std::size_t index = g.orgs_.size();
    names.insert(names.begin(), NameSource{org.id, line});
    for (std::size_t k = 0; k < names.size(); ++k) {
      std::string key = normalizer.normalize_string(names[k].text);
      if (key.empty()) return fail("empty name", source_name, names[k].line);
      auto [it, inserted] = g.by_name_.emplace(key, index);
      if (!inserted && it->second != index) {
        const Organization& other = g.orgs_[it->second];
        return fail("name '" + names[k].text + "' of '" + org.id + "' is already a name of '" + other.id +
                        "' (line " + std::to_string(name_lines.find(key)->second) + ")",
                    source_name, names[k].line);
      }
      if (inserted) name_lines.emplace(key, names[k].line);
      g.max_name_bytes_ = std::max(g.max_name_bytes_, key.size());
      if (k > 0) text_names.emplace_back(std::move(key), index);
    }
    g.orgs_.push_back(std::move(org));
    entry_lines.push_back(line);
  }

  for (std::size_t i = 0; i < g.orgs_.size(); ++i) {
    const Organization& org = g.orgs_[i];
    if (!org.parent.empty() && !g.find_by_id(org.parent))
      return fail("entry '" + org.id + "' has unknown parent '" + org.parent + "'", source_name, entry_lines[i]);
  }
  g.index_ = std::make_shared<const NameIndex>(NameIndex::build(text_names));
  return g;
}

const Organization* Gazetteer::find_by_id(std::string_view id) const {
  auto it = by_name_.find(id);
  if (it == by_name_.end() || orgs_[it->second].id != id) return nullptr;
  return &orgs_[it->second];
}

const Organization* Gazetteer::resolve(std::string_view name) const {
  if (!valid_utf8(name)) return nullptr;
  std::string key = normalizer_ ? normalizer_->normalize_string(name) : std::string(name);
  std::string_view k = trim_spaces(key);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (k.empty() || k.size() > max_name_bytes_ + 8) return nullptr;
    if (auto it = by_name_.find(k); it != by_name_.end()) return &orgs_[it->second];
    // 《名古屋议定书》 means 名古屋议定书 (unless the bracketed form is itself a name, tried first).
    constexpr std::string_view open = "《", close = "》";
    if (!has_prefix(k, open) || k.size() < open.size() + close.size() ||
        k.substr(k.size() - close.size()) != close)
      return nullptr;
    k = trim_spaces(k.substr(open.size(), k.size() - open.size() - close.size()));
  }
  return nullptr;
}

std::vector<OrgMention> Gazetteer::find_mentions(std::string_view normalized, const AliasMap& extra) const {
  std::vector<OrgMention> out;
  const ExtraNames extra_names(extra);
  NameIndex::scan(index_.get(), extra_names, normalized, [&](const Match& m) {
    out.push_back({m.org >= 0 ? orgs_[static_cast<std::size_t>(m.org)].id : std::string(m.extra_id), m.begin,
                   m.end});
  });
  return out;
}

std::string local_org_id(std::string_view normalized_full_name) {
  return std::string(kLocalOrgPrefix) + std::string(normalized_full_name);
}

// One inline definition 全称（简称）: of a known organization, or of one the gazetteer does not know.
struct Gazetteer::Definition {
  std::string_view short_name;
  std::string_view full_name;  // the unknown organization's name; empty for a known one
  int32_t org = -1;            // index in orgs_ of the known one, or -1
};

std::vector<Gazetteer::Definition> Gazetteer::definitions(std::string_view normalized) const {
  // Known names (never cut into when delimiting a full name) and where each ends.
  std::vector<inline_names::ByteSpan> known;
  std::map<std::size_t, Match> known_ending;
  const AliasMap no_extra;
  const ExtraNames none(no_extra);
  NameIndex::scan(index_.get(), none, normalized, [&](const Match& m) {
    known.push_back({m.begin, m.end});
    known_ending.emplace(m.end, m);
  });
  std::vector<Definition> out;
  for (std::size_t open = normalized.find('('); open != std::string_view::npos; open = normalized.find('(', open + 1)) {
    std::size_t end = open;
    while (end > 0 && normalized[end - 1] == ' ') --end;
    const auto short_name = inline_names::short_name_after(normalized, end);
    if (!short_name || by_name_.find(*short_name) != by_name_.end()) continue;
    const auto full = inline_names::full_name_before(normalized, end, known);
    // A known name right before the bracket is the one defined, unless the full name starts
    // before it: 西亚区域环境规划署 is not UNEP's 环境规划署, longest match wins.
    if (const auto k = known_ending.find(end); k != known_ending.end() && (!full || full->begin >= k->second.begin)) {
      out.push_back({*short_name, {}, k->second.org});
      continue;
    }
    if (!full) continue;
    const std::string_view name = normalized.substr(full->begin, full->end - full->begin);
    if (const auto it = by_name_.find(name); it != by_name_.end())
      out.push_back({*short_name, {}, static_cast<int32_t>(it->second)});
    else
      out.push_back({*short_name, name, -1});
  }
  return out;
}

AliasMap Gazetteer::mine_aliases(std::string_view normalized) const {
  AliasMap out;
  for (const Definition& d : definitions(normalized))
    if (d.org >= 0) out.emplace(std::string(d.short_name), orgs_[static_cast<std::size_t>(d.org)].id);
  return out;
}

AliasMap Gazetteer::mine_local_organizations(std::string_view normalized) const {
  AliasMap out;
  for (const Definition& d : definitions(normalized)) {
    if (d.org >= 0) continue;
    const std::string id = local_org_id(d.full_name);
    out.emplace(std::string(d.full_name), id);
    out.emplace(std::string(d.short_name), id);
  }
  return out;
}

}  // namespace treaty
