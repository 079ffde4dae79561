#include "core/documents/passage_fields.h"

#include <algorithm>

#include "core/text/normalizer.h"

namespace treaty {
namespace {

template <class T>
void push_unique(std::vector<T>& v, const T& x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

// The text a passage's fields come from: its own text and the footnotes it cites.
std::string field_text(const Document& doc, const Passage& p) {
  std::string text = p.text;
  for (int n : p.footnotes) {
    for (const Footnote& f : doc.footnotes) {
      if (f.number != n) continue;
      text += '\n';
      text += f.text;
    }
  }
  return text;
}

}  // namespace

DocumentFields extract_fields(const Document& doc, const Normalizer& normalizer,
                              const Gazetteer& gazetteer) {
  DocumentFields out;
  std::vector<std::string> normalized;
  normalized.reserve(doc.passages.size());
  for (const Passage& p : doc.passages) normalized.push_back(normalizer.normalize_string(field_text(doc, p)));

  // Short forms defined anywhere in the document apply to every passage of it.
  for (const std::string& text : normalized) {
    for (auto& [alias, id] : gazetteer.mine_aliases(text)) out.mined_aliases.emplace(alias, id);
    // Organizations the gazetteer does not know, by their full and short names.
    for (auto& [name, id] : gazetteer.mine_local_organizations(text)) out.mined_aliases.emplace(name, id);
  }

  out.passages.resize(doc.passages.size());
  // A bare decision or recommendation number belongs to the document's body.
  const DecisionContext context = decision_context(doc.symbol);
  for (std::size_t i = 0; i < doc.passages.size(); ++i) {
    PassageFields& f = out.passages[i];
    const std::string& text = normalized[i];
    for (const OrgMention& m : gazetteer.find_mentions(text, out.mined_aliases)) push_unique(f.orgs, m.id);
    for (DateRange& d : extract_dates(text)) {
      // The same date written twice in a passage is one date for filters and facets.
      const bool seen = std::any_of(f.dates.begin(), f.dates.end(),
                                    [&](const DateRange& e) { return e.iso() == d.iso(); });
      if (!seen) f.dates.push_back(std::move(d));
    }
    for (DecisionRef& d : extract_decisions(text, context)) {
      const bool seen = std::any_of(f.decisions.begin(), f.decisions.end(),
                                    [&](const DecisionRef& e) { return e.id() == d.id(); });
      if (!seen) f.decisions.push_back(std::move(d));
    }
    if (doc.passages[i].kind == PassageKind::header) f.symbols.push_back(doc.symbol);
    for (const std::string& s : extract_symbols(text)) push_unique(f.symbols, s);
  }
  return out;
}

}  // namespace treaty
