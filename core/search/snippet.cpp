#include "core/search/snippet.h"

#include <algorithm>

#include "core/base/utf8.h"

namespace treaty {
namespace {

// Does `pattern` occur at text[i]? Same rules as the phrase text_query() builds: consecutive
// units with equal terms, and a Han character joined to the previous one in the query must be
// joined in the text too (their bigram is what the index matches).
bool occurs_at(const std::vector<Unit>& text, std::size_t i, const std::vector<Unit>& pattern) {
  for (std::size_t k = 0; k < pattern.size(); ++k) {
    const Unit& t = text[i + k];
    const Unit& p = pattern[k];
    if (t.kind != p.kind || t.term != p.term) return false;
    if (k > 0 && p.joins_previous && !t.joins_previous) return false;
  }
  return true;
}

// Context kept before the first match of the chosen window, in code points (at most a quarter
// of the window).
constexpr std::size_t kLead = 12;

}  // namespace

void append_html_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

Highlighter::Highlighter(Analyzer& analyzer, const std::vector<std::string>& queries) : analyzer_(&analyzer) {
  for (const std::string& q : queries) {
    Analysis a = analyzer.analyze(q, /*with_words=*/false);
    if (!a.units.empty()) patterns_.push_back(std::move(a.units));
  }
}

std::vector<ByteRange> Highlighter::find(std::string_view text) const {
  std::vector<ByteRange> found;
  if (patterns_.empty() || text.empty()) return found;
  const Analysis analysis = analyzer_->analyze(text, /*with_words=*/false);
  const std::vector<Unit>& units = analysis.units;
  for (const std::vector<Unit>& pattern : patterns_) {
    if (pattern.size() > units.size()) continue;
    for (std::size_t i = 0; i + pattern.size() <= units.size(); ++i)
      if (occurs_at(units, i, pattern)) found.push_back({units[i].begin, units[i + pattern.size() - 1].end});
  }
  std::sort(found.begin(), found.end(),
            [](const ByteRange& a, const ByteRange& b) { return a.begin < b.begin || (a.begin == b.begin && a.end > b.end); });
  std::vector<ByteRange> merged;
  for (const ByteRange& r : found) {
    if (!merged.empty() && r.begin <= merged.back().end) merged.back().end = std::max(merged.back().end, r.end);
    else merged.push_back(r);
  }
  return merged;
}

Snippet Highlighter::snippet(std::string_view text, const SnippetOptions& options) const {
  // Code point boundaries as byte offsets: starts[i] is where code point i begins.
  std::vector<std::size_t> starts;
  starts.reserve(text.size() + 1);
  for (std::size_t i = 0; i < text.size();) {
    starts.push_back(i);
    next_code_point(text, i);
  }
  const std::size_t n = starts.size();
  starts.push_back(text.size());
  auto cp_index = [&](std::size_t byte) {
    return static_cast<std::size_t>(std::lower_bound(starts.begin(), starts.end(), byte) - starts.begin());
  };

  struct CpRange {
    std::size_t begin, end;
  };
  std::vector<CpRange> matches;
  for (const ByteRange& r : find(text)) matches.push_back({cp_index(r.begin), cp_index(r.end)});

  const std::size_t length = std::max<std::size_t>(options.length, 1);
  std::size_t start = 0;
  std::size_t end = std::min(n, length);
  if (n > length && !matches.empty()) {
    auto matched_in = [&](std::size_t s) {
      std::size_t total = 0;
      for (const CpRange& m : matches) {
        const std::size_t b = std::max(m.begin, s), e = std::min(m.end, s + length);
        if (b < e) total += e - b;
      }
      return total;
    };
    const std::size_t lead = std::min(kLead, length / 4);
    std::size_t best = 0;
    for (const CpRange& m : matches) {
      const std::size_t s = std::min(m.begin > lead ? m.begin - lead : 0, n - length);
      const std::size_t score = matched_in(s);
      if (score > best) {
        best = score;
        start = s;
      }
    }
    end = start + length;
    // Never cut a match: widen the window to include any match crossing its ends.
    for (const CpRange& m : matches) {
      if (m.begin < start && m.end > start) start = m.begin;
      if (m.begin < end && m.end > end) end = m.end;
    }
  }

  Snippet out;
  if (start > 0) out.html += options.ellipsis;
  std::size_t cursor = start;
  for (const CpRange& m : matches) {
    if (m.end <= start || m.begin >= end) continue;
    append_html_escaped(out.html, text.substr(starts[cursor], starts[m.begin] - starts[cursor]));
    out.html += options.open_tag;
    append_html_escaped(out.html, text.substr(starts[m.begin], starts[m.end] - starts[m.begin]));
    out.html += options.close_tag;
    out.matched += m.end - m.begin;
    cursor = m.end;
  }
  append_html_escaped(out.html, text.substr(starts[cursor], starts[end] - starts[cursor]));
  if (end < n) out.html += options.ellipsis;
  return out;
}

}  // namespace treaty
