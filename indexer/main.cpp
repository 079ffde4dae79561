// indexer: reads COP-MOP documents (PDFs or their text extracts) and maintains the Xapian index.
// Thin: parses the command line and hands over to indexer_app.
#include <iostream>

#include <CLI/CLI.hpp>

#include "indexer/indexer_app.h"

int main(int argc, char** argv) {
  using namespace treaty::indexer;
  Options options;
  options.config_dir = TREATY_DEFAULT_CONFIG_DIR;

  CLI::App app{"indexer: build the treaty search index from COP-MOP documents (PDFs or text extracts)"};
  app.set_version_flag("--version", "indexer 0.1.0");
  app.require_subcommand(1);
  app.add_option("--index", options.index_dir, "index directory")->capture_default_str();
  app.add_option("--config-dir", options.config_dir, "directory with lexicon.txt and organizations.toml")
      ->capture_default_str();
  app.add_flag("--quiet", options.quiet, "no progress lines on stderr");

  std::vector<std::filesystem::path> paths;
  auto* add = app.add_subcommand("add", "index documents (.pdf or .txt files, or directories searched for *.pdf and *.txt)");
  add->add_option("paths", paths, "PDFs, text extracts or directories")->required();
  add->add_option("--symbol", options.symbol, "document symbol, for a single document that has none");
  add->add_flag("--keep-going", options.keep_going, "skip bad documents instead of aborting");
  add->add_option("--lang", options.lang, "the documents' language (ar, en, es, fr, ru, zh); default: told from each")
      ->check(CLI::IsMember({"ar", "en", "es", "fr", "ru", "zh"}));
  // Ranges keep out what CLI11 would otherwise wrap into a size_t or long ("-1", 2^64 + 1).
  add->add_option("--threads", options.threads, "worker threads for a new index (default: one per core)")
      ->check(CLI::Range(0, 1024));
  add->add_option("--shard-passages", options.shard_passages,
                  "bulk load: passages per shard before a thread starts the next (default 20000)")
      ->check(CLI::Range(1, 100000000));
  // The benchmark harness passes its corpus as --input DIR.
  add->add_option("--input", paths, "same as the positional paths");

  // Dense vectors (optional): an OpenAI-compatible embeddings server.
  treaty::EmbedderOptions embed;
  embed.api_key_env = "EMBEDDING_API_KEY";
  add->add_option("--embed-url", embed.base_url, "embeddings server root, e.g. http://127.0.0.1:8080/v1");
  add->add_option("--embed-model", embed.model, "embedding model name")->capture_default_str();
  add->add_option("--embed-key-env", embed.api_key_env, "environment variable holding the API key")
      ->capture_default_str();
  add->add_option("--embed-batch", embed.batch_size, "texts per embeddings request")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  add->add_option("--embed-timeout-ms", embed.timeout_ms, "timeout of one request")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600000));

  std::vector<std::string> symbols;
  auto* remove = app.add_subcommand("remove", "remove documents by symbol");
  remove->add_option("symbols", symbols, "document symbols")->required();

  std::filesystem::path file;
  auto* inspect = app.add_subcommand("inspect", "print the parsed document as JSON; the index is untouched");
  inspect->add_option("file", file, "a PDF or a text extract")->required();
  inspect->add_option("--symbol", options.symbol, "document symbol, if the document has none");
  inspect->add_option("--lang", options.lang, "the document's language (ar, en, es, fr, ru, zh); default: told from it")
      ->check(CLI::IsMember({"ar", "en", "es", "fr", "ru", "zh"}));
  inspect->add_flag("--warnings", options.warnings_only,
                    "print only what the parser could not read as expected (file:line: message)");

  auto* stats = app.add_subcommand("stats", "print index statistics as JSON");
  std::string dictionary_pair = "zh-en";
  auto* dictionary = app.add_subcommand("dictionary", "print the bilingual dictionary mined from linked language versions");
  dictionary->add_option("--lang", dictionary_pair, "the pair: zh-en, zh-fr, zh-es, zh-ru or zh-ar")->capture_default_str();
  auto* reindex = app.add_subcommand(
      "reindex", "rebuild the index from its stored sources with the current configuration (atomic switch)");

  // Global options are accepted after the subcommand too ("indexer add x --index d").
  for (auto* sub : {add, remove, inspect, stats, dictionary, reindex}) sub->fallthrough();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (*add) {
    if (!embed.base_url.empty()) options.embedder = embed;
    return run_add(options, paths, std::cout, std::cerr);
  }
  if (*remove) return run_remove(options, symbols, std::cout, std::cerr);
  if (*inspect) return run_inspect(options, file, std::cout, std::cerr);
  if (*stats) return run_stats(options, std::cout, std::cerr);
  if (*dictionary) return run_dictionary(options, dictionary_pair, std::cout, std::cerr);
  if (*reindex) return run_reindex(options, std::cout, std::cerr);
  return kExitUsage;
}
