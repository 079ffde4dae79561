// Aligning language versions (core/documents/alignment.h): small unit tables for each move and
// refusal, then the fixture versions against their links.toml (tests/fixtures/lang/README.md).
// CBD-NP-MOP-4-2 (six regular twins) and CBD-NP-MOP-4-7 (misaligned English) are the development
// set; CBD-NP-MOP-DEC-3-1 (zh, en, fr) is held out for the aligner: its links file was written
// from the fixtures' stated differences before the aligner ran on it, and no aligner rule is
// written from it. (The parser's participle vocabulary of other languages' preambles was added
// when this test showed English preambles unread: for the parser it is no longer held out.)
#include "core/documents/alignment.h"

#include "core/base/utf8.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <toml++/toml.h>

#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/documents/pdf_text.h"
#include "core/search/resources.h"
#include "tests/support/test_support.h"

namespace treaty {
namespace {

namespace fs = std::filesystem;
using Pair = std::pair<std::string, std::string>;

AlignUnit unit(std::string para, std::vector<std::string> anchors, std::size_t length,
               PassageKind kind = PassageKind::paragraph, std::string section = "1") {
  AlignUnit u;
  u.para = std::move(para);
  u.kind = kind;
  if (kind == PassageKind::item) u.item = u.para.substr(u.para.size() - 2, 1);
  u.section = std::move(section);
  std::sort(anchors.begin(), anchors.end());
  u.anchors = std::move(anchors);
  u.length = length;
  return u;
}

std::set<Pair> pairs_of(const Alignment& a) {
  std::set<Pair> out;
  for (const PassageLink& l : a.links) out.emplace(l.a, l.b);
  return out;
}

}  // namespace

TEST_CASE("alignment: twins link by id, an added paragraph is left out, anchors that disagree are never linked",
          "[alignment]") {
  const std::vector<AlignUnit> zh = {unit("1", {"n:2014"}, 100), unit("2", {}, 60), unit("3", {"f:1"}, 120),
                                     unit("4", {"n:5"}, 80)};
  SECTION("regular twins: every passage to the same id, confident") {
    std::vector<AlignUnit> en = {unit("1", {"n:2014"}, 310), unit("2", {}, 170), unit("3", {"f:1"}, 400),
                                 unit("4", {"n:5"}, 240)};
    const Alignment a = align_versions(zh, en);
    CHECK(pairs_of(a) == std::set<Pair>{{"1", "1"}, {"2", "2"}, {"3", "3"}, {"4", "4"}});
    CHECK(a.unlinked_a.empty());
    CHECK(a.unlinked_b.empty());
    for (const PassageLink& l : a.links) CHECK(l.confidence > 0.8);
  }
  SECTION("a paragraph added in one version: later ids shift, the added one stays unlinked") {
    std::vector<AlignUnit> en = {unit("1", {"n:2014"}, 310), unit("2", {"n:7", "n:12"}, 500),
                                 unit("3", {}, 170), unit("4", {"f:1"}, 400), unit("5", {"n:5"}, 240)};
    const Alignment a = align_versions(zh, en);
    CHECK(pairs_of(a) == std::set<Pair>{{"1", "1"}, {"2", "3"}, {"3", "4"}, {"4", "5"}});
    CHECK(a.unlinked_b == std::vector<std::string>{"2"});
  }
  SECTION("anchors that disagree: no link, both flagged") {
    std::vector<AlignUnit> en = {unit("1", {"n:2015"}, 310)};
    const std::vector<AlignUnit> one = {zh[0]};
    const Alignment a = align_versions(one, en);
    CHECK(a.links.empty());
    CHECK(a.unlinked_a == std::vector<std::string>{"1"});
    CHECK(a.unlinked_b == std::vector<std::string>{"1"});
  }
  SECTION("two items printed as one: both linked to it") {
    const std::vector<AlignUnit> items = {unit("8(a)", {}, 50, PassageKind::item), unit("8(b)", {"f:2"}, 40, PassageKind::item),
                                          unit("8(c)", {}, 45, PassageKind::item)};
    std::vector<AlignUnit> en = {unit("8(a)", {}, 150, PassageKind::item), unit("8(b)", {"f:2"}, 250, PassageKind::item)};
    const Alignment a = align_versions(items, en);
    CHECK(pairs_of(a) == std::set<Pair>{{"8(a)", "8(a)"}, {"8(b)", "8(b)"}, {"8(c)", "8(b)"}});
  }
}

namespace {

// Text compared without spaces, with full-width colons and semicolons as ASCII (table rows join
// their cells with "：" in every language; the other languages' expected files write ": ").
std::string squeezed(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t at = i;
    const char32_t cp = next_code_point(text, i);
    if (cp == U' ' || cp == U'\n' || cp == U'\t' || cp == 0xA0 || cp == 0x202F) continue;
    if (cp == 0xFF1A) out += ':';
    else if (cp == 0xFF1B) out += ';';
    else out.append(text.substr(at, i - at));
  }
  return out;
}

// A fixture version as parsed, with each parsed passage's identity in the golden truth: the para
// of the expected passage its text starts as (`starts`), "" when none does (a passage the parse
// split or merged). Links are judged by these, so that what the parser reads wrong in one
// language (a table row split in two) does not count against the aligner.
struct Version {
  std::vector<AlignUnit> units;
  std::map<std::string, std::string> truth;  // parsed para -> expected para
};

Version fixture_version(const std::string& stem, const std::string& lang, const Resources& res) {
  const fs::path root = test::source_dir() / "tests/fixtures";
  const fs::path base = lang == "zh" ? root / "pdf" / stem : root / "lang" / (stem + "." + lang);
  const Document doc = test::parse_pdf(base.string() + ".pdf");
  Version v{align_units(doc, extract_fields(doc, res.normalizer, res.gazetteer)), {}};
  const toml::table t = toml::parse_file(base.string() + ".expected.toml");
  std::vector<std::pair<std::string, std::string>> starts;  // para, squeezed starts
  for (const auto& node : *t["passages"].as_array()) {
    const toml::table& p = *node.as_table();
    starts.emplace_back(p["para"].value_or(std::string()), squeezed(p["starts"].value_or(std::string())));
  }
  std::set<std::string> used;
  for (const Passage& p : doc.passages) {
    const std::string text = squeezed(p.text);
    std::string best;
    std::size_t best_size = 0;
    for (const auto& [para, start] : starts)
      if (!start.empty() && text.starts_with(start) && start.size() > best_size && !used.contains(para)) {
        best = para;
        best_size = start.size();
      }
    if (!best.empty()) used.insert(best);
    v.truth[p.para] = best;
  }
  return v;
}

// The expected links of `stem` between `a` and `b`, by expected para.
std::set<Pair> expected_links(const std::string& stem, const std::string& a, const std::string& b,
                              const Version& va) {
  const toml::table t = toml::parse_file((test::source_dir() / "tests/fixtures/lang" / (stem + ".links.toml")).string());
  std::set<Pair> links;
  if (t["same_ids"].value_or(false)) {
    for (const auto& [parsed, para] : va.truth)
      if (!para.empty() && para != "header") links.emplace(para, para);
    return links;
  }
  for (const auto& node : *t["links"].as_array()) {
    const toml::table& link = *node.as_table();
    if (link.contains(a) && link.contains(b))
      links.emplace(link[a].value_or(std::string()), link[b].value_or(std::string()));
  }
  return links;
}

// Aligns the versions a and b of `stem` and judges every link made whose two passages the parse
// read as the truth has them: all must be expected (precision 100 %). Returns {links judged,
// expected links found} for the recall the caller states.
std::pair<std::size_t, std::size_t> check_fixture(const std::string& stem, const std::string& a, const std::string& b,
                                                  const Resources& res) {
  CAPTURE(stem, a, b);
  const Version va = fixture_version(stem, a, res);
  const Version vb = fixture_version(stem, b, res);
  const std::set<Pair> expected = expected_links(stem, a, b, va);
  REQUIRE_FALSE(expected.empty());
  const Alignment got = align_versions(va.units, vb.units);
  std::vector<std::string> wrong;
  std::set<Pair> found;
  std::size_t judged = 0;
  for (const PassageLink& l : got.links) {
    const std::string ta = va.truth.at(l.a), tb = vb.truth.at(l.b);
    if (ta.empty() || tb.empty()) continue;  // a passage the parser split or merged
    ++judged;
    if (expected.contains({ta, tb})) {
      found.emplace(ta, tb);
    } else {
      wrong.push_back(l.a + " = " + l.b + " (truth " + ta + " = " + tb + ")");
    }
  }
  UNSCOPED_INFO(stem << " " << a << "-" << b << ": " << got.links.size() << " links made, " << judged
                     << " judged, " << wrong.size() << " wrong, " << found.size() << " of " << expected.size()
                     << " expected found");
  CHECK(wrong == std::vector<std::string>{});
  CHECK(judged > 0);
  return {judged, found.size()};
}

}  // namespace

TEST_CASE("alignment: the versions of CBD/NP/MOP/4/2 link paragraph by paragraph", "[alignment][fixtures]") {
  auto res = test::project_resources();
  // Arabic and Russian are left out until their layouts are read: the Arabic text layer comes
  // out in visual order (right to left), and the Russian's justified lines are read as table
  // rows; on what they parse now the aligner links zh 11 to ru annex-2/1 (issue 23, closing note).
  const std::vector<std::string> langs = {"zh", "en", "fr", "es"};
  for (std::size_t i = 0; i < langs.size(); ++i)
    for (std::size_t k = i + 1; k < langs.size(); ++k) {
      const auto [judged, found] = check_fixture("CBD-NP-MOP-4-2", langs[i], langs[k], *res);
      // Recall is bounded by the parse (French items, Spanish and Russian tables): a floor.
      CHECK(found * 10 >= judged * 9);
    }
}

TEST_CASE("alignment: the misaligned English CBD/NP/MOP/4/7 is realigned (added paragraph, merged items)",
          "[alignment][fixtures]") {
  auto res = test::project_resources();
  const auto [judged, found] = check_fixture("CBD-NP-MOP-4-7", "zh", "en", *res);
  CHECK(found == judged);
}

TEST_CASE("alignment, held out: the decision document in zh, en and fr (a French chapeau shifts the ids)",
          "[alignment][fixtures][heldout]") {
  auto res = test::project_resources();
  check_fixture("CBD-NP-MOP-DEC-3-1", "zh", "en", *res);
  check_fixture("CBD-NP-MOP-DEC-3-1", "zh", "fr", *res);
  check_fixture("CBD-NP-MOP-DEC-3-1", "en", "fr", *res);
}

}  // namespace treaty
