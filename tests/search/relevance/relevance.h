// Relevance evaluation over judged queries (tests/search/relevance/queries.toml): recall@10, MRR and
// nDCG@10 per search mode, shared by tests/search/relevance_test.cpp (thresholds) and
// tests/search/relevance/run_relevance.cpp (the markdown report).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/base/error.h"

namespace treaty {
struct Resources;
struct SearchRequest;
class Embedder;
}  // namespace treaty

namespace treaty::relevance {

// Results are cut at this rank for every measure (recall@10, MRR@10, nDCG@10).
inline constexpr std::size_t kCutoff = 10;

struct JudgedQuery {
  std::string id;                     // "synonym-2"
  std::string category;               // keyword, phrase, traditional, english, synonym, decision,
                                      // organization or date
  std::string q;                      // the query text
  std::vector<std::string> relevant;  // full passage ids ("UNEP/CBD/NP/COP-MOP/1/6#21")
};

// Reads the judged queries. Errors name the file and line: TOML syntax, a missing or mistyped
// key, an unknown category, a duplicate id, a query without relevant passages.
Expected<std::vector<JudgedQuery>> load_queries(const std::filesystem::path& path);

struct Scores {
  double recall = 0;  // relevant passages in the top kCutoff / relevant passages
  double rr = 0;      // 1 / rank of the first relevant passage in the top kCutoff, else 0
  double ndcg = 0;    // binary-gain DCG of the top kCutoff / the ideal DCG
};

// The scores of one ranked list of passage ids (best first) against the relevant ids.
Scores score(const std::vector<std::string>& ranked, const std::vector<std::string>& relevant);

// How a mode configures a request (e.g. expansion on or off), and whether the searcher gets
// dense vectors (the passage vectors build_seed_index() stored, and a query embedder).
struct Mode {
  std::string name;
  std::function<void(SearchRequest&)> configure;
  bool vectors = false;
  double vector_weight = 1.0;  // VectorSearchOptions::vector_weight (the lexical list weighs 1)
};

// The embedder of the vector modes: tests/fake_embedding_server.h's bag-of-characters vectors
// (kVectorDimensions long) computed in process. Not a language model: it shows what the fusion
// does with a weak, purely lexical signal.
std::shared_ptr<Embedder> test_embedder();
inline constexpr std::size_t kVectorDimensions = 256;

// The modes every report compares, in order.
std::vector<Mode> standard_modes();

struct QueryResult {
  const JudgedQuery* query = nullptr;
  std::vector<std::string> ranked;  // the top kCutoff passage ids
  Scores scores;
};

struct ModeReport {
  std::string mode;
  std::vector<QueryResult> results;         // in query order
  Scores mean;                              // over all queries
  std::map<std::string, Scores> by_category;  // mean per category
};

// Indexes the seed document (corpus/) into `index_dir` through the core API, as `indexer add`
// does, with passage vectors from test_embedder() (as `indexer add --embed-url` stores them).
// Throws std::runtime_error when the seed does not parse.
void build_seed_index(const std::filesystem::path& index_dir, const Resources& resources);

// Runs every query in `mode` over the index at `index_dir` and scores it. A query the searcher
// rejects (a user error) scores 0 and its error is reported as its only "ranked" entry.
ModeReport evaluate(const std::filesystem::path& index_dir, const Resources& resources,
                    const std::vector<JudgedQuery>& queries, const Mode& mode);

// The reports as markdown: one table of the means per mode, one of nDCG@10 / recall@10 per
// category and mode.
std::string markdown(const std::vector<ModeReport>& reports);

}  // namespace treaty::relevance
