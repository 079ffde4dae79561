// libFuzzer target: the query language. parse_query_syntax() (never fails on UTF-8), describe(),
// then parse_query() with the project's resources and thesaurus, in both heading modes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "core/base/utf8.h"
#include "core/search/query_parser.h"
#include "core/search/resources.h"
#include "core/text/analyzer.h"

namespace {

using namespace treaty;

struct State {
  std::unique_ptr<Resources> res;
  std::unique_ptr<Analyzer> analyzer;
};

State& state() {
  static State s = [] {
    auto loaded = Resources::load(ResourcePaths::in_directory(std::string(TREATY_SOURCE_DIR) + "/config"));
    if (!loaded) {
      std::fprintf(stderr, "%s\n", loaded.error().describe().c_str());
      std::abort();
    }
    State st{std::move(*loaded), nullptr};
    st.analyzer = std::make_unique<Analyzer>(st.res->normalizer, st.res->lexicon);
    return st;
  }();
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view q(reinterpret_cast<const char*>(data), size);
  if (!valid_utf8(q)) return 0;  // searchd refuses invalid UTF-8 before parsing
  const QueryNode node = parse_query_syntax(q);
  (void)node.describe();

  State& s = state();
  QueryParserOptions options;
  options.thesaurus = &s.res->thesaurus;
  options.whole_paragraphs = size % 2 == 1;
  options.headings_match = size % 3 != 0;
  const auto parsed = parse_query(q, *s.analyzer, s.res->gazetteer, options);
  if (parsed) {
    (void)parsed->query.get_description();
    if (!valid_utf8(parsed->semantic_text)) std::abort();
  }
  return 0;
}

// Loads the resources before the first input, outside libFuzzer's per-input timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)state();
  return 0;
}
