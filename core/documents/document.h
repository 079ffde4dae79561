// The parsed form of one COP-MOP document: header block, sections, passages, footnotes.
#pragma once

#include <string>
#include <vector>

namespace treaty {

// Footnote texts are moved from page bottoms to the passage that cites them.
struct Footnote {
  int number = 0;                  // 1, 2, ...
  std::string text;                // the footnote's text, lines rejoined
  std::vector<std::string> links;  // bare URL lines the PDF extract repeats after the footnote
                                   // area (link annotations); kept so no text is lost
  int line = 0;                    // 1-based source line of the footnote's first line (for a
                                   // PDF: its printed line, counted over the whole document)
  int page = 0;                    // 1-based page it starts on (PDFs); 0 when not known
};

// A section heading: "一. 导言" (level 1), "A. 粮食和农业…" (level 2), or an unlettered
// sub-heading such as "世界菌种收集联合会" under K (level 3).
struct Section {
  std::string label;          // "一", "A", or "" for unlettered headings
  std::string title;          // heading text without the label
  int level = 1;
  int line = 0;               // 1-based source line
  std::size_t first_passage;  // index in Document::passages of the first passage after it

  // "一. 导言", "A. 粮食和农业…", or the title alone.
  std::string heading() const { return label.empty() ? title : label + ". " + title; }
};

// table_row: one data row of a table ("table-1/row-3"); footnote: a footnote whose marker was not
// found, kept as a passage of its own after the paragraph nearest to it ("21/note-3").
enum class PassageKind { header, paragraph, item, table_row, footnote };

struct Passage {
  std::string id;         // "<symbol>#<para>", e.g. "UNEP/CBD/NP/COP-MOP/1/6#27(b)"
  PassageKind kind = PassageKind::paragraph;
  std::string para;       // "header", "12", "27(b)", "table-1/row-3", "21/note-3"
  int number = 0;         // paragraph number; 0 for the header block
  std::string item;       // "b" for "27(b)"; empty otherwise
  std::string text;       // rejoined text without running headers or footnote markers.
                          // For a paragraph with items: its lead-in only.
  std::vector<std::string> section_path;  // Section::heading() of the enclosing sections, outermost first
  std::vector<int> footnotes;             // numbers of the footnotes this passage cites
  int first_line = 0;     // 1-based source lines spanned
  int last_line = 0;
};

// Fields of the header block, as found (empty when absent).
struct HeaderInfo {
  std::string symbol_line;   // symbol as printed in the header, if the header has one
  std::string meeting;       // "作为…缔约方大会"
  std::string session;       // "第一次会议"
  std::string dates_venue;   // "2014 年 10 月 13 日至 17 日，大韩民国平昌"
  std::string agenda_item;   // "临时议程*项目 14"
  std::string title;         // "与其他公约、国际组织和倡议的合作"
  std::string doc_type;      // "执行秘书的说明"
  std::string distribution;  // "general" | "limited" (from "Distr.: General"); "" when not printed
  std::string issued;        // the cover's issue date, ISO "2018-10-05"; "" when not printed
  std::string language;      // the document's language from the cover ("zh" for 中文/CHINESE); ""
  std::string original;      // the original's language ("en" for "Original: English"/原文：英文); ""
  std::vector<std::string> other_lines;  // "联合国", "Distr.: General", issue date, languages, ...
};

// Something the parser could not read as expected; the text concerned is kept regardless
// (numbering gaps and repeats, lines it could not classify).
struct ParseWarning {
  int line = 0;         // 1-based source line (for a PDF: printed line over the whole document)
  std::string message;  // "numbering gap: paragraph 4 is followed by 6"
  int page = 0;         // 1-based page (PDFs); 0 for a text extract
};

// What a PDF page prints around its text: running headers and footers, taken out of the text.
struct PageFacts {
  int number = 0;                       // 1-based page index in the PDF
  std::string label;                    // the printed page label ("第 3 页", "Page 3"); "" when none
  std::vector<std::string> furniture;   // every header and footer line removed, top first
};

struct Document {
  std::string symbol;         // "UNEP/CBD/NP/COP-MOP/1/6"
  std::string source;         // path or name the text was read from
  HeaderInfo header;
  std::vector<Section> sections;    // in document order
  std::vector<Passage> passages;    // in document order; passages[0] is the header block
  std::vector<Footnote> footnotes;  // by number
  std::vector<ParseWarning> warnings;  // in source order
  std::vector<PageFacts> pages;        // PDFs read through their page layout; empty otherwise
  std::string language;  // the language it is written in ("zh", "en"...): as given, the cover's
                         // language line or told from its text (set by the parser); "" unknown
};

}  // namespace treaty
