// The index directory's layout: generations behind a Xapian stub.
//
//   index_dir/XAPIANDB     "glass gen-3": the stub naming the current generation (Xapian opens a
//                          directory holding a XAPIANDB stub as the database it lists, read-only
//                          and writable alike)
//   index_dir/gen-3/       the current Xapian (glass) database
//   index_dir/gen-2/       the previous generation, kept for readers that have not reopened yet
//   index_dir/vectors.bin  passage vectors (vector_store.h), beside the generations
//
// `indexer reindex` builds gen-N+1 and switches by renaming a new stub over XAPIANDB (atomic);
// readers follow on reopen (IndexReader::reopen). An index written before generations existed
// is a glass database directly in index_dir (no stub); it is opened as such.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/base/error.h"

namespace treaty {

inline constexpr std::string_view kStubFile = "XAPIANDB";

// The stub's content ("glass gen-3\n"), or nullopt when `dir` has no stub.
std::optional<std::string> read_stub(const std::filesystem::path& dir);

// The generation the stub names (3 for "glass gen-3"), or nullopt without a stub or for a stub
// naming anything else.
std::optional<int> current_generation(const std::filesystem::path& dir);

// The directory of generation `n` in `dir` ("gen-3").
std::filesystem::path generation_dir(const std::filesystem::path& dir, int n);

// Points the stub of `dir` at generation `n`, atomically (a temporary stub renamed over it), so
// an open of `dir` sees either the old generation or the new one.
Expected<void> switch_generation(const std::filesystem::path& dir, int n);

// Removes the generations of `dir` older than `keep_from` (gen-K with K < keep_from). Returns
// how many were removed; failures are ignored (a later run removes them).
int remove_generations_before(const std::filesystem::path& dir, int keep_from);

}  // namespace treaty
