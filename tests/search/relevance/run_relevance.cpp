// Prints the relevance table (recall@10, MRR@10, nDCG@10 per mode and category) of the judged
// queries over the seed, as markdown; --verbose adds every query's top passages per mode.
//
//   run_relevance [--verbose] [queries.toml]
#include <cstdio>
#include <iostream>
#include <string_view>

#include "core/search/resources.h"
#include "tests/search/relevance/relevance.h"
#include "tests/support/test_support.h"

using namespace treaty;

int main(int argc, char** argv) {
  bool verbose = false;
  std::filesystem::path queries_path = test::source_dir() / "tests" / "search" / "relevance" / "queries.toml";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--verbose") {
      verbose = true;
    } else if (!arg.empty() && arg.front() != '-') {
      queries_path = arg;
    } else {
      std::cerr << "usage: run_relevance [--verbose] [queries.toml]\n";
      return 2;
    }
  }
  auto resources = Resources::load(ResourcePaths::in_directory(test::source_dir() / "config"));
  if (!resources) {
    std::cerr << resources.error().describe() << "\n";
    return 4;
  }
  auto queries = relevance::load_queries(queries_path);
  if (!queries) {
    std::cerr << queries.error().describe() << "\n";
    return 1;
  }
  test::TempDir tmp;
  relevance::build_seed_index(tmp.path() / "index", **resources);

  std::vector<relevance::ModeReport> reports;
  for (const relevance::Mode& mode : relevance::standard_modes())
    reports.push_back(relevance::evaluate(tmp.path() / "index", **resources, *queries, mode));
  std::cout << relevance::markdown(reports);

  if (verbose) {
    for (std::size_t i = 0; i < queries->size(); ++i) {
      const relevance::JudgedQuery& q = (*queries)[i];
      std::cout << "\n" << q.id << "  " << q.q << "\n";
      for (const relevance::ModeReport& r : reports) {
        const relevance::QueryResult& result = r.results[i];
        std::printf("  %-9s nDCG %.3f  R %.3f  RR %.3f :", r.mode.c_str(), result.scores.ndcg, result.scores.recall,
                    result.scores.rr);
        std::fflush(stdout);
        for (const std::string& id : result.ranked) {
          const bool hit = std::find(q.relevant.begin(), q.relevant.end(), id) != q.relevant.end();
          std::cout << " " << (hit ? "*" : "") << id.substr(id.find('#') + 1);
        }
        std::cout << "\n";
      }
    }
  }
  return 0;
}
