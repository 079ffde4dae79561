// The expectations of a fixture document (<stem>.expected.toml, tests/fixtures/README.md) checked
// against its parse with Catch2 CHECKs: symbol and cover fields, every passage id in order with
// its text start (whole text, phrases), section path and footnotes, the footnotes, the warnings,
// and under [fields] the decisions cited, the organizations defined inline and the dates. Shared
// by the text-extract fixtures (fixtures_test) and the PDF fixtures (pdf_fixtures_test).
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/documents/passage_fields.h"
#include "core/documents/references.h"
#include "core/search/resources.h"

namespace treaty::test {
namespace fixture_fields_detail {

// Does the expectation `e` (a reference as printed: "NP-2/5", "XII/12 B", "SBI 1/3",
// "A/RES/70/1", a bare "2/9") name the extracted reference `r`?
inline bool names(const std::string& e, const DecisionRef& r) {
  if (e.starts_with("A/RES/")) return r.body == "unga" && r.key() == e.substr(6);
  for (std::string body : {"SBI", "SBSTTA", "ICNP"})
    if (e.starts_with(body + " ")) {
      for (char& c : body) c = static_cast<char>(c - 'A' + 'a');
      return r.body == body && decision_filter_key(e.substr(e.find(' ') + 1)) == r.key();
    }
  const auto key = decision_filter_key(e);
  if (!key) return false;
  if (key->find(':') != std::string::npos) return *key == r.body_key() || *key == r.body_part_key();
  return *key == r.key() || *key == r.part_key();
}

inline std::string str(const toml::node_view<const toml::node>& n) { return n.value_or(std::string()); }

// A footnote number as the expectations write it: 1, 2, ... or "*" (the cover's, number 0).
inline int footnote_number(const toml::node& n) {
  if (n.is_string()) return 0;
  return static_cast<int>(n.value_or(std::int64_t{-1}));
}

}  // namespace fixture_fields_detail

// The symbol and the cover fields.
inline void check_expected_cover(const Document& doc, const toml::table& expected) {
  using fixture_fields_detail::str;
  CHECK(doc.symbol == str(expected["symbol"]));
  const auto cover = expected["cover"];
  CHECK(doc.header.distribution == str(cover["distribution"]));
  CHECK(doc.header.issued == str(cover["issued"]));
  CHECK(doc.header.language == str(cover["language"]));
  CHECK(doc.header.original == str(cover["original"]));
  CHECK(doc.header.meeting == str(cover["meeting"]));
  CHECK(doc.header.session == str(cover["session"]));
  CHECK(doc.header.dates_venue == str(cover["dates_venue"]));
  CHECK(doc.header.agenda_item == str(cover["agenda_item"]));
  CHECK(doc.header.title == str(cover["title"]));
  CHECK(doc.header.doc_type == str(cover["doc_type"]));
}

// Every passage id in order, then each one's id, text start, whole text (`text`), phrases
// (`contains`), section path and the footnotes it cites.
inline void check_expected_passages(const Document& doc, const toml::table& expected) {
  using namespace fixture_fields_detail;
  const toml::array& want = *expected["passages"].as_array();
  std::vector<std::string> want_ids, got_ids;
  for (const toml::node& p : want) want_ids.push_back(str(toml::node_view<const toml::node>(p)["para"]));
  for (const Passage& p : doc.passages) got_ids.push_back(p.para);
  CHECK(got_ids == want_ids);
  for (const toml::node& node : want) {
    const toml::node_view<const toml::node> p(node);
    const std::string para = str(p["para"]);
    const auto it = std::find_if(doc.passages.begin(), doc.passages.end(), [&](const Passage& x) { return x.para == para; });
    if (it == doc.passages.end()) continue;  // reported by the id list above
    INFO("passage " << para << ": " << it->text.substr(0, 90));
    CHECK(it->id == doc.symbol + "#" + para);
    if (const std::string starts = str(p["starts"]); !starts.empty()) CHECK(it->text.starts_with(starts));
    if (const std::string text = str(p["text"]); !text.empty()) CHECK(it->text == text);
    if (const toml::array* phrases = p["contains"].as_array())
      for (const toml::node& c : *phrases) CHECK(it->text.find(c.value_or(std::string())) != std::string::npos);
    if (const toml::array* section = p["section"].as_array()) {
      std::vector<std::string> path_want;
      for (const toml::node& s : *section) path_want.push_back(s.value_or(std::string()));
      CHECK(it->section_path == path_want);
    }
    std::vector<int> notes_want;
    if (const toml::array* notes = p["footnotes"].as_array())
      for (const toml::node& n : *notes) notes_want.push_back(footnote_number(n));
    CHECK(it->footnotes == notes_want);
  }
}

// The footnotes by number, each one's start and (`ends`) end.
inline void check_expected_footnotes(const Document& doc, const toml::table& expected) {
  using namespace fixture_fields_detail;
  std::vector<int> want_notes, got_notes;
  if (const toml::array* notes = expected["footnotes"].as_array())
    for (const toml::node& node : *notes) {
      const toml::node_view<const toml::node> n(node);
      want_notes.push_back(footnote_number(*n["number"].node()));
      const auto f = std::find_if(doc.footnotes.begin(), doc.footnotes.end(),
                                  [&](const Footnote& x) { return x.number == want_notes.back(); });
      if (f == doc.footnotes.end()) continue;
      INFO("footnote " << f->number << ": " << f->text);
      CHECK(f->text.starts_with(str(n["starts"])));
      CHECK(f->text.ends_with(str(n["ends"])));
    }
  for (const Footnote& f : doc.footnotes) got_notes.push_back(f.number);
  CHECK(got_notes == want_notes);
}

// Each expected substring in some warning, and no warning unexpected.
inline void check_expected_warnings(const Document& doc, const toml::table& expected) {
  std::vector<std::string> want;
  if (const toml::array* w = expected["fields"]["warnings"].as_array())
    for (const toml::node& n : *w) want.push_back(n.value_or(std::string()));
  for (const std::string& w : want)
    CHECK(std::any_of(doc.warnings.begin(), doc.warnings.end(),
                      [&](const ParseWarning& x) { return x.message.find(w) != std::string::npos; }));
  for (const ParseWarning& w : doc.warnings) {
    INFO("line " << w.line << ", page " << w.page << ": " << w.message);
    CHECK(std::any_of(want.begin(), want.end(), [&](const std::string& s) { return w.message.find(s) != std::string::npos; }));
  }
}

// Checks (Catch2 CHECKs) the [fields] table of `expected` against the fields of `doc`.
inline void check_expected_fields(const Document& doc, const toml::table& expected, const Resources& res_ref) {
  using namespace fixture_fields_detail;
  const Resources* res = &res_ref;
  const DocumentFields fields = extract_fields(doc, res->normalizer, res->gazetteer);
  const auto want = expected["fields"];

  // Decisions cited anywhere: each expected one found, each found one expected.
  std::vector<DecisionRef> found;
  for (const PassageFields& f : fields.passages) found.insert(found.end(), f.decisions.begin(), f.decisions.end());
  std::vector<std::string> cited;
  if (const toml::array* d = want["decisions"].as_array())
    for (const toml::node& n : *d) cited.push_back(n.value_or(std::string()));
  for (const std::string& e : cited) {
    INFO("expected " << e);
    CHECK(std::any_of(found.begin(), found.end(), [&](const DecisionRef& r) { return names(e, r); }));
  }
  for (const DecisionRef& r : found) {
    INFO("found " << r.id() << " (" << r.text << ")");
    CHECK(std::any_of(cited.begin(), cited.end(), [&](const std::string& e) { return names(e, r); }));
  }

  // Organizations defined inline: the short form names the organization the full name does.
  if (const toml::array* orgs = want["organizations_defined"].as_array())
    for (const toml::node& node : *orgs) {
      const toml::node_view<const toml::node> o(node);
      const std::string name = res->normalizer.normalize_string(str(o["name"]));
      const std::string short_name = res->normalizer.normalize_string(str(o["short"]));
      auto id_of = [&](const std::string& n) -> std::string {
        if (const Organization* org = res->gazetteer.resolve(n)) return org->id;
        const auto it = fields.mined_aliases.find(n);
        return it == fields.mined_aliases.end() ? std::string() : it->second;
      };
      INFO(name << " (" << short_name << ")");
      CHECK_FALSE(id_of(name).empty());
      CHECK(id_of(short_name) == id_of(name));
    }

  // Dates of the body and footnotes (the cover's are not listed): each expected one found.
  std::set<std::string> dates;
  for (std::size_t i = 1; i < fields.passages.size(); ++i)
    for (const DateRange& d : fields.passages[i].dates) dates.insert(d.iso());
  if (const toml::array* d = want["dates"].as_array())
    for (const toml::node& n : *d) {
      std::string iso = n.value_or(std::string());
      if (const std::size_t dots = iso.find(".."); dots != std::string::npos) iso.replace(dots, 2, "/");
      INFO("date " << iso);
      CHECK(dates.contains(iso));
    }
}

}  // namespace treaty::test
