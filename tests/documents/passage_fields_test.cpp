// Field extraction per passage of the seed: organizations, dates, decisions, symbols.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/search/resources.h"
#include "tests/support/test_support.h"

using namespace treaty;

namespace {

struct Seed {
  std::unique_ptr<Resources> res = test::project_resources();
  Document doc = *parse_document(test::read_file(test::seed_path()), ParseOptions{"seed", ""});
  DocumentFields fields = extract_fields(doc, res->normalizer, res->gazetteer);

  const PassageFields& of(const std::string& para) const {
    for (std::size_t i = 0; i < doc.passages.size(); ++i)
      if (doc.passages[i].para == para) return fields.passages[i];
    FAIL("no passage " << para);
    throw std::logic_error("unreachable");
  }
  static bool has(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }
  std::vector<std::string> dates(const std::string& para) const {
    std::vector<std::string> out;
    for (const DateRange& d : of(para).dates) out.push_back(d.iso());
    return out;
  }
  std::vector<std::string> decisions(const std::string& para) const {
    std::vector<std::string> out;
    for (const DecisionRef& d : of(para).decisions) out.push_back(d.id());
    return out;
  }
};

}  // namespace

TEST_CASE_METHOD(Seed, "decisions per paragraph, footnotes included") {
  const std::vector<std::pair<std::string, std::vector<std::string>>> rows = {
      {"2", {"cop:11/1 D"}},
      {"3", {"cop:11/1 E"}},
      {"4", {"icnp:3/5"}},  // the Intergovernmental Committee's, named before it
      {"7", {"cop:10/1"}},
      {"11", {"unga:67/212"}},
      {"15", {"cop:11/6"}},  // from footnote 2
      {"18(b)", {"unga:67/212"}},
      {"22", {"unga:67/212"}},
      {"1", {}},
      {"9(a)", {}},  // 第 8(j)条 is an article, not a decision
  };
  for (const auto& [para, expected] : rows) {
    CAPTURE(para);
    CHECK(decisions(para) == expected);
  }
}

TEST_CASE_METHOD(Seed, "dates per paragraph as ISO dates and ranges") {
  const std::vector<std::pair<std::string, std::vector<std::string>>> rows = {
      {"header", {"2014-10-13/2014-10-17"}},
      {"1", {"2015"}},
      {"7", {"2010-10"}},
      {"9(a)", {"2011", "2012"}},  // 2011 年和 2012 年 ... 2011 年 (duplicates merged)
      {"15", {"2011/2020"}},       // 2011 年 - 2020 年 and (2011-2020 年)
      {"19", {"2010/2013"}},
      {"21", {"2014-06-09/2014-06-13", "2014-05-19/2014-05-22", "2014-06-01/2014-06-05"}},
      {"23(c)", {"2013-03-25/2013-03-26"}},  // from footnote 4
      {"26(b)", {"2014-03-24/2014-03-28", "2014-03-31/2014-04-04", "2014-05-19/2014-05-22"}},
      {"31",
       {"2012-05-22/2012-05-24", "2012-09-03", "2012-09-04", "2013-09-04/2013-09-05", "2014-01-30/2014-01-31",
        "2014-08-04/2014-08-06"}},
      {"33", {}},
  };
  for (const auto& [para, expected] : rows) {
    CAPTURE(para);
    CHECK(dates(para) == expected);
  }
  // A range counts for every year it covers.
  CHECK(of("15").dates.at(0).years() == std::vector<int>{2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020});
  CHECK(of("15").dates.at(0).months().empty());
  CHECK(of("26(b)").dates.at(1).months() == std::vector<int>{201403, 201404});
}

TEST_CASE_METHOD(Seed, "organizations per paragraph — nested names are not confused") {
  struct Row {
    std::string para;
    std::vector<std::string> present;
    std::vector<std::string> absent;
  };
  const std::vector<Row> rows = {
      {"6", {"itpgrfa", "fao", "cgrfa", "unctad", "unep", "unu_ias", "wipo", "unclos", "iucn", "abs_initiative"}, {}},
      {"19", {"unep", "gef"}, {}},
      {"21", {"unep", "unep_rowa", "las", "auc", "ecowas", "sadc", "gef"}, {}},
      {"27(d)", {"sprep", "abs_initiative"}, {"unep"}},  // 太平洋区域环境规划署 is SPREP, not UNEP
      {"28", {"comifac", "saarc", "oecd", "asean", "icimod", "gcc", "las"}, {}},
      {"37", {"uebt"}, {}},
      {"33", {}, {"unep"}},  // UNEP/CBD/COP/12/24 is a symbol, not a mention of UNEP
      {"header", {"cop_mop"}, {}},
  };
  for (const Row& row : rows) {
    CAPTURE(row.para);
    for (const std::string& id : row.present) {
      CAPTURE(id);
      CHECK(has(of(row.para).orgs, id));
    }
    for (const std::string& id : row.absent) {
      CAPTURE(id);
      CHECK_FALSE(has(of(row.para).orgs, id));
    }
  }
  // Short forms defined inline as 全称（简称） are mined for the whole document.
  CHECK(fields.mined_aliases.at("政府间委员会") == "icnp");
  CHECK(has(of("9(a)").orgs, "icnp"));  // uses the mined short form only
}

TEST_CASE_METHOD(Seed, "symbols: the document's own on the header, cited ones where cited") {
  CHECK(of("header").symbols == std::vector<std::string>{"UNEP/CBD/NP/COP-MOP/1/6"});
  CHECK(of("12").symbols == std::vector<std::string>{"UNEP/CBD/NP/COP-MOP/1/INF/5"});  // footnote 1
  CHECK(of("33").symbols == std::vector<std::string>{"UNEP/CBD/COP/12/24"});
  CHECK(of("21").symbols.empty());  // the running header in para 21 is not a citation
}

TEST_CASE_METHOD(Seed, "seed totals") {
  std::size_t dates = 0, decisions = 0;
  std::vector<std::string> orgs;
  for (const PassageFields& f : fields.passages) {
    dates += f.dates.size();
    decisions += f.decisions.size();
    for (const auto& o : f.orgs)
      if (!has(orgs, o)) orgs.push_back(o);
  }
  CHECK(fields.passages.size() == 53);
  CHECK(orgs.size() >= 60);
  CHECK(dates >= 40);
  CHECK(decisions == 8);  // paras 2, 3, 4, 7, 11, 15 (footnote), 18(b), 22
}
