#include "core/resources.h"

namespace treaty {

ResourcePaths ResourcePaths::in_directory(const std::filesystem::path& config_dir) {
  return {config_dir / "lexicon.txt", config_dir / "organizations.toml"};
}

Expected<std::unique_ptr<Resources>> Resources::load(const ResourcePaths& paths) {
  auto r = std::make_unique<Resources>();
  auto lexicon = Lexicon::load(paths.lexicon, r->normalizer);
  if (!lexicon) return std::unexpected(lexicon.error());
  r->lexicon = std::move(*lexicon);
  auto gazetteer = Gazetteer::load(paths.gazetteer, r->normalizer);
  if (!gazetteer) return std::unexpected(gazetteer.error());
  r->gazetteer = std::move(*gazetteer);
  return r;
}

}  // namespace treaty
