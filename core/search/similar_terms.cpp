#include "core/search/similar_terms.h"

#include <algorithm>
#include <string_view>

#include "core/index/schema.h"

namespace treaty {
namespace {

// Grammatical characters that glue Chinese words together; a bigram holding one mostly spans a
// word boundary.
bool has_function_character(std::string_view text) {
  static constexpr std::string_view kFunction[] = {"的", "了", "和", "与", "在", "是", "及", "或", "等",
                                                   "之", "其", "为", "对", "于", "以", "并", "也", "将"};
  return std::any_of(std::begin(kFunction), std::end(kFunction),
                     [&](std::string_view c) { return text.find(c) != std::string_view::npos; });
}

// Terms worth describing a passage by, for similar(): Han bigrams (without function
// characters), Han words of two or more characters, and Latin words or compounds of three or more characters that are not numbers;
// only terms some other passage has (the rest can find nothing). Single characters, section
// text, field and identity terms are left out.
class SimilarTermDecider : public Xapian::ExpandDecider {
 public:
  explicit SimilarTermDecider(const Xapian::Database& db) : db_(db) {}

  bool operator()(const std::string& term) const override {
    if (term.empty()) return false;
    const auto first = static_cast<unsigned char>(term[0]);
    bool useful = false;
    if (term.starts_with(schema::kHanBigram)) {
      // B + two Han characters, neither a function character: 的加 spans two words and
      // describes nothing.
      const std::string_view pair = std::string_view(term).substr(schema::kHanBigram.size());
      useful = !pair.empty() && static_cast<unsigned char>(pair[0]) >= 0x80 && !has_function_character(pair);
    } else if (first >= 0x80) {
      // A Han word of two or more characters; of two, not glued by a function character (是在).
      useful = term.size() > 6 || (term.size() == 6 && !has_function_character(term));
    } else if (first >= 'a' && first <= 'z') {
      useful = term.size() >= 3;  // prefixes are upper case; numbers start with a digit
    }
    return useful && db_.get_termfreq(term) > 1;
  }

 private:
  const Xapian::Database& db_;
};

// How many terms describe a passage for similar(): enough to find passages on the same topic
// in other words, few enough that one shared common word does not decide.
constexpr Xapian::termcount kSimilarTerms = 20;

}  // namespace

SimilarQuery similar_terms_query(const Xapian::Database& db, Xapian::docid did, const std::string& id_term) {
  Xapian::RSet rset;
  rset.add_document(did);
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(id_term));
  const SimilarTermDecider decider(db);
  const Xapian::ESet eset = enquire.get_eset(kSimilarTerms, rset, &decider);

  SimilarQuery out;
  ParsedQuery& parsed = out.parsed;
  std::vector<Xapian::Query> terms;
  std::vector<std::string>& described = out.described;
  for (Xapian::ESetIterator it = eset.begin(); it != eset.end(); ++it) {
    const std::string term = *it;
    terms.emplace_back(term);
    // Highlight what the terms are in the text: a bigram's two characters, a word as it is.
    const std::string text = term.starts_with(schema::kHanBigram) ? term.substr(schema::kHanBigram.size()) : term;
    if (std::find(described.begin(), described.end(), text) != described.end()) continue;
    parsed.highlights.push_back(text);
    described.push_back(text);
  }
  if (terms.empty()) {
    parsed.query = Xapian::Query();  // nothing distinctive: nothing similar
  } else {
    parsed.query = Xapian::Query(Xapian::Query::OP_AND_NOT,
                                 Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()), Xapian::Query(id_term));
    parsed.has_text = true;
  }
  return out;
}

}  // namespace treaty
