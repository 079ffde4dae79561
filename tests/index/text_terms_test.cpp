#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "core/text/analyzer.h"
#include "core/text/lexicon.h"
#include "core/text/normalizer.h"
#include "core/index/text_terms.h"
#include "core/base/utf8.h"
#include "tests/support/test_support.h"

using namespace treaty;

namespace {

// A handful of passages in an in-memory index; queries go through the same Analyzer.
struct Fixture {
  Normalizer normalizer;
  Lexicon lexicon = test::project_lexicon(normalizer);
  Analyzer analyzer{normalizer, lexicon};
  Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
  std::vector<std::string> texts = {
      "生物多样性公约缔约方反复强调了合作的重要性。",
      "名古屋议定书政府间委员会（政府间委员会）第三次会议在其第 3/5 号建议第 1 段中建议",
      "在第 XI/1 E 号决定的第 1 段，缔约方大会请执行秘书酌情与相关组织合作",
      "見 UNEP/CBD/COP/12/24 號文件。哈哈哈 合作社",
      "2014 年 6 月 9 日-13 日在乌干达的坎帕拉",
  };

  Fixture() {
    for (const std::string& t : texts) {
      Xapian::Document d;
      add_text_terms(d, analyzer.analyze(t), 1);
      d.set_data(t);
      db.add_document(d);
    }
  }

  // Indexes (1-based docids) matching `query`.
  std::set<Xapian::docid> search(const std::string& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(text_query(analyzer.analyze(query)));
    Xapian::MSet mset = enquire.get_mset(0, 100);
    std::set<Xapian::docid> out;
    for (auto it = mset.begin(); it != mset.end(); ++it) out.insert(*it);
    return out;
  }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "query terms: character, bigram, phrase of bigrams") {
  struct Row {
    std::string query;
    std::string expected;  // Xapian's description of the query
  };
  const std::vector<Row> rows = {
      // One character: at a run's edge (H) or starting a bigram (every other place in a run).
      {"缔", "Query((H缔 OR WILDCARD SYNONYM B缔))"},
      // One-character words are not indexed as words and boost nothing.
      {"缔约", "Query(B缔约)"},
      {"缔約方", "Query((L缔约方 AND_MAYBE 缔约方))"},  // a lexicon term: no phrase needed
      {"缔约各方", "Query(((B缔约 PHRASE 3 B约各 PHRASE 3 B各方) AND_MAYBE 各方))"},
      // A compound of two parts is its pair term alone: no position checks.
      {"XI/1", "Query((Jxi/1 AND_MAYBE xi/1))"},
      {"cop/12/24", "Query(((Jcop/12 PHRASE 2 J12/24) AND_MAYBE cop/12/24))"},
      {"XI/1 E", "Query(((Jxi/1 PHRASE 3 1 PHRASE 3 e) AND_MAYBE xi/1))"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.query);
    CHECK(text_query(analyzer.analyze(row.query)).get_description() == row.expected);
  }
  CHECK(text_query(analyzer.analyze("。，")).empty());
}

TEST_CASE_METHOD(Fixture, "a Chinese string is found exactly where it occurs") {
  const std::vector<std::pair<std::string, std::set<Xapian::docid>>> rows = {
      {"缔约方", {1, 3}},
      {"约方反", {1}},                 // crosses ICU's word boundaries
      {"方", {1, 3}},                  // a single character
      {"会", {2, 3}},
      {"政府间委员会", {2}},
      {"締約方大會", {3}},             // Traditional query, Simplified text
      {"合作", {1, 3, 4}},             // inside 合作社 too: substring semantics
      {"合作社", {4}},
      {"哈哈", {4}},
      {"哈哈哈", {4}},
      {"哈哈哈哈", {}},                // repeated characters need real adjacency
      {"性公", {1}},
      {"约方缔", {}},                  // all characters present, not in this order
      {"重要性合作", {}},
      {"性。", {1}},                   // punctuation carries no position
      {"委员会第三次", {}},            // "委员会）第三次": the parenthesis breaks the string
  };
  for (const auto& [query, expected] : rows) {
    CAPTURE(query);
    CHECK(search(query) == expected);
  }
}

TEST_CASE_METHOD(Fixture, "symbols, decisions and dates match as whole and in parts") {
  CHECK(search("UNEP/CBD/COP/12/24") == std::set<Xapian::docid>{4});
  CHECK(search("ＵＮＥＰ") == std::set<Xapian::docid>{4});
  CHECK(search("cop 12") == std::set<Xapian::docid>{4});
  CHECK(search("XI/1 E").size() == 1);
  CHECK(search("XI/1 D").empty());
  CHECK(search("3/5").size() == 1);
  CHECK(search("3.5").empty());  // the joiner counts: "3/5" is not "3.5" (nor "4.3.5")
  CHECK(search("12/24") == std::set<Xapian::docid>{4});     // the last pair of a longer compound
  CHECK(search("12/2").empty());                             // a pair term spells whole parts
  CHECK(search("cop/12/24") == std::set<Xapian::docid>{4});  // a compound inside a longer one
  CHECK(search("cbd/12").empty());
  CHECK(search("2014年6月9日") == std::set<Xapian::docid>{5});
  CHECK(search("6月9日-13日") == std::set<Xapian::docid>{5});
  CHECK(search("2014年6月10日").empty());
}

TEST_CASE_METHOD(Fixture, "property: every substring is found, shuffled strings are not") {
  std::mt19937 rng(42);
  for (std::size_t d = 0; d < texts.size(); ++d) {
    const std::u32string t = normalizer.normalize(texts[d]).text;
    // Han runs of this text and of all texts (for "does not occur anywhere").
    auto runs_of = [](const std::u32string& s) {
      std::vector<std::u32string> runs;
      std::u32string cur;
      for (char32_t c : s) {
        if (is_han(c)) {
          cur += c;
        } else if (!cur.empty()) {
          runs.push_back(cur);
          cur.clear();
        }
      }
      if (!cur.empty()) runs.push_back(cur);
      return runs;
    };
    for (const std::u32string& run : runs_of(t)) {
      for (std::size_t i = 0; i < run.size(); ++i) {
        for (std::size_t len = 1; len <= 6 && i + len <= run.size(); ++len) {
          const std::string q = to_utf8(run.substr(i, len));
          CAPTURE(q);
          CHECK(search(q).count(static_cast<Xapian::docid>(d + 1)) == 1);
        }
      }
      // Shuffled 3-5 character strings: found only where they really occur.
      for (int trial = 0; trial < 20 && run.size() >= 3; ++trial) {
        std::u32string s = run.substr(0, std::min<std::size_t>(run.size(), 3 + trial % 3));
        std::shuffle(s.begin(), s.end(), rng);
        std::set<Xapian::docid> expected;
        for (std::size_t e = 0; e < texts.size(); ++e)
          for (const std::u32string& r : runs_of(normalizer.normalize(texts[e]).text))
            if (r.find(s) != std::u32string::npos) expected.insert(static_cast<Xapian::docid>(e + 1));
        CAPTURE(to_utf8(s));
        CHECK(search(to_utf8(s)) == expected);
      }
    }
  }
}

TEST_CASE_METHOD(Fixture, "only the edges of a Han run carry character positions") {
  Xapian::Document d;
  add_text_terms(d, analyzer.analyze("缔约方，会 2014年"), 1);
  auto positions = [&](const std::string& term) {
    std::vector<Xapian::termpos> out;
    for (auto it = d.termlist_begin(); it != d.termlist_end(); ++it) {
      if (*it != term) continue;
      for (auto p = it.positionlist_begin(); p != it.positionlist_end(); ++p) out.push_back(*p);
    }
    return out;
  };
  CHECK(positions("H缔") == std::vector<Xapian::termpos>{1});
  CHECK(positions("H约").empty());  // inside the run 缔约方: bigrams cover it
  CHECK(positions("H方") == std::vector<Xapian::termpos>{3});
  CHECK(positions("H会") == std::vector<Xapian::termpos>{4});
  CHECK(positions("H年") == std::vector<Xapian::termpos>{6});
  CHECK(positions("B约方") == std::vector<Xapian::termpos>{2});
  CHECK(positions("2014") == std::vector<Xapian::termpos>{5});
}

TEST_CASE_METHOD(Fixture, "mixed phrases: a lone character next to numbers keeps its place") {
  Xapian::Document d;
  add_text_terms(d, analyzer.analyze("会议于2014年度和 2015 年举行"), 1);
  Xapian::WritableDatabase local(std::string(), Xapian::DB_BACKEND_INMEMORY);
  local.add_document(d);
  auto count = [&](const std::string& q) {
    Xapian::Enquire e(local);
    e.set_query(text_query(analyzer.analyze(q)));
    return e.get_mset(0, 10).size();
  };
  CHECK(count("2014年") == 1);   // 年 starts the run 年度和
  CHECK(count("于2014") == 1);   // 于 ends the run 会议于
  CHECK(count("2015年举行") == 1);
  CHECK(count("2014年举行") == 0);
  CHECK(count("年2015") == 0);
}

TEST_CASE("stems: the document's language for passages, every stemmer's for a query word", "[stems]") {
  Normalizer normalizer;
  Lexicon lexicon = test::project_lexicon(normalizer);
  Analyzer analyzer{normalizer, lexicon};
  Stemmers stemmers;
  const auto terms_of = [&](const std::string& text, const std::string& lang) {
    Xapian::Document d;
    add_stem_terms(d, analyzer.analyze(text), lang, stemmers);
    std::vector<std::string> out;
    for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) out.push_back(*t);
    return out;
  };
  CHECK(terms_of("Workshops on 12 capacities", "en") == std::vector<std::string>{"Zen:capac", "Zen:on", "Zen:workshop"});
  CHECK(terms_of("les ateliers", "fr") == std::vector<std::string>{"Zfr:ateli", "Zfr:le"});
  CHECK(terms_of("семинаров", "ru") == std::vector<std::string>{"Zru:семинар"});
  CHECK(terms_of("缔约方 workshops", "zh").empty());  // no stemmer for Chinese
  CHECK(terms_of("2014 12", "en").empty());            // numbers have no stem
  const std::vector<std::string> query = stem_terms("workshops", stemmers);
  REQUIRE(query.size() == Stemmers::kLanguages.size());
  CHECK(std::find(query.begin(), query.end(), "Zen:workshop") != query.end());
  CHECK(stem_terms("2014", stemmers).empty());
}

