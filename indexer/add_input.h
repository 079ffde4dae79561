// The files of an `indexer add` run: found under the paths given, read (a PDF as its page
// model), and checked all together before anything is written.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/ingest/document_input.h"
#include "indexer/indexer_app.h"

namespace treaty {
struct Resources;
}

namespace treaty::indexer {

// The bytes of the file at `path`; errors name it (a directory, unreadable).
Expected<std::string> read_bytes(const std::filesystem::path& path);

// How `path` is read: a PDF (*.pdf, any case) through its page model, anything else as a text
// extract.
InputFormat format_of(const std::filesystem::path& path);

// Files named in `paths`, and *.txt and *.pdf files found under named directories (recursively,
// sorted); an error names a path that does not exist or a directory that cannot be read.
Expected<std::vector<std::filesystem::path>> collect_files(const std::vector<std::filesystem::path>& paths);

// Reads and parses `path` exactly as POST /documents parses a body (document_input.h), with the
// symbol and language of `options` (--symbol, --lang).
Expected<ParsedInput> parse_file(const std::filesystem::path& path, const Options& options, const Resources& res);

// One document that passed validation, to be indexed.
struct Validated {
  std::filesystem::path path;
  std::string symbol;
  std::string text;  // a PDF's page model as validation read it (parsed again from here, so Poppler
                     // runs once per file); empty: read the file again (text extracts, or over budget)
};

// Parses every file once, on `threads` threads, before anything is written: bad input and
// symbols given twice are reported to `err` in file order (and counted in `failed`), so a run
// that fails never touches the index. A PDF that cannot be read at all (damaged, encrypted, no
// text layer) is skipped and the others are indexed, as a batch of downloaded PDFs expects;
// other bad input stops the run unless options.keep_going. Returns nullopt when the run must
// stop, else the documents to index, in file order.
std::optional<std::vector<Validated>> validate(const std::vector<std::filesystem::path>& files, const Options& options,
                                               std::size_t threads, std::size_t& failed, std::ostream& err);

}  // namespace treaty::indexer
