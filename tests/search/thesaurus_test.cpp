// Thesaurus: lookups in any script, width and case, English stemming and phrases, expansions and
// their cap, matches inside query strings, rewritten variants, gazetteer organizations, and every
// load error with its file and line.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>

#include "core/search/resources.h"
#include "core/search/thesaurus.h"
#include "tests/support/test_support.h"

using namespace treaty;
using Strings = std::vector<std::string>;

namespace {

struct Fixture {
  std::unique_ptr<Resources> res =
      std::move(*Resources::load(ResourcePaths::in_directory(test::source_dir() / "config")));
  Thesaurus thesaurus = load();

  Thesaurus load() {
    auto t = Thesaurus::load(test::source_dir() / "config" / "thesaurus.toml", res->normalizer, res->gazetteer);
    if (!t) FAIL(t.error().describe());
    return std::move(*t);
  }

  Expected<Thesaurus> parse(const std::string& toml, const ThesaurusOptions& options = {}) {
    return Thesaurus::parse(toml, "t.toml", res->normalizer, res->gazetteer, options);
  }

  std::string concept_of(std::string_view term) const {
    const Concept* c = thesaurus.lookup(term);
    return c ? c->id : "";
  }
};

// "id [begin,end) term" per match, for compact comparisons.
Strings describe(const std::vector<ThesaurusMatch>& matches) {
  Strings out;
  for (const ThesaurusMatch& m : matches)
    out.push_back(m.entry->id + " [" + std::to_string(m.begin) + "," + std::to_string(m.end) + ") " + m.term);
  return out;
}

Strings texts(const std::vector<ThesaurusVariant>& variants) {
  Strings out;
  for (const ThesaurusVariant& v : variants) out.push_back(v.text);
  return out;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "the project thesaurus loads with its own concepts and every organization") {
  std::size_t own = 0;
  for (const Concept& c : thesaurus.concepts()) {
    if (c.line == 0) continue;
    ++own;
    for (const std::string& en : c.en) {
      INFO(c.id << ": " << en);
      CHECK(std::none_of(en.begin(), en.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }));
    }
  }
  CHECK(own >= 40);
  CHECK(thesaurus.concepts().size() == own + res->gazetteer.organizations().size());

  // Every organization is a concept, found by each of its names.
  for (const Organization& org : res->gazetteer.organizations()) {
    INFO(org.id);
    for (const std::string& name : {org.name_zh, org.name_en, org.acronym}) {
      if (name.empty()) continue;
      INFO(name);
      CHECK(concept_of(name) == "org:" + org.id);
    }
  }
}

TEST_CASE_METHOD(Fixture, "lookup: any script, width, case — English stems and phrases") {
  struct Case {
    std::string query;
    std::string id;  // concept id, "" for none
  };
  const std::vector<Case> cases = {
      {"遗传资源", "genetic_resources"},
      {"基因资源", "genetic_resources"},
      {"遺傳資源", "genetic_resources"},       // Traditional
      {"genetic resources", "genetic_resources"},
      {"Genetic Resource", "genetic_resources"},
      {"海洋遗传资源", "marine_genetic_resources"},
      {"讲习班", "workshop"},
      {"研討會", "workshop"},                  // Traditional variant
      {"workshop", "workshop"},
      {"Workshops", "workshop"},                // plural, capitalised
      {"ＷＯＲＫＳＨＯＰＳ", "workshop"},      // full-width
      {"seminars", "workshop"},
      {"  讲习班。", "workshop"},               // surrounding space and punctuation
      {"文件", "instrument"},
      {"文书", "instrument"},
      {"惠益共享", "benefit_sharing"},
      {"benefit-sharing", "benefit_sharing"},
      {"Benefit Sharing", "benefit_sharing"},
      {"ABS", "abs"},
      {"ａｂｓ", "abs"},
      {"Access and Benefit-Sharing", "abs"},
      {"capacity building", "capacity_building"},
      {"Capacity-Building", "capacity_building"},
      {"能力发展", "capacity_development"},
      {"clearing-house", "clearing_house"},
      {"IPLCs", "iplcs"},
      {"iplc", "iplcs"},
      {"indigenous peoples and local communities", "iplcs"},
      {"利害攸关者", "stakeholders"},
      {"Stakeholders", "stakeholders"},
      {"entry into force", "entry_into_force"},
      {"ratification", "ratification"},
      {"focal points", "focal_points"},
      {"Latin America", "latin_america"},
      {"拉美", "latin_america"},
      {"memorandum of cooperation", "memorandum_of_cooperation"},
      // Organizations, from the gazetteer.
      {"FAO", "org:fao"},
      {"粮农组织", "org:fao"},
      {"聯合國糧食和農業組織", "org:fao"},
      {"Food and Agriculture Organization", "org:fao"},
      {"food and agriculture organization of the united nations", "org:fao"},
      {"UEBT", "org:uebt"},
      {"伦理生物贸易联盟", "org:uebt"},
      {"名古屋議定書", "org:nagoya_protocol"},
      {"Nagoya Protocol", "org:nagoya_protocol"},
      {"IUCN", "org:iucn"},
      {"UNCTAD", "org:unctad"},
      {"全环基金", "org:gef"},
      // Not terms: parts of terms, unknown words, nothing.
      {"capacity", ""},
      {"building", ""},
      {"讲习", ""},
      {"能力建设讲习班", ""},  // two terms are not one
      {"workshop africa", ""},
      {"", ""},
      {"。", ""},
  };
  for (const Case& c : cases) {
    INFO(c.query);
    CHECK(concept_of(c.query) == c.id);
  }
}

TEST_CASE_METHOD(Fixture, "expansions: the concept's other terms, preferred first, without redundant ones") {
  struct Case {
    std::string query;
    Strings expansions;
  };
  const std::vector<Case> cases = {
      {"研讨会", {"讲习班", "研习班", "workshop", "workshops", "seminar", "seminars"}},
      {"workshops", {"讲习班", "研讨会", "研习班", "workshop", "seminar", "seminars"}},
      {"文件", {"文书", "instrument", "legal instrument"}},
      {"基因资源", {"遗传资源", "genetic resources", "genetic resource"}},
      // "legal instrument" contains "instrument": it could only match where "instrument" does.
      {"instrument", {"文书", "文件"}},
      // 联合国粮农组织 contains 粮农组织; FAO's other names follow.
      {"粮农组织",
       {"联合国粮食和农业组织", "联合国粮食及农业组织", "Food and Agriculture Organization of the United Nations",
        "Food and Agriculture Organization", "FAO"}},
      {"fao",
       {"联合国粮食和农业组织", "粮农组织", "联合国粮农组织", "联合国粮食及农业组织",
        "Food and Agriculture Organization of the United Nations", "Food and Agriculture Organization"}},
      {"unknown", {}},
  };
  for (const Case& c : cases) {
    INFO(c.query);
    CHECK(thesaurus.expansions(c.query) == c.expansions);
  }
}

TEST_CASE_METHOD(Fixture, "expansions are capped") {
  // 甲乙 and twenty variants 变体子, 变体丑, ...
  const Strings suffixes = {"子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉",
                            "戌", "亥", "甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"};
  std::string toml = "[[concept]]\nid = \"many\"\nzh = \"甲乙\"\nzh_variants = [";
  for (std::size_t i = 0; i < suffixes.size(); ++i) toml += (i ? ", \"变体" : "\"变体") + suffixes[i] + "\"";
  toml += "]\n";

  auto by_default = parse(toml);
  REQUIRE(by_default);
  CHECK(by_default->options().max_expansions == 12);
  const Strings twelve = by_default->expansions("甲乙");
  REQUIRE(twelve.size() == 12);
  CHECK(twelve.front() == "变体子");
  CHECK(twelve.back() == "变体亥");
  CHECK(by_default->variants("甲乙").size() == 12);
  CHECK(by_default->find("甲乙")[0].expansions.size() == 12);

  auto three = parse(toml, ThesaurusOptions{3});
  REQUIRE(three);
  CHECK(three->expansions("变体未") == Strings{"甲乙", "变体子", "变体丑"});
  CHECK(texts(three->variants("甲乙 甲乙")) == Strings{"变体子 甲乙", "变体丑 甲乙", "变体寅 甲乙"});
}

TEST_CASE_METHOD(Fixture, "find: terms inside query strings, longest first, with byte ranges") {
  struct Case {
    std::string text;
    Strings matches;
  };
  const std::vector<Case> cases = {
      {"capacity building workshops in Africa",
       {"capacity_building [0,17) capacity building", "workshop [18,27) workshop", "africa [31,37) africa"}},
      {"海洋遗传资源", {"marine_genetic_resources [0,18) 海洋遗传资源"}},
      {"海洋生物多样性", {"marine [0,6) 海洋", "biodiversity [6,21) 生物多样性"}},
      {"FAO 讲习班", {"org:fao [0,3) FAO", "workshop [4,13) 讲习班"}},
      {"FAO讲习班", {"org:fao [0,3) FAO", "workshop [3,12) 讲习班"}},
      // Traditional: the ranges are in the string as typed.
      {"名古屋議定書研討會", {"org:nagoya_protocol [0,18) 名古屋议定书", "workshop [18,27) 研讨会"}},
      // Full-width letters are three bytes each.
      {"ＦＡＯ", {"org:fao [0,9) FAO"}},
      // The longest term wins: 获取和惠益分享 is ABS, not access + benefit-sharing.
      {"获取和惠益分享信息", {"abs [0,21) 获取和惠益分享", "information [21,27) 信息"}},
      {"access and benefit sharing", {"abs [0,26) access and benefit-sharing"}},
      // Whole words only; never inside a symbol.
      {"cabs", {}},
      {"UNEP/CBD/NP/COP-MOP/1/6", {}},
      {"UNEP", {"org:unep [0,4) UNEP"}},
      {"", {}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(describe(thesaurus.find(c.text)) == c.matches);
  }

  const auto matches = thesaurus.find("研讨会 in Africa");
  REQUIRE(matches.size() == 2);
  CHECK(matches[0].expansions == Strings{"讲习班", "研习班", "workshop", "workshops", "seminar", "seminars"});
  CHECK(matches[0].token_begin == 0);
  CHECK(matches[0].token_end == 3);
  CHECK(matches[1].expansions == Strings{"非洲", "african"});
  CHECK(matches[1].token_begin == 4);
}

TEST_CASE_METHOD(Fixture, "variants: whole terms take any expansion, terms inside a string their own script") {
  struct Case {
    std::string text;
    Strings variants;
  };
  const std::vector<Case> cases = {
      {"海洋遗传资源", {"海洋基因资源", "marine genetic resources", "MGRs"}},
      {"研讨会", {"讲习班", "研习班", "workshop", "workshops", "seminar", "seminars"}},
      // Inside a longer string: Chinese for Chinese, fewest replacements first.
      {"海洋遗传资源保护", {"海洋基因资源保护", "海洋遗传资源养护", "海洋基因资源养护"}},
      {"区域研讨会", {"地区研讨会", "区域讲习班", "区域研习班", "地区讲习班", "地区研习班"}},
      // English for English.
      {"capacity building workshops",
       {"capacity building workshop", "capacity building seminar", "capacity building seminars"}},
      {"FAO讲习班",
       {"Food and Agriculture Organization of the United Nations讲习班", "Food and Agriculture Organization讲习班",
        "FAO研讨会", "FAO研习班", "Food and Agriculture Organization of the United Nations研讨会",
        "Food and Agriculture Organization of the United Nations研习班", "Food and Agriculture Organization研讨会",
        "Food and Agriculture Organization研习班"}},
      {"nothing here", {}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(texts(thesaurus.variants(c.text)) == c.variants);
  }

  // Each variant says what it replaced, as typed; the rest stays as typed (the Analyzer
  // normalises it like any query text).
  const auto traditional = thesaurus.variants("區域研討會");
  REQUIRE(traditional.size() == 5);
  CHECK(traditional[0].text == "地区研討會");
  CHECK(traditional[0].replacements == Strings{"區域 → 地区"});
  CHECK(traditional[3].text == "地区讲习班");
  CHECK(traditional[3].replacements == Strings{"區域 → 地区", "研討會 → 讲习班"});
}

TEST_CASE_METHOD(Fixture, "load errors name the file and line") {
  struct Case {
    std::string toml;
    std::string error;  // Error::describe(); a trailing '*' compares a prefix only
  };
  const std::string a = "[[concept]]\nid = \"a\"\nzh = \"讲习班\"\n";
  const std::vector<Case> cases = {
      {"[[concept]\nid = \"a\"\n", "t.toml:1: TOML syntax error*"},
      {a + "zh_variants = [\"研讨会\"\n", "t.toml:4: TOML syntax error*"},
      {"title = \"x\"\n" + a, "t.toml:1: unknown top-level key 'title'"},
      {"", "t.toml: no [[concept]] tables"},
      {"[[concept]]\nzh = \"讲习班\"\n", "t.toml:1: concept without id"},
      {"\n[[concept]]\nid = \"a\"\nen = [\"workshop\"]\n", "t.toml:2: concept 'a' without zh"},
      {a + "fr = [\"atelier\"]\n", "t.toml:4: unknown key 'fr'"},
      {a + "en = \"workshop\"\n", "t.toml:4: 'en' must be an array of strings"},
      {a + "acronyms = [\"WS\", 3]\n", "t.toml:4: 'acronyms' must be an array of strings"},
      {"[[concept]]\nid = 7\nzh = \"讲习班\"\n", "t.toml:2: 'id' must be a string"},
      {"[[concept]]\nid = \"Work Shop\"\nzh = \"讲习班\"\n",
       "t.toml:2: id 'Work Shop' must be lowercase ASCII letters, digits, '_' or '-'"},
      {a + "[[concept]]\nid = \"a\"\nzh = \"研讨会\"\n", "t.toml:5: duplicate id 'a' (first at line 1)"},
      {a + "en = [\"\"]\n", "t.toml:4: empty term in concept 'a'"},
      {a + "en = [\"--\"]\n", "t.toml:4: term '--' has no letters, digits or Han characters"},
      // A term shared by two concepts, after normalisation (Traditional) or stemming (plural).
      {a + "[[concept]]\nid = \"b\"\nzh = \"研讨会\"\nzh_variants = [\"講習班\"]\n",
       "t.toml:7: term '講習班' of concept 'b' is already a term of concept 'a' (line 3)"},
      {a + "en = [\"workshop\"]\n[[concept]]\nid = \"b\"\nzh = \"研讨会\"\nen = [\"Workshops\"]\n",
       "t.toml:8: term 'Workshops' of concept 'b' is already a term of concept 'a' (line 4)"},
      // Organizations belong to the gazetteer.
      {"[[concept]]\nid = \"food\"\nzh = \"粮食\"\nzh_variants = [\"粮农组织\"]\n",
       "t.toml:4: term '粮农组织' of concept 'food' is already a name of organization 'fao' (gazetteer)"},
      {a + "acronyms = [\"fao\"]\n",
       "t.toml:4: term 'fao' of concept 'a' is already a name of organization 'fao' (gazetteer)"},
  };
  for (const Case& c : cases) {
    INFO(c.toml);
    auto t = parse(c.toml);
    REQUIRE_FALSE(t);
    if (c.error.back() == '*') {
      CHECK_THAT(t.error().describe(), Catch::StartsWith(c.error.substr(0, c.error.size() - 1)));
    } else {
      CHECK(t.error().describe() == c.error);
    }
  }

  const auto missing = Thesaurus::load("/nonexistent/thesaurus.toml", res->normalizer, res->gazetteer);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().describe() == "/nonexistent/thesaurus.toml: cannot read the thesaurus");

  // A valid file, for contrast.
  auto ok = parse(a + "zh_variants = [\"研讨会\"]\n");
  REQUIRE(ok);
  CHECK(ok->expansions("讲习班") == Strings{"研讨会"});
}

TEST_CASE_METHOD(Fixture, "multiword_terms: query words that together form one term") {
  using Run = Thesaurus::WordRun;
  struct Case {
    Strings words;
    std::vector<Run> runs;
  };
  const std::vector<Case> cases = {
      {{"capacity", "building", "workshops", "in", "Africa"}, {{0, 2}}},
      {{"Nagoya", "Protocol", "entry", "into", "force"}, {{0, 2}, {2, 3}}},
      {{"Latin", "America"}, {{0, 2}}},
      {{"memorandum", "of", "cooperation"}, {{0, 3}}},
      {{"FAO", "讲习班"}, {}},                  // two terms, one word each
      {{"capacity"}, {}},
      {{"benefit-sharing", "Africa"}, {}},      // one word already
      {{"讲习班capacity", "building"}, {}},     // the match does not start at a word's start
      {{"the", "access", "and", "benefit", "sharing"}, {{1, 4}}},
  };
  for (const Case& c : cases) {
    INFO(c.words.size() << " words from " << (c.words.empty() ? "" : c.words.front()));
    CHECK(thesaurus.multiword_terms(c.words) == c.runs);
  }
}
