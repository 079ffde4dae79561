// Describing a passage by its most distinctive terms, for Searcher::similar()'s lexical side
// (relevance feedback).
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "core/search/query_parser.h"

namespace treaty {

struct SimilarQuery {
  ParsedQuery parsed;                  // the terms ORed, the passage itself excluded; an empty
                                       // query (nothing similar) when no term describes it
  std::vector<std::string> described;  // the terms as text (a bigram's two characters, a word as
                                       // it is), also parsed.highlights
};

// The passage `did` (identified by the term `id_term`) described by Xapian's expand set over it:
// Han bigrams without function characters, Han words of two or more characters, Latin words or
// compounds of three or more letters; only terms some other passage has.
SimilarQuery similar_terms_query(const Xapian::Database& db, Xapian::docid did, const std::string& id_term);

}  // namespace treaty
