// How an index was analysed: the schema, the analysis resources (lexicon, gazetteer, thesaurus)
// and the library versions that turn text into terms. The indexer records it in the index
// (schema::kMetaAnalysis) at every commit; searchd compares it with its own at open and on
// reopen, warns while they differ and avoids terms whose meaning may have changed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace treaty {

struct AnalysisFingerprint {
  std::string schema;     // schema::kSchemaVersion
  std::string lexicon;    // content_hash() of config/lexicon.txt as loaded
  std::string gazetteer;  // content_hash() of config/organizations.toml
  std::string thesaurus;  // content_hash() of config/thesaurus.toml; "" without one
  std::string icu;        // U_ICU_VERSION
  std::string opencc;     // the OpenCC package version the program was built with
  std::string xapian;     // Xapian::version_string()

  // The record stored in the index: a JSON object with the fields above.
  std::string to_record() const;
  // Reads a record; nullopt for an empty or malformed one.
  static std::optional<AnalysisFingerprint> from_record(std::string_view record);

  bool operator==(const AnalysisFingerprint&) const = default;
};

// The schema and library versions of this program, with empty resource hashes (the caller
// fills them from the files it loaded, core/search/resources.h).
AnalysisFingerprint library_fingerprint();

// A short stable hash of file contents: "fnv1a64:" + 16 hex digits (FNV-1a, 64 bits).
std::string content_hash(std::string_view bytes);

// What differs between the analysis an index recorded and the `current` one, one readable
// sentence each naming what changed and what to run; empty when nothing that affects the
// index's terms differs. The thesaurus (applied at query time) and the Xapian version (Xapian
// stores terms, it does not make them) are recorded but not compared: they never make an index
// stale. nullopt `recorded`
// (an index that records nothing) is one difference.
std::vector<std::string> analysis_differences(const std::optional<AnalysisFingerprint>& recorded,
                                              const AnalysisFingerprint& current);

}  // namespace treaty
