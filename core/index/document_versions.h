// The language versions of a document in the index: one symbol, up to six languages, each a
// version with its own passages (schema::kDocVersion) and summary (schema::kMetaDocPrefix).
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

namespace treaty {

// The language codes of the versions of document `symbol` in `db`, sorted ("" for a version whose
// language is not known); empty for an unknown symbol. One term-list scan.
std::vector<std::string> document_versions(const Xapian::Database& db, const std::string& symbol);

// The docid of passage `id` in the `lang` version of its document, or 0 when there is none.
Xapian::docid version_docid(const Xapian::Database& db, const std::string& id, const std::string& lang);

}  // namespace treaty
