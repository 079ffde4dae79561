#include "core/search/searcher.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "core/vectors/fusion.h"
#include "core/documents/references.h"
#include "core/search/resources.h"
#include "core/index/schema.h"

namespace treaty {
namespace {

using nlohmann::json;

struct FacetDef {
  std::string_view name;
  Xapian::valueno slot;
};

constexpr FacetDef kFacetDefs[] = {
    {"org", schema::kSlotOrgs},           {"year", schema::kSlotYears},
    {"decision", schema::kSlotDecisions}, {"symbol", schema::kSlotSymbols},
    {"month", schema::kSlotMonths},
};

// Index into kFacetDefs, or nullopt.
std::optional<std::size_t> find_facet(std::string_view name) {
  for (std::size_t k = 0; k < std::size(kFacetDefs); ++k)
    if (kFacetDefs[k].name == name) return k;
  return std::nullopt;
}

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

constexpr std::uint32_t kNoRank = std::numeric_limits<std::uint32_t>::max();

}  // namespace

class SlotTable {
 public:
  // The values of one multi-valued slot for every document, interned: document `did` carries
  // ids[begin[did]] .. ids[begin[did + 1] - 1], each an index into names.
  struct Values {
    std::vector<std::string> names;
    std::vector<std::uint32_t> begin;  // size last docid + 2
    std::vector<std::uint32_t> ids;

    Values(const Xapian::Database& db, Xapian::valueno slot, Xapian::docid last) {
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
  };

  explicit SlotTable(const Xapian::Database& db) : last_(db.get_lastdocid()) {
    for (const FacetDef& f : kFacetDefs) facets_.emplace_back(db, f.slot, last_);
    build_ranks(db);
  }

  const Values& facet(std::size_t k) const { return facets_[k]; }
  // Sort ranks per docid (kNoRank: not a passage of this revision).
  const std::vector<std::uint32_t>& order_ranks() const { return order_; }
  const std::vector<std::uint32_t>& date_ranks(bool descending) const { return descending ? date_desc_ : date_asc_; }

 private:
  void build_ranks(const Xapian::Database& db) {
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

  Xapian::docid last_;
  std::vector<Values> facets_;  // parallel to kFacetDefs
  std::vector<std::uint32_t> order_, date_asc_, date_desc_;
};

namespace {

// Counts the match set's documents per facet value from a SlotTable: per document, an array
// walk and integer increments.
class FacetSpy : public Xapian::MatchSpy {
 public:
  FacetSpy(const SlotTable& table, std::vector<std::size_t> facets) : table_(table), facets_(std::move(facets)) {
    for (std::size_t k : facets_) counts_.emplace_back(table_.facet(k).names.size(), 0);
  }

  void operator()(const Xapian::Document& doc, double) override { add(doc.get_docid()); }

  // Counts document `did` (vector hits outside the Xapian match set are added this way).
  void add(Xapian::docid did) {
    for (std::size_t i = 0; i < facets_.size(); ++i) {
      const SlotTable::Values& values = table_.facet(facets_[i]);
      if (did + 1 >= values.begin.size()) continue;
      for (std::uint32_t j = values.begin[did]; j < values.begin[did + 1]; ++j) ++counts_[i][values.ids[j]];
    }
  }

  // Value -> number of matching documents carrying it, for the i-th facet asked.
  std::vector<std::pair<std::string, std::uint64_t>> values(std::size_t i) const {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    const SlotTable::Values& values = table_.facet(facets_[i]);
    for (std::size_t id = 0; id < counts_[i].size(); ++id)
      if (counts_[i][id] > 0) out.emplace_back(values.names[id], counts_[i][id]);
    return out;
  }

 private:
  const SlotTable& table_;
  std::vector<std::size_t> facets_;  // indexes into kFacetDefs
  std::vector<std::vector<std::uint32_t>> counts_;
};

// Sorts by a precomputed rank per docid (big-endian, so byte order is rank order).
class RankKey : public Xapian::KeyMaker {
 public:
  explicit RankKey(const std::vector<std::uint32_t>& ranks) : ranks_(ranks) {}
  std::string operator()(const Xapian::Document& doc) const override {
    const Xapian::docid did = doc.get_docid();
    const std::uint32_t r = did < ranks_.size() ? ranks_[did] : kNoRank;
    const char bytes[4] = {static_cast<char>(r >> 24), static_cast<char>(r >> 16), static_cast<char>(r >> 8),
                           static_cast<char>(r)};
    return std::string(bytes, 4);
  }

 private:
  const std::vector<std::uint32_t>& ranks_;
};

// "cop:11/1 D" -> "COP XI/1 D" (references.h owns the label format).
std::string decision_label(std::string_view id) {
  DecisionRef ref;
  const std::size_t colon = id.find(':');
  const std::size_t slash = id.find('/');
  if (colon == std::string_view::npos || slash == std::string_view::npos || slash < colon) return std::string(id);
  const std::string_view kind = id.substr(0, colon);
  if (kind == "cop") ref.kind = DecisionKind::cop_decision;
  else if (kind == "rec") ref.kind = DecisionKind::recommendation;
  else if (kind == "unga") ref.kind = DecisionKind::unga_resolution;
  else return std::string(id);
  const std::string_view session = id.substr(colon + 1, slash - colon - 1);
  std::string_view rest = id.substr(slash + 1);
  const std::size_t space = rest.find(' ');
  const std::string_view number = rest.substr(0, space);
  if (space != std::string_view::npos) ref.part = std::string(rest.substr(space + 1));
  if (std::from_chars(session.data(), session.data() + session.size(), ref.session).ec != std::errc() ||
      std::from_chars(number.data(), number.data() + number.size(), ref.number).ec != std::errc())
    return std::string(id);
  return ref.label();
}

std::string facet_label(std::string_view facet, const std::string& value, const Resources& res) {
  if (facet == "org") {
    const Organization* org = res.gazetteer.find_by_id(value);
    if (!org) return value;
    return org->acronym.empty() ? org->name_zh : org->name_zh + " (" + org->acronym + ")";
  }
  if (facet == "decision") return decision_label(value);
  return value;
}

Facet make_facet(std::string_view name, std::vector<std::pair<std::string, std::uint64_t>> sorted,
                 std::size_t limit, const Resources& res) {
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (sorted.size() > limit) sorted.resize(limit);
  Facet facet{std::string(name), {}};
  for (auto& [value, count] : sorted) {
    std::string label = facet_label(name, value, res);
    facet.values.push_back({std::move(value), std::move(label), count});
  }
  return facet;
}

Xapian::Query any_of(const std::vector<Xapian::Query>& alternatives) {
  Xapian::Query q = alternatives.size() == 1
                        ? alternatives.front()
                        : Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, 0.0);
}

// The request's filters, one query per field (values of a field ORed); fields are ANDed.
struct FieldFilter {
  std::string_view field;  // facet name it corresponds to ("date" has no facet)
  Xapian::Query query;
};

Expected<std::vector<FieldFilter>> request_filters(const SearchRequest& r, const Resources& res,
                                                   std::vector<std::string>& warnings) {
  std::vector<FieldFilter> filters;
  if (!r.orgs.empty()) {
    std::vector<Xapian::Query> qs;
    for (const std::string& name : r.orgs) {
      if (const Organization* org = res.gazetteer.resolve(name)) {
        qs.emplace_back(std::string(schema::kOrg) + org->id);
      } else {
        warnings.push_back("unknown organization \"" + name + "\" (matches nothing)");
        qs.emplace_back();  // matches nothing (a query without shared internals)
      }
    }
    filters.push_back({"org", any_of(qs)});
  }
  if (!r.years.empty()) {
    std::vector<Xapian::Query> qs;
    for (const std::string& value : r.years) {
      auto year = parse_year(value);
      if (!year) return std::unexpected(year.error());
      qs.emplace_back(std::string(schema::kYear) + *year);
    }
    filters.push_back({"year", any_of(qs)});
  }
  if (!r.decisions.empty()) {
    std::vector<Xapian::Query> qs;
    for (const std::string& value : r.decisions) {
      std::string_view v = value;
      // Facet ids ("cop:11/1 D") work as filters too.
      for (std::string_view kind : {"cop:", "rec:", "unga:"})
        if (v.starts_with(kind)) v.remove_prefix(kind.size());
      const auto key = decision_filter_key(res.normalizer.normalize_string(v));
      if (!key) return fail("decision " + value + " is not a decision reference (e.g. XI/1, XI/1 D, 67/212)");
      qs.emplace_back(std::string(schema::kDecision) + *key);
    }
    filters.push_back({"decision", any_of(qs)});
  }
  if (!r.symbols.empty()) {
    std::vector<Xapian::Query> qs;
    for (const std::string& value : r.symbols) {
      std::string symbol = res.normalizer.normalize_string(value);
      for (char& c : symbol)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      qs.emplace_back(std::string(schema::kSymbol) + symbol);
    }
    filters.push_back({"symbol", any_of(qs)});
  }
  if (!r.kinds.empty()) {
    std::vector<Xapian::Query> qs;
    for (const std::string& kind : r.kinds) {
      if (kind != "header" && kind != "paragraph" && kind != "item")
        return fail("kind " + kind + " is not a passage kind (header, paragraph, item)");
      qs.emplace_back(std::string(schema::kKind) + kind);
    }
    filters.push_back({"kind", any_of(qs)});
  }
  if (r.paragraphs) {
    // Items are part of their paragraph's lead-in passage (kItemText).
    filters.push_back({"group", Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(std::string(schema::kKind) + "header"),
                                              Xapian::Query(std::string(schema::kKind) + "paragraph"))});
  }
  if (!r.date_from.empty() || !r.date_to.empty()) {
    auto range = parse_date_range(r.date_from + ".." + r.date_to);
    if (!range) return std::unexpected(range.error());
    filters.push_back({"date", date_filter_query(*range)});
  }
  return filters;
}

// `base` restricted by every filter except the one on `skip` (empty: none skipped).
Xapian::Query filtered(const Xapian::Query& base, const std::vector<FieldFilter>& filters,
                       std::string_view skip = {}) {
  std::vector<Xapian::Query> parts;
  for (const FieldFilter& f : filters)
    if (f.field != skip) parts.push_back(f.query);
  if (parts.empty()) return base;
  return Xapian::Query(Xapian::Query::OP_FILTER, base,
                       Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
}

// Does `finder` match the passage's text, a footnote it cites or one of its section headings
// (everything a text query searches)?
bool contains_match(const json& passage, const Highlighter& finder) {
  auto in = [&](const json& j) { return j.is_string() && !finder.find(j.get<std::string>()).empty(); };
  if (in(passage.value("text", json()))) return true;
  for (const json& f : passage.value("footnotes", json::array()))
    if (f.is_object() && in(f.value("text", json()))) return true;
  for (const json& heading : passage.value("section", json::array()))
    if (in(heading)) return true;
  return false;
}

// Grammatical characters that glue Chinese words together; a bigram holding one mostly spans a
// word boundary.
bool has_function_character(std::string_view text) {
  static constexpr std::string_view kFunction[] = {"的", "了", "和", "与", "在", "是", "及", "或", "等",
                                                   "之", "其", "为", "对", "于", "以", "并", "也", "将"};
  return std::any_of(std::begin(kFunction), std::end(kFunction),
                     [&](std::string_view c) { return text.find(c) != std::string_view::npos; });
}

// Terms worth describing a passage by, for similar(): Han bigrams (without function
// characters), Han words of two or more characters, and Latin words or compounds of three or more characters that are not numbers;
// only terms some other passage has (the rest can find nothing). Single characters, section
// text, field and identity terms are left out.
class SimilarTermDecider : public Xapian::ExpandDecider {
 public:
  explicit SimilarTermDecider(const Xapian::Database& db) : db_(db) {}

  bool operator()(const std::string& term) const override {
    if (term.empty()) return false;
    const auto first = static_cast<unsigned char>(term[0]);
    bool useful = false;
    if (term.starts_with(schema::kHanBigram)) {
      // B + two Han characters, neither a function character: 的加 spans two words and
      // describes nothing.
      const std::string_view pair = std::string_view(term).substr(schema::kHanBigram.size());
      useful = !pair.empty() && static_cast<unsigned char>(pair[0]) >= 0x80 && !has_function_character(pair);
    } else if (first >= 0x80) {
      // A Han word of two or more characters; of two, not glued by a function character (是在).
      useful = term.size() > 6 || (term.size() == 6 && !has_function_character(term));
    } else if (first >= 'a' && first <= 'z') {
      useful = term.size() >= 3;  // prefixes are upper case; numbers start with a digit
    }
    return useful && db_.get_termfreq(term) > 1;
  }

 private:
  const Xapian::Database& db_;
};

// The request's facet and field names are known ones.
Expected<void> check_request(const SearchRequest& request) {
  for (const std::string& name : request.facets)
    if (!find_facet(name)) return fail("unknown facet \"" + name + "\" (facets: org, year, decision, symbol, month)");
  for (const std::string& f : request.fields)
    if (std::find(std::begin(kHitFields), std::end(kHitFields), f) == std::end(kHitFields)) {
      std::string known;
      for (std::string_view k : kHitFields) known += (known.empty() ? "" : ", ") + std::string(k);
      return fail("unknown field \"" + f + "\" (fields: " + known + ")");
    }
  return {};
}

// How many terms describe a passage for similar(): enough to find passages on the same topic
// in other words, few enough that one shared common word does not decide.
constexpr Xapian::termcount kSimilarTerms = 20;

}  // namespace

std::optional<SortOrder> parse_sort_order(std::string_view name) {
  if (name == "relevance") return SortOrder::relevance;
  if (name == "date") return SortOrder::date;
  if (name == "-date") return SortOrder::date_desc;
  if (name == "document") return SortOrder::document;
  return std::nullopt;
}

std::optional<SearchMode> parse_search_mode(std::string_view name) {
  if (name == "lexical") return SearchMode::lexical;
  if (name == "hybrid") return SearchMode::hybrid;
  if (name == "semantic") return SearchMode::semantic;
  return std::nullopt;
}

std::string_view search_mode_name(SearchMode mode) {
  switch (mode) {
    case SearchMode::lexical: return "lexical";
    case SearchMode::hybrid: return "hybrid";
    case SearchMode::semantic: return "semantic";
  }
  return "hybrid";
}

std::string_view sort_order_name(SortOrder order) {
  switch (order) {
    case SortOrder::relevance: return "relevance";
    case SortOrder::date: return "date";
    case SortOrder::date_desc: return "-date";
    case SortOrder::document: return "document";
  }
  return "relevance";
}

json SearchResponse::to_json() const {
  json hits_json = json::array();
  for (const Hit& h : hits) {
    json j = h.passage;
    j["snippet"] = h.snippet;
    j["snippet_source"] = h.snippet_source;
    j["score"] = h.score;
    j["matched_expansions"] = h.matched_expansions;
    if (vector) {
      auto rank = [](std::size_t r) { return r == 0 ? json(nullptr) : json(r); };
      j["retrieval"] = {{"lexical", h.lexical_match},
                        {"lexical_rank", rank(h.lexical_rank)},
                        {"vector_rank", rank(h.vector_rank)},
                        {"vector_score", h.vector_rank == 0 ? json(nullptr) : json(h.vector_score)}};
    }
    if (!fields.empty()) {
      json picked = json::object();
      for (const std::string& f : fields)
        if (f == "id") picked["id"] = h.id;  // also when the passage was not read
        else if (auto it = j.find(f); it != j.end()) picked[f] = *it;
      j = std::move(picked);
    }
    hits_json.push_back(std::move(j));
  }
  json facets_json = json::object();
  for (const Facet& f : facets) {
    json values = json::array();
    for (const FacetValue& v : f.values) values.push_back({{"value", v.value}, {"label", v.label}, {"count", v.count}});
    facets_json[f.name] = std::move(values);
  }
  return {{"mode", search_mode_name(mode)},
          {"vector", vector},
          {"total", total},
          {"sort", sort_order_name(sort)},
          {"hits", std::move(hits_json)},
          {"facets", std::move(facets_json)},
          {"warnings", warnings},
          {"expansions", expansions}};
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

struct VectorQuery {
  std::vector<float> vector;                  // what to search for (length = store->dimensions())
  std::shared_ptr<const VectorStore> store;   // the vectors of this index
  std::string exclude_id;                     // similar(): the passage itself
};

namespace {

struct VectorCandidate {
  Xapian::docid did = 0;
  std::string id;
  float score = 0;
};

// One result before its document is read: where it came from and its rank in each list.
struct Entry {
  Xapian::docid did = 0;
  double score = 0;
  bool lexical = false;
  std::size_t lexical_rank = 0;  // 1-based; 0: not in the fetched lexical list
  std::size_t vector_rank = 0;   // 1-based; 0: not a vector candidate
  float vector_score = 0;
};

// Marks every document of the match set (check_at_least = all), without building an MSet.
class MarkSpy : public Xapian::MatchSpy {
 public:
  explicit MarkSpy(std::vector<char>& marks) : marks_(marks) {}
  void operator()(const Xapian::Document& doc, double) override {
    const Xapian::docid did = doc.get_docid();
    if (did < marks_.size()) marks_[did] = 1;
  }

 private:
  std::vector<char>& marks_;
};

}  // namespace

Searcher::Searcher(Xapian::Database& db, const Resources& resources, SearcherOptions options)
    : db_(&db), resources_(&resources), options_(std::move(options)), analyzer_(resources.normalizer, resources.lexicon) {
  if (!options_.slot_tables) options_.slot_tables = std::make_shared<SlotTableCache>();
}

std::shared_ptr<const VectorStore> Searcher::usable_store(std::vector<std::string>& warnings, bool need_embedder) {
  VectorSearch* vectors = options_.vectors.get();
  if (!vectors || (need_embedder && !vectors->has_embedder())) return nullptr;
  auto store = vectors->store();
  if (!store) {
    warnings.push_back("dense vectors are unavailable (" + store.error().describe() + "); lexical results only");
    return nullptr;
  }
  if ((*store)->size() == 0) {
    if (need_embedder)
      warnings.push_back("the index has no passage vectors (index with `indexer --embed-url`); lexical results only");
    return nullptr;
  }
  // Stored vectors compare with each other whatever the embedder; with a query vector only if
  // one model made both.
  if (need_embedder && (*store)->model() != vectors->embedder_model()) {
    warnings.push_back("the index's vectors come from model \"" + (*store)->model() +
                       "\" but queries are embedded with \"" + vectors->embedder_model() +
                       "\" (re-index with that model); lexical results only");
    return nullptr;
  }
  return *store;
}

Expected<SearchResponse> Searcher::search(const SearchRequest& request) {
  if (auto ok = check_request(request); !ok) return std::unexpected(ok.error());
  if (request.mode == SearchMode::semantic && !(options_.vectors && options_.vectors->has_embedder()))
    return fail("mode=semantic needs an embeddings server, and none is configured ([embedder] in searchd.toml)");

  QueryParserOptions query_options = options_.query;
  query_options.headings_match = request.headings;
  query_options.whole_paragraphs = request.paragraphs;
  if (request.mode != SearchMode::lexical && !resources_->thesaurus.concepts().empty())
    query_options.thesaurus = &resources_->thesaurus;
  auto parsed = parse_query(request.q, analyzer_, resources_->gazetteer, query_options);
  if (!parsed) return std::unexpected(parsed.error());
  if (request.mode == SearchMode::lexical || parsed->semantic_text.empty()) return run(request, *parsed, nullptr);

  std::vector<std::string> warnings;
  VectorQuery vq;
  vq.store = usable_store(warnings, true);
  if (vq.store) {
    auto vector = options_.vectors->embed_query(parsed->semantic_text);
    if (!vector) {
      warnings.push_back("the query could not be embedded (" + vector.error().describe() + "); lexical results only");
    } else if (vector->size() != vq.store->dimensions()) {
      warnings.push_back("the embedder returned " + std::to_string(vector->size()) + " dimensions, the index's vectors have " +
                         std::to_string(vq.store->dimensions()) + "; lexical results only");
    } else {
      vq.vector = std::move(*vector);
      return run(request, *parsed, &vq);
    }
  }
  return run(request, *parsed, nullptr, std::move(warnings));
}

Expected<SearchResponse> Searcher::run(const SearchRequest& request, const ParsedQuery& parsed, const VectorQuery* vq,
                                       std::vector<std::string> warnings) {
  SearchResponse response;
  response.mode = request.mode;
  response.vector = vq != nullptr;
  response.fields = request.fields;
  response.warnings = parsed.warnings;
  response.warnings.insert(response.warnings.end(), warnings.begin(), warnings.end());
  for (const QueryExpansion& e : parsed.expansions)
    for (const std::string& r : e.replacements)
      if (std::find(response.expansions.begin(), response.expansions.end(), r) == response.expansions.end())
        response.expansions.push_back(r);
  auto filters = request_filters(request, *resources_, response.warnings);
  if (!filters) return std::unexpected(filters.error());

  response.sort = request.sort.value_or(parsed.has_text || vq ? SortOrder::relevance : SortOrder::document);
  const Xapian::doccount all = db_->get_doccount();
  const std::shared_ptr<const SlotTable> table = options_.slot_tables->get(*db_);

  // Facets counted in the main pass, and (disjunctive mode) those needing a pass without their
  // own filter.
  auto has_filter = [&](std::string_view facet) {
    return std::any_of(filters->begin(), filters->end(), [&](const FieldFilter& f) { return f.field == facet; });
  };
  std::vector<std::size_t> main_facets, own_pass_facets;
  for (const std::string& name : request.facets) {
    const std::size_t k = *find_facet(name);
    if (std::find(main_facets.begin(), main_facets.end(), k) != main_facets.end() ||
        std::find(own_pass_facets.begin(), own_pass_facets.end(), k) != own_pass_facets.end())
      continue;  // asked twice
    (request.disjunctive && has_filter(name) ? own_pass_facets : main_facets).push_back(k);
  }

  // Ties in relevance are rare and fall back to docid order, which is document order as long as
  // documents were added whole (a per-document key here would cost a lookup per match).
  RankKey order_key(table->order_ranks());
  RankKey date_key(table->date_ranks(response.sort == SortOrder::date_desc));
  auto set_sort = [&](Xapian::Enquire& enquire) {
    switch (response.sort) {
      case SortOrder::relevance: enquire.set_sort_by_relevance(); break;
      case SortOrder::document: enquire.set_sort_by_key(&order_key, false); break;
      case SortOrder::date:
      case SortOrder::date_desc: enquire.set_sort_by_key(&date_key, false); break;
    }
  };
  const std::vector<std::uint32_t>* ranks =
      response.sort == SortOrder::relevance  ? nullptr
      : response.sort == SortOrder::document ? &table->order_ranks()
                                             : &table->date_ranks(response.sort == SortOrder::date_desc);
  auto rank_of = [&](Xapian::docid did) { return did < ranks->size() ? (*ranks)[did] : kNoRank; };

  // ---- Dense-vector candidates ----
  const bool semantic = vq && request.mode == SearchMode::semantic;
  const std::size_t depth = vq ? options_.vectors->options().depth : 0;
  std::shared_ptr<const PassageDocids> docids;
  if (vq) docids = options_.vectors->docids(*db_);
  // The nearest passages under the request's filters, except the one on `skip`'s field.
  auto vector_candidates = [&](std::string_view skip) -> Expected<std::vector<VectorCandidate>> {
    std::vector<char> allowed;
    const bool restrict = std::any_of(filters->begin(), filters->end(), [&](const FieldFilter& f) { return f.field != skip; });
    if (restrict) {
      allowed.assign(static_cast<std::size_t>(db_->get_lastdocid()) + 1, 0);
      Xapian::Enquire e(*db_);
      e.set_query(filtered(Xapian::Query(std::string()), *filters, skip));
      e.set_weighting_scheme(Xapian::BoolWeight());
      MarkSpy spy(allowed);
      e.add_matchspy(&spy);
      e.get_mset(0, 0, all);
      e.clear_matchspies();
    }
    const IdFilter accept = [&](std::string_view id) {
      if (id == vq->exclude_id) return false;
      const auto it = docids->find(id);
      if (it == docids->end()) return false;  // vectors.bin is a commit ahead of or behind this revision
      return !restrict || (it->second < allowed.size() && allowed[it->second] != 0);
    };
    auto hits = vq->store->search(vq->vector, depth, accept);
    if (!hits) return std::unexpected(hits.error());
    std::vector<VectorCandidate> out;
    for (VectorHit& h : *hits) out.push_back({docids->find(h.id)->second, std::move(h.id), h.score});
    return out;
  };
  // The docids among `candidates` that `query` matches.
  auto matching = [&](const std::vector<VectorCandidate>& candidates, const Xapian::Query& query) {
    std::unordered_set<Xapian::docid> out;
    if (candidates.empty()) return out;
    std::vector<Xapian::Query> ids;
    for (const VectorCandidate& c : candidates) ids.emplace_back(std::string(schema::kPassageId) + c.id);
    Xapian::Enquire e(*db_);
    e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end())));
    e.set_weighting_scheme(Xapian::BoolWeight());
    const Xapian::MSet m = e.get_mset(0, static_cast<Xapian::doccount>(candidates.size()));
    for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it) out.insert(*it);
    return out;
  };

  std::vector<Facet> computed;
  std::vector<Entry> entries;  // the whole ranking as far as this page needs it
  std::size_t first = request.offset;  // the page's first entry in `entries`
  auto own_pass = [&](std::size_t k, FacetSpy& own) -> Expected<void> {
    const std::string_view name = kFacetDefs[k].name;
    if (!semantic) {
      Xapian::Enquire pass(*db_);
      pass.set_query(filtered(parsed.query, *filters, name));
      pass.set_weighting_scheme(Xapian::BoolWeight());  // counting only
      pass.add_matchspy(&own);
      pass.get_mset(0, 0, all);
      pass.clear_matchspies();
    }
    if (vq) {
      auto candidates = vector_candidates(name);
      if (!candidates) return std::unexpected(candidates.error());
      const std::unordered_set<Xapian::docid> lexical =
          semantic ? std::unordered_set<Xapian::docid>() : matching(*candidates, filtered(parsed.query, *filters, name));
      for (const VectorCandidate& c : *candidates)
        if (!lexical.contains(c.did)) own.add(c.did);
    }
    return {};
  };

  FacetSpy spy(*table, main_facets);
  if (semantic) {
    // ---- mode=semantic: the vector candidates are the result set ----
    auto candidates = vector_candidates({});
    if (!candidates) return std::unexpected(candidates.error());
    response.total = candidates->size();
    for (std::size_t i = 0; i < candidates->size(); ++i) {
      const VectorCandidate& c = (*candidates)[i];
      spy.add(c.did);
      entries.push_back({c.did, c.score, false, 0, i + 1, c.score});
    }
    if (ranks)
      std::stable_sort(entries.begin(), entries.end(),
                       [&](const Entry& a, const Entry& b) { return rank_of(a.did) < rank_of(b.did); });
  } else {
    Xapian::Enquire enquire(*db_);
    enquire.set_query(filtered(parsed.query, *filters));
    set_sort(enquire);
    if (!main_facets.empty()) enquire.add_matchspy(&spy);
    // Without vectors only the page is fetched. With them, the lexical list is fused from its
    // first `depth` hits, and the ranking continues with the lexical hits after those: fetch
    // enough that `depth` fused-in vector hits cannot push the page past the fetched ones.
    const std::size_t want = request.offset + request.size;
    const std::size_t fetch = vq ? std::max(want, depth) + depth : request.size;
    // check_at_least = every document: the total is exact and the spy sees the whole match set.
    const Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(vq ? 0 : request.offset),
                                               static_cast<Xapian::doccount>(fetch), all);
    enquire.clear_matchspies();
    response.total = mset.get_matches_estimated();
    std::vector<Entry> lexical;
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it)
      lexical.push_back({*it, it.get_weight(), true, (vq ? 0 : request.offset) + lexical.size() + 1, 0, 0});
    if (!vq) {
      entries = std::move(lexical);
      first = 0;
    } else {
      // ---- mode=hybrid with vectors: reciprocal rank fusion ----
      auto candidates = vector_candidates({});
      if (!candidates) return std::unexpected(candidates.error());
      std::unordered_map<Xapian::docid, std::size_t> lexical_at;  // docid -> index in `lexical`
      for (std::size_t i = 0; i < lexical.size(); ++i) lexical_at.emplace(lexical[i].did, i);
      std::vector<VectorCandidate> unranked;  // candidates outside the fetched lexical list
      for (const VectorCandidate& c : *candidates)
        if (!lexical_at.contains(c.did)) unranked.push_back(c);
      // Those the query matches anyway (ranked further down) are already counted; the rest add
      // to the total and the facets.
      const auto deep = matching(unranked, filtered(parsed.query, *filters));
      for (const VectorCandidate& c : unranked)
        if (!deep.contains(c.did)) {
          spy.add(c.did);
          ++response.total;
        }
      std::unordered_map<Xapian::docid, std::size_t> vector_at;  // docid -> index in candidates
      for (std::size_t i = 0; i < candidates->size(); ++i) vector_at.emplace((*candidates)[i].did, i);
      auto entry_for = [&](Xapian::docid did) {
        Entry e{did, 0, false, 0, 0, 0};
        if (auto l = lexical_at.find(did); l != lexical_at.end()) {
          e.lexical = true;
          e.lexical_rank = l->second + 1;
        } else {
          e.lexical = deep.contains(did);
        }
        if (auto v = vector_at.find(did); v != vector_at.end()) {
          e.vector_rank = v->second + 1;
          e.vector_score = (*candidates)[v->second].score;
        }
        return e;
      };
      const VectorSearchOptions& vo = options_.vectors->options();
      if (!ranks) {
        RankedList lexical_list{{}, vo.lexical_weight}, vector_list{{}, vo.vector_weight};
        for (std::size_t i = 0; i < lexical.size() && i < depth; ++i) lexical_list.ids.push_back(std::to_string(lexical[i].did));
        for (const VectorCandidate& c : *candidates) vector_list.ids.push_back(std::to_string(c.did));
        auto fused = reciprocal_rank_fusion({lexical_list, vector_list}, vo.rrf_k);
        if (!fused) return std::unexpected(fused.error());
        std::unordered_set<Xapian::docid> seen;
        for (const FusedHit& f : *fused) {
          Entry e = entry_for(static_cast<Xapian::docid>(std::stoul(f.id)));
          e.score = f.score;
          seen.insert(e.did);
          entries.push_back(e);
        }
        // The ranking goes on with the lexical hits beyond the fused depth, scored as RRF would.
        for (std::size_t i = depth; i < lexical.size(); ++i) {
          if (seen.contains(lexical[i].did)) continue;
          Entry e = entry_for(lexical[i].did);
          e.score = vo.lexical_weight / (vo.rrf_k + static_cast<double>(i + 1));
          entries.push_back(e);
        }
      } else {
        // Sorted by date or document order: the fetched lexical hits (the first ones in that
        // order) and the vector-only hits, merged.
        for (const Entry& l : lexical) entries.push_back(entry_for(l.did));
        for (const VectorCandidate& c : unranked)
          if (!deep.contains(c.did)) entries.push_back(entry_for(c.did));
        std::stable_sort(entries.begin(), entries.end(),
                         [&](const Entry& a, const Entry& b) { return rank_of(a.did) < rank_of(b.did); });
        for (Entry& e : entries) e.score = 0;
      }
    }
  }

  for (std::size_t i = 0; i < main_facets.size(); ++i)
    computed.push_back(make_facet(kFacetDefs[main_facets[i]].name, spy.values(i), request.facet_size, *resources_));
  for (std::size_t k : own_pass_facets) {
    FacetSpy own(*table, {k});
    if (auto ok = own_pass(k, own); !ok) return std::unexpected(ok.error());
    computed.push_back(make_facet(kFacetDefs[k].name, own.values(0), request.facet_size, *resources_));
  }
  for (const std::string& name : request.facets)
    for (Facet& facet : computed)
      if (facet.name == name) {
        response.facets.push_back(std::move(facet));
        facet.name.clear();  // a facet asked twice is listed once
      }

  // The page.
  std::vector<Entry> page;
  for (std::size_t i = first; i < entries.size() && page.size() < request.size; ++i) page.push_back(entries[i]);
  if (semantic && parsed.has_text) {
    // Say which vector hits the words match too.
    std::vector<VectorCandidate> shown;
    for (const Entry& e : page) shown.push_back({e.did, "", 0});
    for (VectorCandidate& c : shown) c.id = db_->get_document(c.did, Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotId);
    const auto lexical = matching(shown, filtered(parsed.query, *filters));
    for (Entry& e : page) e.lexical = lexical.contains(e.did);
  }

  Highlighter highlighter(analyzer_, parsed.highlights);
  // Expansions are explained per hit by finding them the way snippets find matches.
  std::vector<Highlighter> expansion_finders;
  for (const QueryExpansion& e : parsed.expansions) expansion_finders.emplace_back(analyzer_, std::vector{e.text});
  auto wanted = [&](std::string_view f) {
    return request.fields.empty() || std::find(request.fields.begin(), request.fields.end(), f) != request.fields.end();
  };
  const bool want_snippet = wanted("snippet") || wanted("snippet_source");
  const bool want_expansions = wanted("matched_expansions");
  // Only the id (from its value slot), score and ranks asked for: the stored JSON is not read.
  const bool want_passage = want_snippet || want_expansions ||
                            std::any_of(std::begin(kHitFields), std::end(kHitFields), [&](std::string_view f) {
                              return f != "id" && f != "score" && f != "retrieval" && wanted(f);
                            });
  for (const Entry& entry : page) {
    Hit hit;
    hit.score = entry.score;
    hit.lexical_match = entry.lexical;
    hit.lexical_rank = entry.lexical_rank;
    hit.vector_rank = entry.vector_rank;
    hit.vector_score = entry.vector_score;
    const Xapian::Document doc = db_->get_document(entry.did, Xapian::DOC_ASSUME_VALID);
    if (!want_passage) {
      hit.id = doc.get_value(schema::kSlotId);
      response.hits.push_back(std::move(hit));
      continue;
    }
    hit.passage = json::parse(doc.get_data());
    for (std::size_t k = 0; want_expansions && k < expansion_finders.size(); ++k) {
      if (!contains_match(hit.passage, expansion_finders[k])) continue;
      for (const std::string& r : parsed.expansions[k].replacements)
        if (std::find(hit.matched_expansions.begin(), hit.matched_expansions.end(), r) == hit.matched_expansions.end())
          hit.matched_expansions.push_back(r);
    }
    hit.id = hit.passage.value("id", "");
    if (!want_snippet) {
      response.hits.push_back(std::move(hit));
      continue;
    }
    Snippet snippet = highlighter.snippet(hit.passage.value("text", ""), request.snippet);
    hit.snippet_source = "text";
    // A passage can match through a footnote it cites: show that footnote then.
    if (snippet.matched == 0 && !parsed.highlights.empty() && hit.passage.contains("footnotes")) {
      for (const json& f : hit.passage["footnotes"]) {
        Snippet from_note = highlighter.snippet(f.value("text", ""), request.snippet);
        if (from_note.matched > 0) {
          snippet = std::move(from_note);
          hit.snippet_source = "footnote " + std::to_string(f.value("number", 0));
          break;
        }
      }
    }
    hit.snippet = std::move(snippet.html);
    response.hits.push_back(std::move(hit));
  }
  return response;
}

Expected<std::optional<SearchResponse>> Searcher::similar(const std::string& id, const SearchRequest& request) {
  if (auto ok = check_request(request); !ok) return std::unexpected(ok.error());
  const std::string id_term = std::string(schema::kPassageId) + id;
  Xapian::PostingIterator posting = db_->postlist_begin(id_term);
  if (posting == db_->postlist_end(id_term)) return std::optional<SearchResponse>();

  Xapian::RSet rset;
  rset.add_document(*posting);
  Xapian::Enquire enquire(*db_);
  enquire.set_query(Xapian::Query(id_term));
  const SimilarTermDecider decider(*db_);
  const Xapian::ESet eset = enquire.get_eset(kSimilarTerms, rset, &decider);

  ParsedQuery parsed;
  std::vector<Xapian::Query> terms;
  std::vector<std::string> described;  // the terms as text, for the response
  for (Xapian::ESetIterator it = eset.begin(); it != eset.end(); ++it) {
    const std::string term = *it;
    terms.emplace_back(term);
    // Highlight what the terms are in the text: a bigram's two characters, a word as it is.
    const std::string text = term.starts_with(schema::kHanBigram) ? term.substr(schema::kHanBigram.size()) : term;
    if (std::find(described.begin(), described.end(), text) != described.end()) continue;
    parsed.highlights.push_back(text);
    described.push_back(text);
  }
  if (terms.empty()) {
    parsed.query = Xapian::Query();  // nothing distinctive: nothing similar
  } else {
    parsed.query = Xapian::Query(Xapian::Query::OP_AND_NOT,
                                 Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()), Xapian::Query(id_term));
    parsed.has_text = true;
  }

  // By vectors too when the passage has one (no query to embed: its stored vector is the query).
  std::vector<std::string> warnings;
  VectorQuery vq;
  if (request.mode != SearchMode::lexical) {
    vq.store = usable_store(warnings, false);
    if (auto vector = vq.store ? vq.store->vector(id) : std::nullopt) {
      vq.vector = std::move(*vector);
      vq.exclude_id = id;
    } else if (request.mode == SearchMode::semantic && warnings.empty()) {
      warnings.push_back("passage " + id + " has no stored vector; related passages by shared terms only");
    }
  }
  auto response = run(request, parsed, vq.vector.empty() ? nullptr : &vq, std::move(warnings));
  if (!response) return std::unexpected(response.error());
  response->expansions = std::move(described);
  return std::optional<SearchResponse>(std::move(*response));
}

}  // namespace treaty
