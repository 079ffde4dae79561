#include "core/search/cross_language.h"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_set>

#include "core/base/utf8.h"
#include "core/index/document_versions.h"
#include "core/index/schema.h"
#include "core/text/normalizer.h"
#include "core/index/version_links.h"

namespace treaty {
namespace {

// The para of passage id "<symbol>#<para>".
std::string para_of(const std::string& id, const std::string& symbol) {
  return id.size() > symbol.size() + 1 ? id.substr(symbol.size() + 1) : std::string();
}

// Links read once per document for one search.
class LinkCache {
 public:
  explicit LinkCache(const Xapian::Database& db) : db_(db) {}
  const std::optional<VersionLinks>& of(const std::string& symbol) {
    auto [it, added] = links_.try_emplace(symbol);
    if (added) it->second = read_links(db_, symbol);
    return it->second;
  }

 private:
  const Xapian::Database& db_;
  std::map<std::string, std::optional<VersionLinks>> links_;
};

}  // namespace

Projection project_through_links(const Xapian::Database& db, const Xapian::Query& other_versions,
                                 const Xapian::Query& allowed, const std::vector<std::string>& langs,
                                 std::size_t depth) {
  Projection out;
  // Setting metadata to "" deletes it: any key left under the prefix is a document with links.
  const std::string prefix(schema::kMetaLinksPrefix);
  if (langs.empty() || db.metadata_keys_begin(prefix) == db.metadata_keys_end(prefix)) return out;
  Xapian::Enquire enquire(db);
  enquire.set_query(other_versions);
  const Xapian::MSet matches = enquire.get_mset(0, static_cast<Xapian::doccount>(depth));
  LinkCache links(db);
  std::vector<VectorCandidate> found;
  std::size_t rank = 0;
  for (Xapian::MSetIterator m = matches.begin(); m != matches.end(); ++m) {
    ++rank;
    const Xapian::Document doc = m.get_document();
    const std::string symbol = doc.get_value(schema::kSlotDoc);
    const std::string lang = doc.get_value(schema::kSlotLang);
    const std::string id = doc.get_value(schema::kSlotId);
    const auto& l = links.of(symbol);
    if (!l) continue;
    for (const std::string& target : langs)
      for (const auto& [para, confidence] : l->linked(lang, para_of(id, symbol), target)) {
        const std::string target_id = schema::passage_id(symbol, para);
        const Xapian::docid did = version_docid(db, target_id, target);
        if (did == 0 || out.from.contains(did)) continue;
        out.from.emplace(did, ProjectedFrom{id, lang, rank, confidence});
        found.push_back({did, schema::vector_id(target, target_id), static_cast<float>(confidence)});
      }
  }
  // Only those every other filter lets through.
  const std::unordered_set<Xapian::docid> pass = matching_docids(db, found, allowed);
  for (VectorCandidate& c : found)
    if (pass.contains(c.did)) out.candidates.push_back(std::move(c));
  std::erase_if(out.from, [&](const auto& e) { return !pass.contains(e.first); });
  return out;
}

bool add_dictionary_translations(ParsedQuery& parsed, const std::vector<Dictionary>& dictionaries,
                                 const Normalizer& normalizer, const Stemmers& stemmers, double weight) {
  if (dictionaries.empty()) return false;
  // Words: runs of letters and digits other than Han, case-folded.
  const std::string folded = normalizer.normalize_string(parsed.semantic_text);
  std::vector<std::string> words(1);
  for (std::size_t i = 0; i < folded.size();) {
    const std::size_t at = i;
    if (is_alnum_non_han(next_code_point(folded, i))) words.back().append(folded, at, i - at);
    else if (!words.back().empty()) words.emplace_back();
  }
  std::vector<Xapian::Query> groups;
  for (const std::string& w : words) {
    std::map<std::string, double> targets;  // Chinese word -> best weight over the dictionaries
    for (const Dictionary& d : dictionaries) {
      if (w.empty()) break;
      const auto it = d.entries.find(stemmers.stem(d.lang, w));
      if (it == d.entries.end()) continue;
      for (const auto& [target, wt] : it->second) targets[target] = std::max(targets[target], wt);
    }
    if (targets.empty()) continue;
    std::vector<Xapian::Query> terms;
    std::string shown;
    for (const auto& [target, wt] : targets) {
      terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(target), wt);
      shown += (shown.empty() ? "" : " ") + target;
      parsed.highlights.push_back(target);
    }
    groups.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
    parsed.expansions.push_back({shown, {w + " → " + shown}});
  }
  if (groups.empty()) return false;
  // OR, not AND: a mined dictionary also translates words that carry little (its entries for
  // "that" or "on" are noise), and requiring them would lose the passages; BM25 ranks those
  // matching more of the words first.
  const Xapian::Query translated(Xapian::Query::OP_SCALE_WEIGHT,
                                 Xapian::Query(Xapian::Query::OP_OR, groups.begin(), groups.end()), weight);
  parsed.query = Xapian::Query(Xapian::Query::OP_OR, parsed.query, translated);
  return true;
}

nlohmann::json linked_versions(const Xapian::Database& db, StoredPassages* stored, const nlohmann::json& passage,
                               const std::vector<std::string>& langs) {
  nlohmann::json out = nlohmann::json::object();
  const std::string symbol = passage.value("doc", std::string());
  const std::string lang = passage.value("lang", std::string());
  const auto links = read_links(db, symbol);
  if (!links) return out;
  for (const std::string& target : langs) {
    if (target == lang) continue;
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [para, confidence] : links->linked(lang, passage.value("para", std::string()), target)) {
      const std::string id = schema::passage_id(symbol, para);
      nlohmann::json entry = {{"id", id}, {"para", para}, {"confidence", confidence}};
      if (stored) {
        auto linked = stored->find(db, id, target);
        entry["text"] = linked ? linked->value("text", std::string()) : std::string();
      }
      list.push_back(std::move(entry));
    }
    out[target] = std::move(list);
  }
  return out;
}

}  // namespace treaty
