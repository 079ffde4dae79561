// Writes parsed documents into the Xapian index, one Xapian document per passage.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <xapian.h>

#include "core/documents/document.h"
#include "core/base/error.h"
#include "core/documents/passage_fields.h"

namespace treaty {

class Analyzer;
class Gazetteer;

// Builds the Xapian document for doc.passages[index]: text terms, field terms, values and data
// as described in schema.h.
Xapian::Document build_passage_document(const Document& doc, std::size_t index,
                                        const PassageFields& fields, const Gazetteer& gazetteer,
                                        Analyzer& analyzer);

class IndexWriter {
 public:
  // Opens (creating if needed) the index at `dir` for writing. Expected failures: another
  // writer holds the lock, the directory is not an index or cannot be created.
  static Expected<IndexWriter> open(const std::filesystem::path& dir);

  IndexWriter(IndexWriter&&) noexcept;
  IndexWriter& operator=(IndexWriter&&) noexcept;
  ~IndexWriter();  // uncommitted changes are discarded, never half-written

  // Replaces every passage of `doc.symbol` with the passages of `doc`. Returns the number of
  // passages written. Nothing is visible to readers until commit().
  std::size_t replace_document(const Document& doc, const DocumentFields& fields,
                               const Gazetteer& gazetteer, Analyzer& analyzer);

  // Removes every passage of the document `symbol`; returns how many were removed (0: unknown).
  std::size_t remove_document(std::string_view symbol);

  // Makes all changes so far durable and visible, in one Xapian commit.
  void commit();

 private:
  explicit IndexWriter(Xapian::WritableDatabase db);
  std::unique_ptr<Xapian::WritableDatabase> db_;
};

}  // namespace treaty
