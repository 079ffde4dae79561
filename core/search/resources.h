// The read-only analysis resources both programs load once at start-up.
#pragma once

#include <filesystem>
#include <memory>

#include "core/base/error.h"
#include "core/documents/gazetteer.h"
#include "core/index/analysis.h"
#include "core/text/lexicon.h"
#include "core/text/normalizer.h"
#include "core/search/thesaurus.h"

namespace treaty {

struct ResourcePaths {
  std::filesystem::path lexicon;    // plain-text treaty lexicon (config/lexicon.txt)
  std::filesystem::path gazetteer;  // organizations (config/organizations.toml)
  std::filesystem::path thesaurus;  // query expansion (config/thesaurus.toml); empty: none

  // The files of a config directory, under their standard names; the thesaurus only if the
  // directory has one (a config directory without it searches only what users type).
  static ResourcePaths in_directory(const std::filesystem::path& config_dir);
};

// Immutable after loading and safe to share between threads; each thread makes its own
// Analyzer from `normalizer` and `lexicon`.
struct Resources {
  Normalizer normalizer;
  Lexicon lexicon;
  Gazetteer gazetteer;
  Thesaurus thesaurus;  // empty when ResourcePaths::thesaurus is
  // The analysis these resources make (the files' content hashes and the library versions):
  // what the indexer records in the index, and what searchd compares the index's record with.
  AnalysisFingerprint analysis = library_fingerprint();

  // Loads and validates everything; errors name the file and line. Throws only for a broken
  // installation (OpenCC or ICU data missing).
  static Expected<std::unique_ptr<Resources>> load(const ResourcePaths& paths);
};

}  // namespace treaty
