#include "core/base/toml_fields.h"

#include <algorithm>

namespace treaty::toml_fields {

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

Expected<SourcedString> string_key(const toml::table& entry, std::string_view key, const std::string& file) {
  const toml::node* node = entry.get(key);
  if (!node) return SourcedString{};
  if (auto value = node->value<std::string>()) return SourcedString{*value, line_of(*node)};
  return fail("'" + std::string(key) + "' must be a string", file, line_of(*node));
}

Expected<std::vector<SourcedString>> string_array_key(const toml::table& entry, std::string_view key,
                                                     const std::string& file) {
  std::vector<SourcedString> out;
  const toml::node* node = entry.get(key);
  if (!node) return out;
  const toml::array* array = node->as_array();
  if (!array) return fail("'" + std::string(key) + "' must be an array of strings", file, line_of(*node));
  for (const toml::node& element : *array) {
    auto value = element.value<std::string>();
    if (!value) return fail("'" + std::string(key) + "' must be an array of strings", file, line_of(element));
    out.push_back({*value, line_of(element)});
  }
  return out;
}

Expected<toml::table> parse_entries_file(std::string_view text, const std::string& file, std::string_view array_key,
                                         const std::string& missing) {
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    return fail("TOML syntax error: " + std::string(e.description()), file, static_cast<int>(e.source().begin.line));
  }
  for (const auto& [key, node] : root)
    if (key.str() != array_key)
      return fail("unknown top-level key '" + std::string(key.str()) + "'", file, line_of(node));
  if (!root[array_key].as_array()) return fail(missing, file);
  return root;
}

Expected<std::int64_t> integer_in_range(const toml::node& node, std::int64_t min, std::int64_t max) {
  const auto value = node.value_exact<std::int64_t>();
  if (!value) return fail("must be an integer");
  if (*value < min || *value > max)
    return fail(std::to_string(*value) + " is out of range (" + std::to_string(min) + ".." + std::to_string(max) + ")");
  return *value;
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.front() < 'a' || id.front() > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace treaty::toml_fields
