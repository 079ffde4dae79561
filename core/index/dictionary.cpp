#include "core/index/dictionary.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/base/utf8.h"
#include "core/index/document_versions.h"
#include "core/index/schema.h"
#include "core/index/stemmers.h"
#include "core/index/version_links.h"

namespace treaty {
namespace {

using nlohmann::json;

// The Chinese words (unprefixed terms of two or more Han characters) of passage `did`.
std::set<std::string> chinese_words(const Xapian::Database& db, Xapian::docid did) {
  std::set<std::string> out;
  for (Xapian::TermIterator t = db.termlist_begin(did); t != db.termlist_end(did); ++t) {
    const std::string term = *t;
    std::size_t i = 0, count = 0;
    bool han = !term.empty();
    while (han && i < term.size()) {
      han = is_han(next_code_point(term, i));
      ++count;
    }
    if (han && count >= 2) out.insert(term);
  }
  return out;
}

// The stems in `lang` (Z<lang>: terms) of passage `did`.
std::set<std::string> stems(const Xapian::Database& db, Xapian::docid did, const std::string& lang) {
  const std::string prefix = std::string(schema::kStem) + lang + ":";
  std::set<std::string> out;
  Xapian::TermIterator t = db.termlist_begin(did);
  for (t.skip_to(prefix); t != db.termlist_end(did) && (*t).starts_with(prefix); ++t) out.insert((*t).substr(prefix.size()));
  return out;
}

// k * ln(k * n / (row * col)), 0 for k == 0.
double g2_term(double k, double row, double col, double n) { return k <= 0 ? 0 : k * std::log(k * n / (row * col)); }

struct Counts {
  std::size_t pairs = 0;
  std::unordered_map<std::string, std::size_t> source, target, joint;  // joint: source \x1f target
};

}  // namespace

std::vector<Dictionary> mine_dictionaries(const Xapian::Database& db, const DictionaryOptions& options) {
  std::map<std::string, Counts> by_lang;
  const std::string prefix(schema::kMetaLinksPrefix);
  for (auto key = db.metadata_keys_begin(prefix); key != db.metadata_keys_end(prefix); ++key) {
    const std::string symbol = (*key).substr(prefix.size());
    const auto links = read_links(db, symbol);
    if (!links) continue;
    for (const VersionPair& pair : links->pairs) {
      const bool zh_first = pair.a == "zh";
      const std::string other = zh_first ? pair.b : pair.a;
      if ((!zh_first && pair.b != "zh") || !Stemmers::has(other)) continue;
      Counts& counts = by_lang[other];
      for (const PassageLink& l : pair.alignment.links) {
        if (l.confidence < options.min_confidence) continue;
        const Xapian::docid zh = version_docid(db, schema::passage_id(symbol, zh_first ? l.a : l.b), "zh");
        const Xapian::docid x = version_docid(db, schema::passage_id(symbol, zh_first ? l.b : l.a), other);
        if (zh == 0 || x == 0) continue;
        const std::set<std::string> words = chinese_words(db, zh), source = stems(db, x, other);
        ++counts.pairs;
        for (const std::string& w : words) ++counts.target[w];
        for (const std::string& s : source) {
          ++counts.source[s];
          for (const std::string& w : words) ++counts.joint[s + '\x1f' + w];
        }
      }
    }
  }
  std::vector<Dictionary> out;
  for (const auto& [lang, counts] : by_lang) {
    Dictionary d{lang, {}, counts.pairs};
    const double n = static_cast<double>(counts.pairs);
    for (const auto& [key, joint] : counts.joint) {
      if (joint < options.min_pairs) continue;
      const std::size_t split = key.find('\x1f');
      const std::string source = key.substr(0, split), target = key.substr(split + 1);
      const double k11 = static_cast<double>(joint);
      const double r1 = static_cast<double>(counts.source.at(source)), c1 = static_cast<double>(counts.target.at(target));
      if (k11 * n <= r1 * c1) continue;  // not more often together than apart
      if (r1 > options.max_share * n || c1 > options.max_share * n) continue;  // too common
      const double k12 = r1 - k11, k21 = c1 - k11, k22 = n - r1 - c1 + k11;
      const double g2 = 2 * (g2_term(k11, r1, c1, n) + g2_term(k12, r1, n - c1, n) + g2_term(k21, n - r1, c1, n) +
                             g2_term(k22, n - r1, n - c1, n));
      if (g2 >= options.min_g2) d.entries[source].emplace_back(target, g2);
    }
    for (auto& [source, targets] : d.entries) {
      std::sort(targets.begin(), targets.end(),
                [](const auto& x, const auto& y) { return x.second != y.second ? x.second > y.second : x.first < y.first; });
      if (targets.size() > options.max_targets) targets.resize(options.max_targets);
      const double top = targets.front().second;
      for (auto& t : targets) t.second /= top;
    }
    out.push_back(std::move(d));
  }
  return out;
}

void store_dictionaries(Xapian::WritableDatabase& db, const std::vector<Dictionary>& dictionaries) {
  const std::string prefix(schema::kMetaDictionaryPrefix);
  std::vector<std::string> old;
  for (auto key = db.metadata_keys_begin(prefix); key != db.metadata_keys_end(prefix); ++key) old.push_back(*key);
  for (const std::string& key : old) db.set_metadata(key, "");
  for (const Dictionary& d : dictionaries) {
    json entries = json::object();
    for (const auto& [source, targets] : d.entries) {
      json list = json::array();
      for (const auto& [target, weight] : targets) list.push_back({target, weight});
      entries[source] = std::move(list);
    }
    db.set_metadata(prefix + "zh-" + d.lang, json{{"pairs", d.pairs}, {"entries", std::move(entries)}}.dump());
  }
}

Dictionary read_dictionary(const Xapian::Database& db, const std::string& lang) {
  Dictionary d{lang, {}, 0};
  const json j = json::parse(db.get_metadata(std::string(schema::kMetaDictionaryPrefix) + "zh-" + lang), nullptr, false);
  if (!j.is_object()) return d;
  try {
    d.pairs = j.at("pairs").get<std::size_t>();
    for (const auto& [source, targets] : j.at("entries").items())
      for (const json& t : targets) d.entries[source].emplace_back(t.at(0).get<std::string>(), t.at(1).get<double>());
  } catch (const json::exception&) {
    return Dictionary{lang, {}, 0};
  }
  return d;
}

std::vector<std::string> dictionary_languages(const Xapian::Database& db) {
  const std::string prefix = std::string(schema::kMetaDictionaryPrefix) + "zh-";
  std::vector<std::string> out;
  for (auto key = db.metadata_keys_begin(prefix); key != db.metadata_keys_end(prefix); ++key)
    out.push_back((*key).substr(prefix.size()));
  return out;
}

}  // namespace treaty
