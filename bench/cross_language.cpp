// Cross-language retrieval quality (docs/RELEVANCE.md, "Across languages"): English queries for
// Chinese paragraphs (bench/cross_language_queries.toml) over the fixtures' linked zh + en
// versions and the Chinese-only documents, with a lang=zh filter, under four configurations:
// lexical only, projection through the links, the mined dictionary, both. Prints a markdown table
// of MRR@10 and recall@10 per query set.
//   cross_language_bench SOURCE_DIR
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/documents/pdf_text.h"
#include "core/index/dictionary.h"
#include "core/index/index_writer.h"
#include "core/search/resources.h"
#include "core/search/searcher.h"
#include "bench/read_file.h"
#include "core/text/analyzer.h"

namespace fs = std::filesystem;
using namespace treaty;

namespace {

struct Judged {
  std::string set, q;
  std::vector<std::string> relevant;
};


Document parse(const fs::path& p) {
  const std::string bytes = bench::read_file(p);
  if (p.extension() == ".pdf") {
    auto pages = pdf_bytes_to_pages(bytes, p.string());
    if (!pages) throw std::runtime_error(pages.error().describe());
    auto doc = parse_pages(*pages, ParseOptions{p.string(), ""});
    if (!doc) throw std::runtime_error(doc.error().describe());
    return std::move(*doc);
  }
  auto doc = parse_document(bytes, ParseOptions{p.string(), ""});
  if (!doc) throw std::runtime_error(doc.error().describe());
  return std::move(*doc);
}

struct Scores {
  double rr = 0, recall = 0;
  std::size_t n = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: cross_language_bench SOURCE_DIR\n";
    return 2;
  }
  const fs::path root = argv[1];
  auto res = Resources::load(ResourcePaths::in_directory(root / "config"));
  if (!res) {
    std::cerr << res.error().describe() << "\n";
    return 1;
  }
  std::vector<fs::path> files = {root / "tests/fixtures/pdf/CBD-NP-MOP-4-2.pdf", root / "tests/fixtures/lang/CBD-NP-MOP-4-2.en.pdf",
                                 root / "tests/fixtures/pdf/CBD-NP-MOP-4-7.pdf", root / "tests/fixtures/lang/CBD-NP-MOP-4-7.en.pdf"};
  for (const auto& e : fs::directory_iterator(root / "tests/fixtures"))
    if (e.path().string().ends_with(".zh.txt")) files.push_back(e.path());
  for (const auto& e : fs::directory_iterator(root / "corpus"))
    if (e.path().extension() == ".txt") files.push_back(e.path());

  // Two indexes of the same documents: with the mined dictionary and without.
  const fs::path work = fs::temp_directory_path() / ("cross-language-bench-" + std::to_string(::getpid()));
  fs::remove_all(work);
  Analyzer analyzer((*res)->normalizer, (*res)->lexicon);
  for (const char* name : {"with", "without"}) {
    auto writer = IndexWriter::open(work / name, {.analysis = (*res)->analysis, .plain = true});
    if (!writer) throw std::runtime_error(writer.error().describe());
    for (const fs::path& f : files) {
      const Document doc = parse(f);
      writer->replace_document(doc, extract_fields(doc, (*res)->normalizer, (*res)->gazetteer), analyzer);
    }
    if (std::string(name) == "with") writer->rebuild_dictionaries();
    writer->commit();
  }

  std::vector<Judged> queries;
  const toml::table t = toml::parse_file((root / "bench/cross_language_queries.toml").string());
  for (const auto& node : *t["query"].as_array()) {
    const toml::table& q = *node.as_table();
    Judged j{q["set"].value_or(std::string()), q["q"].value_or(std::string()), {}};
    for (const auto& r : *q["relevant"].as_array()) j.relevant.push_back(r.value_or(std::string()));
    queries.push_back(std::move(j));
  }

  struct Config {
    const char* name;
    const char* index;
    SearchMode mode;
    bool project;
  };
  // hybrid without vectors = lexical + the curated thesaurus (+ the dictionary when the index has one)
  const std::vector<Config> configs = {{"lexical", "without", SearchMode::lexical, false},
                                       {"thesaurus (hybrid, no dictionary)", "without", SearchMode::hybrid, false},
                                       {"projection", "without", SearchMode::hybrid, true},
                                       {"dictionary", "with", SearchMode::hybrid, false},
                                       {"projection + dictionary", "with", SearchMode::hybrid, true}};
  std::cout << "| configuration | set | queries | MRR@10 | recall@10 |\n|---|---|---|---|---|\n";
  for (const Config& c : configs) {
    Xapian::Database db((work / c.index).string());
    Searcher searcher(db, **res);
    std::map<std::string, Scores> by_set;
    for (const Judged& j : queries) {
      SearchRequest r;
      r.q = j.q;
      r.langs = {"zh"};
      r.mode = c.mode;
      r.cross_lang = c.project;
      r.size = 20;  // enough that 10 remain once the dictionary set's exclusions are dropped
      r.fields = {"id", "doc"};
      auto found = searcher.search(r);
      if (!found) throw std::runtime_error(j.q + ": " + found.error().describe());
      Scores& s = by_set[j.set];
      ++s.n;
      // The dictionary set asks how the Chinese-only documents are reached: passages of the
      // documents with an English version (found by projection, often relevant too but not
      // judged) are left out of its ranks.
      std::size_t hits = 0, rank = 0;
      for (const Hit& h : found->hits) {
        const std::string doc = h.passage.value("doc", std::string());
        if (j.set == "dictionary" && (doc == "CBD/NP/MOP/4/2" || doc == "CBD/NP/MOP/4/7")) continue;
        if (++rank > 10) break;
        const bool relevant = std::find(j.relevant.begin(), j.relevant.end(), h.id) != j.relevant.end();
        if (relevant && hits++ == 0) s.rr += 1.0 / static_cast<double>(rank);
      }
      s.recall += static_cast<double>(hits) / static_cast<double>(j.relevant.size());
    }
    for (const auto& [set, s] : by_set) {
      char line[256];
      std::snprintf(line, sizeof line, "| %s | %s | %zu | %.2f | %.2f |\n", c.name, set.c_str(), s.n, s.rr / s.n,
                    s.recall / s.n);
      std::cout << line;
    }
  }
  fs::remove_all(work);
  return 0;
}
