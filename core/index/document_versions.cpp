#include "core/index/document_versions.h"

#include "core/index/schema.h"

namespace treaty {

std::vector<std::string> document_versions(const Xapian::Database& db, const std::string& symbol) {
  // Every version term of this symbol starts with the version key's "<symbol>@" and no other
  // symbol's does (a language code holds no '@').
  const std::string prefix = std::string(schema::kDocVersion) + schema::version_key(symbol, "");
  std::vector<std::string> langs;
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it)
    langs.push_back((*it).substr(prefix.size()));
  return langs;
}

}  // namespace treaty
