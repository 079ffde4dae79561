// Highlighter: matches found like the index finds them, exact highlights, best window, escaping.
#include <catch2/catch.hpp>

#include "core/text/analyzer.h"
#include "core/text/lexicon.h"
#include "core/text/normalizer.h"
#include "core/search/snippet.h"
#include "core/base/utf8.h"
#include "tests/support/test_support.h"

using namespace treaty;

namespace {

struct Fixture {
  Normalizer normalizer;
  Lexicon lexicon = test::project_lexicon(normalizer);
  Analyzer analyzer{normalizer, lexicon};

  std::string highlight(const std::vector<std::string>& queries, const std::string& text,
                        const SnippetOptions& options = {}) {
    return Highlighter(analyzer, queries).snippet(text, options).html;
  }

  // The text of a snippet without tags and ellipses, in code points.
  static std::size_t plain_length(std::string html, const SnippetOptions& o) {
    for (const std::string& cut : {o.open_tag, o.close_tag, o.ellipsis}) {
      for (std::size_t at; (at = html.find(cut)) != std::string::npos;) html.erase(at, cut.size());
    }
    return to_u32(html).size();
  }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "highlights exactly the matched characters") {
  const std::vector<std::tuple<std::vector<std::string>, std::string, std::string>> rows = {
      // a word
      {{"缔约方"}, "缔约方大会请执行秘书", "<mark>缔约方</mark>大会请执行秘书"},
      // a single character, everywhere it occurs
      {{"约"}, "生物多样性公约缔约方", "生物多样性公<mark>约</mark>缔<mark>约</mark>方"},
      // four characters across word boundaries (公约|秘书处): exactly those four
      {{"公约秘书"}, "公约秘书处参加了", "<mark>公约秘书</mark>处参加了"},
      // a phrase with a space matches across punctuation, as text_query() does
      {{"合作 促进"}, "合作，促进执行", "<mark>合作，促进</mark>执行"},
      // ... but joined characters must be joined in the text (their bigram)
      {{"合作促进"}, "合作，促进执行", "合作，促进执行"},
      // Traditional query on Simplified text and the other way round
      {{"締約方"}, "缔约方大会", "<mark>缔约方</mark>大会"},
      {{"缔约方"}, "締約方大會", "<mark>締約方</mark>大會"},
      // full-width and case
      {{"unep"}, "见 ＵＮＥＰ/CBD/COP/12/24 号文件", "见 <mark>ＵＮＥＰ</mark>/CBD/COP/12/24 号文件"},
      {{"UNEP/CBD/COP/12/24"}, "见 UNEP/CBD/COP/12/24 号文件", "见 <mark>UNEP/CBD/COP/12/24</mark> 号文件"},
      // alnum units match whole
      {{"une"}, "UNEP", "UNEP"},
      {{"2014"}, "2014 年和 20145", "<mark>2014</mark> 年和 20145"},
      // overlapping and adjacent matches merge
      {{"缔约", "约方"}, "缔约方", "<mark>缔约方</mark>"},
      // several queries
      {{"秘书", "大会"}, "缔约方大会请执行秘书", "缔约方<mark>大会</mark>请执行<mark>秘书</mark>"},
      // nothing searchable in the query
      {{"，"}, "缔约方，大会", "缔约方，大会"},
  };
  for (const auto& [queries, text, expected] : rows) {
    INFO(text);
    CHECK(highlight(queries, text) == expected);
  }
}

TEST_CASE_METHOD(Fixture, "find returns merged source byte ranges") {
  const Highlighter h(analyzer, {"约"});
  const std::string text = "公约缔约方";
  CHECK(h.find(text) == std::vector<ByteRange>{{3, 6}, {9, 12}});
  CHECK(Highlighter(analyzer, {}).find(text).empty());
}

TEST_CASE_METHOD(Fixture, "everything but the tags is HTML-escaped") {
  CHECK(highlight({"b"}, "a<b & \"c\" 'd'") == "a&lt;<mark>b</mark> &amp; &quot;c&quot; &#39;d&#39;");
  CHECK(highlight({"<b>"}, "x <b> y") == "x &lt;<mark>b</mark>&gt; y");
  SnippetOptions o;
  o.open_tag = "[[";
  o.close_tag = "]]";
  CHECK(highlight({"大会"}, "缔约方大会", o) == "缔约方[[大会]]");
}

TEST_CASE_METHOD(Fixture, "long texts: the window with the most matches, about 120 code points, cut with an ellipsis") {
  const std::string filler(300, 'x');  // one long alnum unit: never matches "合作"
  std::string head;
  for (int i = 0; i < 100; ++i) head += "文";
  std::string tail;
  for (int i = 0; i < 100; ++i) tail += "字";
  const SnippetOptions o;

  SECTION("no match: the start, cut at the end") {
    const std::string html = highlight({"合作"}, head + tail);
    CHECK(html.starts_with("文文文"));
    CHECK(html.ends_with("字…"));
    CHECK(plain_length(html, o) == 120);
  }
  SECTION("one match near the end: some context before it, ellipsis at the start") {
    const std::string text = head + tail + "合作" + "尾";
    const std::string html = highlight({"合作"}, text);
    CHECK(html.starts_with("…"));
    CHECK(html.ends_with("<mark>合作</mark>尾"));
    CHECK(plain_length(html, o) == 120);
    CHECK(valid_utf8(html));
  }
  SECTION("the densest region wins") {
    const std::string text = "合作" + head + head + "合作合作，合作" + tail + tail;
    const std::string html = highlight({"合作"}, text);
    CHECK(html.find("<mark>合作合作</mark>，<mark>合作</mark>") != std::string::npos);
    CHECK(html.starts_with("…文"));
    CHECK(html.ends_with("字…"));
    CHECK(plain_length(html, o) == 120);
  }
  SECTION("a match crossing the window's end is not cut") {
    SnippetOptions small;
    small.length = 10;
    // The window [18, 28) holds 合作 and the first character of 缔约方: widened to 30.
    const std::string text = "一二三四五六七八九十一二三四五六七八九十合作甲乙丙丁戊缔约方己庚辛";
    const std::string html = highlight({"合作", "缔约方"}, text, small);
    CHECK(html == "…九十<mark>合作</mark>甲乙丙丁戊<mark>缔约方</mark>…");
  }
  SECTION("a short text is shown whole") {
    CHECK(highlight({"合作"}, "促进合作") == "促进<mark>合作</mark>");
  }
  SECTION("never splits a UTF-8 sequence") {
    for (std::size_t len : {1u, 2u, 7u, 50u, 119u, 121u}) {
      SnippetOptions opt;
      opt.length = len;
      const std::string html = highlight({"字"}, head + "ＵＮＥＰ" + tail + filler, opt);
      CHECK(valid_utf8(html));
    }
  }
}
