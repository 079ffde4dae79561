// Every passage's facet values and sort ranks for one index revision, read once from the value
// slots so that counting facets and sorting a match set never read values per document.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

#include "core/index/schema.h"

namespace treaty {

// A facet: its name in requests and responses, and the value slot that holds its values.
struct FacetDef {
  std::string_view name;
  Xapian::valueno slot;
};

// The facets, in this order (SlotTable::facet(k) is kFacetDefs[k]'s). Their names are
// request.h's kFacetNames.
inline constexpr FacetDef kFacetDefs[] = {
    {"org", schema::kSlotOrgs},           {"year", schema::kSlotYears},
    {"decision", schema::kSlotDecisions}, {"symbol", schema::kSlotSymbols},
    {"month", schema::kSlotMonths},       {"doc", schema::kSlotDoc},
    {"meeting", schema::kSlotMeeting},    {"type", schema::kSlotDocType},
    {"lang", schema::kSlotLang},          {"issued", schema::kSlotIssuedYear},
};

// Index into kFacetDefs of the facet called `name`, or nullopt.
std::optional<std::size_t> find_facet(std::string_view name);

// A sort rank no passage has (docids that are not passages of the revision).
inline constexpr std::uint32_t kNoRank = std::numeric_limits<std::uint32_t>::max();

class SlotTable {
 public:
  // The values of one multi-valued slot for every document, interned: document `did` carries
  // ids[begin[did]] .. ids[begin[did + 1] - 1], each an index into names. A value listed twice
  // on one passage is listed once.
  struct Values {
    std::vector<std::string> names;
    std::vector<std::uint32_t> begin;  // size last docid + 2
    std::vector<std::uint32_t> ids;

    Values(const Xapian::Database& db, Xapian::valueno slot, Xapian::docid last);
  };

  // Reads every facet slot and the order and date slots of `db`'s current revision.
  explicit SlotTable(const Xapian::Database& db);

  // The values of kFacetDefs[k].
  const Values& facet(std::size_t k) const { return facets_[k]; }
  // Sort ranks per docid (kNoRank: not a passage of this revision): document order (symbol,
  // then passage order), and first date ascending or descending (undated passages last either
  // way, ties in document order).
  const std::vector<std::uint32_t>& order_ranks() const { return order_; }
  const std::vector<std::uint32_t>& date_ranks(bool descending) const { return descending ? date_desc_ : date_asc_; }

 private:
  void build_ranks(const Xapian::Database& db);

  Xapian::docid last_;
  std::vector<Values> facets_;  // parallel to kFacetDefs
  std::vector<std::uint32_t> order_, date_asc_, date_desc_;
};

// Shares SlotTables between the Searchers of all threads: built on the first search of a new
// index revision, dropped when newer revisions replace it. Thread-safe.
class SlotTableCache {
 public:
  SlotTableCache();
  ~SlotTableCache();
  SlotTableCache(const SlotTableCache&) = delete;
  SlotTableCache& operator=(const SlotTableCache&) = delete;

  // The table of `db` at its current revision (built now if no searcher has built it yet).
  std::shared_ptr<const SlotTable> get(const Xapian::Database& db);

 private:
  std::mutex mutex_;  // held while building: other threads would only build the same table
  std::vector<std::pair<std::string, std::shared_ptr<const SlotTable>>> tables_;  // uuid:revision, newest last
};

}  // namespace treaty
