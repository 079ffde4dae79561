// Dense-vector retrieval for the searcher: the nearest passages to a query vector under the
// request's filters, and which of them a lexical query matches too.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "core/base/error.h"
#include "core/search/filters.h"
#include "core/vectors/semantic.h"
#include "core/vectors/vector_store.h"

namespace treaty {

// A dense-vector query: an embedded query text, or for similar() a stored passage vector.
struct VectorQuery {
  std::vector<float> vector;                  // what to search for (length = store->dimensions())
  std::shared_ptr<const VectorStore> store;   // the vectors of this index
  std::string exclude_id;                     // similar(): the passage itself (its passage id:
                                              // every version of it)
};

// A passage found by its vector.
struct VectorCandidate {
  Xapian::docid did = 0;
  std::string id;  // its vector id, "<lang>:<passage id>" (schema::vector_id())
  float score = 0;  // cosine similarity to the query vector
};

class VectorRetriever {
 public:
  // `db`, `query` and `filters` must outlive the retriever; `docids` maps the store's passage
  // ids to `db`'s current revision (VectorSearch::docids()).
  VectorRetriever(const Xapian::Database& db, const VectorQuery& query, std::shared_ptr<const PassageDocids> docids,
                  std::size_t depth, const Filters& filters);

  // The `depth` nearest passages, best first, among those passing every filter except the one
  // on `skip`'s field (empty: all filters), never VectorQuery::exclude_id. Passages of the store
  // that this revision lacks (vectors.bin a commit ahead or behind) are left out. Errors: the
  // store's search failed.
  Expected<std::vector<VectorCandidate>> candidates(std::string_view skip = {}) const;

  std::size_t depth() const { return depth_; }

 private:
  const Xapian::Database* db_;
  const VectorQuery* query_;
  std::shared_ptr<const PassageDocids> docids_;
  std::size_t depth_;
  const Filters* filters_;
};

// The docids among `candidates` that `query` matches (a boolean pass restricted to them).
std::unordered_set<Xapian::docid> matching_docids(const Xapian::Database& db, const std::vector<VectorCandidate>& candidates,
                                                  const Xapian::Query& query);

}  // namespace treaty
