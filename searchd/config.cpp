#include "searchd/config.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>
#include <type_traits>
#include <vector>

#include <toml++/toml.h>

namespace treaty::searchd {
namespace {

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// One accepted key: where it lives and how it is stored. `set` returns false on a type mismatch.
struct Setting {
  std::string_view section;
  std::string_view key;
  std::string_view type;  // for messages
  std::function<bool(const toml::node&, SearchdConfig&)> set;
};

template <class T>
std::function<bool(const toml::node&, SearchdConfig&)> integer(T SearchdConfig::*field) {
  return [field](const toml::node& node, SearchdConfig& c) {
    const auto v = node.value_exact<int64_t>();
    if (!v) return false;
    if constexpr (std::is_unsigned_v<T>) {
      if (*v < 0) return false;
    }
    c.*field = static_cast<T>(*v);
    return true;
  };
}

std::function<bool(const toml::node&, SearchdConfig&)> string(std::string SearchdConfig::*field) {
  return [field](const toml::node& node, SearchdConfig& c) {
    const auto v = node.value_exact<std::string>();
    if (!v) return false;
    c.*field = *v;
    return true;
  };
}

std::function<bool(const toml::node&, SearchdConfig&)> path(std::filesystem::path SearchdConfig::*field) {
  return [field](const toml::node& node, SearchdConfig& c) {
    const auto v = node.value_exact<std::string>();
    if (!v) return false;
    c.*field = *v;
    return true;
  };
}

std::function<bool(const toml::node&, SearchdConfig&)> boolean(bool SearchdConfig::*field) {
  return [field](const toml::node& node, SearchdConfig& c) {
    const auto v = node.value_exact<bool>();
    if (!v) return false;
    c.*field = *v;
    return true;
  };
}

// A nested field, e.g. [embedder] url -> config.embedder.base_url.
template <class T>
std::function<bool(const toml::node&, SearchdConfig&)> nested(T& (*field)(SearchdConfig&)) {
  return [field](const toml::node& node, SearchdConfig& c) {
    T& target = field(c);
    if constexpr (std::is_same_v<T, std::string>) {
      const auto v = node.value_exact<std::string>();
      if (!v) return false;
      target = *v;
    } else if constexpr (std::is_floating_point_v<T>) {
      const auto v = node.value<double>();  // integers too
      if (!v) return false;
      target = *v;
    } else {
      const auto v = node.value_exact<int64_t>();
      if (!v || (std::is_unsigned_v<T> && *v < 0)) return false;
      target = static_cast<T>(*v);
    }
    return true;
  };
}

const std::vector<Setting>& settings() {
  static const std::vector<Setting> table = {
      {"index", "dir", "a string", path(&SearchdConfig::index_dir)},
      {"index", "config_dir", "a string", path(&SearchdConfig::config_dir)},
      {"server", "host", "a string", string(&SearchdConfig::host)},
      {"server", "web_root", "a string", path(&SearchdConfig::web_root)},
      {"server", "port", "an integer", integer(&SearchdConfig::port)},
      {"server", "threads", "an integer", integer(&SearchdConfig::threads)},
      {"server", "access_log", "true or false", boolean(&SearchdConfig::access_log)},
      {"server", "keep_alive_max_count", "an integer", integer(&SearchdConfig::keep_alive_max_count)},
      {"server", "keep_alive_timeout", "an integer", integer(&SearchdConfig::keep_alive_timeout_s)},
      {"server", "read_timeout", "an integer", integer(&SearchdConfig::read_timeout_s)},
      {"limits", "max_query_bytes", "a non-negative integer", integer(&SearchdConfig::max_query_bytes)},
      {"limits", "max_url_bytes", "a non-negative integer", integer(&SearchdConfig::max_url_bytes)},
      {"limits", "max_size", "a non-negative integer", integer(&SearchdConfig::max_size)},
      {"limits", "max_offset", "a non-negative integer", integer(&SearchdConfig::max_offset)},
      {"limits", "request_timeout_ms", "a non-negative integer", integer(&SearchdConfig::request_timeout_ms)},
      {"limits", "max_query_clauses", "a non-negative integer", nested<std::size_t>([](SearchdConfig& c) -> std::size_t& { return c.query_limits.max_clauses; })},
      {"limits", "max_expansions", "a non-negative integer", nested<std::size_t>([](SearchdConfig& c) -> std::size_t& { return c.query_limits.max_expansions; })},
      {"limits", "max_filter_values", "a non-negative integer", nested<std::size_t>([](SearchdConfig& c) -> std::size_t& { return c.query_limits.max_filter_values; })},
      {"search", "default_size", "a non-negative integer", integer(&SearchdConfig::default_size)},
      {"search", "facet_size", "a non-negative integer", integer(&SearchdConfig::facet_size)},
      {"search", "snippet_length", "a non-negative integer", integer(&SearchdConfig::snippet_length)},
      {"search", "highlight_open", "a string", string(&SearchdConfig::highlight_open)},
      {"search", "highlight_close", "a string", string(&SearchdConfig::highlight_close)},
      {"embedder", "url", "a string", nested<std::string>([](SearchdConfig& c) -> std::string& { return c.embedder.base_url; })},
      {"embedder", "model", "a string", nested<std::string>([](SearchdConfig& c) -> std::string& { return c.embedder.model; })},
      {"embedder", "api_key_env", "a string", nested<std::string>([](SearchdConfig& c) -> std::string& { return c.embedder.api_key_env; })},
      {"embedder", "timeout_ms", "an integer", nested<long>([](SearchdConfig& c) -> long& { return c.embedder.timeout_ms; })},
      {"embedder", "retries", "an integer", nested<int>([](SearchdConfig& c) -> int& { return c.embedder.retries; })},
      {"embedder", "dimensions", "a non-negative integer", nested<std::size_t>([](SearchdConfig& c) -> std::size_t& { return c.embedder.dimensions; })},
      {"semantic", "rrf_k", "a number", nested<double>([](SearchdConfig& c) -> double& { return c.semantic.rrf_k; })},
      {"semantic", "depth", "a non-negative integer", nested<std::size_t>([](SearchdConfig& c) -> std::size_t& { return c.semantic.depth; })},
      {"semantic", "lexical_weight", "a number", nested<double>([](SearchdConfig& c) -> double& { return c.semantic.lexical_weight; })},
      {"semantic", "vector_weight", "a number", nested<double>([](SearchdConfig& c) -> double& { return c.semantic.vector_weight; })},
      {"semantic", "query_cache", "a non-negative integer", nested<std::size_t>([](SearchdConfig& c) -> std::size_t& { return c.semantic.query_cache_entries; })},
  };
  return table;
}

}  // namespace

Expected<SearchdConfig> parse_config(std::string_view text, const std::string& source_name, SearchdConfig base) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    return fail(std::string(e.description()), source_name, static_cast<int>(e.source().begin.line));
  }
  SearchdConfig config = std::move(base);
  for (const auto& [section_key, section_node] : root) {
    const std::string section(section_key.str());
    const toml::table* section_table = section_node.as_table();
    bool known_section = false;
    for (const Setting& s : settings()) known_section = known_section || s.section == section;
    if (!known_section)
      return fail("unknown section or key '" + section + "' (sections: index, server, limits, search, embedder, semantic)",
                  source_name, line_of(section_node));
    if (!section_table) return fail("'" + section + "' must be a table ([" + section + "])", source_name, line_of(section_node));
    for (const auto& [key, node] : *section_table) {
      const Setting* setting = nullptr;
      for (const Setting& s : settings())
        if (s.section == section && s.key == key.str()) setting = &s;
      if (!setting) return fail("unknown key '" + std::string(key.str()) + "' in [" + section + "]", source_name, line_of(node));
      if (!setting->set(node, config))
        return fail(section + "." + std::string(key.str()) + " must be " + std::string(setting->type), source_name,
                    line_of(node));
    }
  }
  return config;
}

Expected<SearchdConfig> load_config(const std::filesystem::path& file, SearchdConfig base) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("cannot read configuration file", file.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_config(ss.str(), file.string(), std::move(base));
}

Expected<void> validate_config(const SearchdConfig& c) {
  if (c.index_dir.empty()) return fail("index directory is empty (--index DIR or [index] dir)");
  if (c.host.empty()) return fail("server.host is empty");
  if (c.port < 0 || c.port > 65535) return fail("server.port must be 0-65535, got " + std::to_string(c.port));
  if (c.threads < 0 || c.threads > 256) return fail("server.threads must be 0-256 (0: one per CPU), got " + std::to_string(c.threads));
  if (c.keep_alive_max_count < 1) return fail("server.keep_alive_max_count must be at least 1");
  if (c.keep_alive_timeout_s < 1 || c.keep_alive_timeout_s > 3600) return fail("server.keep_alive_timeout must be 1-3600 seconds");
  if (c.read_timeout_s < 1 || c.read_timeout_s > 3600) return fail("server.read_timeout must be 1-3600 seconds");
  if (c.max_url_bytes < 256 || c.max_url_bytes > 8192)
    return fail("limits.max_url_bytes must be 256-8192 (8192 is the HTTP library's request-line limit), got " +
                std::to_string(c.max_url_bytes));
  if (c.max_query_bytes < 1 || c.max_query_bytes > c.max_url_bytes)
    return fail("limits.max_query_bytes must be 1-max_url_bytes, got " + std::to_string(c.max_query_bytes));
  if (c.max_size < 1 || c.max_size > 10000) return fail("limits.max_size must be 1-10000");
  if (c.max_offset > 1000000) return fail("limits.max_offset must be at most 1000000");
  if (c.request_timeout_ms < 0 || c.request_timeout_ms > 600000)
    return fail("limits.request_timeout_ms must be 0-600000 (0: no time budget), got " + std::to_string(c.request_timeout_ms));
  if (c.query_limits.max_clauses < 1 || c.query_limits.max_clauses > 4096)
    return fail("limits.max_query_clauses must be 1-4096, got " + std::to_string(c.query_limits.max_clauses));
  if (c.query_limits.max_expansions > 100000)
    return fail("limits.max_expansions must be 0-100000, got " + std::to_string(c.query_limits.max_expansions));
  if (c.query_limits.max_filter_values < 1 || c.query_limits.max_filter_values > 10000)
    return fail("limits.max_filter_values must be 1-10000, got " + std::to_string(c.query_limits.max_filter_values));
  if (c.default_size < 1 || c.default_size > c.max_size)
    return fail("search.default_size must be 1-limits.max_size, got " + std::to_string(c.default_size));
  if (c.facet_size < 1 || c.facet_size > 1000) return fail("search.facet_size must be 1-1000");
  if (c.snippet_length < 10 || c.snippet_length > 10000) return fail("search.snippet_length must be 10-10000");
  if (c.highlight_open.size() > 64 || c.highlight_close.size() > 64) return fail("search.highlight_open/close: at most 64 bytes each");
  if (!c.embedder.base_url.empty()) {
    if (auto ok = validate_embedder_options(c.embedder); !ok) return fail("embedder: " + ok.error().describe());
    if (c.embedder.timeout_ms > 60000) return fail("embedder.timeout_ms must be at most 60000 (a query waits for it)");
    if (c.embedder.retries > 5) return fail("embedder.retries must be 0-5 (a query waits for them)");
  } else if (!c.embedder.model.empty()) {
    return fail("embedder.model is set but embedder.url is not");
  }
  if (!std::isfinite(c.semantic.rrf_k) || c.semantic.rrf_k < 0) return fail("semantic.rrf_k must be a number >= 0");
  if (c.semantic.depth < 1 || c.semantic.depth > 10000) return fail("semantic.depth must be 1-10000");
  if (!std::isfinite(c.semantic.lexical_weight) || c.semantic.lexical_weight < 0 ||
      !std::isfinite(c.semantic.vector_weight) || c.semantic.vector_weight < 0)
    return fail("semantic.lexical_weight and semantic.vector_weight must be numbers >= 0");
  if (c.semantic.query_cache_entries > 1000000) return fail("semantic.query_cache must be at most 1000000");
  return {};
}

int effective_threads(const SearchdConfig& config) {
  if (config.threads > 0) return config.threads;
  return std::max(8, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace treaty::searchd
