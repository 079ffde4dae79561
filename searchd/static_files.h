// The web UI's static files (web/): mapping a request path to a file under a root directory, and
// a file's Content-Type. No HTTP library here: pure functions over paths, so they can be tested
// without a server.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace treaty::searchd {

// Content-Type for a file, by its extension (case-insensitive): text types carry
// "; charset=utf-8". Unknown extensions: "application/octet-stream".
std::string_view content_type_for(const std::filesystem::path& file);

// The file under `root` that the percent-decoded request path `url_path` names, or nothing.
// "/" and paths ending in '/' name index.html in that directory. Refused (nothing returned):
// a path not starting with '/', empty segments ("//"), segments starting with '.' (".", "..",
// hidden files), characters outside [A-Za-z0-9._-] in a segment (so no '\\', '%', NUL or
// non-ASCII, which also stops double-encoded "%2e%2e"), anything that does not resolve to a
// regular file, and anything whose canonical path (symlinks followed) leaves the canonical root.
// An empty or missing root serves nothing.
std::optional<std::filesystem::path> resolve_static_path(const std::filesystem::path& root,
                                                         std::string_view url_path);

// The whole file, or nothing if it cannot be read.
std::optional<std::string> read_static_file(const std::filesystem::path& file);

}  // namespace treaty::searchd
