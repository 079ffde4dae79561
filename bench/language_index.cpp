// Indexing throughput per language (docs/RELEVANCE.md, "Across languages"): each language's
// fixture PDFs parsed once, then analysed and written (IndexWriter::replace_document, a commit
// every 1,000 passages) ROUNDS times under distinct symbols into a fresh index, so the figure is the
// analysis + Xapian path of that language (stems for ar/en/es/fr/ru, ICU + lexicon for zh), not
// PDF parsing (bench/PDF_PATH.md). MB/s of passage text.
//   language_index_bench SOURCE_DIR [ROUNDS]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include "core/documents/document_facts.h"
#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/documents/pdf_text.h"
#include "core/index/index_writer.h"
#include "core/search/resources.h"
#include "bench/read_file.h"
#include "core/text/analyzer.h"

namespace fs = std::filesystem;
using namespace treaty;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: language_index_bench SOURCE_DIR [ROUNDS]\n";
    return 2;
  }
  const fs::path root = argv[1];
  const int rounds = argc > 2 ? std::stoi(argv[2]) : 50;
  auto res = Resources::load(ResourcePaths::in_directory(root / "config"));
  if (!res) {
    std::cerr << res.error().describe() << "\n";
    return 1;
  }
  std::map<std::string, std::vector<Document>> by_lang;
  for (const fs::path dir : {root / "tests/fixtures/pdf", root / "tests/fixtures/lang"})
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".pdf" || e.path().string().find(".scrambled") != std::string::npos) continue;
      auto pages = pdf_bytes_to_pages(bench::read_file(e.path()), e.path().string());
      if (!pages) continue;
      auto doc = parse_pages(*pages, ParseOptions{e.path().string(), ""});
      if (!doc) continue;
      by_lang[version_language(*doc)].push_back(std::move(*doc));
    }
  Analyzer analyzer((*res)->normalizer, (*res)->lexicon);
  std::cout << "| language | documents | passages × rounds | MB of text | seconds | MB/s | vs zh |\n"
               "|---|---|---|---|---|---|---|\n";
  std::map<std::string, double> speed;
  std::vector<std::string> order;
  if (by_lang.contains("zh")) order.push_back("zh");
  for (const auto& [lang, docs] : by_lang)
    if (lang != "zh") order.push_back(lang);
  for (const std::string& lang : order) {
    std::vector<Document>& docs = by_lang[lang];
    std::vector<DocumentFields> fields;
    std::size_t bytes = 0, passages = 0;
    for (const Document& d : docs) {
      fields.push_back(extract_fields(d, (*res)->normalizer, (*res)->gazetteer));
      for (const Passage& p : d.passages) bytes += p.text.size();
      passages += d.passages.size();
    }
    const fs::path dir = fs::temp_directory_path() / ("language-index-bench-" + std::to_string(::getpid()) + "-" + lang);
    fs::remove_all(dir);
    auto writer = IndexWriter::open(dir, {.analysis = (*res)->analysis, .plain = true, .link = false});
    if (!writer) throw std::runtime_error(writer.error().describe());
    const auto start = std::chrono::steady_clock::now();
    std::size_t uncommitted = 0;
    for (int r = 0; r < rounds; ++r)
      for (std::size_t i = 0; i < docs.size(); ++i) {
        Document copy = docs[i];
        copy.symbol += "/R" + std::to_string(r);
        // Committed every 1,000 passages, as the indexer's bulk load does (kShardCommitPassages).
        if ((uncommitted += writer->replace_document(copy, fields[i], analyzer)) >= 1000) {
          writer->commit();
          uncommitted = 0;
        }
      }
    writer->commit();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fs::remove_all(dir);
    const double mb = static_cast<double>(bytes) * rounds / 1e6;
    speed[lang] = mb / seconds;
    char line[256];
    std::snprintf(line, sizeof line, "| %s | %zu | %zu × %d | %.2f | %.2f | %.2f | %.2fx |\n", lang.c_str(), docs.size(),
                  passages, rounds, mb, seconds, speed[lang], speed[lang] / (speed.contains("zh") ? speed["zh"] : speed[lang]));
    std::cout << line;
  }
  return 0;
}
