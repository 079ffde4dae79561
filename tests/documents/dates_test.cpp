#include "core/documents/dates.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/test_support.h"

using treaty::DateRange;
using treaty::days_from_civil;
using treaty::extract_dates;

namespace {

// One expected date: its ISO form and the text it was read from.
struct Expected {
  std::string iso;
  std::string text;
};

struct Row {
  std::string input;
  std::vector<Expected> dates;
};

void check_row(const Row& row) {
  INFO("input: " << row.input);
  const auto found = extract_dates(row.input);
  std::vector<std::string> got;
  for (const auto& d : found) got.push_back(d.iso() + " [" + d.text + "]");
  std::vector<std::string> want;
  for (const auto& d : row.dates) want.push_back(d.iso + " [" + d.text + "]");
  CHECK(got == want);
  // text and the byte range agree with the scanned input.
  for (const auto& d : found) {
    REQUIRE(d.end <= row.input.size());
    CHECK(row.input.substr(d.begin, d.end - d.begin) == d.text);
  }
}

}  // namespace

TEST_CASE("date expressions of the seed document, as rejoined by the parser", "[dates]") {
  const std::vector<Row> rows = {
      {"2014 年 10 月 13 日至 17 日,大韩民国平昌",
       {{"2014-10-13/2014-10-17", "2014 年 10 月 13 日至 17 日"}}},
      {"中欧东欧和中亚(2014 年 3 月 31 日至 4 月 4 日在白俄罗斯明斯克)",
       {{"2014-03-31/2014-04-04", "2014 年 3 月 31 日至 4 月 4 日"}}},
      {"执行秘书在 2013 年 4 月该委员", {{"2013-04", "2013 年 4 月"}}},
      {"与 2011 年和 2012 年的政府间委员会", {{"2011", "2011 年"}, {"2012", "2012 年"}}},
      {"项目是在 2010 年至 2013 年之间进行的", {{"2010/2013", "2010 年至 2013 年"}}},
      {"这种合作在 2011 年 - 2020 年期间", {{"2011/2020", "2011 年 - 2020 年"}}},
      {"战略计划(2011-2020 年)和爱知", {{"2011/2020", "2011-2020 年"}}},
      {"4 2013年 3月 25日-26日于日本东京。",
       {{"2013-03-25/2013-03-26", "2013年 3月 25日-26日"}}},
      {"为非洲(2014 年 6 月 9日-13 日在乌干达的坎帕拉)",
       {{"2014-06-09/2014-06-13", "2014 年 6 月 9日-13 日"}}},
      {"为非洲(2014 年 6 月 9 日-13 日在乌干达的坎帕拉)",
       {{"2014-06-09/2014-06-13", "2014 年 6 月 9 日-13 日"}}},
      {"为加勒比(2014 年 5 月 19 日-22 日在圭亚那乔治敦)",
       {{"2014-05-19/2014-05-22", "2014 年 5 月 19 日-22 日"}}},
      {"和加勒比(2014 年 5 月 19 至 22 日在圭亚那乔治敦)",
       {{"2014-05-19/2014-05-22", "2014 年 5 月 19 至 22 日"}}},
      {"为西亚和北非(2014 年 6 月 1 日-5 日在阿拉伯联合酋长国迪拜)",
       {{"2014-06-01/2014-06-05", "2014 年 6 月 1 日-5 日"}}},
      // Two dates sharing year and month; each keeps its own piece of text.
      {"参加 2012 年 9 月 3 和 4 日特立尼达和多巴哥",
       {{"2012-09-03", "2012 年 9 月 3"}, {"2012-09-04", "4 日"}}},
      {"执行秘书在 2013 年 9 月 4 至 5 日丹麦哥本哈根",
       {{"2013-09-04/2013-09-05", "2013 年 9 月 4 至 5 日"}}},
      {"并分别在 2014 年 1 月 30 至 31 日南非开普敦举行的、和 2014 年 8月 4 至 6 日印度果阿",
       {{"2014-01-30/2014-01-31", "2014 年 1 月 30 至 31 日"},
        {"2014-08-04/2014-08-06", "2014 年 8月 4 至 6 日"}}},
      {"秘书处对 2013 年 11 月 20 至 22 日在秘鲁利马",
       {{"2013-11-20/2013-11-22", "2013 年 11 月 20 至 22 日"}}},
      {"于 2013年 11 月 25 至 29 日在斐济苏瓦举行",
       {{"2013-11-25/2013-11-29", "2013年 11 月 25 至 29 日"}}},
      {"例如在 2012 年5 月 22 至 24 日萨摩亚阿绍",
       {{"2012-05-22/2012-05-24", "2012 年5 月 22 至 24 日"}}},
      {"联合筹备会议(2014 年 8 月 11 至 15 日,斐济纳迪)",
       {{"2014-08-11/2014-08-15", "2014 年 8 月 11 至 15 日"}}},
      {"自 2006 年 3 月在缔约方大会", {{"2006-03", "2006 年 3 月"}}},
      {"即“到 2015年,《关于获取", {{"2015", "2015年"}}},
      {"秘书处 2013 年和 2014 年举办的", {{"2013", "2013 年"}, {"2014", "2014 年"}}},
      {"以及 2013 年 10 月 30 日联合", {{"2013-10-30", "2013 年 10 月 30 日"}}},
      {"例如: 2013 年 7 月 2 日至 4 日在印度尼西亚万隆",
       {{"2013-07-02/2013-07-04", "2013 年 7 月 2 日至 4 日"}}},
      {"该项目将持续到 2016 年 9 月。", {{"2016-09", "2016 年 9 月"}}},
  };
  for (const auto& row : rows) check_row(row);
}

TEST_CASE("other date forms", "[dates]") {
  const std::vector<Row> rows = {
      // A range across a year end names the second year.
      {"2013 年 12 月 30 日至 2014 年 1 月 2 日",
       {{"2013-12-30/2014-01-02", "2013 年 12 月 30 日至 2014 年 1 月 2 日"}}},
      {"2013 年 12 月至 2014 年 2 月", {{"2013-12/2014-02", "2013 年 12 月至 2014 年 2 月"}}},
      {"2014 年 3 月至 5 月", {{"2014-03/2014-05", "2014 年 3 月至 5 月"}}},
      {"2014年10月13日至17日", {{"2014-10-13/2014-10-17", "2014年10月13日至17日"}}},
      {"2010 年到 2013 年", {{"2010/2013", "2010 年到 2013 年"}}},
      {"2014 年 6 月 9-13 日", {{"2014-06-09/2014-06-13", "2014 年 6 月 9-13 日"}}},
      {"2011 年、2012 年和 2013 年",
       {{"2011", "2011 年"}, {"2012", "2012 年"}, {"2013", "2013 年"}}},
      {"2013 年 4 月和 5 月", {{"2013-04", "2013 年 4 月"}, {"2013-05", "5 月"}}},
      {"2013 年 4 月 3 日、5 日和 7 日",
       {{"2013-04-03", "2013 年 4 月 3 日"}, {"2013-04-05", "5 日"}, {"2013-04-07", "7 日"}}},
      // A number after the month without 日 is not a day.
      {"2014 年 5 月 3 个国家", {{"2014-05", "2014 年 5 月"}}},
      {"2014 年 5 月 19 和 20", {{"2014-05", "2014 年 5 月"}}},
      // A dangling connector is not part of the date.
      {"2014 年 - 会议", {{"2014", "2014 年"}}},
      {"2014 年至今", {{"2014", "2014 年"}}},
      {"2012 年 2 月 29 日", {{"2012-02-29", "2012 年 2 月 29 日"}}},
      {"2000 年 2 月 29 日", {{"2000-02-29", "2000 年 2 月 29 日"}}},
      {"2100 年", {{"2100", "2100 年"}}},
      {"(2014年)", {{"2014", "2014年"}}},
      // A biennium names its years without 年.
      {"在 2019-2020 两年期加强", {{"2019/2020", "2019-2020 两年期"}}},
      {"2021-2022 双年度预算", {{"2021/2022", "2021-2022 双年度"}}},
      {"2018 年 11 月 29 日至 12 月 1 日", {{"2018-11-29/2018-12-01", "2018 年 11 月 29 日至 12 月 1 日"}}},
  };
  for (const auto& row : rows) check_row(row);
}

TEST_CASE("things that are not dates", "[dates]") {
  const std::vector<Row> rows = {
      {"在柏林的“国际绿色周 2014”期间", {}},
      {"缔约方大会第 14 次常会", {}},
      {"五年之内", {}},
      {"“尊重环境采购之美”年会", {}},
      {"2014-2015", {}},
      {"20145 年", {}},
      {"UNEP/2014 年", {}},
      {"1899 年", {}},
      {"2101 年", {}},
      // Decision: an impossible part rejects the whole expression, the year is not kept.
      {"2014 年 13 月", {}},
      {"2014 年 0 月", {}},
      {"2014 年 2 月 31 日", {}},
      {"2013 年 2 月 29 日", {}},
      {"1900 年 2 月 29 日", {}},
      {"2014 年 4 月 31 日", {}},
      {"2014 年 5 月 19 至 32 日", {}},
      {"2012 年 9 月 3 和 31 日", {}},
      // A range must not run backwards.
      {"2014 年 5 月 22 日至 19 日", {}},
      {"2020-2011 年", {}},
      // Scanning goes on after a rejected expression.
      {"2014 年 13 月,2015 年", {{"2015", "2015 年"}}},
  };
  for (const auto& row : rows) check_row(row);
}

TEST_CASE("days, years and months covered", "[dates]") {
  struct Coverage {
    std::string input;
    int first_day;
    int last_day;
    std::vector<int> years;
    std::vector<int> months;
  };
  const std::vector<Coverage> rows = {
      {"2010 年至 2013 年", 14610, 16070, {2010, 2011, 2012, 2013}, {}},
      {"2014 年 3 月 31 日至 4 月 4 日", 16160, 16164, {2014}, {201403, 201404}},
      {"2012 年 2 月", 15371, 15399, {2012}, {201202}},  // leap year: Feb 29
      {"2013 年 2 月", days_from_civil(2013, 2, 1), 15764, {2013}, {201302}},
      {"2013 年 12 月 30 日至 2014 年 1 月 2 日", 16069, 16072, {2013, 2014}, {201312, 201401}},
      {"2015 年", 16436, 16800, {2015}, {}},
      {"2014 年 10 月 13 日", 16356, 16356, {2014}, {201410}},
      {"2013 年 11 月至 2014 年 2 月", days_from_civil(2013, 11, 1), days_from_civil(2014, 2, 28),
       {2013, 2014}, {201311, 201312, 201401, 201402}},
  };
  for (const auto& row : rows) {
    INFO("input: " << row.input);
    const auto found = extract_dates(row.input);
    REQUIRE(found.size() == 1);
    const DateRange& d = found.front();
    CHECK(d.first_day() == row.first_day);
    CHECK(d.last_day() == row.last_day);
    CHECK(d.years() == row.years);
    CHECK(d.months() == row.months);
  }
}

TEST_CASE("days_from_civil and iso forms", "[dates]") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(1969, 12, 31) == -1);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  CHECK(days_from_civil(1900, 3, 1) == -25508);
  CHECK(days_from_civil(2100, 12, 31) == 47846);

  // date_of_day inverts it, leap days and the century rules included.
  for (const treaty::PartialDate d : {treaty::PartialDate{1970, 1, 1}, {1969, 12, 31}, {2000, 2, 29}, {1900, 3, 1},
                                      {2016, 12, 16}, {2100, 12, 31}})
    CHECK(treaty::date_of_day(days_from_civil(d.year, d.month, d.day)) == d);
  CHECK(treaty::date_of_day(11017).iso() == "2000-03-01");

  CHECK(treaty::PartialDate{2014, 0, 0}.iso() == "2014");
  CHECK(treaty::PartialDate{2014, 6, 0}.iso() == "2014-06");
  CHECK(treaty::PartialDate{2014, 6, 9}.iso() == "2014-06-09");
  DateRange single;
  single.from = single.to = {2013, 4, 0};
  CHECK(single.iso() == "2013-04");
  DateRange range;
  range.from = {2014, 10, 13};
  range.to = {2014, 10, 17};
  CHECK(range.iso() == "2014-10-13/2014-10-17");
}

TEST_CASE("byte ranges point into the scanned text", "[dates]") {
  const std::string text = "在 2013 年 4 月 15 日至 17 日,在日内瓦";
  const auto found = extract_dates(text);
  REQUIRE(found.size() == 1);
  CHECK(found[0].begin == std::string("在 ").size());
  CHECK(found[0].end == text.find(",", found[0].begin));
  CHECK(found[0].text == "2013 年 4 月 15 日至 17 日");
  CHECK(found[0].iso() == "2013-04-15/2013-04-17");
}

TEST_CASE("every date of the seed document", "[dates][seed]") {
  // Rejoin the hard-wrapped lines the way the parser does for Chinese: drop line breaks and
  // the layout spaces around them.
  const std::string raw = treaty::test::read_file(treaty::test::seed_path());
  std::string text;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\n') {
      text += raw[i];
      continue;
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    while (i + 1 < raw.size() && (raw[i + 1] == ' ' || raw[i + 1] == '\n')) ++i;
  }
  std::vector<std::string> got;
  for (const auto& d : extract_dates(text)) got.push_back(d.iso());
  const std::vector<std::string> want = {
      "2014-10-13/2014-10-17",  // 2014 年 10 月 13 日至 17 日 (title block)
      "2015",                   // 到 2015 / 年 (wrapped)
      "2010-10",
      "2012",
      "2011", "2012", "2011",   // 2011 年和 2012 年 ... 2011 年第 8(j) 条
      "2011-09-22",
      "2013-02",
      "2013-07-02/2013-07-04",
      "2013", "2014",           // 2013 年和 2014 年
      "2013-10-30",
      "2011/2020",              // 2011 年 - 2020 年
      "2011/2020",              // (2011-2020 年)
      "2013", "2014",
      "2013-04",
      "2013-04-15/2013-04-17",
      "2013-10-30",
      "2013-12",
      "2010/2013",
      "2014-06-09/2014-06-13",  // 2014 年 6 月 9 / 日-13 日 (wrapped)
      "2014-05-19/2014-05-22",
      "2014-06-01/2014-06-05",
      "2013-03-25/2013-03-26",  // footnote 4
      "2014-03-24/2014-03-28",
      "2014-03-31/2014-04-04",
      "2014-05-19/2014-05-22",
      "2014-05-19/2014-05-22",
      "2014-03-24/2014-03-28",
      "2013-11-25/2013-11-29",  // 2013 / 年 11 月 25 至 29 日 (wrapped)
      "2014-08-11/2014-08-15",
      "2006-03",
      "2012-05-22/2012-05-24",  // 2012 年 / 5 月 22 至 24 日 (wrapped)
      "2012-09-03", "2012-09-04",
      "2013-09-04/2013-09-05",
      "2014-01-30/2014-01-31",
      "2014-08-04/2014-08-06",  // 2014 年 8 / 月 4 至 6 日 (wrapped)
      "2013-09",
      "2013-11-20/2013-11-22",
      "2016-09",
      "2014-02",
  };
  CHECK(got == want);
}
