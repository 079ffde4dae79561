#include "core/search/resources.h"

namespace treaty {

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
  }
  return r;
}

}  // namespace treaty
