// Helpers shared by the tests: per-test temporary directories and project paths.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/documents/document.h"
#include "core/text/lexicon.h"
#include "core/search/resources.h"

namespace treaty::test {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The project's source tree (where config/ and corpus/ live).
std::filesystem::path source_dir();
// corpus/UNEP-CBD-NP-COP-MOP-1-6.zh.txt
std::filesystem::path seed_path();
// The project's own config/ resources (lexicon, gazetteer); throws if they do not load.
std::unique_ptr<Resources> project_resources();
// config/lexicon.txt normalised with `normalizer`; throws if it does not load.
Lexicon project_lexicon(const Normalizer& normalizer);
// Whole file as bytes; throws if unreadable.
std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& bytes);

// The document at `path` (a text extract) parsed as `indexer add` parses it; throws if it does not.
Document parse_file(const std::filesystem::path& path);
// The PDF at `path` parsed through its page model as `indexer add` parses it; throws if it does not.
Document parse_pdf(const std::filesystem::path& path);
// An index in `dir` of `docs` with their fields, written and committed through the core API as
// `indexer add` writes them (with res.analysis, and each document's source when doc.source
// names a file, and the dictionaries mined from the links), opened for reading; throws if it cannot be written.
Xapian::Database write_index(const std::filesystem::path& dir, const Resources& res, const std::vector<Document>& docs);

// A copy of the project's config/ in `dir` whose lexicon has `term` as one more entry (an
// index built with config/ then records another lexicon); returns `dir`.
std::filesystem::path config_with_extra_term(const std::filesystem::path& dir, const std::string& term);

// Runs `command` with /bin/sh; throws std::runtime_error naming it unless it exits with 0.
void run_command(const std::string& command);
// "'path'" for a shell command line (test paths hold no single quote).
std::string shell_quoted(const std::filesystem::path& path);

// Renders `text` as a one-page PDF at `pdf` with pango-view (Debian: pango1.0-tools) in
// WenQuanYi Micro Hei (fonts-wqy-microhei), as a PDF whose text layer a text extract was taken
// from: no wrap width is set, so each line of `text` is one printed line, and an empty `text`
// gives one blank page. Writes `text` beside it first (as `pdf` + ".in"). Throws if it fails.
void make_pdf(const std::string& text, const std::filesystem::path& pdf);

}  // namespace treaty::test
