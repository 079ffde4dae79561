// The search query language, parsed leniently, and its translation to a Xapian::Query.
//
//   缔约方 名古屋          words separated by spaces are all required (AND)
//   "名古屋 议定书"         phrase: the analysed units, consecutive (text_query())
//   -环境规划署 -"a b"     exclusion
//   粮农组织 OR 环境规划署  alternatives; OR binds tighter than the implicit AND:
//                          a b OR c = a AND (b OR c)
//   (a OR b) -(c d)        grouping
//   org:粮农组织  year:2014  decision:XI/1  symbol:UNEP/CBD/COP/12/24  kind:paragraph
//   date:2014  date:2014-05..2014-06  date:2014-05-03..  date:..2013   (overlap with the
//                          passage's dates; also '/' as the range separator)
//                          Field values are read by the same FilterBuilder (filters.h) as
//                          searchd's URL filters.
//
// Every word or phrase goes through the Analyzer and text_query(), exactly like passage text,
// and is ORed with the same text in section headings (schema::kSectionText), scaled up, so that
// heading matches rank higher. With a thesaurus (QueryParserOptions::thesaurus), each positive
// word or phrase is ORed with its expansions at a lower weight, and English function words
// ("in", "of") are dropped from queries that have other words. Leniency: unbalanced quotes and parentheses are closed
// implicitly, a stray ')' and a lone '-' or 'OR' are ignored, a word that analyses to nothing
// (punctuation) is dropped. U+3000 (ideographic space) separates words; “…” quotes too.
// Malformed field values (year:abc, date:2014-13, decision:foo) are user errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "core/base/error.h"
#include "core/search/budget.h"
#include "core/search/date_filter.h"

namespace treaty {

class Analyzer;
class Gazetteer;
class Thesaurus;

// ---- Syntax -----------------------------------------------------------------------------------

struct QueryNode {
  enum class Kind {
    match_all,  // the empty query
    word,       // text: the word as typed
    phrase,     // text: the phrase as typed, without the quotes
    field,      // field: one of kFilterFields (filters.h); text: the value
    and_,       // children, all required (NOT children exclude)
    or_,        // children, any
    not_,       // one child, excluded
  };
  Kind kind = Kind::match_all;
  std::string field;
  std::string text;
  std::vector<QueryNode> children;

  // A compact rendering for tests and logs: AND(word:a NOT(phrase:b c) field:org=fao).
  std::string describe() const;
};

// Parses the query syntax only (no analysis, never fails): q must be valid UTF-8.
// Single-child AND/OR nodes are collapsed; an empty query is Kind::match_all.
QueryNode parse_query_syntax(std::string_view q);

// The query's clauses: its words, phrases and fields (the tree's leaves; match_all is none).
std::size_t count_clauses(const QueryNode& node);

// ---- Translation ------------------------------------------------------------------------------

struct QueryParserOptions {
  // Weight multiplier for matches in section headings (added to the body match's weight), so a
  // passage under a matching heading ranks above one that only mentions the text.
  double section_boost = 2.0;
  // true: a passage matches when a section heading above it holds the text, even if its body
  // does not (searching 导言 lists the introduction's paragraphs). false: only its body (text and
  // cited footnotes) matches; headings only boost (searchd's scope=text).
  bool headings_match = true;
  // true: a paragraph's lead-in passage also matches through its items' text (schema::kItemText),
  // so words may be spread over the lead-in and its items (group=paragraph).
  bool whole_paragraphs = false;
  // Query expansion (docs/DESIGN.md, "Thesaurus"): each positive word or phrase also matches
  // the other terms of its concepts (Thesaurus::variants()), and consecutive words forming one
  // term ("capacity building") are expanded as one. Negated words are not expanded. nullptr:
  // only what was typed. Must outlive the parse.
  const Thesaurus* thesaurus = nullptr;
  // Weight multiplier of the expansions against the words as typed (0..1]: a passage in the
  // user's own words ranks above one that says the same in other words.
  double expansion_weight = 0.5;
  // The index searched, for org: names of organizations documents define (filters.h); nullptr:
  // the gazetteer's only. Must outlive the parse.
  const Xapian::Database* database = nullptr;
  // true: a word or phrase that is one lexicon term is matched by its lexicon-term term
  // (text_query()). false: by its phrase, as for an index analysed with another lexicon, which
  // may lack the term (the Searcher sets this from the index's analysis record).
  bool lexicon_terms = true;
  // How date: fields relate to the passage's dates (date_filter.h): overlap, or lie inside.
  DateRelation date_relation = DateRelation::intersects;
  // Caps on the query's clauses (words, phrases, fields) and thesaurus expansions: a query over
  // one is an error (max_filter_values is checked by check_request(), not here).
  QueryLimits limits;
};

// An alternative searched besides a word or phrase of the query (thesaurus expansion).
struct QueryExpansion {
  std::string text;                       // the rewritten word or phrase, searched like typed text
  std::vector<std::string> replacements;  // what it replaced: "研讨会 → 讲习班", one per term
};

struct ParsedQuery {
  Xapian::Query query;               // what to match; MatchAll when q has no positive clause
  bool has_text = false;             // a positive word or phrase contributes to the ranking
  std::vector<std::string> highlights;  // positive words and phrases (as typed) for snippets
  std::vector<std::string> warnings;    // e.g. "unknown organization: xyz (matches nothing)"
  std::vector<QueryExpansion> expansions;  // alternatives searched besides the typed text; their
                                           // texts are in `highlights` too
  std::string semantic_text;  // the positive words and phrases as typed, space-separated, without
                              // operators or fields: what a query embedding is made of
};

// Parses and translates `q`. `analyzer` must be this thread's; `gazetteer` resolves org: values.
// Errors: invalid UTF-8, malformed field values (the message names the field and value), more
// clauses or expansions than options.limits allows ("query has 130 clauses; the limit is 64").
Expected<ParsedQuery> parse_query(std::string_view q, Analyzer& analyzer, const Gazetteer& gazetteer,
                                  const QueryParserOptions& options = {});

}  // namespace treaty
