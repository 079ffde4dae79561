#include "core/index/index_layout.h"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace treaty {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kGenPrefix = "gen-";

std::optional<int> generation_of(std::string_view name) {
  if (!name.starts_with(kGenPrefix)) return std::nullopt;
  name.remove_prefix(kGenPrefix.size());
  int n = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), n);
  if (ec != std::errc() || end != name.data() + name.size() || n < 1) return std::nullopt;
  return n;
}

}  // namespace

std::optional<std::string> read_stub(const fs::path& dir) {
  std::ifstream in(dir / kStubFile, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<int> current_generation(const fs::path& dir) {
  auto stub = read_stub(dir);
  if (!stub) return std::nullopt;
  std::string_view s = *stub;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  if (!s.starts_with("glass ")) return std::nullopt;
  return generation_of(s.substr(6));
}

fs::path generation_dir(const fs::path& dir, int n) { return dir / (std::string(kGenPrefix) + std::to_string(n)); }

Expected<void> switch_generation(const fs::path& dir, int n) {
  const fs::path tmp = dir / (std::string(kStubFile) + ".tmp");
  const std::string content = "glass " + std::string(kGenPrefix) + std::to_string(n) + "\n";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return fail("cannot write the index stub", tmp.string());
  const bool written = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(tmp.c_str(), (dir / kStubFile).c_str()) != 0) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return fail("cannot switch the index to " + generation_dir(dir, n).filename().string(), dir.string());
  }
  return {};
}

int remove_generations_before(const fs::path& dir, int keep_from) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto n = generation_of(entry.path().filename().string());
    if (!n || *n >= keep_from) continue;
    std::error_code rm;
    fs::remove_all(entry.path(), rm);
    if (!rm) ++removed;
  }
  return removed;
}

}  // namespace treaty
