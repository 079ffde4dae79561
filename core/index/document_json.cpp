#include "core/index/document_json.h"

#include "core/documents/gazetteer.h"

namespace treaty {

using nlohmann::json;

const char* kind_name(PassageKind kind) {
  switch (kind) {
    case PassageKind::header: return "header";
    case PassageKind::paragraph: return "paragraph";
    case PassageKind::item: return "item";
    case PassageKind::table_row: return "table_row";
    case PassageKind::footnote: return "footnote";
  }
  return "paragraph";
}

namespace {

json footnote_json(const Footnote& f) {
  return {{"number", f.number}, {"text", f.text}, {"links", f.links}};
}

}  // namespace

json org_json(const std::string& id, const Gazetteer& gazetteer) {
  const Organization* org = gazetteer.find_by_id(id);
  // An organization the document defines (local_org_id): its full name.
  const std::string label = org                             ? org->name_zh
                            : id.starts_with(kLocalOrgPrefix) ? id.substr(kLocalOrgPrefix.size())
                                                              : id;
  return {{"id", id}, {"label", label}, {"acronym", org ? org->acronym : ""}};
}

json passage_to_json(const Document& doc, std::size_t index, const PassageFields& fields,
                     const Gazetteer& gazetteer) {
  return passage_to_json(doc, index, fields, gazetteer, document_facts(doc));
}

json passage_to_json(const Document& doc, std::size_t index, const PassageFields& fields,
                     const Gazetteer& gazetteer, const DocumentFacts& facts) {
  const Passage& p = doc.passages[index];
  json footnotes = json::array();
  for (int n : p.footnotes)
    for (const Footnote& f : doc.footnotes)
      if (f.number == n) footnotes.push_back(footnote_json(f));
  json orgs = json::array();
  for (const std::string& id : fields.orgs) orgs.push_back(org_json(id, gazetteer));
  json dates = json::array();
  for (const DateRange& d : fields.dates)
    dates.push_back({{"from", d.from.iso()}, {"to", d.to.iso()}, {"text", d.text}});
  json decisions = json::array();
  for (const DecisionRef& d : fields.decisions)
    decisions.push_back({{"id", d.id()}, {"label", d.label()}, {"text", d.text}});
  return {{"id", p.id},
          {"doc", doc.symbol},
          {"para", p.para},
          {"kind", kind_name(p.kind)},
          {"order", index},
          {"section", p.section_path},
          {"text", p.text},
          {"footnotes", footnotes},
          {"orgs", orgs},
          {"dates", dates},
          {"decisions", decisions},
          {"symbols", fields.symbols},
          {"title", doc.header.title},
          {"lines", {p.first_line, p.last_line}},
          {"meeting", facts.meeting},
          {"type", facts.type},
          {"issued", facts.issued},
          {"lang", facts.lang}};
}

json facts_to_json(const DocumentFacts& f) {
  return {{"title", f.title},   {"meeting", f.meeting},       {"meeting_label", f.meeting_label},
          {"body", f.body},     {"session", f.session},       {"type", f.type},
          {"type_label", f.type_label}, {"issued", f.issued}, {"lang", f.lang},
          {"distribution", f.distribution}};
}

json document_summary_json(const Document& doc, const DocumentFields& fields) {
  const HeaderInfo& h = doc.header;
  json sections = json::array();
  for (const Section& s : doc.sections)
    sections.push_back({{"label", s.label}, {"title", s.title}, {"level", s.level},
                        {"heading", s.heading()}, {"first_passage", s.first_passage}});
  json ids = json::array();
  for (const Passage& p : doc.passages) ids.push_back(p.id);
  json aliases = json::object();
  for (const auto& [alias, id] : fields.mined_aliases) aliases[alias] = id;
  // "2014 年 10 月 13 日至 17 日，大韩民国平昌": dates before the comma, venue after it.
  std::string dates = h.dates_venue, venue;
  for (std::string_view comma : {"，", ","}) {
    if (auto at = h.dates_venue.rfind(comma); at != std::string::npos) {
      dates = h.dates_venue.substr(0, at);
      venue = h.dates_venue.substr(at + comma.size());
      break;
    }
  }
  return {{"symbol", doc.symbol},
          {"source", doc.source},
          {"header",
           {{"symbol_line", h.symbol_line}, {"meeting", h.meeting}, {"session", h.session},
            {"dates_venue", h.dates_venue}, {"dates", dates}, {"venue", venue}, {"agenda_item", h.agenda_item}, {"title", h.title},
            {"doc_type", h.doc_type}, {"distribution", h.distribution}, {"issued", h.issued},
            {"language", h.language}, {"original", h.original}, {"other_lines", h.other_lines}}},
          {"facts", facts_to_json(document_facts(doc))},
          {"sections", sections},
          {"passage_ids", ids},
          {"mined_aliases", aliases}};
}

json document_to_json(const Document& doc, const DocumentFields& fields, const Gazetteer& gazetteer) {
  json out = document_summary_json(doc, fields);
  json passages = json::array();
  for (std::size_t i = 0; i < doc.passages.size(); ++i)
    passages.push_back(passage_to_json(doc, i, fields.passages[i], gazetteer));
  json footnotes = json::array();
  for (const Footnote& f : doc.footnotes) {
    json j = footnote_json(f);
    j["line"] = f.line;
    if (f.page > 0) j["page"] = f.page;
    footnotes.push_back(j);
  }
  json warnings = json::array();
  for (const ParseWarning& w : doc.warnings) {
    json j = {{"line", w.line}, {"message", w.message}};
    if (w.page > 0) j["page"] = w.page;
    warnings.push_back(std::move(j));
  }
  // A PDF's page furniture: what each page printed around its text, taken out of it.
  json pages = json::array();
  for (const PageFacts& p : doc.pages) pages.push_back({{"page", p.number}, {"label", p.label}, {"furniture", p.furniture}});
  if (!doc.pages.empty()) out["pages"] = pages;
  out["passages"] = passages;
  out["footnotes"] = footnotes;
  out["warnings"] = warnings;
  return out;
}

}  // namespace treaty
