#include "core/search/query_parser.h"

#include <algorithm>
#include <map>
#include <optional>

#include "core/base/utf8.h"
#include "core/index/schema.h"
#include "core/index/text_terms.h"
#include "core/search/filters.h"
#include "core/search/thesaurus.h"
#include "core/text/analyzer.h"

namespace treaty {
namespace {

// ---- Lexer ------------------------------------------------------------------------------------

enum class TokenKind { lparen, rparen, or_, not_, word, phrase, field };

struct Token {
  TokenKind kind;
  std::string text;   // word / phrase text, or the field value
  std::string field;  // field name, lower case
};

// Deeper nesting is flattened: it only guards the recursion, no real query comes close.
constexpr int kMaxDepth = 32;

bool is_space(char32_t cp) { return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000; }
bool is_quote(char32_t cp) { return cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0xFF02; }
bool is_minus(char32_t cp) { return cp == '-' || cp == 0xFF0D; }

class Lexer {
 public:
  explicit Lexer(std::string_view q) : q_(q) {}

  std::vector<Token> tokens() {
    std::vector<Token> out;
    while (true) {
      skip_spaces();
      if (at_end()) break;
      const char32_t cp = peek();
      if (cp == '(') {
        advance();
        out.push_back({TokenKind::lparen, {}, {}});
      } else if (cp == ')') {
        advance();
        out.push_back({TokenKind::rparen, {}, {}});
      } else if (is_quote(cp)) {
        out.push_back({TokenKind::phrase, read_phrase(), {}});
      } else if (is_minus(cp)) {
        advance();
        // Only a '-' directly before something negates; a lone one is ignored.
        if (!at_end() && !is_space(peek()) && peek() != ')') out.push_back({TokenKind::not_, {}, {}});
      } else {
        out.push_back(read_word_or_field());
      }
    }
    return out;
  }

 private:
  bool at_end() const { return pos_ >= q_.size(); }
  char32_t peek() const {
    std::size_t i = pos_;
    return next_code_point(q_, i);
  }
  char32_t advance() { return next_code_point(q_, pos_); }
  void skip_spaces() {
    while (!at_end() && is_space(peek())) advance();
  }

  // From an opening quote to the next quote of any kind, or the end (closed implicitly).
  std::string read_phrase() {
    advance();
    const std::size_t start = pos_;
    while (!at_end() && !is_quote(peek())) advance();
    std::string text(q_.substr(start, pos_ - start));
    if (!at_end()) advance();
    return text;
  }

  // Up to a space, a quote or an unmatched ')'; parentheses inside a word ("27(b)") stay in it.
  std::string read_word() {
    const std::size_t start = pos_;
    int depth = 0;
    while (!at_end()) {
      const char32_t cp = peek();
      if (is_space(cp) || is_quote(cp)) break;
      if (cp == '(') ++depth;
      if (cp == ')' && depth-- == 0) break;
      advance();
    }
    return std::string(q_.substr(start, pos_ - start));
  }

  Token read_word_or_field() {
    std::string word = read_word();
    if (word == "OR") return {TokenKind::or_, {}, {}};
    for (std::string_view name : kFilterFields) {
      if (word.size() <= name.size()) continue;
      bool same = true;
      for (std::size_t i = 0; i < name.size(); ++i)
        same = same && (word[i] | 0x20) == name[i];  // ASCII case-insensitive
      if (!same) continue;
      std::string_view rest = std::string_view(word).substr(name.size());
      std::size_t colon = 0;
      if (rest.starts_with(":")) colon = 1;
      else if (rest.starts_with("\xEF\xBC\x9A")) colon = 3;  // full-width colon
      if (colon == 0) continue;
      std::string value(rest.substr(colon));
      if (value.empty()) {
        // "org:"粮农 组织"" or "org: 粮农组织": the value is the next phrase or word.
        skip_spaces();
        if (!at_end() && is_quote(peek())) value = read_phrase();
        else if (!at_end() && peek() != ')' && peek() != '(') value = read_word();
      }
      return {TokenKind::field, std::move(value), std::string(name)};
    }
    return {TokenKind::word, std::move(word), {}};
  }

  std::string_view q_;
  std::size_t pos_ = 0;
};

// ---- Parser -----------------------------------------------------------------------------------

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  QueryNode parse() {
    std::optional<QueryNode> root = parse_and(0);
    return root ? std::move(*root) : QueryNode{};
  }

 private:
  bool at_end() const { return pos_ >= tokens_.size(); }
  TokenKind peek() const { return tokens_[pos_].kind; }
  bool at_operand() const {
    if (at_end()) return false;
    const TokenKind k = peek();
    return k != TokenKind::rparen && k != TokenKind::or_;
  }

  static std::optional<QueryNode> collapse(QueryNode::Kind kind, std::vector<QueryNode> children) {
    if (children.empty()) return std::nullopt;
    if (children.size() == 1) return std::move(children.front());
    QueryNode node;
    node.kind = kind;
    node.children = std::move(children);
    return node;
  }

  // Items up to the end, or up to the ')' closing this group (a stray ')' at the top level is
  // skipped; a missing one is implied at the end).
  std::optional<QueryNode> parse_and(int depth) {
    std::vector<QueryNode> items;
    while (!at_end()) {
      if (peek() == TokenKind::rparen) {
        ++pos_;
        if (depth > 0) break;
        continue;
      }
      if (peek() == TokenKind::or_) {  // OR with nothing before it
        ++pos_;
        continue;
      }
      if (auto item = parse_or(depth)) items.push_back(std::move(*item));
    }
    return collapse(QueryNode::Kind::and_, std::move(items));
  }

  std::optional<QueryNode> parse_or(int depth) {
    std::vector<QueryNode> alternatives;
    if (auto first = parse_unary(depth)) alternatives.push_back(std::move(*first));
    while (!at_end() && peek() == TokenKind::or_) {
      ++pos_;
      if (!at_operand()) continue;  // OR before ')' or at the end
      if (auto next = parse_unary(depth)) alternatives.push_back(std::move(*next));
    }
    return collapse(QueryNode::Kind::or_, std::move(alternatives));
  }

  // Precondition: at_operand().
  // A run of '-' is counted, not recursed into: double negation cancels ("--a" is a, "---a" is
  // NOT(a)), so no run of dashes can nest the tree deeply.
  std::optional<QueryNode> parse_unary(int depth) {
    int negations = 0;
    while (!at_end() && peek() == TokenKind::not_) {
      ++pos_;
      ++negations;
    }
    if (negations > 0 && !at_operand()) return std::nullopt;
    std::optional<QueryNode> node = parse_primary(depth);
    if (!node || negations % 2 == 0) return node;
    QueryNode negated;
    negated.kind = QueryNode::Kind::not_;
    negated.children.push_back(std::move(*node));
    return negated;
  }

  std::optional<QueryNode> parse_primary(int depth) {
    Token& t = tokens_[pos_++];
    switch (t.kind) {
      case TokenKind::lparen:
        if (depth >= kMaxDepth) return std::nullopt;  // flatten: the group's items follow
        return parse_and(depth + 1);
      case TokenKind::word:
      case TokenKind::phrase:
      case TokenKind::field: {
        QueryNode node;
        node.kind = t.kind == TokenKind::word     ? QueryNode::Kind::word
                    : t.kind == TokenKind::phrase ? QueryNode::Kind::phrase
                                                  : QueryNode::Kind::field;
        node.text = std::move(t.text);
        node.field = std::move(t.field);
        return node;
      }
      case TokenKind::not_:  // handled by parse_unary; only reached through recursion limits
      case TokenKind::rparen:
      case TokenKind::or_:
        break;
    }
    return std::nullopt;
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
};

// ---- Field values -----------------------------------------------------------------------------

// ---- Translation ------------------------------------------------------------------------------

// Every document. Not Xapian::Query::MatchAll: that is one shared object whose (non-atomic)
// reference count every copy touches, so copying it from several threads corrupts it.
Xapian::Query match_all() { return Xapian::Query(std::string()); }

// Nothing (a query without internals: copies share no state).
Xapian::Query match_nothing() { return Xapian::Query(); }

// English function words. With expansion on, an English query ("workshops in Africa") is
// translated term by term; a required "in" would then match no Chinese passage, so such words
// are dropped when the query has other words (multi-word terms such as "memorandum of
// cooperation" keep theirs).
bool is_english_stopword(std::string_view word) {
  static constexpr std::string_view kStopwords[] = {
      "a",     "an",    "and",  "are",   "as",  "at",  "be",   "by",   "for",   "from",
      "how",   "in",    "into", "is",    "its", "of",  "on",   "or",   "that",  "the",
      "their", "these", "this", "those", "to",  "was", "were", "what", "which", "with"};
  std::string lower(word);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return std::find(std::begin(kStopwords), std::end(kStopwords), lower) != std::end(kStopwords);
}

Xapian::Query excluding(Xapian::Query q) {
  return Xapian::Query(Xapian::Query::OP_AND_NOT, match_all(), std::move(q));
}

class Translator {
 public:
  Translator(Analyzer& analyzer, const Gazetteer& gazetteer, const QueryParserOptions& options,
             ParsedQuery& out)
      : analyzer_(analyzer), filters_(analyzer.normalizer(), gazetteer, options.database), options_(options), out_(out) {}

  // An empty optional: the node contributes nothing (a word of punctuation, an empty group).
  Expected<std::optional<Xapian::Query>> build(const QueryNode& node, bool positive) {
    using Kind = QueryNode::Kind;
    switch (node.kind) {
      case Kind::match_all:
        return match_all();
      case Kind::word:
      case Kind::phrase:
        return text(node.text, positive, true, node.kind == Kind::word);
      case Kind::field:
        return field(node.field, node.text);
      case Kind::not_: {
        auto inner = build(node.children.front(), !positive);
        if (!inner) return std::unexpected(inner.error());
        if (!*inner) return std::nullopt;
        return excluding(std::move(**inner));
      }
      case Kind::or_: {
        std::vector<Xapian::Query> alternatives;
        for (const QueryNode& child : node.children) {
          auto q = build(child, positive);
          if (!q) return std::unexpected(q.error());
          if (*q) alternatives.push_back(std::move(**q));
        }
        if (alternatives.empty()) return std::nullopt;
        return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
      }
      case Kind::and_: {
        // Negated children become AND_NOT of the required ones (or of everything).
        std::vector<Xapian::Query> required, excluded;
        const std::map<std::size_t, std::size_t> runs =
            positive ? multiword_runs(node.children) : std::map<std::size_t, std::size_t>{};
        const bool drop_stopwords =
            positive && options_.thesaurus &&
            std::any_of(node.children.begin(), node.children.end(), [](const QueryNode& c) {
              return (c.kind == Kind::word && !is_english_stopword(c.text)) || c.kind == Kind::phrase;
            });
        for (std::size_t i = 0; i < node.children.size(); ++i) {
          const QueryNode& child = node.children[i];
          if (auto run = runs.find(i); run != runs.end()) {
            required.push_back(words_as_one(node.children, i, run->second));
            i += run->second - 1;
            continue;
          }
          if (drop_stopwords && child.kind == Kind::word && is_english_stopword(child.text)) {
            out_.warnings.push_back("ignored \"" + child.text + "\": a common English word");
            continue;
          }
          const bool negated = child.kind == Kind::not_;
          auto q = build(negated ? child.children.front() : child, negated ? !positive : positive);
          if (!q) return std::unexpected(q.error());
          if (*q) (negated ? excluded : required).push_back(std::move(**q));
        }
        if (required.empty() && excluded.empty()) return std::nullopt;
        Xapian::Query base = required.empty() ? match_all()
                             : required.size() == 1
                                 ? required.front()
                                 : Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
        if (excluded.empty()) return base;
        return Xapian::Query(Xapian::Query::OP_AND_NOT, base,
                             Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
      }
    }
    return std::nullopt;
  }

 private:
  // A word or phrase as typed, and (when positive, with a thesaurus, unless `expand` is false)
  // its expansions.
  // An unquoted word (`stem`) matches its stems in the languages that have a stemmer too.
  std::optional<Xapian::Query> text(const std::string& typed, bool positive, bool expand = true, bool stem = false) {
    const Analysis analysis = analyzer_.analyze(typed);
    if (analysis.units.empty()) {
      out_.warnings.push_back("ignored \"" + typed + "\": nothing searchable in it");
      return std::nullopt;
    }
    if (positive) {
      out_.has_text = true;
      out_.highlights.push_back(typed);
      if (!out_.semantic_text.empty()) out_.semantic_text += ' ';
      out_.semantic_text += typed;
    }
    Xapian::Query literal = match(analysis, stem);
    if (!positive || !expand || !options_.thesaurus) return literal;
    return with_expansions(std::move(literal), typed);
  }

  // Where the analysed text occurs in a passage: its body (text and cited footnotes) or a section
  // heading above it, scaled up. With headings_match off, a heading holding the text too still
  // ranks the passage higher but does not make it match.
  // With whole_paragraphs, a lead-in's items count as its body.
  // With `stem`, a text of one word also matches the word's stems (schema::kStem): workshops
  // finds workshop in an English passage, семинаров семинар in a Russian one.
  Xapian::Query match(const Analysis& analysis, bool stem = false) const {
    const bool lexicon = options_.lexicon_terms;
    const bool one_word =
        stem && analysis.units.size() == 1 && analysis.units[0].kind == UnitKind::alnum && analysis.compounds.empty();
    // The text under `prefix`, or any of the word's stems there.
    const auto in = [&](const std::string& prefix) {
      Xapian::Query q = text_query(analysis, prefix, lexicon);
      if (!one_word) return q;
      std::vector<Xapian::Query> forms{q};
      if (!stemmers_) stemmers_.emplace();
      for (const std::string& t : stem_terms(analysis.units[0].term, *stemmers_, prefix)) forms.emplace_back(t);
      return forms.size() > 1 ? Xapian::Query(Xapian::Query::OP_SYNONYM, forms.begin(), forms.end()) : q;
    };
    Xapian::Query body = in({});
    if (options_.whole_paragraphs) body = Xapian::Query(Xapian::Query::OP_OR, body, in(std::string(schema::kItemText)));
    return Xapian::Query(options_.headings_match ? Xapian::Query::OP_OR : Xapian::Query::OP_AND_MAYBE, body,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, in(std::string(schema::kSectionText)),
                                       options_.section_boost));
  }

  // `literal`, or at options_.expansion_weight any thesaurus variant of `typed`. A variant goes
  // through the Analyzer and text_query() like typed text (Chinese as exact substrings, English
  // as phrases), is highlighted in snippets and recorded for explanations.
  Xapian::Query with_expansions(Xapian::Query literal, const std::string& typed) {
    std::vector<Xapian::Query> alternatives;
    for (ThesaurusVariant& v : options_.thesaurus->variants(typed)) {
      const Analysis analysis = analyzer_.analyze(v.text);
      if (analysis.units.empty()) continue;
      alternatives.push_back(match(analysis));
      out_.highlights.push_back(v.text);
      out_.expansions.push_back({std::move(v.text), std::move(v.replacements)});
    }
    if (alternatives.empty()) return literal;
    return Xapian::Query(Xapian::Query::OP_OR, literal,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                       Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end()),
                                       options_.expansion_weight));
  }

  // Child index -> length, for each run of consecutive word children that together form one
  // thesaurus term ("capacity" "building").
  std::map<std::size_t, std::size_t> multiword_runs(const std::vector<QueryNode>& children) const {
    std::map<std::size_t, std::size_t> out;
    if (!options_.thesaurus) return out;
    for (std::size_t i = 0; i < children.size();) {
      if (children[i].kind != QueryNode::Kind::word) {
        ++i;
        continue;
      }
      std::vector<std::string> words;
      const std::size_t first = i;
      for (; i < children.size() && children[i].kind == QueryNode::Kind::word; ++i) words.push_back(children[i].text);
      for (const Thesaurus::WordRun& run : options_.thesaurus->multiword_terms(words))
        out.emplace(first + run.first, run.count);
    }
    return out;
  }

  // The words children[first, first + count) as typed (all required), or their joint term's
  // expansions ("capacity building" -> 能力建设).
  Xapian::Query words_as_one(const std::vector<QueryNode>& children, std::size_t first, std::size_t count) {
    std::vector<Xapian::Query> literal;
    std::string joined;
    for (std::size_t k = first; k < first + count; ++k) {
      if (auto q = text(children[k].text, true, false)) literal.push_back(std::move(*q));
      if (k > first) joined += ' ';
      joined += children[k].text;
    }
    Xapian::Query all = literal.empty()       ? match_nothing()
                        : literal.size() == 1 ? literal.front()
                                              : Xapian::Query(Xapian::Query::OP_AND, literal.begin(), literal.end());
    return with_expansions(std::move(all), joined);
  }

  Expected<std::optional<Xapian::Query>> field(const std::string& name, const std::string& raw) {
    const std::string_view value = trim_blank(raw);
    if (value.empty()) return fail(name + ": needs a value, e.g. " + example(name));
    auto q = name == "date" ? filters_.date(value, options_.date_relation)
                            : filters_.value(name, value, FilterSyntax::query_field, out_.warnings);
    if (!q) return std::unexpected(q.error());
    return std::move(*q);
  }

  static std::string example(const std::string& name) {
    if (name == "org") return "org:粮农组织";
    if (name == "year") return "year:2014";
    if (name == "decision") return "decision:XI/1";
    if (name == "symbol") return "symbol:UNEP/CBD/COP/12/24";
    if (name == "kind") return "kind:paragraph";
    if (name == "doc") return "doc:CBD/NP/MOP/3/4";
    if (name == "meeting") return "meeting:np-mop:1";
    if (name == "type") return "type:note";
    if (name == "lang") return "lang:zh";
    if (name == "issued") return "issued:2018";
    return "date:2014-05..2014-06";
  }

  Analyzer& analyzer_;
  // This translation's, made at the first word that needs them (most queries are Chinese):
  // Snowball stemmers keep state.
  mutable std::optional<Stemmers> stemmers_;
  FilterBuilder filters_;
  const QueryParserOptions& options_;
  ParsedQuery& out_;
};

void describe_into(const QueryNode& node, std::string& out) {
  using Kind = QueryNode::Kind;
  switch (node.kind) {
    case Kind::match_all: out += "ALL"; return;
    case Kind::word: out += "word:" + node.text; return;
    case Kind::phrase: out += "phrase:" + node.text; return;
    case Kind::field: out += "field:" + node.field + "=" + node.text; return;
    case Kind::and_: out += "AND("; break;
    case Kind::or_: out += "OR("; break;
    case Kind::not_: out += "NOT("; break;
  }
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    if (i > 0) out += ' ';
    describe_into(node.children[i], out);
  }
  out += ')';
}

}  // namespace

std::string QueryNode::describe() const {
  std::string out;
  describe_into(*this, out);
  return out;
}

QueryNode parse_query_syntax(std::string_view q) { return Parser(Lexer(q).tokens()).parse(); }

std::size_t count_clauses(const QueryNode& node) {
  using Kind = QueryNode::Kind;
  if (node.kind == Kind::word || node.kind == Kind::phrase || node.kind == Kind::field) return 1;
  std::size_t n = 0;
  for (const QueryNode& child : node.children) n += count_clauses(child);
  return n;
}

Expected<ParsedQuery> parse_query(std::string_view q, Analyzer& analyzer, const Gazetteer& gazetteer,
                                  const QueryParserOptions& options) {
  std::size_t bad = 0;
  if (!valid_utf8(q, &bad)) return fail("query is not valid UTF-8 (byte " + std::to_string(bad) + ")");
  const QueryNode root = parse_query_syntax(q);
  const QueryLimits& limits = options.limits;
  if (const std::size_t clauses = count_clauses(root); clauses > limits.max_clauses)
    return fail("query has " + std::to_string(clauses) + " clauses; the limit is " + std::to_string(limits.max_clauses));
  ParsedQuery out;
  Translator translator(analyzer, gazetteer, options, out);
  auto query = translator.build(root, true);
  if (!query) return std::unexpected(query.error());
  if (out.expansions.size() > limits.max_expansions)
    return fail("query expands to " + std::to_string(out.expansions.size()) +
                " thesaurus variants; the limit is " + std::to_string(limits.max_expansions) +
                " (fewer words, or mode=lexical)");
  out.query = *query ? std::move(**query) : match_all();
  return out;
}

}  // namespace treaty
