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
#include "tests/support/fixture_fields.h"
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

std::string str(const toml::node_view<const toml::node>& n) { return n.value_or(std::string()); }

int footnote_number(const toml::node& n) {
  if (n.is_string()) return 0;  // "*": the cover's
  return static_cast<int>(n.value_or(std::int64_t{-1}));
}

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

  CHECK(doc.symbol == str(expected["symbol"]));
  const auto cover = expected["cover"];
  CHECK(doc.header.distribution == str(cover["distribution"]));
  CHECK(doc.header.issued == str(cover["issued"]));
  CHECK(doc.header.language == str(cover["language"]));
  CHECK(doc.header.original == str(cover["original"]));
  CHECK(doc.header.meeting == str(cover["meeting"]));
  CHECK(doc.header.session == str(cover["session"]));
  CHECK(doc.header.dates_venue == str(cover["dates_venue"]));
  CHECK(doc.header.agenda_item == str(cover["agenda_item"]));
  CHECK(doc.header.title == str(cover["title"]));
  CHECK(doc.header.doc_type == str(cover["doc_type"]));
  CHECK(static_cast<std::int64_t>(model.pages.size()) == expected["pdf"]["pages"].value_or(std::int64_t{0}));

  const toml::array& want = *expected["passages"].as_array();
  std::vector<std::string> want_ids, got_ids;
  for (const toml::node& p : want) want_ids.push_back(str(toml::node_view<const toml::node>(p)["para"]));
  for (const Passage& p : doc.passages) got_ids.push_back(p.para);
  CHECK(got_ids == want_ids);
  for (const toml::node& node : want) {
    const toml::node_view<const toml::node> p(node);
    const std::string para = str(p["para"]);
    const auto it = std::find_if(doc.passages.begin(), doc.passages.end(), [&](const Passage& x) { return x.para == para; });
    if (it == doc.passages.end()) continue;  // reported by the id list above
    INFO("passage " << para << ": " << it->text.substr(0, 90));
    if (const std::string starts = str(p["starts"]); !starts.empty()) CHECK(it->text.starts_with(starts));
    if (const std::string text = str(p["text"]); !text.empty()) CHECK(it->text == text);
    if (const toml::array* phrases = p["contains"].as_array())
      for (const toml::node& c : *phrases) CHECK(it->text.find(c.value_or(std::string())) != std::string::npos);
    if (const toml::array* section = p["section"].as_array()) {
      std::vector<std::string> path_want;
      for (const toml::node& s : *section) path_want.push_back(s.value_or(std::string()));
      CHECK(it->section_path == path_want);
    }
    std::vector<int> notes_want;
    if (const toml::array* notes = p["footnotes"].as_array())
      for (const toml::node& n : *notes) notes_want.push_back(footnote_number(n));
    CHECK(it->footnotes == notes_want);
  }

  std::vector<int> want_notes, got_notes;
  if (const toml::array* notes = expected["footnotes"].as_array())
    for (const toml::node& node : *notes) {
      const toml::node_view<const toml::node> n(node);
      want_notes.push_back(footnote_number(*n["number"].node()));
      const auto f = std::find_if(doc.footnotes.begin(), doc.footnotes.end(),
                                  [&](const Footnote& x) { return x.number == want_notes.back(); });
      if (f == doc.footnotes.end()) continue;
      INFO("footnote " << f->number << ": " << f->text);
      CHECK(f->text.starts_with(str(n["starts"])));
      CHECK(f->text.ends_with(str(n["ends"])));
    }
  for (const Footnote& f : doc.footnotes) got_notes.push_back(f.number);
  CHECK(got_notes == want_notes);

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

  std::vector<std::string> want_warnings;
  if (const toml::array* w = expected["fields"]["warnings"].as_array())
    for (const toml::node& n : *w) want_warnings.push_back(n.value_or(std::string()));
  for (const std::string& w : want_warnings)
    CHECK(std::any_of(doc.warnings.begin(), doc.warnings.end(),
                      [&](const ParseWarning& x) { return x.message.find(w) != std::string::npos; }));
  for (const ParseWarning& w : doc.warnings) {
    INFO("page " << w.page << ": " << w.message);
    CHECK(std::any_of(want_warnings.begin(), want_warnings.end(),
                      [&](const std::string& s) { return w.message.find(s) != std::string::npos; }));
  }

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
