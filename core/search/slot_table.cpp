#include "core/search/slot_table.h"

#include <algorithm>
#include <unordered_map>

namespace treaty {
namespace {

// Splits a multi-valued slot string.
template <class F>
void for_each_value(std::string_view joined, F&& f) {
  while (true) {
    const std::size_t sep = joined.find(schema::kValueSeparator);
    const std::string_view one = joined.substr(0, sep);
    if (!one.empty()) f(one);
    if (sep == std::string_view::npos) return;
    joined.remove_prefix(sep + 1);
  }
}

}  // namespace

std::optional<std::size_t> find_facet(std::string_view name) {
  for (std::size_t k = 0; k < std::size(kFacetDefs); ++k)
    if (kFacetDefs[k].name == name) return k;
  return std::nullopt;
}

SlotTable::Values::Values(const Xapian::Database& db, Xapian::valueno slot, Xapian::docid last) {
  std::unordered_map<std::string, std::uint32_t> intern;
  begin.assign(static_cast<std::size_t>(last) + 2, 0);
  Xapian::docid next = 0;  // first docid whose begin is not set yet
  for (Xapian::ValueIterator it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
    const Xapian::docid did = it.get_docid();
    for (; next <= did; ++next) begin[next] = static_cast<std::uint32_t>(ids.size());
    const std::size_t first = ids.size();
    for_each_value(*it, [&](std::string_view v) {
      auto [pos, added] = intern.try_emplace(std::string(v), static_cast<std::uint32_t>(names.size()));
      if (added) names.emplace_back(v);
      // A value listed twice on one passage still counts the passage once.
      if (std::find(ids.begin() + static_cast<std::ptrdiff_t>(first), ids.end(), pos->second) == ids.end())
        ids.push_back(pos->second);
    });
  }
  for (; next < begin.size(); ++next) begin[next] = static_cast<std::uint32_t>(ids.size());
}

SlotTable::SlotTable(const Xapian::Database& db) : last_(db.get_lastdocid()) {
  for (const FacetDef& f : kFacetDefs) facets_.emplace_back(db, f.slot, last_);
  build_ranks(db);
}

void SlotTable::build_ranks(const Xapian::Database& db) {
  struct Entry {
    Xapian::docid did;
    std::string order;
    std::string date;  // sortable_serialise(first day); empty: undated
    std::uint32_t order_rank = 0;
  };
  std::vector<Entry> entries;
  for (Xapian::ValueIterator it = db.valuestream_begin(schema::kSlotOrder); it != db.valuestream_end(schema::kSlotOrder); ++it)
    entries.push_back({it.get_docid(), *it, {}});
  // Both streams are in docid order: merge the dates in.
  std::size_t k = 0;
  for (Xapian::ValueIterator it = db.valuestream_begin(schema::kSlotDate); it != db.valuestream_end(schema::kSlotDate); ++it) {
    while (k < entries.size() && entries[k].did < it.get_docid()) ++k;
    if (k < entries.size() && entries[k].did == it.get_docid()) entries[k].date = *it;
  }
  auto assign = [&](std::vector<std::uint32_t>& ranks, auto&& less) {
    std::vector<std::size_t> idx(entries.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return less(entries[a], entries[b]); });
    ranks.assign(static_cast<std::size_t>(last_) + 1, kNoRank);
    for (std::size_t r = 0; r < idx.size(); ++r) ranks[entries[idx[r]].did] = static_cast<std::uint32_t>(r);
  };
  assign(order_, [](const Entry& a, const Entry& b) { return a.order < b.order; });
  for (Entry& e : entries) e.order_rank = order_[e.did];
  // Undated passages last either way; ties in document order.
  assign(date_asc_, [](const Entry& a, const Entry& b) {
    if (a.date.empty() != b.date.empty()) return b.date.empty();
    if (a.date != b.date) return a.date < b.date;
    return a.order_rank < b.order_rank;
  });
  assign(date_desc_, [](const Entry& a, const Entry& b) {
    if (a.date.empty() != b.date.empty()) return b.date.empty();
    if (a.date != b.date) return a.date > b.date;
    return a.order_rank < b.order_rank;
  });
}

SlotTableCache::SlotTableCache() = default;
SlotTableCache::~SlotTableCache() = default;

std::shared_ptr<const SlotTable> SlotTableCache::get(const Xapian::Database& db) {
  std::string key;
  try {
    key = db.get_uuid() + ":" + std::to_string(db.get_revision());
  } catch (const Xapian::InvalidOperationError&) {
    return std::make_shared<const SlotTable>(db);  // no revision to key on: build per search
  }
  std::lock_guard lock(mutex_);
  for (const auto& [k, table] : tables_)
    if (k == key) return table;
  auto table = std::make_shared<const SlotTable>(db);
  // Threads catch up with a commit one by one: keep the previous revision's table a little.
  if (tables_.size() >= 2) tables_.erase(tables_.begin());
  tables_.emplace_back(std::move(key), table);
  return table;
}

}  // namespace treaty
