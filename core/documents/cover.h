// The cover (header block) of a COP-MOP document: the lines before the first heading or
// paragraph, in whatever order the PDF gives them — 联合国, the symbol, "Distr.: General", the
// issue date, 中文, "Original: English", the meeting name (possibly wrapped), the session, dates
// and venue, an agenda item, the title, the document type.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/documents/document.h"

namespace treaty::cover {

struct HeaderBlock {
  HeaderInfo info;
  std::vector<std::string> lines;  // the block's lines, wrapped meeting/title lines rejoined
  std::vector<std::size_t> unclassified;  // indexes into the input lines that no rule recognised
                                          // (kept in `lines` and HeaderInfo::other_lines)
};

// Splits the header block `lines` (trimmed, non-empty) into its fields. `symbol_index` is the
// index of the printed symbol line in `lines`, if any. The meeting name is the run of lines
// before the session line (from a line starting with 作为, else the last one); the title is what
// remains after the session, dates and agenda lines (or, when nothing remains, before the
// meeting name); the document type is the last line of that when it reads as one (说明, 报告,
// 增编, 通过的决定, 决定草案, 会议室文件, 资料文件). Every line is kept in `lines`.
HeaderBlock read_header(const std::vector<std::string_view>& lines, std::optional<std::size_t> symbol_index);

// "Distr.: General" -> "general", "Distr.: LIMITED" -> "limited"; nullopt for other lines.
std::optional<std::string> parse_distribution(std::string_view line);

// The issue date of a cover: "5 October 2018", "2018 年 10 月 12 日" (also full-width digits)
// -> "2018-10-05"; nullopt for other lines.
std::optional<std::string> parse_issue_date(std::string_view line);

// A language line: "中文", "CHINESE", "English" -> "zh", "en"; nullopt for other lines.
std::optional<std::string> parse_language_line(std::string_view line);

// "Original: English", "ORIGINAL: FRENCH", "原文：英文" -> "en", "fr"; nullopt for other lines.
std::optional<std::string> parse_original(std::string_view line);

// True if `line` is a cover line of its own kind — "Distr.: …", an issue date, a language or
// "Original:" line, a session ("第四次会议"), meeting dates ("2022 年 12 月 7 日至 19 日，…"),
// an agenda item — and so never the continuation of a line wrapped above it.
bool is_cover_line(std::string_view line);

}  // namespace treaty::cover
