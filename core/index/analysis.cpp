#include "core/index/analysis.h"

#include <cstdint>
#include <cstdio>

#include <nlohmann/json.hpp>
#include <unicode/uvernum.h>
#include <xapian.h>

#include "core/index/schema.h"

#ifndef TREATY_OPENCC_VERSION
#define TREATY_OPENCC_VERSION "unknown"
#endif

namespace treaty {
namespace {

constexpr std::string_view kReindex = "run `indexer reindex`";

}  // namespace

std::string AnalysisFingerprint::to_record() const {
  return nlohmann::json{{"schema", schema}, {"lexicon", lexicon}, {"gazetteer", gazetteer},
                        {"thesaurus", thesaurus}, {"icu", icu}, {"opencc", opencc}, {"xapian", xapian}}
      .dump();
}

std::optional<AnalysisFingerprint> AnalysisFingerprint::from_record(std::string_view record) {
  if (record.empty()) return std::nullopt;
  const nlohmann::json j = nlohmann::json::parse(record, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  auto field = [&](const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : ""; };
  return AnalysisFingerprint{field("schema"), field("lexicon"), field("gazetteer"), field("thesaurus"),
                             field("icu"),    field("opencc"),  field("xapian")};
}

AnalysisFingerprint library_fingerprint() {
  AnalysisFingerprint f;
  f.schema = std::string(schema::kSchemaVersion);
  f.icu = U_ICU_VERSION;
  f.opencc = TREATY_OPENCC_VERSION;
  f.xapian = Xapian::version_string();
  return f;
}

std::string content_hash(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string("fnv1a64:") + hex;
}

std::vector<std::string> analysis_differences(const std::optional<AnalysisFingerprint>& recorded,
                                              const AnalysisFingerprint& current) {
  std::vector<std::string> out;
  if (!recorded) {
    out.push_back("the index does not record how it was analysed: " + std::string(kReindex));
    return out;
  }
  auto file = [&](const std::string& was, const std::string& now, std::string_view what) {
    if (was != now) out.push_back(std::string(what) + " changed since indexing: " + std::string(kReindex));
  };
  auto version = [&](const std::string& was, const std::string& now, std::string_view what) {
    if (was != now)
      out.push_back("the index was analysed with " + std::string(what) + " " + (was.empty() ? "(unknown)" : was) +
                    ", this program uses " + now + ": " + std::string(kReindex));
  };
  version(recorded->schema, current.schema, "schema");
  file(recorded->lexicon, current.lexicon, "the lexicon (lexicon.txt)");
  file(recorded->gazetteer, current.gazetteer, "the gazetteer (organizations.toml)");
  version(recorded->icu, current.icu, "ICU");
  version(recorded->opencc, current.opencc, "OpenCC");
  // Xapian stores terms but does not make them (no stemmer is used), and the thesaurus is
  // applied at query time: neither can make an index stale, so they are recorded, not compared.
  return out;
}

}  // namespace treaty
