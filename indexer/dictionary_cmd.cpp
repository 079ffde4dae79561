// `indexer dictionary --lang zh-en`: the bilingual dictionary mined from the index's linked
// language versions (core/index/dictionary.h), as JSON.
#include <ostream>

#include <nlohmann/json.hpp>

#include "core/index/dictionary.h"
#include "core/index/index_reader.h"
#include "indexer/indexer_app.h"

namespace treaty::indexer {

int run_dictionary(const Options& options, const std::string& pair, std::ostream& out, std::ostream& err) {
  if (!pair.starts_with("zh-") || pair.size() < 5) {
    err << "indexer: --lang takes zh-<lang> (zh-en, zh-fr, zh-es, zh-ru, zh-ar), got \"" << pair << "\"\n";
    return kExitUsage;
  }
  auto reader = IndexReader::open(options.index_dir);
  if (!reader) {
    err << "indexer: " << reader.error().describe() << "\n";
    return kExitIndex;
  }
  const std::string lang = pair.substr(3);
  const Dictionary d = read_dictionary(reader->database(), lang);
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& [source, targets] : d.entries) {
    nlohmann::json words = nlohmann::json::array();
    for (const auto& [word, weight] : targets) words.push_back({{"word", word}, {"weight", weight}});
    entries.push_back({{"source", source}, {"targets", std::move(words)}});
  }
  if (d.pairs == 0)
    err << "indexer: no dictionary " << pair << " in this index (it needs documents with linked " << lang
        << " and zh versions; available: " << nlohmann::json(dictionary_languages(reader->database())).dump() << ")\n";
  out << nlohmann::json{{"lang", pair}, {"pairs", d.pairs}, {"entries", std::move(entries)}}.dump(2) << "\n";
  return kExitOk;
}

}  // namespace treaty::indexer
