// The parser on every fixture of tests/fixtures/ (documents of other layouts than the seed):
// each parse is checked against the hand-written <stem>.expected.toml next to the text
// (symbol, cover fields, every passage id in order with the start of its text, its section path
// and the footnotes it cites, the footnotes, the warnings), and nothing of the text is lost.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/base/utf8.h"
#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/documents/references.h"
#include "core/text/normalizer.h"
#include "tests/support/fixture_expectations.h"
#include "tests/support/test_support.h"

using namespace treaty;

namespace {

std::vector<std::filesystem::path> fixture_texts() {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_dir() / "tests" / "fixtures"))
    if (entry.path().string().ends_with(".zh.txt")) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::filesystem::path expected_path(const std::filesystem::path& text) {
  std::string name = text.filename().string();
  name.replace(name.size() - std::string_view(".zh.txt").size(), std::string::npos, ".expected.toml");
  return text.parent_path() / name;
}

// Every Han character and CJK punctuation mark of `text`, counted. Full-width brackets are not:
// an item's label （a） becomes its id.
void count_cjk(std::string_view text, std::map<char32_t, int>& counts, int delta) {
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    if (cp >= 0x2E80 && cp != 0x3000 && cp != U'（' && cp != U'）') counts[cp] += delta;
  }
}

// A page label line ("第 3 页"): the only CJK characters a parser may drop.
bool is_page_label(std::string_view line) {
  std::string t;
  for (char c : line)
    if (c != ' ' && c != '\f' && c != '\r') t += c;
  if (!t.starts_with("第") || !t.ends_with("页")) return false;
  const std::string_view digits = std::string_view(t).substr(3, t.size() - 6);
  return !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

TEST_CASE("fixtures: every document parses as its expectations say", "[parser][fixtures]") {
  const auto texts = fixture_texts();
  REQUIRE(texts.size() >= 12);
  for (const auto& path : texts) {
    const std::string text = test::read_file(path);
    const toml::table expected = toml::parse_file(expected_path(path).string());
    INFO(path.filename().string());
    auto parsed = parse_document(text, ParseOptions{path.string(), ""});
    REQUIRE(parsed);
    const Document& doc = *parsed;

    test::check_expected_cover(doc, expected);
    test::check_expected_passages(doc, expected);
    test::check_expected_footnotes(doc, expected);
    test::check_expected_warnings(doc, expected);

    // Nothing lost: every Han character and CJK punctuation mark of the source, except page
    // labels, is in the header, a heading, a passage or a footnote, as often as in the source.
    std::map<char32_t, int> counts;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      const std::string_view line = std::string_view(text).substr(start, end - start);
      if (!is_page_label(line)) count_cjk(line, counts, 1);
      start = end + 1;
    }
    for (const Section& s : doc.sections) count_cjk(s.label + s.title, counts, -1);
    for (const Passage& p : doc.passages) count_cjk(p.text, counts, -1);
    for (const Footnote& f : doc.footnotes) count_cjk(f.text, counts, -1);
    std::string lost;
    for (const auto& [cp, n] : counts)
      if (n != 0) {
        append_utf8(lost, cp);
        lost += ":" + std::to_string(n) + " ";
      }
    INFO("characters counted in the source minus the parse: " << lost);
    CHECK(lost.empty());
  }
}

TEST_CASE("fixtures: decisions, organizations defined and dates as the expectations list them", "[fields][fixtures]") {
  const auto res = test::project_resources();
  for (const auto& path : fixture_texts()) {
    const toml::table expected = toml::parse_file(expected_path(path).string());
    INFO(path.filename().string());
    auto doc = parse_document(test::read_file(path), ParseOptions{path.string(), ""});
    REQUIRE(doc);
    test::check_expected_fields(*doc, expected, *res);
  }
}
