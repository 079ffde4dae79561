#include <catch2/catch.hpp>

#include "core/text/analyzer.h"
#include "core/text/lexicon.h"
#include "core/text/normalizer.h"
#include "tests/support/test_support.h"

using namespace treaty;

namespace {

struct Fixture {
  Normalizer normalizer;
  Lexicon lexicon = test::project_lexicon(normalizer);
  Analyzer analyzer{normalizer, lexicon};

  std::string words(const std::string& text) {
    std::string out;
    for (const Word& w : analyzer.analyze(text).words) out += (out.empty() ? "" : "|") + w.term;
    return out;
  }
  std::string units(const std::string& text) {
    std::string out;
    for (const Unit& u : analyzer.analyze(text).units) {
      if (!out.empty()) out += u.joins_previous ? "+" : " ";
      out += u.term;
    }
    return out;
  }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "word segmentation: the lexicon overrides ICU for treaty terms") {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"缔约方", "缔约方"},                      // ICU alone: 缔|约|方
      {"惠益分享", "惠益分享"},                  // ICU alone: 惠|益|分享
      {"委员会", "委员会"},                      // ICU alone: 委员|会
      {"缔约方大会", "缔约方大会"},              // longest entry wins
      {"名古屋議定書締約方", "名古屋议定书|缔约方"},  // Traditional input, same words
      {"遗传资源委员会", "遗传资源|委员会"},
      {"能力建设讲习班", "能力建设|讲习班"},
      {"合作的重要性", "合作|的|重要性"},        // ICU's own words where no entry applies
  };
  for (const auto& [text, expected] : rows) {
    CAPTURE(text);
    CHECK(words(text) == expected);
  }
}

TEST_CASE_METHOD(Fixture, "units: Han characters one by one, alnum runs whole, joins marked") {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"缔约方", "缔+约+方"},
      {"缔约，方", "缔+约 方"},                          // punctuation breaks the bigram chain
      {"2014 年 10 月", "2014 年 10 月"},
      {"ＵＮＥＰ和FAO", "unep 和 fao"},
      {"第 XI/1 D 号决定", "第 xi 1 d 号+决+定"},
      {"UNEP/CBD/COP/12/24", "unep cbd cop 12 24"},
      {"benefit-sharing", "benefit sharing"},
      {"l'Organisation d’accès", "l organisation d accès"},  // French elision: the word stands alone
      {"Семинаров ещё", "семинаров еще"},                  // Cyrillic words
      {"مُؤْتَمَر الأطراف", "مؤتمر الاطراف"},                  // Arabic words, marks dropped
      {"", ""},
      {"。，、", ""},
  };
  for (const auto& [text, expected] : rows) {
    CAPTURE(text);
    CHECK(units(text) == expected);
  }
}

TEST_CASE_METHOD(Fixture, "compounds keep symbols and decision references whole") {
  const Analysis a = analyzer.analyze("见 UNEP/CBD/COP/12/24 号文件和第 XI/1 D 号决定, COP-MOP");
  std::vector<std::string> compounds;
  for (const Compound& c : a.compounds) compounds.push_back(c.term);
  CHECK(compounds == std::vector<std::string>{"unep/cbd/cop/12/24", "xi/1", "cop-mop"});
  REQUIRE(a.compounds.size() == 3);
  CHECK(a.compounds[0].unit_count == 5);
  CHECK(a.units[a.compounds[0].first_unit].term == "unep");
}

TEST_CASE_METHOD(Fixture, "unit offsets point at the source bytes, full-width included") {
  const std::string text = "ＵＮ议定書";
  const Analysis a = analyzer.analyze(text);
  REQUIRE(a.units.size() == 4);  // "un", 议, 定, 书
  CHECK(a.units[0].term == "un");
  CHECK(text.substr(a.units[0].begin, a.units[0].end - a.units[0].begin) == "ＵＮ");
  CHECK(a.units[3].term == "书");
  CHECK(text.substr(a.units[3].begin, a.units[3].end - a.units[3].begin) == "書");
}

TEST_CASE_METHOD(Fixture, "units-only analysis skips word segmentation and keeps the units") {
  const Analysis full = analyzer.analyze("缔约方大会 UNEP/CBD");
  const Analysis units = analyzer.analyze("缔约方大会 UNEP/CBD", false);
  CHECK(units.words.empty());
  CHECK_FALSE(full.words.empty());
  REQUIRE(units.units.size() == full.units.size());
  for (std::size_t i = 0; i < units.units.size(); ++i) CHECK(units.units[i].term == full.units[i].term);
  CHECK(units.compounds.size() == 1);
}
