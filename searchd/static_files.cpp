#include "searchd/static_files.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

namespace treaty::searchd {
namespace {

constexpr std::size_t kMaxPathBytes = 1024;  // no file in web/ needs more

bool allowed_segment(std::string_view segment) {
  if (segment.empty() || segment.front() == '.') return false;
  return std::all_of(segment.begin(), segment.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

// True when `path` is `root` or lies under it; both canonical.
bool inside(const std::filesystem::path& root, const std::filesystem::path& path) {
  auto r = root.begin();
  auto p = path.begin();
  for (; r != root.end(); ++r, ++p)
    if (p == path.end() || *p != *r) return false;
  return true;
}

}  // namespace

std::string_view content_type_for(const std::filesystem::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".webmanifest", "application/manifest+json"},
  }};
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  for (const auto& [suffix, type] : kTypes)
    if (ext == suffix) return type;
  return "application/octet-stream";
}

std::optional<std::filesystem::path> resolve_static_path(const std::filesystem::path& root,
                                                         std::string_view url_path) {
  if (root.empty() || url_path.empty() || url_path.front() != '/' || url_path.size() > kMaxPathBytes)
    return std::nullopt;
  std::filesystem::path relative;
  std::string_view rest = url_path.substr(1);
  while (!rest.empty()) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (!allowed_segment(segment)) return std::nullopt;
    relative /= std::string(segment);
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (url_path.back() == '/') relative /= "index.html";

  std::error_code ec;
  const std::filesystem::path canonical_root = std::filesystem::canonical(root, ec);
  if (ec) return std::nullopt;
  // canonical() follows every symlink, so a link pointing outside the root is caught below.
  const std::filesystem::path file = std::filesystem::canonical(canonical_root / relative, ec);
  if (ec || !inside(canonical_root, file) || !std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  return file;
}

std::optional<std::string> read_static_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(ss).str();
}

}  // namespace treaty::searchd
