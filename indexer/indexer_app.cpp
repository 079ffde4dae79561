#include "indexer/indexer_app.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/analyzer.h"
#include "core/document_json.h"
#include "core/index_reader.h"
#include "core/index_writer.h"
#include "core/parser.h"
#include "core/passage_fields.h"
#include "core/resources.h"

namespace treaty::indexer {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

Expected<std::string> read_bytes(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return fail("is a directory", path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read file", path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return fail("read error", path.string());
  return ss.str();
}

// Files named on the command line, and *.txt files found under named directories, sorted.
Expected<std::vector<fs::path>> collect_files(const std::vector<fs::path>& paths) {
  std::vector<fs::path> files;
  for (const fs::path& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".txt") found.push_back(it->path());
      }
      if (ec) return fail("cannot read directory: " + ec.message(), p.string());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      return fail("no such file or directory", p.string());
    }
  }
  return files;
}

Expected<std::unique_ptr<Resources>> load_resources(const Options& options) {
  return Resources::load(ResourcePaths::in_directory(options.config_dir));
}

struct Parsed {
  Document doc;
  DocumentFields fields;
};

Expected<Parsed> parse_file(const fs::path& path, const std::string& symbol, const Resources& res) {
  auto bytes = read_bytes(path);
  if (!bytes) return std::unexpected(bytes.error());
  auto doc = parse_document(*bytes, ParseOptions{path.string(), symbol});
  if (!doc) return std::unexpected(doc.error());
  DocumentFields fields = extract_fields(*doc, res.normalizer, res.gazetteer);
  return Parsed{std::move(*doc), std::move(fields)};
}

}  // namespace

int run_add(const Options& options, const std::vector<fs::path>& paths, std::ostream& out,
            std::ostream& err) {
  auto files = collect_files(paths);
  if (!files) {
    err << "indexer: " << files.error().describe() << "\n";
    return kExitBadInput;
  }
  if (files->empty()) {
    err << "indexer: no .txt documents found in the given paths\n";
    return kExitBadInput;
  }
  if (!options.symbol.empty() && files->size() != 1) {
    err << "indexer: --symbol applies to a single document, got " << files->size() << "\n";
    return kExitBadInput;
  }
  auto res = load_resources(options);
  if (!res) {
    err << "indexer: " << res.error().describe() << "\n";
    return kExitConfig;
  }
  auto writer = IndexWriter::open(options.index_dir);
  if (!writer) {
    err << "indexer: " << writer.error().describe() << "\n";
    return kExitIndex;
  }
  Analyzer analyzer((*res)->normalizer, (*res)->lexicon);

  const auto start = Clock::now();
  auto last_progress = start;
  std::size_t documents = 0, passages = 0, failed = 0, bytes = 0;
  std::vector<std::string> seen_symbols;
  try {
    for (std::size_t i = 0; i < files->size(); ++i) {
      const fs::path& path = (*files)[i];
      auto parsed = parse_file(path, options.symbol, **res);
      if (parsed && std::find(seen_symbols.begin(), seen_symbols.end(), parsed->doc.symbol) != seen_symbols.end()) {
        parsed = fail("document " + parsed->doc.symbol + " appears twice in this run", path.string());
      }
      if (!parsed) {
        err << "indexer: " << parsed.error().describe() << "\n";
        ++failed;
        if (!options.keep_going) {
          err << "indexer: nothing written; the index is unchanged (use --keep-going to skip bad documents)\n";
          return kExitBadInput;
        }
        continue;
      }
      seen_symbols.push_back(parsed->doc.symbol);
      passages += writer->replace_document(parsed->doc, parsed->fields, (*res)->gazetteer, analyzer);
      ++documents;
      std::error_code ec;
      bytes += fs::file_size(path, ec);
      const auto now = Clock::now();
      if (!options.quiet && now - last_progress > std::chrono::seconds(2)) {
        err << "indexer: " << (i + 1) << "/" << files->size() << " documents, " << passages << " passages\n";
        last_progress = now;
      }
    }
    writer->commit();
  } catch (const Xapian::Error& e) {
    err << "indexer: index error: " << e.get_description() << "; the index is at its previous commit\n";
    return kExitIndex;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  out << nlohmann::json{{"documents", documents},
                        {"passages", passages},
                        {"skipped", failed},
                        {"bytes", bytes},
                        {"seconds", seconds},
                        {"index", options.index_dir.string()}}
             .dump()
      << "\n";
  return failed > 0 ? kExitBadInput : kExitOk;
}

int run_remove(const Options& options, const std::vector<std::string>& symbols, std::ostream& out,
               std::ostream& err) {
  auto writer = IndexWriter::open(options.index_dir);
  if (!writer) {
    err << "indexer: " << writer.error().describe() << "\n";
    return kExitIndex;
  }
  nlohmann::json removed = nlohmann::json::object();
  try {
    for (const std::string& symbol : symbols) {
      const std::size_t n = writer->remove_document(symbol);
      if (n == 0) {
        err << "indexer: no document " << symbol << " in " << options.index_dir.string()
            << "; nothing removed\n";
        return kExitBadInput;
      }
      removed[symbol] = n;
    }
    writer->commit();
  } catch (const Xapian::Error& e) {
    err << "indexer: index error: " << e.get_description() << "\n";
    return kExitIndex;
  }
  out << nlohmann::json{{"removed", removed}}.dump() << "\n";
  return kExitOk;
}

int run_inspect(const Options& options, const fs::path& file, std::ostream& out, std::ostream& err) {
  auto res = load_resources(options);
  if (!res) {
    err << "indexer: " << res.error().describe() << "\n";
    return kExitConfig;
  }
  auto parsed = parse_file(file, options.symbol, **res);
  if (!parsed) {
    err << "indexer: " << parsed.error().describe() << "\n";
    return kExitBadInput;
  }
  out << document_to_json(parsed->doc, parsed->fields, (*res)->gazetteer).dump(2) << "\n";
  return kExitOk;
}

int run_stats(const Options& options, std::ostream& out, std::ostream& err) {
  auto reader = IndexReader::open(options.index_dir);
  if (!reader) {
    err << "indexer: " << reader.error().describe() << "\n";
    return kExitIndex;
  }
  const IndexStats s = reader->stats();
  out << nlohmann::json{{"documents", s.documents},
                        {"passages", s.passages},
                        {"size_bytes", s.size_bytes},
                        {"last_commit", s.last_commit},
                        {"symbols", s.symbols}}
             .dump(2)
      << "\n";
  return kExitOk;
}

}  // namespace treaty::indexer
