#include "indexer/add_input.h"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "core/documents/document_facts.h"
#include "core/documents/parser.h"
#include "core/documents/pdf_text.h"
#include "core/index/schema.h"

namespace treaty::indexer {
namespace fs = std::filesystem;

namespace {

// The text extract parse_document() reads from `path` (input_text(), as POST /documents reads a body).
Expected<std::string> read_document_text(const fs::path& path) {
  auto bytes = read_bytes(path);
  if (!bytes) return std::unexpected(bytes.error());
  return input_text(*bytes, format_of(path), path.string());
}

// A file a directory is searched for: a text extract (*.txt) or a PDF (*.pdf, any case).
bool is_document_file(const fs::path& path) { return path.extension() == ".txt" || is_pdf_path(path); }

// Page-model text validation keeps for indexing, in all: about 6 KB a page, so 256 MB holds some
// 40,000 pages; beyond it PDFs are read twice rather than held in memory.
constexpr std::size_t kKeptTextBudget = std::size_t{256} << 20;

// What validation learnt of one file: its parsed symbol, language and the text it parsed, or why
// not.
struct Checked {
  Expected<std::string> symbol;
  std::string lang;  // version_language() of the parsed document
  std::string text;
  bool unreadable = false;  // a PDF that cannot be read at all: skipped, the other files indexed
};

// Reads and parses files[i] for i = next++ into checked[i].
void check_some(const std::vector<fs::path>& files, std::atomic<std::size_t>& next, const Options& options,
                std::vector<Checked>& checked) {
  for (std::size_t i = next++; i < files.size(); i = next++) {
    auto text = read_document_text(files[i]);
    if (!text) {
      checked[i].symbol = std::unexpected(text.error());
      checked[i].unreadable = format_of(files[i]) == InputFormat::pdf;
      continue;
    }
    auto doc = parse_document(*text, ParseOptions{files[i].string(), options.symbol, options.lang});
    if (!doc) {
      checked[i].symbol = std::unexpected(doc.error());
      continue;
    }
    checked[i].lang = version_language(*doc);
    checked[i].symbol = std::move(doc->symbol);
    if (format_of(files[i]) == InputFormat::pdf) checked[i].text = std::move(*text);
  }
}

}  // namespace

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

// How a file is read: a PDF (*.pdf in any case) through its text layer, any other file as a text
// extract.
InputFormat format_of(const fs::path& path) { return is_pdf_path(path) ? InputFormat::pdf : InputFormat::text; }

// Files named on the command line, and *.txt and *.pdf files found under named directories,
// sorted.
Expected<std::vector<fs::path>> collect_files(const std::vector<fs::path>& paths) {
  std::vector<fs::path> files;
  for (const fs::path& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file(ec) && is_document_file(it->path())) found.push_back(it->path());
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

// Reads and parses `path` exactly as POST /documents parses a body (document_input.h).
Expected<ParsedInput> parse_file(const fs::path& path, const Options& options, const Resources& res) {
  auto bytes = read_bytes(path);
  if (!bytes) return std::unexpected(bytes.error());
  return parse_input(*bytes, format_of(path), ParseOptions{path.string(), options.symbol, options.lang}, res);
}

std::optional<std::vector<Validated>> validate(const std::vector<fs::path>& files, const Options& options,
                                               std::size_t threads, std::size_t& failed, std::ostream& err) {
  std::vector<Checked> checked(files.size(), Checked{std::string(), std::string(), std::string()});
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back([&] { check_some(files, next, options, checked); });
  check_some(files, next, options, checked);
  for (auto& t : pool) t.join();

  std::vector<Validated> ok;
  // One file per version: the same symbol in another language is another version of it.
  std::map<std::string, fs::path, std::less<>> seen;  // version key -> file
  std::size_t kept = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    Expected<std::string>& symbol = checked[i].symbol;
    const std::string version = symbol ? schema::version_key(*symbol, checked[i].lang) : std::string();
    if (symbol) {
      if (auto it = seen.find(version); it != seen.end())
        symbol = fail("document " + *symbol + " in language " + checked[i].lang + " is also in " + it->second.string(),
                      files[i].string());
    }
    if (!symbol) {
      err << "indexer: " << symbol.error().describe() << (checked[i].unreadable ? " (skipped)" : "") << "\n";
      ++failed;
      if (!options.keep_going && !checked[i].unreadable) {
        err << "indexer: nothing written; the index is unchanged (use --keep-going to skip bad documents)\n";
        return std::nullopt;
      }
      continue;
    }
    seen.emplace(version, files[i]);
    std::string text;
    if (kept + checked[i].text.size() <= kKeptTextBudget) {
      kept += checked[i].text.size();
      text = std::move(checked[i].text);
    }
    checked[i].text.clear();
    checked[i].text.shrink_to_fit();
    ok.push_back({files[i], std::move(*symbol), std::move(text)});
  }
  return ok;
}


}  // namespace treaty::indexer
