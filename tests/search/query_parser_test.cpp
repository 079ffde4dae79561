// The query language: syntax (lenient), field values, and the Xapian terms queries become.
#include <catch2/catch.hpp>

#include <set>

#include "core/text/analyzer.h"
#include "core/search/query_parser.h"
#include "core/search/resources.h"
#include "tests/support/test_support.h"

using namespace treaty;

namespace {

struct Fixture {
  std::unique_ptr<Resources> res =
      std::move(*Resources::load(ResourcePaths::in_directory(test::source_dir() / "config")));
  Analyzer analyzer{res->normalizer, res->lexicon};

  Expected<ParsedQuery> parse(const std::string& q) { return parse_query(q, analyzer, res->gazetteer); }

  // Every term the query mentions.
  std::set<std::string> terms(const std::string& q) {
    auto parsed = parse(q);
    REQUIRE(parsed);
    return {parsed->query.get_terms_begin(), parsed->query.get_terms_end()};
  }
};

std::string syntax(const std::string& q) { return parse_query_syntax(q).describe(); }

}  // namespace

TEST_CASE("syntax: AND, phrases, exclusion, OR, groups, fields") {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"", "ALL"},
      {"   ", "ALL"},
      {"缔约方", "word:缔约方"},
      {"缔约方 名古屋", "AND(word:缔约方 word:名古屋)"},
      {"缔约方\u3000大会", "AND(word:缔约方 word:大会)"},  // ideographic space
      {"\"名古屋 议定书\"", "phrase:名古屋 议定书"},
      {"“名古屋 议定书”", "phrase:名古屋 议定书"},  // Chinese quotes
      {"合作 -环境规划署", "AND(word:合作 NOT(word:环境规划署))"},
      {"-\"x y\" z", "AND(NOT(phrase:x y) word:z)"},
      {"a b OR c", "AND(word:a OR(word:b word:c))"},  // OR binds tighter
      {"a OR b OR c", "OR(word:a word:b word:c)"},
      {"(a OR b) c", "AND(OR(word:a word:b) word:c)"},
      {"-(a b) c", "AND(NOT(AND(word:a word:b)) word:c)"},
      {"a OR -b", "OR(word:a NOT(word:b))"},
      {"org:粮农组织 year:2014", "AND(field:org=粮农组织 field:year=2014)"},
      {"ORG:fao", "field:org=fao"},
      {"org：粮农组织", "field:org=粮农组织"},  // full-width colon
      {"org:\"Food and Agriculture Organization\"", "field:org=Food and Agriculture Organization"},
      {"org: fao", "field:org=fao"},
      {"decision:XI/1 date:2014-05..2014-06", "AND(field:decision=XI/1 field:date=2014-05..2014-06)"},
      {"(org:fao OR org:unep)", "OR(field:org=fao field:org=unep)"},
      {"foo:bar", "word:foo:bar"},  // not a field: a word
      {"27(b)", "word:27(b)"},      // parentheses inside a word stay
      {"cop-mop", "word:cop-mop"},
      // leniency
      {"(a b", "AND(word:a word:b)"},
      {"a) b", "AND(word:a word:b)"},
      {"\"unclosed phrase", "phrase:unclosed phrase"},
      {"- a", "word:a"},
      {"a -", "word:a"},
      {"OR a", "word:a"},
      {"a OR", "word:a"},
      {"a OR OR b", "OR(word:a word:b)"},
      {"((((", "ALL"},
      {"\"\"", "phrase:"},
      {"--a", "word:a"},  // double negation cancels
      {"---a", "NOT(word:a)"},
  };
  for (const auto& [q, expected] : rows) {
    INFO(q);
    CHECK(syntax(q) == expected);
  }
}

TEST_CASE("syntax: deep nesting is flattened, not recursed without bound") {
  CHECK(syntax(std::string(5000, '(') + "a" + std::string(5000, ')')) == "word:a");
  CHECK(syntax(std::string(5001, '-') + "a") == "NOT(word:a)");
  std::string alternating;
  for (int i = 0; i < 2000; ++i) alternating += "-(";
  CHECK(syntax(alternating + "a").size() < 400);
}

TEST_CASE_METHOD(Fixture, "field terms: org via the gazetteer, year, decision, symbol, date candidates") {
  CHECK(terms("org:粮农组织") == std::set<std::string>{"XOfao"});
  CHECK(terms("org:FAO") == std::set<std::string>{"XOfao"});
  CHECK(terms("org:ＦＡＯ") == std::set<std::string>{"XOfao"});
  CHECK(terms("org:環境規劃署") == std::set<std::string>{"XOunep"});  // Traditional
  CHECK(terms("org:太平洋区域环境规划署") == std::set<std::string>{"XOsprep"});
  CHECK(terms("year:2014") == std::set<std::string>{"XY2014"});
  CHECK(terms("decision:XI/1") == std::set<std::string>{"XD11/1"});
  CHECK(terms("decision:11/1") == std::set<std::string>{"XD11/1"});
  CHECK(terms("decision:\"XI/1 D\"") == std::set<std::string>{"XD11/1 d"});
  CHECK(terms("decision:X/1") == std::set<std::string>{"XD10/1"});
  CHECK(terms("symbol:unep/cbd/cop/12/24") == std::set<std::string>{"XSYMUNEP/CBD/COP/12/24"});
  CHECK(terms("date:2013-12..2014-06") == std::set<std::string>{"XY2013", "XY2014"});
  CHECK(terms("date:2014-05-03..").empty());  // open: the value slot alone decides
}

TEST_CASE_METHOD(Fixture, "words go through the analyzer: body and section-heading terms") {
  // 缔约方, a lexicon term: its L term (matching, no positions needed), the lexicon word
  // (ranking), the same under the section prefix. 缔约各方: bigrams at consecutive positions.
  CHECK(terms("缔约方") == std::set<std::string>{"L缔约方", "缔约方", "SL缔约方", "S缔约方"});
  CHECK(terms("缔约各方") == std::set<std::string>{"B缔约", "B约各", "B各方", "各方", "SB缔约", "SB约各", "SB各方",
                                                   "S各方"});  // one-character words (缔, 约) boost nothing
  CHECK(terms("締約方") == terms("缔约方"));   // Traditional
  CHECK(terms("ＵＮＥＰ") == terms("unep"));  // full-width, case
  // One character: its H term, or the bigrams it starts (a wildcard, which lists no terms here).
  CHECK(terms("约") == std::set<std::string>{"H约", "SH约"});
  // A compound of two parts: its pair term (Jxi/1) spells it all; the compound term ranks.
  CHECK(terms("XI/1") == std::set<std::string>{"Jxi/1", "xi/1", "SJxi/1", "Sxi/1"});
}

TEST_CASE_METHOD(Fixture, "highlights, has_text and warnings") {
  auto p = parse("缔约方 -大会 org:fao \"名古屋 议定书\"");
  REQUIRE(p);
  CHECK(p->has_text);
  CHECK(p->highlights == std::vector<std::string>{"缔约方", "名古屋 议定书"});
  CHECK(p->warnings.empty());

  p = parse("org:fao year:2014");
  REQUIRE(p);
  CHECK_FALSE(p->has_text);
  CHECK(p->highlights.empty());

  p = parse("-大会");
  REQUIRE(p);
  CHECK_FALSE(p->has_text);
  CHECK(p->highlights.empty());
  CHECK(p->query.get_description() == "Query((<alldocuments> AND_NOT ((B大会 AND_MAYBE 大会) OR 2 * (SB大会 AND_MAYBE S大会))))");

  p = parse("， 。");  // punctuation only: dropped, browse everything
  REQUIRE(p);
  CHECK_FALSE(p->has_text);
  CHECK(p->warnings.size() == 2);
  CHECK(p->query.get_description() == Xapian::Query(Xapian::Query::MatchAll).get_description());

  p = parse("合作 org:nosuchorg");
  REQUIRE(p);
  REQUIRE(p->warnings.size() == 1);
  CHECK(p->warnings[0] == "unknown organization \"nosuchorg\" (matches nothing)");
}

TEST_CASE_METHOD(Fixture, "malformed field values are user errors") {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"year:abc", "year abc: expected four digits, e.g. 2014"},
      {"合作 date:2014-13", "date 2014-13: month must be 1-12"},
      {"date:2014-02-30", "date 2014-02-30: day must be 1-28 in that month"},
      {"decision:foo", "decision:foo is not a decision reference (e.g. XI/1, XI/1 D, 67/212)"},
      {"org:", "org: needs a value, e.g. org:粮农组织"},
      {"-year:20x4", "year 20x4: expected four digits, e.g. 2014"},  // also when excluded
      {"a OR (b date:2014..2013)", "date 2014..2013: the range ends before it starts"},
  };
  for (const auto& [q, message] : rows) {
    INFO(q);
    auto p = parse(q);
    REQUIRE_FALSE(p);
    CHECK(p.error().message == message);
  }
  auto bad = parse("缔约\xff方");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "query is not valid UTF-8 (byte 6)");
}

TEST_CASE_METHOD(Fixture, "thesaurus expansion: variants, multi-word terms, stopwords, negation") {
  using Strings = std::vector<std::string>;
  QueryParserOptions options;
  options.thesaurus = &res->thesaurus;
  auto expand = [&](const std::string& q) {
    auto parsed = parse_query(q, analyzer, res->gazetteer, options);
    REQUIRE(parsed);
    return std::move(*parsed);
  };
  auto replacements = [](const ParsedQuery& p) {
    Strings out;
    for (const QueryExpansion& e : p.expansions)
      for (const std::string& r : e.replacements) out.push_back(r);
    return out;
  };
  auto has_term = [](const ParsedQuery& p, const std::string& term) {
    return std::find(p.query.get_terms_begin(), p.query.get_terms_end(), term) != p.query.get_terms_end();
  };

  // Without a thesaurus nothing changes.
  CHECK(parse("研讨会")->expansions.empty());

  const ParsedQuery workshop = expand("研讨会");
  CHECK(replacements(workshop) == Strings{"研讨会 → 讲习班", "研讨会 → 研习班", "研讨会 → workshop",
                                          "研讨会 → workshops", "研讨会 → seminar", "研讨会 → seminars"});
  CHECK(has_term(workshop, "L讲习班"));  // Chinese expansions are exact substrings (a lexicon term here)
  CHECK(has_term(workshop, "B研习"));    // or their bigrams
  CHECK(has_term(workshop, "workshop"));  // English ones their words
  CHECK(workshop.highlights.front() == "研讨会");
  CHECK(workshop.highlights.size() == 1 + workshop.expansions.size());  // expansions are highlighted

  // Traditional and mixed queries; each word is expanded on its own.
  CHECK(replacements(expand("研討會")).front() == "研討會 → 讲习班");
  const Strings mixed = replacements(expand("FAO 讲习班"));
  CHECK(mixed[0] == "FAO → 联合国粮食和农业组织");
  CHECK(std::count(mixed.begin(), mixed.end(), "讲习班 → 研讨会") == 1);

  // Consecutive words forming one term are expanded together; "in" is dropped, with a warning.
  const ParsedQuery english = expand("capacity building workshops in Africa");
  const Strings r = replacements(english);
  CHECK(r.front() == "capacity building → 能力建设");
  CHECK(std::find(r.begin(), r.end(), "Africa → 非洲") != r.end());
  CHECK(english.warnings == Strings{"ignored \"in\": a common English word"});
  CHECK_FALSE(has_term(english, "in"));
  // ... but a query of nothing but such words is searched as typed.
  CHECK(expand("the").warnings.empty());

  // Negated words are not expanded.
  CHECK(replacements(expand("非洲 -研讨会")) == Strings{"非洲 → africa", "非洲 → african"});
  // Unknown words are searched literally.
  const ParsedQuery unknown = expand("xylophone");
  CHECK(unknown.expansions.empty());
  CHECK(has_term(unknown, "xylophone"));
}
