#include "core/search/vector_retrieval.h"

#include "core/index/schema.h"

namespace treaty {
namespace {

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

VectorRetriever::VectorRetriever(const Xapian::Database& db, const VectorQuery& query,
                                 std::shared_ptr<const PassageDocids> docids, std::size_t depth, const Filters& filters)
    : db_(&db), query_(&query), docids_(std::move(docids)), depth_(depth), filters_(&filters) {}

Expected<std::vector<VectorCandidate>> VectorRetriever::candidates(std::string_view skip) const {
  // The filters become an allow-set of docids from one boolean pass.
  std::vector<char> allowed;
  const bool restrict = filters_->restricts_except(skip);
  if (restrict) {
    allowed.assign(static_cast<std::size_t>(db_->get_lastdocid()) + 1, 0);
    Xapian::Enquire e(*db_);
    e.set_query(filters_->apply(Xapian::Query(std::string()), skip));
    e.set_weighting_scheme(Xapian::BoolWeight());
    MarkSpy spy(allowed);
    e.add_matchspy(&spy);
    e.get_mset(0, 0, db_->get_doccount());
    e.clear_matchspies();
  }
  const PassageDocids& docids = *docids_;
  const IdFilter accept = [&](std::string_view id) {
    if (!query_->exclude_id.empty() && schema::passage_of_vector_id(id) == query_->exclude_id) return false;
    const auto it = docids.find(id);
    if (it == docids.end()) return false;  // vectors.bin is a commit ahead of or behind this revision
    return !restrict || (it->second < allowed.size() && allowed[it->second] != 0);
  };
  auto hits = query_->store->search(query_->vector, depth_, accept);
  if (!hits) return std::unexpected(hits.error());
  std::vector<VectorCandidate> out;
  for (VectorHit& h : *hits) out.push_back({docids.find(h.id)->second, std::move(h.id), h.score});
  return out;
}

std::unordered_set<Xapian::docid> matching_docids(const Xapian::Database& db, const std::vector<VectorCandidate>& candidates,
                                                  const Xapian::Query& query) {
  std::unordered_set<Xapian::docid> out;
  if (candidates.empty()) return out;
  std::vector<Xapian::Query> ids;
  // A passage key's term matches all its versions; only the candidates' own docids are asked about.
  for (const VectorCandidate& c : candidates)
    ids.emplace_back(std::string(schema::kPassageId) + std::string(schema::passage_of_vector_id(c.id)));
  Xapian::Enquire e(db);
  e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end())));
  e.set_weighting_scheme(Xapian::BoolWeight());
  std::unordered_set<Xapian::docid> asked;
  for (const VectorCandidate& c : candidates) asked.insert(c.did);
  const Xapian::MSet m = e.get_mset(0, db.get_doccount());
  for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it)
    if (asked.contains(*it)) out.insert(*it);
  return out;
}

}  // namespace treaty
