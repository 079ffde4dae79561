#include "core/search/resources.h"

#include <fstream>
#include <sstream>

namespace treaty {
namespace {

// content_hash() of a file's bytes; "" if it cannot be read (loading it has failed already).
std::string file_hash(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  return content_hash(ss.str());
}

}  // namespace

ResourcePaths ResourcePaths::in_directory(const std::filesystem::path& config_dir) {
  ResourcePaths paths{config_dir / "lexicon.txt", config_dir / "organizations.toml", {}};
  if (std::filesystem::exists(config_dir / "thesaurus.toml")) paths.thesaurus = config_dir / "thesaurus.toml";
  return paths;
}

Expected<std::unique_ptr<Resources>> Resources::load(const ResourcePaths& paths) {
  auto r = std::make_unique<Resources>();
  auto lexicon = Lexicon::load(paths.lexicon, r->normalizer);
  if (!lexicon) return std::unexpected(lexicon.error());
  r->lexicon = std::move(*lexicon);
  auto gazetteer = Gazetteer::load(paths.gazetteer, r->normalizer);
  if (!gazetteer) return std::unexpected(gazetteer.error());
  r->gazetteer = std::move(*gazetteer);
  if (!paths.thesaurus.empty()) {
    auto thesaurus = Thesaurus::load(paths.thesaurus, r->normalizer, r->gazetteer);
    if (!thesaurus) return std::unexpected(thesaurus.error());
    r->thesaurus = std::move(*thesaurus);
    r->analysis.thesaurus = file_hash(paths.thesaurus);
  }
  r->analysis.lexicon = file_hash(paths.lexicon);
  r->analysis.gazetteer = file_hash(paths.gazetteer);
  return r;
}

}  // namespace treaty
