// Hit rendering: a page of ranked results -> Hits with the fields asked for, snippets from the
// text or a cited footnote, and the thesaurus expansions each passage contains.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "core/search/budget.h"
#include "core/search/query_parser.h"
#include "core/search/ranking.h"
#include "core/search/request.h"
#include "core/search/response.h"
#include "core/search/snippet.h"

namespace treaty {

class Analyzer;
class StoredPassages;

class HitRenderer {
 public:
  // `analyzer` (this thread's), `parsed` and `request` must outlive the renderer. Snippets
  // highlight parsed.highlights; expansions are explained by finding each of
  // parsed.expansions in the passage the way snippets find matches.
  HitRenderer(Analyzer& analyzer, const ParsedQuery& parsed, const SearchRequest& request);

  // One Hit per entry, in order, with what request.fields asks for. With only id, score and
  // retrieval asked for, the stored passage is not read (the id comes from its value slot).
  // With `budget`, each hit's snippet and matched expansions are made only while it allows
  // ("snippets not made"); the hits after that have their stored fields only.
  // `stored` reads the passages of `db` (StoredPassages).
  std::vector<Hit> render(const Xapian::Database& db, StoredPassages& stored, const std::vector<Ranked>& page,
                          StepBudget* budget = nullptr) const;

 private:
  bool wanted(std::string_view field) const;
  // The snippet of the passage's text, or of the first cited footnote that matches when the
  // text does not.
  void add_snippet(Hit& hit) const;
  void add_matched_expansions(Hit& hit) const;

  const ParsedQuery& parsed_;
  const SearchRequest& request_;
  Highlighter highlighter_;
  std::vector<Highlighter> expansion_finders_;  // parallel to parsed.expansions
  bool want_snippet_ = false;
  bool want_expansions_ = false;
  bool want_passage_ = false;
};

}  // namespace treaty
