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

Xapian::docid version_docid(const Xapian::Database& db, const std::string& id, const std::string& lang) {
  const std::string term = std::string(schema::kPassageId) + id;
  for (Xapian::PostingIterator it = db.postlist_begin(term); it != db.postlist_end(term); ++it)
    if (db.get_document(*it, Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotLang) == lang) return *it;
  return 0;
}

}  // namespace treaty
