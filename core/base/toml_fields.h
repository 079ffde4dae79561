// Reading keys of a TOML entry with their source lines, for the configuration files
// (organizations.toml, thesaurus.toml) whose errors must name file and line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/base/error.h"

namespace treaty::toml_fields {

// 1-based line where `node` starts in its file.
int line_of(const toml::node& node);

struct SourcedString {
  std::string text;
  int line = 0;  // 0 when the key was absent
};

// An optional string key: absent gives an empty text; a value of another type is an error
// naming `file` and the key's line.
Expected<SourcedString> string_key(const toml::table& entry, std::string_view key, const std::string& file);

// An optional array of strings, each with its line; absent gives an empty vector.
Expected<std::vector<SourcedString>> string_array_key(const toml::table& entry, std::string_view key,
                                                     const std::string& file);

// Parses a file whose only top-level key is the array of tables `array_key` ([[org]],
// [[concept]]). Errors name `file` (and the line where known): TOML syntax, another top-level
// key, no such array (`missing` is that message).
Expected<toml::table> parse_entries_file(std::string_view text, const std::string& file, std::string_view array_key,
                                         const std::string& missing);

// An integer node's value if it lies in min..max; never narrowed or wrapped. Expected failures
// (the caller adds the key, file and line): "must be an integer" for another type,
// "4294967376 is out of range (0..65535)".
Expected<std::int64_t> integer_in_range(const toml::node& node, std::int64_t min, std::int64_t max);

// Ids are lower-case ASCII: a letter first, then letters, digits, '_' or '-'.
bool valid_id(std::string_view id);

}  // namespace treaty::toml_fields
