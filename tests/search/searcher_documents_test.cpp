// Searcher on document-level facts: the seed plus six documents built by hand (fact_documents.h),
// filtered and faceted by doc, meeting, type, lang and issued; totals and facet counts are checked
// against brute force over the stored passage JSON, disjunctive counts too.
#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <set>

#include "core/index/passage_data.h"
#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/index/index_writer.h"
#include "core/index/schema.h"
#include "core/search/resources.h"
#include "core/search/searcher.h"
#include "core/text/analyzer.h"
#include "tests/support/fact_documents.h"
#include "tests/support/test_support.h"

using namespace treaty;
using nlohmann::json;

namespace {

constexpr const char* kSeed = "UNEP/CBD/NP/COP-MOP/1/6";

struct Fixture {
  std::unique_ptr<Resources> res =
      std::move(*Resources::load(ResourcePaths::in_directory(test::source_dir() / "config")));
  test::TempDir tmp;
  std::vector<test::FactDocument> docs = test::fact_documents();
  Xapian::Database db = build();
  Searcher searcher{db, *res};

  Xapian::Database build() {
    std::vector<Document> all{test::parse_file(test::seed_path())};
    for (const test::FactDocument& d : docs) all.push_back(d.doc);
    return test::write_index(tmp.path() / "index", *res, all);
  }

  SearchResponse search(SearchRequest r) {
    r.size = 1000;
    r.facet_size = 1000;
    r.mode = SearchMode::lexical;
    auto response = searcher.search(r);
    INFO(r.q);
    REQUIRE(response);
    return std::move(*response);
  }

  std::vector<json> all_passages() {
    std::vector<json> out;
    StoredPassages stored(res->gazetteer);
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
      out.push_back(stored.read(db, db.get_document(*it)));
    return out;
  }
};

using Counts = std::map<std::string, std::uint64_t>;
using Predicate = std::function<bool(const json&)>;

// The passage's value in a document-fact facet ("" when it has none).
std::string fact(const json& p, const std::string& facet) {
  if (facet == "doc") return p["doc"];
  if (facet == "issued") return p["issued"].get<std::string>().substr(0, 4);
  return p[facet];
}

Counts brute_force(const std::vector<json>& passages, const std::string& facet, const Predicate& keep) {
  Counts out;
  for (const json& p : passages)
    if (keep(p) && !fact(p, facet).empty()) ++out[fact(p, facet)];
  return out;
}

std::uint64_t brute_total(const std::vector<json>& passages, const Predicate& keep) {
  return static_cast<std::uint64_t>(std::count_if(passages.begin(), passages.end(), keep));
}

// Does `s` occur in the passage's text, a cited footnote or a section heading?
bool contains_text(const json& p, const std::string& s) {
  if (p["text"].get<std::string>().find(s) != std::string::npos) return true;
  for (const json& f : p["footnotes"])
    if (f["text"].get<std::string>().find(s) != std::string::npos) return true;
  for (const json& h : p["section"])
    if (h.get<std::string>().find(s) != std::string::npos) return true;
  return false;
}

const Facet& facet(const SearchResponse& s, const std::string& name) {
  for (const Facet& f : s.facets)
    if (f.name == name) return f;
  FAIL("no facet " << name);
  throw std::logic_error("unreachable");
}

Counts counts_of(const Facet& f) {
  Counts out;
  for (const FacetValue& v : f.values) out[v.value] = v.count;
  return out;
}

std::set<std::string> docs_of(const SearchResponse& s) {
  std::set<std::string> out;
  for (const Hit& h : s.hits) out.insert(h.passage["doc"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "stored passages carry their document's facts") {
  std::map<std::string, json> headers;
  for (const json& p : all_passages())
    if (p["kind"] == "header") headers[p["doc"]] = p;
  REQUIRE(headers.size() == 7);
  for (const test::FactDocument& d : docs) {
    INFO(d.doc.symbol);
    const json& h = headers.at(d.doc.symbol);
    CHECK(h["meeting"] == d.meeting);
    CHECK(h["type"] == d.type);
    CHECK(h["issued"] == d.issued);
    CHECK(h["lang"] == d.lang);
  }
  CHECK(headers.at(kSeed)["meeting"] == "np-mop:1");
  CHECK(headers.at(kSeed)["type"] == "note");
  CHECK(headers.at(kSeed)["lang"] == "zh");
  // Terms and slots as schema.h says.
  CHECK(db.get_termfreq(std::string(schema::kMeeting) + "np-mop:3") == 4 + 3 + 2);
  CHECK(db.get_termfreq(std::string(schema::kMeeting) + "np-mop") == 53 + 4 + 3 + 2);
  CHECK(db.get_termfreq(std::string(schema::kDocKey) + "CBD/NP/MOP/3/4/ADD.1") == 3);
  CHECK(db.get_termfreq(std::string(schema::kDocType) + "decision") == 3);
  CHECK(db.get_termfreq(std::string(schema::kLang) + "en") == 3);
  CHECK(db.get_termfreq(std::string(schema::kIssuedYear) + "2016") == 3);
}

TEST_CASE_METHOD(Fixture, "doc filter: the document's own symbol, any case or width, repeatable, in q too") {
  auto with_docs = [&](std::vector<std::string> values) {
    SearchRequest r;
    r.docs = std::move(values);
    return search(r);
  };
  const SearchResponse one = with_docs({"CBD/NP/MOP/3/4"});
  CHECK(one.total == 4);  // not its addendum CBD/NP/MOP/3/4/Add.1
  CHECK(docs_of(one) == std::set<std::string>{"CBD/NP/MOP/3/4"});
  for (const std::string written : {"cbd/np/mop/3/4/add.1", "CBD/NP/MOP/3/4/ADD.1", "ＣＢＤ／ＮＰ／ＭＯＰ／３／４／Ａｄｄ．１"}) {
    INFO(written);
    const SearchResponse s = with_docs({written});
    CHECK(s.total == 3);
    CHECK(docs_of(s) == std::set<std::string>{"CBD/NP/MOP/3/4/Add.1"});
  }
  const SearchResponse two = with_docs({"CBD/NP/MOP/3/4", kSeed});
  CHECK(two.total == 4 + 53);
  CHECK(with_docs({"CBD/NOPE/1"}).total == 0);

  SearchRequest q;
  q.q = "信息交换所 doc:CBD/NP/MOP/3/4";
  CHECK(docs_of(search(q)) == std::set<std::string>{"CBD/NP/MOP/3/4"});
  CHECK(search(q).total == 3);  // the header (its title) and paragraphs 1 and 3
  q.q = "信息交换所 (doc:CBD/NP/MOP/3/4 OR doc:cbd/sbi/2/8)";
  CHECK(search(q).total == 4);  // and CBD/SBI/2/8's paragraph 2
  // `symbol` stays the symbols cited (the own symbol on the header only).
  SearchRequest cited;
  cited.symbols = {kSeed};
  CHECK(search(cited).total < 53);
}

TEST_CASE_METHOD(Fixture, "meeting, type, lang and issued filters agree with brute force") {
  const std::vector<json> all = all_passages();
  struct Row {
    std::function<void(SearchRequest&)> set;
    Predicate expected;
  };
  auto is = [](const char* key, std::set<std::string> values) {
    return [key, values](const json& p) { return values.contains(p[key].get<std::string>()); };
  };
  const std::vector<Row> rows = {
      {[](SearchRequest& r) { r.meetings = {"np-mop:3"}; }, is("meeting", {"np-mop:3"})},
      {[](SearchRequest& r) { r.meetings = {"NP-MOP 3"}; }, is("meeting", {"np-mop:3"})},
      {[](SearchRequest& r) { r.meetings = {"np-mop"}; }, is("meeting", {"np-mop:1", "np-mop:3"})},
      {[](SearchRequest& r) { r.meetings = {"COP XIII", "sbi 2"}; }, is("meeting", {"cop:13", "sbi:2"})},
      {[](SearchRequest& r) { r.meetings = {"cop13"}; }, is("meeting", {"cop:13"})},
      {[](SearchRequest& r) { r.types = {"note"}; }, is("type", {"note"})},
      {[](SearchRequest& r) { r.types = {"决定", "report"}; }, is("type", {"decision", "report"})},
      {[](SearchRequest& r) { r.langs = {"EN"}; }, is("lang", {"en"})},
      {[](SearchRequest& r) { r.langs = {"中文"}; }, is("lang", {"zh"})},
      {[](SearchRequest& r) { r.issued = {"2018"}; },
       [](const json& p) { return p["issued"].get<std::string>().starts_with("2018"); }},
      {[](SearchRequest& r) { r.issued = {"2016", "2018-10"}; },
       [](const json& p) {
         const std::string i = p["issued"];
         return i.starts_with("2016") || i.starts_with("2018-10");
       }},
      {[](SearchRequest& r) {
         r.issued_from = "2018-06-18";
         r.issued_to = "2018-10-12";
       },
       [](const json& p) {
         const std::string i = p["issued"];
         return !i.empty() && i >= "2018-06-18" && i <= "2018-10-12";
       }},
      {[](SearchRequest& r) {
         r.meetings = {"np-mop:3"};
         r.types = {"note"};
         r.q = "能力建设";
       },
       [](const json& p) { return p["meeting"] == "np-mop:3" && p["type"] == "note" && contains_text(p, "能力建设"); }},
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i);
    SearchRequest r;
    rows[i].set(r);
    const SearchResponse s = search(r);
    CHECK(s.total == brute_total(all, rows[i].expected));
    CHECK(s.total > 0);
    for (const Hit& h : s.hits) CHECK(rows[i].expected(h.passage));
  }
  // The same in the query language.
  SearchRequest q;
  q.q = "meeting:\"COP 13\" OR (type:report lang:zh)";
  CHECK(docs_of(search(q)) == std::set<std::string>{"CBD/COP/DEC/XIII/26", "UNEP/CBD/ICNP/3/10"});
  q.q = "issued:2018-10 信息交换所";
  CHECK(docs_of(search(q)) == std::set<std::string>{"CBD/NP/MOP/3/4", "CBD/NP/MOP/3/4/Add.1"});
}

TEST_CASE_METHOD(Fixture, "malformed document filters are errors naming the value") {
  const std::vector<std::pair<std::function<void(SearchRequest&)>, std::string>> rows = {
      {[](SearchRequest& r) { r.meetings = {"foo"}; },
       "meeting foo is not a meeting (e.g. np-mop:1, NP-MOP 1, COP 13, SBI 2, or a body alone: cop)"},
      {[](SearchRequest& r) { r.q = "meeting:foo"; },
       "meeting:foo is not a meeting (e.g. np-mop:1, NP-MOP 1, COP 13, SBI 2, or a body alone: cop)"},
      {[](SearchRequest& r) { r.types = {"memo"}; },
       "type memo is not a document type (note, report, information, decision, recommendation, draft_decision, "
       "conference_room_paper, other)"},
      {[](SearchRequest& r) { r.langs = {"chinese traditional"}; },
       "lang chinese traditional is not a language (e.g. zh, en, 中文)"},
      {[](SearchRequest& r) { r.issued = {"2018-13"}; }, "issued: date 2018-13: month must be 1-12"},
      {[](SearchRequest& r) { r.issued_from = "x"; }, "issued: date x: expected YYYY, YYYY-MM or YYYY-MM-DD"},
      {[](SearchRequest& r) { r.q = "doc:"; }, "doc: needs a value, e.g. doc:CBD/NP/MOP/3/4"},
      {[](SearchRequest& r) { r.facets = {"colour"}; },
       "unknown facet \"colour\" (facets: org, year, decision, symbol, month, doc, meeting, type, lang, issued)"},
  };
  for (const auto& [set, message] : rows) {
    SearchRequest r;
    set(r);
    auto s = searcher.search(r);
    REQUIRE_FALSE(s);
    CHECK(s.error().message == message);
  }
}

TEST_CASE_METHOD(Fixture, "doc, meeting, type, lang and issued facets count like brute force, with labels") {
  const std::vector<json> all = all_passages();
  const std::vector<std::string> names = {"doc", "meeting", "type", "lang", "issued"};
  const std::vector<std::pair<std::string, Predicate>> queries = {
      {"", [](const json&) { return true; }},
      {"信息交换所", [](const json& p) { return contains_text(p, "信息交换所"); }},
      {"能力建设 -讲习班", [](const json& p) { return contains_text(p, "能力建设") && !contains_text(p, "讲习班"); }},
  };
  for (const auto& [q, keep] : queries) {
    INFO(q);
    SearchRequest r;
    r.q = q;
    r.facets = names;
    const SearchResponse s = search(r);
    CHECK(s.total == brute_total(all, keep));
    for (const std::string& name : names) {
      INFO(name);
      CHECK(counts_of(facet(s, name)) == brute_force(all, name, keep));
    }
  }
  SearchRequest r;
  r.facets = names;
  const SearchResponse s = search(r);
  std::map<std::string, std::string> labels;
  for (const Facet& f : s.facets)
    for (const FacetValue& v : f.values) labels[f.name + "=" + v.value] = v.label;
  CHECK(labels.at("doc=CBD/NP/MOP/3/4") == "获取和惠益分享信息交换所的运作及进一步发展");
  CHECK(labels.at(std::string("doc=") + kSeed) == "与其他公约、国际组织和倡议的合作");
  CHECK(labels.at("doc=CBD/COP/DEC/XIII/26") == "CBD/COP/DEC/XIII/26");  // untitled: its symbol
  CHECK(labels.at("meeting=np-mop:1") == "名古屋议定书缔约方会议第1次会议 (NP COP-MOP 1)");
  CHECK(labels.at("meeting=cop:13") == "生物多样性公约缔约方大会第13届会议 (COP 13)");
  CHECK(labels.at("type=note") == "说明");
  CHECK(labels.at("type=information") == "资料文件");
  CHECK(labels.at("lang=zh") == "中文");
  CHECK(labels.at("issued=2018") == "2018");
  CHECK(counts_of(facet(s, "meeting")).at("np-mop:1") == 53);
  CHECK(counts_of(facet(s, "type")).at("note") == 53 + 4 + 3 + 3);
}

TEST_CASE_METHOD(Fixture, "disjunctive: each document facet is counted without its own filter") {
  const std::vector<json> all = all_passages();
  SearchRequest r;
  r.q = "能力建设";
  r.meetings = {"np-mop:3", "sbi:2"};
  r.types = {"note"};
  r.facets = {"meeting", "type", "doc", "lang"};
  r.disjunctive = true;
  const SearchResponse s = search(r);
  auto text = [](const json& p) { return contains_text(p, "能力建设"); };
  auto meeting = [](const json& p) { return p["meeting"] == "np-mop:3" || p["meeting"] == "sbi:2"; };
  auto type = [](const json& p) { return p["type"] == "note"; };
  const Predicate both = [&](const json& p) { return text(p) && meeting(p) && type(p); };
  CHECK(s.total == brute_total(all, both));
  CHECK(counts_of(facet(s, "meeting")) == brute_force(all, "meeting", [&](const json& p) { return text(p) && type(p); }));
  CHECK(counts_of(facet(s, "type")) == brute_force(all, "type", [&](const json& p) { return text(p) && meeting(p); }));
  CHECK(counts_of(facet(s, "doc")) == brute_force(all, "doc", both));
  CHECK(counts_of(facet(s, "lang")) == brute_force(all, "lang", both));
  // The alternatives are offered: other meetings and types than those chosen.
  CHECK(counts_of(facet(s, "meeting")).contains("np-mop:1"));
  CHECK(counts_of(facet(s, "type")).contains("information"));

  // doc is disjunctive too; without disjunctive every facet counts the result set.
  SearchRequest d;
  d.docs = {"CBD/SBI/2/8"};
  d.facets = {"doc"};
  d.disjunctive = true;
  CHECK(counts_of(facet(search(d), "doc")) == brute_force(all, "doc", [](const json&) { return true; }));
  d.disjunctive = false;
  CHECK(counts_of(facet(search(d), "doc")) == Counts{{"CBD/SBI/2/8", 3}});
}

TEST_CASE_METHOD(Fixture, "hit fields: meeting, type, issued, lang") {
  SearchRequest r;
  r.docs = {"CBD/SBI/2/8"};
  r.fields = {"id", "meeting", "type", "issued", "lang"};
  const json j = search(r).to_json();
  REQUIRE(j["hits"].size() == 3);
  CHECK(j["hits"][0] == json{{"id", "CBD/SBI/2/8#header"}, {"meeting", "sbi:2"}, {"type", "note"},
                             {"issued", "2018-06-18"}, {"lang", "en"}});
}
