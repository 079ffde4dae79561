// The bilingual dictionary mined from linked versions (core/index/dictionary.h): on the English
// and Chinese versions of two fixture documents, translations that co-occur in linked passages
// are found; stored and read back; none without links.
#include "core/index/dictionary.h"

#include <catch2/catch.hpp>

#include "core/documents/parser.h"
#include "core/documents/pdf_text.h"
#include "core/index/index_writer.h"
#include "core/search/resources.h"
#include "tests/support/test_support.h"

namespace treaty {
namespace {


// The Chinese words the dictionary gives `stem`, strongest first.
std::vector<std::string> targets(const Dictionary& d, const std::string& stem) {
  std::vector<std::string> out;
  if (auto it = d.entries.find(stem); it != d.entries.end())
    for (const auto& [word, weight] : it->second) out.push_back(word);
  return out;
}

}  // namespace

TEST_CASE("dictionary: mined from linked zh-en passage pairs, stored, read back", "[dictionary]") {
  test::TempDir tmp;
  auto res = test::project_resources();
  const auto f = test::source_dir() / "tests/fixtures";
  Xapian::Database db = test::write_index(tmp.path() / "index", *res,
                                          {test::parse_pdf(f / "pdf/CBD-NP-MOP-4-2.pdf"), test::parse_pdf(f / "lang/CBD-NP-MOP-4-2.en.pdf"),
                                           test::parse_pdf(f / "pdf/CBD-NP-MOP-4-7.pdf"), test::parse_pdf(f / "lang/CBD-NP-MOP-4-7.en.pdf")});
  const std::vector<Dictionary> mined = mine_dictionaries(db);
  REQUIRE(mined.size() == 1);
  const Dictionary& en = mined[0];
  CHECK(en.lang == "en");
  CHECK(en.pairs >= 40);
  // Words each fixture pair translates consistently (targets strongest first, weights <= 1).
  CHECK(targets(en, "monitor") == std::vector<std::string>{"监测"});
  CHECK(targets(en, "workshop") == std::vector<std::string>{"讲习班"});
  CHECK(targets(en, "capac").front() == "能力建设");
  for (const auto& [source, list] : en.entries)
    for (const auto& [word, weight] : list) CHECK((weight > 0 && weight <= 1.0));

  // write_index stored what mining gives, as `indexer add` does.
  CHECK(dictionary_languages(db) == std::vector<std::string>{"en"});
  const Dictionary stored = read_dictionary(db, "en");
  CHECK(stored.pairs == en.pairs);
  CHECK(stored.entries == en.entries);
  CHECK(read_dictionary(db, "fr").entries.empty());

  // An index of one language has no links, so no dictionary.
  Xapian::Database zh_only = test::write_index(tmp.path() / "zh", *res, {test::parse_pdf(f / "pdf/CBD-NP-MOP-4-2.pdf")});
  CHECK(mine_dictionaries(zh_only).empty());
  CHECK(dictionary_languages(zh_only).empty());
}

}  // namespace treaty
