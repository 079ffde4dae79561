// The seed document indexed through the real core API (as `indexer add` does), for the tests of
// the search steps (filters, ranking, facets, date filters), with brute-force helpers over the
// stored passages that do not use the code under test.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/index/index_writer.h"
#include "core/index/passage_data.h"
#include "core/index/schema.h"
#include "core/search/resources.h"
#include "core/text/analyzer.h"
#include "tests/support/test_support.h"

namespace treaty::test {

using Docids = std::set<Xapian::docid>;

// One index of the seed document in a TempDir of its own.
struct SeedIndex {
  std::unique_ptr<Resources> res = project_resources();
  TempDir tmp;
  Xapian::Database db = build();

  Xapian::Database build() { return write_index(tmp.path() / "index", *res, {parse_file(seed_path())}); }

  // Every passage's stored JSON by docid.
  std::map<Xapian::docid, nlohmann::json> passages() const {
    std::map<Xapian::docid, nlohmann::json> out;
    StoredPassages stored(res->gazetteer);
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
      out.emplace(*it, stored.read(db, db.get_document(*it)));
    return out;
  }

  // The passages whose stored JSON satisfies `pred`.
  Docids where(const std::function<bool(const nlohmann::json&)>& pred) const {
    Docids out;
    for (const auto& [did, p] : passages())
      if (pred(p)) out.insert(did);
    return out;
  }

  // Every document `query` matches (a plain boolean Enquire).
  Docids matches(const Xapian::Query& query) const {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount() + 1);
    Docids out;
    for (auto it = mset.begin(); it != mset.end(); ++it) out.insert(*it);
    return out;
  }

  // The passage's id value slot ("UNEP/CBD/NP/COP-MOP/1/6#21").
  std::string id_of(Xapian::docid did) const { return db.get_document(did).get_value(schema::kSlotId); }
};

// A stored date bound ("2014", "2014-05", "2014-05-03") as days since 1970-01-01: its first day,
// or its last with `end`. Written with <chrono> only, independently of date_filter.h.
inline int json_day(const std::string& date, bool end) {
  using namespace std::chrono;
  const int y = std::stoi(date.substr(0, 4));
  const unsigned m = date.size() >= 7 ? static_cast<unsigned>(std::stoi(date.substr(5, 2))) : (end ? 12u : 1u);
  sys_days result;
  if (date.size() >= 10)
    result = sys_days(year(y) / month(m) / std::stoi(date.substr(8, 2)));
  else if (end)
    result = sys_days(year(y) / month(m) / last);
  else
    result = sys_days(year(y) / month(m) / 1);
  return static_cast<int>(result.time_since_epoch().count());
}

// Does any of the passage's stored dates overlap [first, last] (days)?
inline bool overlaps(const nlohmann::json& p, int first, int last) {
  for (const nlohmann::json& d : p["dates"])
    if (json_day(d["from"].get<std::string>(), false) <= last && json_day(d["to"].get<std::string>(), true) >= first)
      return true;
  return false;
}

}  // namespace treaty::test
