#include "core/documents/alignment.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/base/utf8.h"

namespace treaty {
namespace {

// The value of a decimal digit of any script the UN languages print (ASCII, Arabic-Indic,
// Extended Arabic-Indic, full-width); -1 for anything else.
int digit_value(char32_t cp) {
  if (cp >= U'0' && cp <= U'9') return static_cast<int>(cp - U'0');
  if (cp >= 0x0660 && cp <= 0x0669) return static_cast<int>(cp - 0x0660);
  if (cp >= 0x06F0 && cp <= 0x06F9) return static_cast<int>(cp - 0x06F0);
  if (cp >= 0xFF10 && cp <= 0xFF19) return static_cast<int>(cp - 0xFF10);
  return -1;
}

// "n:<digits>" for every run of digits of `text`; adds its letters and digits to `length`.
void number_anchors(std::string_view text, std::vector<std::string>& anchors, std::size_t& length) {
  std::string run;
  auto flush = [&] {
    if (!run.empty()) anchors.push_back("n:" + run);
    run.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    const int d = digit_value(cp);
    if (d >= 0) {
      run += static_cast<char>('0' + d);
      ++length;
      continue;
    }
    flush();
    if (is_han(cp) || is_alnum_non_han(cp)) ++length;
  }
  flush();
}

// The ordinal path of each passage's sections of levels 1 and 2 (AlignUnit::section).
std::vector<std::string> section_paths(const Document& doc) {
  std::vector<std::string> paths(doc.passages.size());
  int level1 = 0, level2 = 0;
  std::string current;
  std::size_t next = 0;  // first passage not yet given a path
  auto fill_to = [&](std::size_t end) {
    for (; next < end && next < paths.size(); ++next) paths[next] = current;
  };
  for (const Section& s : doc.sections) {
    if (s.level > 2) continue;  // unlettered sub-headings differ more between languages
    fill_to(s.first_passage);
    if (s.level == 1) {
      ++level1;
      level2 = 0;
      current = std::to_string(level1);
    } else {
      ++level2;
      current = std::to_string(level1) + "." + std::to_string(level2);
    }
  }
  fill_to(paths.size());
  return paths;
}

// Multiset intersection size of two sorted lists.
std::size_t common_count(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::size_t n = 0;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] == b[j]) {
      ++n, ++i, ++j;
    } else if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return n;
}

constexpr double kForbidden = -std::numeric_limits<double>::infinity();
constexpr double kGap = -1.0;    // a passage left without a counterpart
constexpr double kMerge = -1.0;  // two passages linked to one: as costly as leaving one out

// A unit standing for one or two consecutive passages of a version (a merge).
struct Side {
  const AlignUnit* first;
  std::vector<std::string> anchors;
  double share;  // its length as a share of its version's
};

// How well two sides correspond: > 0 better than leaving both unlinked.
double similarity(const Side& a, const Side& b, bool check_sections) {
  const std::size_t common = common_count(a.anchors, b.anchors);
  if (common == 0 && !a.anchors.empty() && !b.anchors.empty()) return kForbidden;  // anchors disagree
  const double differ = static_cast<double>(a.anchors.size() + b.anchors.size() - 2 * common);
  double score = 1.0 * static_cast<double>(std::min<std::size_t>(common, 6)) - 0.5 * differ;
  const double ratio = std::abs(std::log((a.share + 1e-4) / (b.share + 1e-4)));
  score += std::max(-4.0, 1.5 - 3.0 * ratio);
  if (a.first->kind != b.first->kind) score -= 1.5;
  if (a.first->kind == PassageKind::item && b.first->kind == PassageKind::item)
    score += a.first->item == b.first->item ? 0.5 : -0.5;
  if (a.first->para == b.first->para) score += 0.5;
  // Sections differ between versions only when headings were read differently: a hint.
  if (check_sections && a.first->section != b.first->section) score -= 0.5;
  return score;
}

double confidence_of(double score) { return 1.0 / (1.0 + std::exp(-score)); }

struct Version {
  const std::vector<AlignUnit>* units;
  std::size_t total = 0;  // sum of lengths
  Side side(std::size_t i, std::size_t count) const {
    Side s{&(*units)[i], (*units)[i].anchors, 0};
    std::size_t length = (*units)[i].length;
    if (count == 2) {
      const AlignUnit& next = (*units)[i + 1];
      s.anchors.insert(s.anchors.end(), next.anchors.begin(), next.anchors.end());
      std::sort(s.anchors.begin(), s.anchors.end());
      length += next.length;
    }
    s.share = total == 0 ? 0 : static_cast<double>(length) / static_cast<double>(total);
    return s;
  }
};

// Aligns a[a0, a1) with b[b0, b1) into `out`.
void align_range(const Version& a, std::size_t a0, std::size_t a1, const Version& b, std::size_t b0, std::size_t b1,
                 bool check_sections, Alignment& out) {
  const std::size_t n = a1 - a0, m = b1 - b0;
  // score[i][j]: best alignment of the first i of a's range with the first j of b's; move[i][j]
  // how it ends (da, db: passages of a and b it takes), link the score of its link (if any).
  struct Cell {
    double score = kForbidden;
    int da = 0, db = 0;
    double link = 0;
  };
  std::vector<Cell> cells((n + 1) * (m + 1));
  auto at = [&](std::size_t i, std::size_t j) -> Cell& { return cells[i * (m + 1) + j]; };
  // Each passage and each pair of neighbours as a side, made once rather than per cell.
  auto sides = [](const Version& v, std::size_t first, std::size_t end, std::size_t count) {
    std::vector<Side> made;
    for (std::size_t k = first; k + count <= end; ++k) made.push_back(v.side(k, count));
    return made;
  };
  const std::vector<Side> one_a = sides(a, a0, a1, 1), two_a = sides(a, a0, a1, 2);
  const std::vector<Side> one_b = sides(b, b0, b1, 1), two_b = sides(b, b0, b1, 2);
  at(0, 0).score = 0;
  for (std::size_t i = 0; i <= n; ++i) {
    for (std::size_t j = 0; j <= m; ++j) {
      Cell& c = at(i, j);
      auto offer = [&](double base, double link, int da, int db) {
        if (base == kForbidden || link == kForbidden) return;
        const double total = base + link;
        if (total > c.score) c = Cell{total, da, db, link};
      };
      if (i > 0) offer(at(i - 1, j).score, kGap, 1, 0);
      if (j > 0) offer(at(i, j - 1).score, kGap, 0, 1);
      if (i > 0 && j > 0) {
        const double s = similarity(one_a[i - 1], one_b[j - 1], check_sections);
        if (s > 0) offer(at(i - 1, j - 1).score, s, 1, 1);
      }
      if (i > 1 && j > 0) {
        const double s = similarity(two_a[i - 2], one_b[j - 1], check_sections) + kMerge;
        if (s > 0) offer(at(i - 2, j - 1).score, s, 2, 1);
      }
      if (i > 0 && j > 1) {
        const double s = similarity(one_a[i - 1], two_b[j - 2], check_sections) + kMerge;
        if (s > 0) offer(at(i - 1, j - 2).score, s, 1, 2);
      }
    }
  }
  // Back from the end, then in document order.
  Alignment part;
  for (std::size_t i = n, j = m; i > 0 || j > 0;) {
    const Cell& c = at(i, j);
    const auto& ua = *a.units;
    const auto& ub = *b.units;
    if (c.da == 1 && c.db == 0) {
      part.unlinked_a.push_back(ua[a0 + i - 1].para);
    } else if (c.da == 0 && c.db == 1) {
      part.unlinked_b.push_back(ub[b0 + j - 1].para);
    } else {
      const double conf = confidence_of(c.link);
      // Pushed last first, like everything on the way back (reversed below).
      for (int db = 1; db <= c.db; ++db)
        for (int da = 1; da <= c.da; ++da)
          part.links.push_back({ua[a0 + i - static_cast<std::size_t>(da)].para,
                                ub[b0 + j - static_cast<std::size_t>(db)].para, conf});
    }
    i -= static_cast<std::size_t>(c.da);
    j -= static_cast<std::size_t>(c.db);
  }
  std::reverse(part.links.begin(), part.links.end());
  std::reverse(part.unlinked_a.begin(), part.unlinked_a.end());
  std::reverse(part.unlinked_b.begin(), part.unlinked_b.end());
  out.links.insert(out.links.end(), part.links.begin(), part.links.end());
  out.unlinked_a.insert(out.unlinked_a.end(), part.unlinked_a.begin(), part.unlinked_a.end());
  out.unlinked_b.insert(out.unlinked_b.end(), part.unlinked_b.begin(), part.unlinked_b.end());
}

// Boundaries of the runs of units with the same section: {begin, end} pairs.
std::vector<std::pair<std::size_t, std::size_t>> section_runs(const std::vector<AlignUnit>& units) {
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (runs.empty() || units[runs.back().first].section != units[i].section) runs.emplace_back(i, i);
    runs.back().second = i + 1;
  }
  return runs;
}

}  // namespace

std::vector<AlignUnit> align_units(const Document& doc, const DocumentFields& fields) {
  const std::vector<std::string> sections = section_paths(doc);
  std::vector<AlignUnit> units;
  for (std::size_t i = 0; i < doc.passages.size(); ++i) {
    const Passage& p = doc.passages[i];
    if (p.kind == PassageKind::header) continue;
    AlignUnit u;
    u.para = p.para;
    u.kind = p.kind;
    u.item = p.item;
    u.section = sections[i];
    number_anchors(p.text, u.anchors, u.length);
    if (i < fields.passages.size()) {
      const PassageFields& f = fields.passages[i];
      // Symbols are read alike in every language. Dates and decision references are not (yet):
      // their grammars are fuller in Chinese, and an anchor one version lacks only because it
      // was not recognised there would count against a true link; their digits are anchors.
      for (const std::string& s : f.symbols) u.anchors.push_back("s:" + ascii_upper(s));
    }
    for (int n : p.footnotes) u.anchors.push_back("f:" + std::to_string(n));
    std::sort(u.anchors.begin(), u.anchors.end());
    units.push_back(std::move(u));
  }
  return units;
}

Alignment align_versions(const std::vector<AlignUnit>& a, const std::vector<AlignUnit>& b) {
  Version va{&a}, vb{&b};
  for (const AlignUnit& u : a) va.total += u.length;
  for (const AlignUnit& u : b) vb.total += u.length;
  Alignment out;
  const auto runs_a = section_runs(a), runs_b = section_runs(b);
  bool same_sections = runs_a.size() == runs_b.size();
  for (std::size_t k = 0; same_sections && k < runs_a.size(); ++k)
    same_sections = a[runs_a[k].first].section == b[runs_b[k].first].section;
  if (same_sections) {
    for (std::size_t k = 0; k < runs_a.size(); ++k)
      align_range(va, runs_a[k].first, runs_a[k].second, vb, runs_b[k].first, runs_b[k].second, false, out);
  } else {
    align_range(va, 0, a.size(), vb, 0, b.size(), true, out);
  }
  return out;
}

}  // namespace treaty
