#include "tests/support/test_support.h"

#include "core/documents/page_model.h"
#include "core/documents/pdf_text.h"

#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/index/index_writer.h"
#include "core/text/analyzer.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace treaty::test {

TempDir::TempDir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto candidate = std::filesystem::temp_directory_path() /
                     ("treaty-test-" + std::to_string(rd()) + std::to_string(attempt));
    if (std::filesystem::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path source_dir() { return TREATY_SOURCE_DIR; }

std::filesystem::path seed_path() { return source_dir() / "corpus" / "UNEP-CBD-NP-COP-MOP-1-6.zh.txt"; }

std::unique_ptr<Resources> project_resources() {
  auto res = Resources::load(ResourcePaths::in_directory(source_dir() / "config"));
  if (!res) throw std::runtime_error(res.error().describe());
  return std::move(*res);
}

Lexicon project_lexicon(const Normalizer& normalizer) {
  auto lexicon = Lexicon::load(source_dir() / "config" / "lexicon.txt", normalizer);
  if (!lexicon) throw std::runtime_error(lexicon.error().describe());
  return std::move(*lexicon);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void run_command(const std::string& command) {
  const int status = std::system(command.c_str());
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("command failed (scripts/install-deps.sh installs the tools): " + command);
}

std::string shell_quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

void make_pdf(const std::string& text, const std::filesystem::path& pdf) {
  const std::filesystem::path source = pdf.string() + ".in";
  write_file(source, text);
  run_command("pango-view --no-display --font='WenQuanYi Micro Hei 10' --output=" + shell_quoted(pdf) + " " +
              shell_quoted(source));
}

std::filesystem::path config_with_extra_term(const std::filesystem::path& dir, const std::string& term) {
  std::filesystem::create_directories(dir);
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "config"))
    if (entry.is_regular_file())
      std::filesystem::copy_file(entry.path(), dir / entry.path().filename(),
                                 std::filesystem::copy_options::overwrite_existing);
  write_file(dir / "lexicon.txt", read_file(dir / "lexicon.txt") + "\n" + term + "\n");
  return dir;
}

Document parse_file(const std::filesystem::path& path) {
  auto doc = parse_document(read_file(path), ParseOptions{path.string(), ""});
  if (!doc) throw std::runtime_error(doc.error().describe());
  return std::move(*doc);
}

Document parse_pdf(const std::filesystem::path& path) {
  auto pages = pdf_bytes_to_pages(read_file(path), path.string());
  if (!pages) throw std::runtime_error(pages.error().describe());
  auto doc = parse_pages(*pages, ParseOptions{path.string(), ""});
  if (!doc) throw std::runtime_error(doc.error().describe());
  return std::move(*doc);
}

Xapian::Database write_index(const std::filesystem::path& dir, const Resources& res, const std::vector<Document>& docs) {
  Analyzer analyzer(res.normalizer, res.lexicon);
  auto writer = IndexWriter::open(dir, {.analysis = res.analysis});
  if (!writer) throw std::runtime_error(writer.error().describe());
  for (const Document& doc : docs) {
    // The text the indexer keeps for reindex: a PDF's page model, a text extract as it is.
    std::string text;
    if (std::filesystem::is_regular_file(doc.source)) {
      text = read_file(doc.source);
      if (is_pdf_path(doc.source)) {
        auto pages = pdf_bytes_to_pages(text, doc.source);
        if (!pages) throw std::runtime_error(pages.error().describe());
        text = page_model_text(*pages);
      }
    }
    writer->replace_document(doc, extract_fields(doc, res.normalizer, res.gazetteer), analyzer, text);
  }
  writer->rebuild_dictionaries();  // as `indexer add` does before its last commit
  writer->commit();
  return Xapian::Database(dir.string());
}

}  // namespace treaty::test
