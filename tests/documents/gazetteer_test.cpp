#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/documents/gazetteer.h"
#include "core/text/normalizer.h"
#include "tests/support/test_support.h"

using namespace treaty;

namespace {

// The real config/organizations.toml with a default Normalizer (which must outlive it).
struct Loaded {
  Normalizer normalizer;
  Gazetteer gazetteer;
};

std::unique_ptr<Loaded> load_real() {
  auto loaded = std::make_unique<Loaded>();
  auto g = Gazetteer::load(test::source_dir() / "config" / "organizations.toml", loaded->normalizer);
  if (!g) FAIL(g.error().describe());
  loaded->gazetteer = std::move(*g);
  return loaded;
}

std::vector<std::string> ids_of(const std::vector<OrgMention>& mentions) {
  std::vector<std::string> ids;
  for (const OrgMention& m : mentions) ids.push_back(m.id);
  return ids;
}

// The seed as one normalised string: lines joined, blank lines dropped (PDF line breaks cut names).
std::string seed_text(const Normalizer& normalizer) {
  std::istringstream in(test::read_file(test::seed_path()));
  std::string joined, line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) joined += line;
  }
  return normalizer.normalize_string(joined);
}

}  // namespace

TEST_CASE("the real gazetteer loads with unique ids and known parents") {
  const auto r = load_real();
  const auto& orgs = r->gazetteer.organizations();
  CHECK(orgs.size() >= 80);
  for (const Organization& org : orgs) {
    CAPTURE(org.id);
    CHECK(r->gazetteer.find_by_id(org.id) == &org);
    CHECK(!org.name_zh.empty());
    CHECK(!org.name_en.empty());
    if (!org.parent.empty()) CHECK(r->gazetteer.find_by_id(org.parent) != nullptr);
  }
  CHECK(r->gazetteer.find_by_id("no_such_org") == nullptr);
  CHECK(r->gazetteer.find_by_id("粮农组织") == nullptr);  // a name, not an id
}

TEST_CASE("resolve finds an organization by any of its names") {
  const auto r = load_real();
  struct Row {
    const char* name;
    const char* id;  // nullptr: unknown
  };
  const std::vector<Row> rows = {
      {"联合国粮食和农业组织", "fao"},                                     // name_zh
      {"粮农组织", "fao"},                                                 // alias
      {"Food and Agriculture Organization of the United Nations", "fao"},  // name_en
      {"FAO", "fao"},                                                      // acronym
      {"fao", "fao"},                                                      // id
      {"ＦＡＯ", "fao"},                                                   // full width
      {"糧農組織", "fao"},                                                 // Traditional
      {"  粮农组织 ", "fao"},                                              // stray spaces
      {"《名古屋议定书》", "nagoya_protocol"},                             // book-title brackets
      {"《国际条约》", "itpgrfa"},                                         // only in brackets
      {"unu-ias", "unu_ias"},
      {"高研所", "unu_ias"},
      {"太平洋环境署", "sprep"},
      {"Union for Ethical BioTrade", "uebt"},
      {"ALADI", "laia"},
      {"加同体", "caricom"},                                               // the seed's typo
      {"生物多样性公约秘书处", "cbd_secretariat"},
      {"環境規劃署西亞區域辦事處", "unep_rowa"},
      {"国际条约", nullptr},                                               // generic words
      {"政府间委员会", nullptr},
      {"公约秘书处", nullptr},
      {"世界卫生组织", nullptr},
      {"", nullptr},
      {"\xff\xfe", nullptr},                                               // invalid UTF-8
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    const Organization* org = r->gazetteer.resolve(row.name);
    if (row.id) {
      REQUIRE(org != nullptr);
      CHECK(org->id == row.id);
    } else {
      CHECK(org == nullptr);
    }
  }
}

TEST_CASE("find_mentions takes the longest name at each position") {
  const auto r = load_real();
  struct Row {
    std::string text;  // already normalised
    std::vector<std::string> ids;
  };
  const std::vector<Row> rows = {
      {"太平洋区域环境规划署秘书处", {"sprep"}},  // not UNEP's 环境规划署
      {"太平洋环境署", {"sprep"}},
      {"联合国环境规划署", {"unep"}},
      {"环境规划署西亚区域办事处", {"unep_rowa"}},
      {"环境规划署各区域办事处", {"unep"}},
      {"联合国大会第二委员会", {"unga_c2"}},      // not just the General Assembly
      {"在联合国大会期间", {"unga"}},
      {"联合国", {"un"}},
      {"联合国大学高等研究所", {"unu_ias"}},
      {"生物多样性公约秘书处和粮农植物遗传资源国际条约秘书处",
       {"cbd_secretariat", "itpgrfa_secretariat"}},
      {"生物多样性公约缔约方大会", {"cop"}},
      {"作为名古屋议定书缔约方会议的缔约方大会(作为缔约方会议的缔约方大会)", {"cop_mop", "cop_mop"}},
      {"《名古屋议定书》和《国际条约》", {"nagoya_protocol", "itpgrfa"}},
      {"非洲联盟委员会(非盟委员会)和非洲联盟", {"auc", "auc", "au"}},
      {"世界知识产权组织的知识产权与遗传资源、传统知识与民间文学艺术政府间委员会", {"wipo", "wipo_igc"}},
      {"2011 年第 8(j)条不限成员名额闭会期间特设工作组", {"wg8j"}},
      {"该条约理事机构第五次会议", {"itpgrfa_gb"}},
      {"国际条约和协定", {}},                     // generic without the brackets
      // Latin names: whole words, never inside a symbol or a dotted token.
      {"(itpgrfa)", {"itpgrfa"}},
      {"粮农组织(fao)与unep合作", {"fao", "fao", "unep"}},
      {"unep/cbd/cop/12/24", {}},
      {"unep/cbd/np/cop-mop/1/inf/5。", {}},
      {"https://www.cbd.int/abs/", {}},
      {"unepx fao2 xfao", {}},
      {"the fao. and cbd, unu-ias", {"fao", "cbd", "unu_ias"}},
      {"cop-mop and cop", {"cop_mop", "cop"}},
      {"里约+20期间", {"rio20"}},
      {"food and agriculture organization of the united nations", {"fao"}},
      {"", {}},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    CHECK(ids_of(r->gazetteer.find_mentions(row.text)) == row.ids);
  }
}

TEST_CASE("find_mentions reports byte ranges in the scanned text") {
  const auto r = load_real();
  const std::string text = "由太平洋环境署与fao";
  const auto mentions = r->gazetteer.find_mentions(text);
  REQUIRE(mentions.size() == 2);
  CHECK(text.substr(mentions[0].begin, mentions[0].end - mentions[0].begin) == "太平洋环境署");
  CHECK(text.substr(mentions[1].begin, mentions[1].end - mentions[1].begin) == "fao");
}

TEST_CASE("mine_aliases learns short forms defined inline") {
  const auto r = load_real();
  struct Row {
    std::string text;  // already normalised
    AliasMap expected;
  };
  const std::vector<Row> rows = {
      {"联合国粮食和农业组织(粮农)", {{"粮农", "fao"}}},
      {"联合国粮食和农业组织 (粮农)", {{"粮农", "fao"}}},
      {"全球环境基金(以下简称“基金”)", {{"基金", "gef"}}},
      {"国际科学理事会(isc-x)", {{"isc-x", "icsu"}}},
      {"联合国贸易和发展会议(贸发会议)", {}},        // already known
      {"伦理生物贸易联盟(uebt)", {}},                // known Latin acronym
      {"非加太国家(非洲、加勒比和太平洋国家集团)", {}},
      {"生物多样性战略计划(2011-2020 年)", {}},      // a year, not a name
      {"生物多样性公约(1992)", {}},
      {"名古屋议定书(第 x/1 号决定)", {}},
      {"粮农组织(见附件)", {}},                      // a cross-reference
      {"粮农组织(a)", {}},                           // a list item
      {"粮农组织(一个很长的不是简称的括号内说明文字)", {}},  // more than 12 characters
      {"某组织(某某)", {}},                          // no known name before it
      {"粮农组织和(粮农)", {}},                      // not directly after the name
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    CHECK(r->gazetteer.mine_aliases(row.text) == row.expected);
  }
}

TEST_CASE("mined aliases match through `extra`, longest match still first") {
  const auto r = load_real();
  const AliasMap mined = r->gazetteer.mine_aliases("联合国粮食和农业组织(粮农)");
  REQUIRE(mined == AliasMap{{"粮农", "fao"}});
  CHECK(ids_of(r->gazetteer.find_mentions("粮农的工作", mined)) == std::vector<std::string>{"fao"});
  CHECK(ids_of(r->gazetteer.find_mentions("粮农的工作")).empty());
  // 粮农植物遗传资源国际条约 is longer than the mined 粮农.
  CHECK(ids_of(r->gazetteer.find_mentions("粮农植物遗传资源国际条约", mined)) ==
        std::vector<std::string>{"itpgrfa"});
  // Latin extras obey word boundaries too.
  const AliasMap latin{{"abc", "fao"}};
  CHECK(ids_of(r->gazetteer.find_mentions("abc, abcd, x/abc", latin)) == std::vector<std::string>{"fao"});
}

TEST_CASE("every organization the seed names is found, and only those") {
  const auto r = load_real();
  const std::string text = seed_text(r->normalizer);

  // The seed defines one short form the gazetteer leaves out as generic.
  const AliasMap mined = r->gazetteer.mine_aliases(text);
  CHECK(mined == AliasMap{{"政府间委员会", "icnp"}});

  std::map<std::string, int> count;
  std::vector<std::string> latin;
  for (const OrgMention& m : r->gazetteer.find_mentions(text, mined)) {
    ++count[m.id];
    const std::string surface = text.substr(m.begin, m.end - m.begin);
    const bool ascii = std::all_of(surface.begin(), surface.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) latin.push_back(surface);
  }
  const std::set<std::string> expected = {
      "abs_business_dialogue", "abs_ch", "abs_initiative", "acp", "aichi_targets", "asean", "au", "auc",
      "bbnj_wg", "biotrade_congress", "bioversity", "caricom", "cb_framework", "cbd", "cbd_secretariat",
      "cepa", "cgrfa", "cgrfa_abs_experts", "comifac", "cop", "cop_mop", "diversitas", "doalos", "ecowas",
      "fao", "gcc", "gcm", "gef", "glis", "green_week", "iccc", "icimod", "icnp", "icsu", "itpgrfa",
      "itpgrfa_gb", "itpgrfa_mls_wg", "itpgrfa_secretariat", "iubs", "iucn", "iucn_sur", "laia", "las",
      "nagoya_protocol", "oecd", "pharmasea", "rio20", "saarc", "sadc", "scnat", "sprep",
      "strategic_plan", "uebt", "uebt_conference", "un_decade_biodiversity", "unclos", "unctad", "unep",
      "unep_rowa", "unga", "unga_c2", "uni_bonn", "unu_ias", "wdcm", "wfcc", "wg8j", "wipo", "wipo_igc",
  };
  std::set<std::string> found;
  for (const auto& [id, n] : count) found.insert(id);
  CHECK(found == expected);

  struct Count {
    const char* id;
    int n;
  };
  const std::vector<Count> counts = {
      {"sprep", 2},      // 太平洋区域环境规划署秘书处, 太平洋环境署秘书处: neither is also UNEP
      {"unep", 10},      // 12 x 环境规划署, less SPREP's and the West Asia office's
      {"unep_rowa", 1},
      {"unga", 1},       // 5 x 联合国大会: 3 Second Committee, 1 BBNJ working group
      {"unga_c2", 3},
      {"bbnj_wg", 1},
      {"icnp", 6},       // 2 full names + 4 x the mined 政府间委员会
      {"wipo_igc", 1},
      {"caricom", 5},    // 加勒比共同体, 加共体 x3, 加同体
      {"itpgrfa_gb", 2},
      {"un", 0},         // 联合国 only ever starts longer names here
  };
  for (const Count& c : counts) {
    CAPTURE(c.id);
    CHECK(count[c.id] == c.n);
  }
  // Latin names only in (itpgrfa), (icsu), (uebt): never in UNEP/CBD/... symbols or the URL.
  CHECK(latin == std::vector<std::string>{"itpgrfa", "icsu", "uebt"});

  // Without the mined alias only the full names of the committee count.
  std::map<std::string, int> plain;
  for (const OrgMention& m : r->gazetteer.find_mentions(text)) ++plain[m.id];
  CHECK(plain["icnp"] == 2);
}

TEST_CASE("load and parse report errors with file and line") {
  const Normalizer normalizer;
  struct Row {
    std::string toml;
    int line;
    std::string message_part;
  };
  const std::vector<Row> rows = {
      {"[[org]]\nid = \"a\"\nname_zh = \"甲\n", 3, "syntax"},
      {"[[org]]\nid = \"a\"\nname_zh = \"甲\"\n\n[[org]]\nid = \"b\"\nname_en = \"B\"\n", 5, "without name_zh"},
      {"[[org]]\nname_zh = \"甲\"\n", 1, "without id"},
      {"[[org]]\nid = \"a\"\nname_zh = \"甲\"\n[[org]]\nid = \"a\"\nname_zh = \"乙\"\n", 4, "duplicate id 'a'"},
      // The same name, after normalisation, in two entries: reported at the second, naming the first.
      {"[[org]]\nid = \"a\"\nname_zh = \"甲\"\naliases_zh = [\"甲乙\"]\n\n[[org]]\nid = \"b\"\nname_zh = \"乙\"\n"
       "aliases_zh = [\"甲乙\"]\n",
       9, "already a name of 'a' (line 4)"},
      {"[[org]]\nid = \"a\"\nname_zh = \"甲\"\nacronym = \"ABC\"\n[[org]]\nid = \"b\"\nname_zh = \"乙\"\n"
       "aliases_en = [\"ａｂｃ\"]\n",
       8, "already a name of 'a'"},
      {"[[org]]\nid = \"a\"\nname_zh = \"甲\"\n[[org]]\nid = \"b\"\nname_zh = \"乙\"\nacronym = \"A\"\n", 7,
       "already a name of 'a'"},  // ids are names too
      {"[[org]]\nid = \"a\"\nname_zh = \"甲\"\nkind = \"club\"\n", 1, "unknown kind"},
      {"[[org]]\nid = \"a\"\nname_zh = \"甲\"\nalias_zh = [\"乙\"]\n", 4, "unknown key 'alias_zh'"},
      {"[[org]]\nid = \"a\"\nname_zh = \"甲\"\naliases_zh = \"乙\"\n", 4, "array of strings"},
      {"[[org]]\nid = \"a\"\nname_zh = \"甲\"\nparent = \"zz\"\n", 1, "unknown parent"},
      {"[[org]]\nid = \"Fao\"\nname_zh = \"甲\"\n", 1, "lowercase"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.toml);
    auto g = Gazetteer::parse(row.toml, "orgs.toml", normalizer);
    REQUIRE(!g);
    CAPTURE(g.error().describe());
    CHECK(g.error().file == "orgs.toml");
    CHECK(g.error().line == row.line);
    CHECK(g.error().message.find(row.message_part) != std::string::npos);
  }
}

TEST_CASE("a minimal gazetteer parses, and load reads files") {
  const Normalizer normalizer;
  const std::string toml = "[[org]]\nid = \"a\"\nname_zh = \"甲组织\"\nacronym = \"AO\"\n";
  auto parsed = Gazetteer::parse(toml, "orgs.toml", normalizer);
  REQUIRE(parsed);
  CHECK(parsed->organizations().size() == 1);
  CHECK(parsed->organizations()[0].kind == "organization");  // the default
  CHECK(ids_of(parsed->find_mentions("甲组织和ao")) == std::vector<std::string>{"a", "a"});

  test::TempDir dir;
  test::write_file(dir.path() / "orgs.toml", toml);
  auto loaded = Gazetteer::load(dir.path() / "orgs.toml", normalizer);
  REQUIRE(loaded);
  CHECK(loaded->resolve("ＡＯ") == &loaded->organizations()[0]);

  auto missing = Gazetteer::load(dir.path() / "missing.toml", normalizer);
  REQUIRE(!missing);
  CHECK(missing.error().file == (dir.path() / "missing.toml").string());
}

TEST_CASE("an empty gazetteer finds nothing") {
  const Gazetteer empty;
  CHECK(empty.find_mentions("联合国粮食和农业组织").empty());
  CHECK(empty.mine_aliases("联合国粮食和农业组织(粮农)").empty());
  CHECK(empty.resolve("fao") == nullptr);
  CHECK(ids_of(empty.find_mentions("粮农的工作", {{"粮农", "fao"}})) == std::vector<std::string>{"fao"});
}
