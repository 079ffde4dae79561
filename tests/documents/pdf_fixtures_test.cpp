// The page layout on the word-processor PDFs of tests/fixtures/pdf/ (made by LibreOffice from
// the .fodt sources next to them): each parse is checked against the hand-written
// <stem>.expected.toml (cover fields, every passage id in order with its text start, whole text
// for table rows, phrases across page breaks, section path and footnotes cited, every
// footnote's start and end, warnings), no page furniture in any passage, and nothing of the
// text layer lost. The held-out set (tests/fixtures/pdf/heldout/) is checked by its own test
// case, so its results are reported apart: no layout rule was written from it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/base/utf8.h"
#include "core/documents/page_layout.h"
#include "core/documents/parser.h"
#include "core/documents/pdf_text.h"
#include "tests/support/fixture_expectations.h"
#include "tests/support/test_support.h"

using namespace treaty;

namespace {

std::vector<std::filesystem::path> pdfs_in(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".pdf") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::filesystem::path pdf_dir() { return test::source_dir() / "tests" / "fixtures" / "pdf"; }

PageModel load_pages(const std::filesystem::path& pdf) {
  auto pages = pdf_bytes_to_pages(test::read_file(pdf), pdf.string());
  REQUIRE(pages);
  return std::move(*pages);
}

// Characters that must survive: letters, digits, Han and CJK punctuation (not the full-width
// brackets of an item label, which becomes the passage id).
bool counted(char32_t cp) {
  if (cp == U'（' || cp == U'）') return false;
  return (cp >= U'0' && cp <= U'9') || (cp >= U'A' && cp <= U'Z') || (cp >= U'a' && cp <= U'z') || cp >= 0x2E80;
}

void count(std::string_view text, std::map<char32_t, long>& counts, long delta) {
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    if (counted(cp)) counts[cp] += delta;
  }
}

// What of the text layer of `model` the parse `doc` does not hold: each character counted in
// every box minus the recognised page furniture, against the cover, headings, passages (their
// ids hold paragraph numbers and item letters) and footnotes (a footnote's number is printed
// twice: its marker and its label). "" when nothing is lost; else "字:1 …".
std::string lost_characters(const PageModel& model, const Document& doc) {
  std::map<char32_t, long> counts;
  for (const PageBoxes& page : model.pages)
    for (const TextBox& b : page.boxes) count(b.text, counts, 1);
  for (const PageFacts& facts : doc.pages)
    for (const std::string& f : facts.furniture) count(f, counts, -1);
  for (const Section& s : doc.sections) count(s.label + s.title, counts, -1);
  for (const Passage& p : doc.passages) {
    count(p.text, counts, -1);
    count(p.para, counts, -1);
  }
  for (const Footnote& f : doc.footnotes) {
    count(f.text, counts, -1);
    if (f.number > 0) count(std::to_string(f.number) + std::to_string(f.number), counts, -1);
  }
  std::string lost;
  for (const auto& [cp, n] : counts)
    if (n > 0) {
      append_utf8(lost, cp);
      lost += ":" + std::to_string(n) + " ";
    }
  return lost;
}

// Checks the parse of `pdf` against <stem>.expected.toml beside it.
void check_fixture(const std::filesystem::path& pdf) {
  std::filesystem::path toml_path = pdf;
  toml_path.replace_extension(".expected.toml");
  const toml::table expected = toml::parse_file(toml_path.string());
  INFO(pdf.filename().string());
  const PageModel model = load_pages(pdf);
  auto parsed = parse_pages(model, ParseOptions{pdf.string(), ""});
  REQUIRE(parsed);
  const Document& doc = *parsed;

  test::check_expected_cover(doc, expected);
  CHECK(static_cast<std::int64_t>(model.pages.size()) == expected["pdf"]["pages"].value_or(std::int64_t{0}));

  test::check_expected_passages(doc, expected);
  test::check_expected_footnotes(doc, expected);

  // No running header or page label inside a passage (the cover holds the symbol itself).
  for (const Passage& p : doc.passages) {
    if (p.kind == PassageKind::header) continue;
    INFO("passage " << p.para << ": " << p.text);
    for (std::size_t k = 1; k <= model.pages.size(); ++k) {
      const std::string n = std::to_string(k);
      for (const std::string& label : {"第 " + n + " 页", "Page " + n, "- " + n + " -"}) CHECK(p.text.find(label) == std::string::npos);
    }
    CHECK(p.text.find(doc.symbol) == std::string::npos);
  }

  test::check_expected_warnings(doc, expected);

  const std::string lost = lost_characters(model, doc);
  INFO("characters of the text layer not in the parse: " << lost);
  CHECK(lost.empty());

  // Decisions, organizations defined inline and dates, as for the text fixtures.
  static const auto res = test::project_resources();
  test::check_expected_fields(doc, expected, *res);
}

}  // namespace

TEST_CASE("pdf fixtures: every development document parses as its expectations say", "[pdf][fixtures]") {
  const auto pdfs = pdfs_in(pdf_dir());
  REQUIRE(pdfs.size() >= 6);
  for (const auto& pdf : pdfs) check_fixture(pdf);
}

// Reported, not enforced: the held-out set measures how the rules generalise (its known misses
// are listed in tests/fixtures/pdf/heldout/README.md); a rule tuned until it passes would no
// longer measure anything.
TEST_CASE("pdf fixtures: every held-out document parses as its expectations say", "[pdf][fixtures][heldout][!mayfail]") {
  const auto pdfs = pdfs_in(pdf_dir() / "heldout");
  REQUIRE(pdfs.size() >= 3);
  for (const auto& pdf : pdfs) check_fixture(pdf);
}

TEST_CASE("pdf fixtures: the nothing-lost check fails when a footnote is dropped", "[pdf][fixtures]") {
  const auto pdf = pdfs_in(pdf_dir()).front();
  const PageModel model = load_pages(pdf);
  auto doc = parse_pages(model, ParseOptions{pdf.string(), ""});
  REQUIRE(doc);
  REQUIRE(lost_characters(model, *doc).empty());
  REQUIRE(doc->footnotes.size() >= 2);
  const std::string dropped = doc->footnotes[1].text;
  doc->footnotes.erase(doc->footnotes.begin() + 1);
  const std::string lost = lost_characters(model, *doc);
  INFO("dropped: " << dropped << "; reported lost: " << lost);
  CHECK_FALSE(lost.empty());
}

TEST_CASE("pdf fixtures: the nothing-lost check fails when a table row is dropped", "[pdf][fixtures]") {
  const auto pdf = pdfs_in(pdf_dir()).front();
  const PageModel model = load_pages(pdf);
  auto doc = parse_pages(model, ParseOptions{pdf.string(), ""});
  REQUIRE(doc);
  const auto row = std::find_if(doc->passages.begin(), doc->passages.end(),
                                [](const Passage& p) { return p.kind == PassageKind::table_row; });
  REQUIRE(row != doc->passages.end());
  doc->passages.erase(row);
  CHECK_FALSE(lost_characters(model, *doc).empty());
}
