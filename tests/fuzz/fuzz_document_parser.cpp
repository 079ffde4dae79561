// libFuzzer target: text extract -> Document (parse_document), then the fields of every passage
// (extract_fields). Checks the parser's contract cheaply: the header passage comes first, sections
// point into the passages, every string is valid UTF-8, and no CJK character is lost or invented
// (page labels "第 N 页" aside), as tests/documents/fixtures_test.cpp checks on the fixtures.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/base/utf8.h"
#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/search/resources.h"

namespace {

using namespace treaty;

const Resources& resources() {
  static const std::unique_ptr<Resources> res = [] {
    auto loaded = Resources::load(ResourcePaths::in_directory(std::string(TREATY_SOURCE_DIR) + "/config"));
    if (!loaded) {
      std::fprintf(stderr, "%s\n", loaded.error().describe().c_str());
      std::abort();
    }
    return std::move(*loaded);
  }();
  return *res;
}

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

void count_cjk(std::string_view text, std::map<char32_t, int>& counts, int delta) {
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    // U+3000 and U+FEFF are layout whitespace to the parser; the parentheses may be a label's.
    if (cp >= 0x2E80 && cp != 0x3000 && cp != 0xFEFF && cp != U'（' && cp != U'）') counts[cp] += delta;
  }
}

// `s` without the layout whitespace the parser trims (parser_lines.cpp, space_length).
std::string_view trim_layout(std::string_view s) {
  constexpr std::string_view kSpaces[] = {" ", "\t", "\r", "\n", "\f", "\v", "\xC2\xA0", "\xE3\x80\x80", "\xEF\xBB\xBF"};
  for (bool again = true; again;) {
    again = false;
    for (std::string_view sp : kSpaces) {
      if (s.starts_with(sp)) s.remove_prefix(sp.size()), again = true;
      if (s.ends_with(sp)) s.remove_suffix(sp.size()), again = true;
    }
  }
  return s;
}

// A page label line "第 3 页" as the parser reads one (parser_lines.cpp): 1-4 digits, blanks
// around them; the only CJK characters it may drop.
bool is_page_label(std::string_view line) {
  std::string_view v = trim_layout(line);
  if (!v.starts_with("第") || !v.ends_with("页")) return false;
  v = v.substr(3, v.size() - 6);
  while (v.starts_with(' ')) v.remove_prefix(1);
  while (v.ends_with(' ')) v.remove_suffix(1);
  if (v.empty() || v.size() > 4) return false;
  for (char c : v)
    if (c < '0' || c > '9') return false;
  return true;
}

void check(std::string_view text, const Document& doc) {
  require(!doc.passages.empty() && doc.passages[0].kind == PassageKind::header, "passages[0] is the header");
  for (const Section& s : doc.sections) {
    require(s.first_passage <= doc.passages.size(), "section points into the passages");
    require(valid_utf8(s.label) && valid_utf8(s.title), "section is UTF-8");
  }
  for (const Passage& p : doc.passages) {
    require(valid_utf8(p.text) && valid_utf8(p.id), "passage is UTF-8");
    require(p.first_line <= p.last_line, "passage lines in order");
  }
  for (const Footnote& f : doc.footnotes) require(valid_utf8(f.text), "footnote is UTF-8");
  // A page model's text (a PDF's source) is laid out, not read line by line: its furniture goes
  // and table rows repeat their header labels, so the count below does not apply.
  if (is_page_model_text(text)) return;

  std::map<char32_t, int> counts;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    if (!is_page_label(line)) count_cjk(line, counts, 1);
    start = end + 1;
  }
  for (const Section& s : doc.sections) count_cjk(s.label + s.title, counts, -1);
  // A footnote whose marker was not found is also a passage of its own: counted once.
  for (const Passage& p : doc.passages)
    if (p.kind != PassageKind::footnote) count_cjk(p.text, counts, -1);
  for (const Footnote& f : doc.footnotes) count_cjk(f.text, counts, -1);
  bool same = true;
  for (const auto& [cp, n] : counts)
    if (n != 0) {
      std::fprintf(stderr, "U+%04X counted %d more in the source than in the parse\n", unsigned(cp), n);
      same = false;
    }
  require(same, "no CJK character lost or invented");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = parse_document(text, ParseOptions{"fuzz", ""});
  // Most mutations lose the symbol; parse those again with one given, to reach the body.
  if (!doc && valid_utf8(text)) doc = parse_document(text, ParseOptions{"fuzz", "UNEP/CBD/NP/COP-MOP/1/6"});
  if (!doc) return 0;
  check(text, *doc);
  const Resources& res = resources();
  const DocumentFields fields = extract_fields(*doc, res.normalizer, res.gazetteer);
  require(fields.passages.size() == doc->passages.size(), "fields parallel to passages");
  return 0;
}

// Loads the resources before the first input, outside libFuzzer's per-input timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)resources();
  return 0;
}
