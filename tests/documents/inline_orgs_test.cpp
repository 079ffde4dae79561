// Organizations defined inline, 全称（简称）, 全称（ACRONYM）, 全称（以下简称“…”）, anywhere in a
// sentence: where the full name starts (not the verb, preposition or subject before it), a longer
// full name is never the known organization it contains, and the short form later names the
// defined organization. Sentences are written as documents print them and normalised here.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/documents/gazetteer.h"
#include "core/documents/passage_fields.h"
#include "core/search/resources.h"
#include "tests/support/test_support.h"

using namespace treaty;

namespace {

struct Case {
  std::string text;                                         // as printed
  std::vector<std::pair<std::string, std::string>> defined;  // (full name, short form) not in the gazetteer
  std::vector<std::pair<std::string, std::string>> known;    // (short form, id) for known organizations
  std::vector<std::string> mentions;                         // ids in order; "x:<name>" for defined ones
};

struct Checker {
  std::unique_ptr<Resources> res = test::project_resources();

  std::string norm(const std::string& s) const { return res->normalizer.normalize_string(s); }
  std::string id(const std::string& expected) const {
    return expected.starts_with("x:") ? local_org_id(norm(expected.substr(2))) : expected;
  }

  void check(const Case& c) const {
    CAPTURE(c.text);
    const std::string text = norm(c.text);
    const Gazetteer& g = res->gazetteer;

    AliasMap want_local;
    for (const auto& [full, short_name] : c.defined) {
      want_local.emplace(norm(full), local_org_id(norm(full)));
      want_local.emplace(norm(short_name), local_org_id(norm(full)));
    }
    const AliasMap local = g.mine_local_organizations(text);
    CHECK(local == want_local);

    AliasMap want_known;
    for (const auto& [short_name, org] : c.known) want_known.emplace(norm(short_name), org);
    const AliasMap known = g.mine_aliases(text);
    CHECK(known == want_known);

    AliasMap mined = known;
    mined.insert(local.begin(), local.end());
    std::vector<std::string> want_ids, got_ids;
    for (const std::string& m : c.mentions) want_ids.push_back(id(m));
    for (const OrgMention& m : g.find_mentions(text, mined)) got_ids.push_back(m.id);
    CHECK(got_ids == want_ids);
  }
};

}  // namespace

TEST_CASE("inline definitions: the full name, wherever the sentence puts it", "[gazetteer][inline]") {
  const Checker checker;
  const std::vector<Case> cases = {
      // At the start of a sentence.
      {"非洲区域知识产权组织（ARIPO）为其成员国提供培训。",
       {{"非洲区域知识产权组织", "ARIPO"}}, {}, {"x:非洲区域知识产权组织", "x:非洲区域知识产权组织"}},
      // After a subject and a preposition.
      {"秘书处与非洲区域知识产权组织（ARIPO）合作举办了讲习班。",
       {{"非洲区域知识产权组织", "ARIPO"}}, {}, {"x:非洲区域知识产权组织", "x:非洲区域知识产权组织"}},
      {"各缔约方同太平洋共同体秘书处（SPC）开展了合作。",
       {{"太平洋共同体秘书处", "SPC"}}, {}, {"x:太平洋共同体秘书处", "x:太平洋共同体秘书处"}},
      // A regional 环境规划署 is not UNEP, whatever its short form.
      {"西亚区域环境规划署（西亚环境署）编写了区域评估报告。",
       {{"西亚区域环境规划署", "西亚环境署"}}, {}, {"x:西亚区域环境规划署", "x:西亚区域环境规划署"}},
      {"在西亚区域环境规划署（以下简称“西亚环境署”）的支持下，举办了培训。",
       {{"西亚区域环境规划署", "西亚环境署"}}, {}, {"x:西亚区域环境规划署", "x:西亚区域环境规划署"}},
      {"加勒比区域环境规划署（加勒比环境署）和联合国环境规划署共同主办。",
       {{"加勒比区域环境规划署", "加勒比环境署"}}, {},
       {"x:加勒比区域环境规划署", "x:加勒比区域环境规划署", "unep"}},
      // After a verb.
      {"缔约方大会欢迎南太平洋大学（USP）提供的培训课程。",
       {{"南太平洋大学", "USP"}}, {}, {"cop", "x:南太平洋大学", "x:南太平洋大学"}},
      {"缔约方大会邀请全球山地伙伴关系（GMP）分享经验。",
       {{"全球山地伙伴关系", "GMP"}}, {}, {"cop", "x:全球山地伙伴关系", "x:全球山地伙伴关系"}},
      {"并请国际种子联合会（ISF）提供意见。",
       {{"国际种子联合会", "ISF"}}, {}, {"x:国际种子联合会", "x:国际种子联合会"}},
      {"有关专家参加了可持续海洋倡议（SOI）的区域讲习班。",
       {{"可持续海洋倡议", "SOI"}}, {}, {"x:可持续海洋倡议", "x:可持续海洋倡议"}},
      {"秘书处委托北极海洋生物样本库（北极样本库）开展调查。",
       {{"北极海洋生物样本库", "北极样本库"}}, {}, {"x:北极海洋生物样本库", "x:北极海洋生物样本库"}},
      {"手册由西非环境法律援助服务处（WELAS）编写。",
       {{"西非环境法律援助服务处", "WELAS"}}, {}, {"x:西非环境法律援助服务处", "x:西非环境法律援助服务处"}},
      {"这项研究由热带农业研究所（热农所）牵头。",
       {{"热带农业研究所", "热农所"}}, {}, {"x:热带农业研究所", "x:热带农业研究所"}},
      {"若干缔约方向生物多样性伙伴基金（BPF）捐款。",  // 缔约方 + 向, not 方向
       {{"生物多样性伙伴基金", "BPF"}}, {}, {"x:生物多样性伙伴基金", "x:生物多样性伙伴基金"}},
      {"执行秘书将与西北太平洋行动计划（NOWPAP）协调有关活动。",
       {{"西北太平洋行动计划", "NOWPAP"}}, {}, {"x:西北太平洋行动计划", "x:西北太平洋行动计划"}},
      {"作为太平洋岛屿论坛秘书处（论坛秘书处）的成员，",
       {{"太平洋岛屿论坛秘书处", "论坛秘书处"}}, {}, {"x:太平洋岛屿论坛秘书处", "x:太平洋岛屿论坛秘书处"}},
      // A long run of Han characters before the name.
      {"执行秘书在本报告所述期间继续与南部非洲植物遗传资源中心（SPGRC）开展合作。",
       {{"南部非洲植物遗传资源中心", "SPGRC"}}, {},
       {"x:南部非洲植物遗传资源中心", "x:南部非洲植物遗传资源中心"}},
      // After a comma, half-width brackets.
      {"通过东部非洲植物遗传资源网络(EAPGREN)，各国交流了经验。",
       {{"东部非洲植物遗传资源网络", "EAPGREN"}}, {},
       {"x:东部非洲植物遗传资源网络", "x:东部非洲植物遗传资源网络"}},
      {"为此，非洲生物安全专家网络（非洲生安网）将提供咨询意见。",
       {{"非洲生物安全专家网络", "非洲生安网"}}, {}, {"x:非洲生物安全专家网络", "x:非洲生物安全专家网络"}},
      // Inside a list.
      {"粮农组织、非洲区域知识产权组织（ARIPO）和世界知识产权组织参加了会议。",
       {{"非洲区域知识产权组织", "ARIPO"}}, {},
       {"fao", "x:非洲区域知识产权组织", "x:非洲区域知识产权组织", "wipo"}},
      {"非洲联盟、东非共同体（EAC）和西非国家经济共同体都派代表出席。",
       {{"东非共同体", "EAC"}}, {}, {"au", "x:东非共同体", "x:东非共同体", "ecowas"}},
      // Coordinated place names belong to the name.
      {"拉丁美洲和加勒比植物遗传资源网络（拉加网络）成立于 2005 年。",
       {{"拉丁美洲和加勒比植物遗传资源网络", "拉加网络"}}, {},
       {"x:拉丁美洲和加勒比植物遗传资源网络", "x:拉丁美洲和加勒比植物遗传资源网络"}},
      {"秘书处同亚洲及太平洋种子协会（APSA）签署了合作备忘录。",
       {{"亚洲及太平洋种子协会", "APSA"}}, {}, {"x:亚洲及太平洋种子协会", "x:亚洲及太平洋种子协会"}},
      // 以下简称 with straight quotes; other name endings.
      {"国际山区生物多样性论坛（以下简称\"山区论坛\"）每两年举行一次会议。",
       {{"国际山区生物多样性论坛", "山区论坛"}}, {},
       {"x:国际山区生物多样性论坛", "x:国际山区生物多样性论坛"}},
      {"保护地中海海洋环境公约（巴塞罗那公约）的缔约方也参加了会议。",
       {{"保护地中海海洋环境公约", "巴塞罗那公约"}}, {},
       {"x:保护地中海海洋环境公约", "x:保护地中海海洋环境公约"}},
      {"南亚环境合作委员会（南亚环委会）通过了工作计划。",
       {{"南亚环境合作委员会", "南亚环委会"}}, {}, {"x:南亚环境合作委员会", "x:南亚环境合作委员会"}},
      // A known name at the start of a longer one.
      {"东盟生物多样性中心（ACB）举办了区域研讨会。",
       {{"东盟生物多样性中心", "ACB"}}, {}, {"x:东盟生物多样性中心", "x:东盟生物多样性中心"}},
      // A name in book-title brackets.
      {"《养护大西洋金枪鱼国际公约》（ICCAT）的秘书处提供了数据。",
       {{"养护大西洋金枪鱼国际公约", "ICCAT"}}, {},
       {"x:养护大西洋金枪鱼国际公约", "x:养护大西洋金枪鱼国际公约"}},
      // Known organizations: their own acronyms define nothing, new short forms are theirs.
      {"秘书处继续与太平洋区域环境规划署（SPREP）合作。", {}, {}, {"sprep", "sprep"}},
      {"与粮农组织（FAO）合作", {}, {}, {"fao", "fao"}},
      {"支持知识产权组织（WIPO）的工作", {}, {}, {"wipo", "wipo"}},
      {"联合国环境规划署（环境署）提供了资料。", {}, {{"环境署", "unep"}}, {"unep", "unep"}},
      {"会议欢迎世界知识产权组织（产权组织）的参与。", {}, {{"产权组织", "wipo"}}, {"wipo", "wipo"}},
      // Not definitions.
      {"各缔约方同秘书处（日内瓦）保持联系。", {}, {}, {}},
      {"与会者（30 人）讨论了提交给委员会（见附件）的文件。", {}, {}, {}},
      {"缔约方大会第二次会议（2016 年）", {}, {}, {"cop"}},
  };
  CHECK(cases.size() >= 25);
  for (const Case& c : cases) checker.check(c);
}

// Written before the rules changed and not tuned for: sentences of other shapes.
// Reported, not enforced (as the held-out PDF fixtures): these sentences measure how the rules
// generalise and were never tuned for.
TEST_CASE("inline definitions: held-out sentences", "[gazetteer][inline][heldout][!mayfail]") {
  const Checker checker;
  const std::vector<Case> cases = {
      {"会议期间，秘书处同东非共同体秘书处（EAC 秘书处）举行了会谈。",
       {{"东非共同体秘书处", "EAC 秘书处"}}, {}, {"x:东非共同体秘书处", "x:东非共同体秘书处"}},
      {"鼓励缔约方利用南部非洲发展共同体植物遗传资源中心（SPGRC）的专门知识。",
       {{"南部非洲发展共同体植物遗传资源中心", "SPGRC"}}, {},
       {"x:南部非洲发展共同体植物遗传资源中心", "x:南部非洲发展共同体植物遗传资源中心"}},
      {"亚洲及太平洋区域环境规划署（亚太环境署）介绍了区域进展。",
       {{"亚洲及太平洋区域环境规划署", "亚太环境署"}}, {},
       {"x:亚洲及太平洋区域环境规划署", "x:亚洲及太平洋区域环境规划署"}},
      {"缔约方注意到国际热带农业中心（CIAT）的报告。",
       {{"国际热带农业中心", "CIAT"}}, {}, {"x:国际热带农业中心", "x:国际热带农业中心"}},
      {"这些活动得到了北欧部长理事会（NCM）的资助。",
       {{"北欧部长理事会", "NCM"}}, {}, {"x:北欧部长理事会", "x:北欧部长理事会"}},
      {"讲习班由加勒比生物多样性研究所（以下简称“加勒比所”）承办。",
       {{"加勒比生物多样性研究所", "加勒比所"}}, {},
       {"x:加勒比生物多样性研究所", "x:加勒比生物多样性研究所"}},
      {"非洲联盟委员会、西非生物多样性网络（WABNet）、粮农组织等提供了支持。",
       {{"西非生物多样性网络", "WABNet"}}, {}, {"auc", "x:西非生物多样性网络", "x:西非生物多样性网络", "fao"}},
      {"秘书处将继续支持太平洋岛屿可持续发展协会(PISDA)的工作。",
       {{"太平洋岛屿可持续发展协会", "PISDA"}}, {},
       {"x:太平洋岛屿可持续发展协会", "x:太平洋岛屿可持续发展协会"}},
      {"与会者赞赏地中海生物多样性联盟（MBA）所做的工作。",
       {{"地中海生物多样性联盟", "MBA"}}, {}, {"x:地中海生物多样性联盟", "x:地中海生物多样性联盟"}},
      {"根据西部和中部非洲区域环境规划署（西中非环境署）提出的建议，",
       {{"西部和中部非洲区域环境规划署", "西中非环境署"}}, {},
       {"x:西部和中部非洲区域环境规划署", "x:西部和中部非洲区域环境规划署"}},
  };
  for (const Case& c : cases) checker.check(c);
}

TEST_CASE("a short form defined once names the defined organization in every passage", "[gazetteer][inline]") {
  const auto res = test::project_resources();
  Document doc;
  doc.symbol = "CBD/NP/MOP/9/9";
  for (const char* text : {"西亚区域环境规划署（西亚环境署）与环境规划署西亚区域办事处编写了报告。",
                           "西亚环境署还建议举办讲习班。",
                           "秘书处与非洲区域知识产权组织（ARIPO）合作。",
                           "ARIPO 的成员国和联合国环境规划署参加了会议。"}) {
    Passage p;
    p.text = text;
    doc.passages.push_back(p);
  }
  const DocumentFields fields = extract_fields(doc, res->normalizer, res->gazetteer);
  REQUIRE(fields.passages.size() == 4);
  using Ids = std::vector<std::string>;
  CHECK(fields.passages[0].orgs == Ids{"x:西亚区域环境规划署", "unep_rowa"});
  CHECK(fields.passages[1].orgs == Ids{"x:西亚区域环境规划署"});  // org=UNEP does not match it
  CHECK(fields.passages[2].orgs == Ids{"x:非洲区域知识产权组织"});
  CHECK(fields.passages[3].orgs == Ids{"x:非洲区域知识产权组织", "unep"});
  CHECK(fields.mined_aliases.find("西亚环境署")->second == "x:西亚区域环境规划署");
}
