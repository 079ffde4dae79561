#include "searchd/config.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "core/base/toml_fields.h"

namespace treaty::searchd {
namespace {

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// Accepted ranges of the integer settings, for the TOML reader (errors with file and line) and
// validate_config (values from flags too).
struct IntRange {
  std::int64_t min, max;
};
constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
constexpr std::int64_t kLongMax = std::numeric_limits<std::int64_t>::max();  // long and size_t: int64 in TOML
constexpr IntRange kPort{0, 65535};
constexpr IntRange kThreads{0, 256};
constexpr IntRange kMaxConnections{1, 100000};
constexpr IntRange kKeepAliveCount{1, kIntMax};
constexpr IntRange kSeconds{1, 3600};  // keep_alive_timeout, read_timeout
constexpr IntRange kUrlBytes{256, 8192};  // 8192 is the HTTP library's request-line limit
constexpr IntRange kQueryBytes{1, kUrlBytes.max};
constexpr IntRange kMaxSize{1, 10000};
constexpr IntRange kMaxOffset{0, 1000000};
constexpr IntRange kRequestTimeoutMs{0, 600000};  // 0: no time budget
constexpr IntRange kMaxClauses{1, 4096};
constexpr IntRange kMaxExpansions{0, 100000};
constexpr IntRange kMaxFilterValues{1, 10000};
constexpr IntRange kDefaultSize{1, kMaxSize.max};
constexpr IntRange kFacetSize{1, 1000};
constexpr IntRange kSnippetLength{10, 10000};
constexpr IntRange kEmbedTimeoutMs{1, 60000};  // a query waits for it
constexpr IntRange kEmbedRetries{0, 5};         // a query waits for them
constexpr IntRange kDimensions{0, kLongMax};
constexpr IntRange kBreakerFailures{0, 100};
constexpr IntRange kBreakerOpenS{1, 3600};
constexpr IntRange kDepth{1, 10000};
constexpr IntRange kQueryCache{0, 1000000};
constexpr IntRange kBodyBytes{1024, 1024LL * 1024 * 1024};  // up to 1 GiB
constexpr IntRange kHoldLockMs{0, 600000};
constexpr IntRange kWriteBatch{1, 10000};
constexpr IntRange kNice{0, 19};
constexpr IntRange kCacheEntries{1, 10000000};
constexpr IntRange kCacheBytes{1024, 16LL * 1024 * 1024 * 1024};  // up to 16 GiB

// Stores a setting's value in a SearchdConfig: nullopt when stored, else why not: empty for a
// value of the wrong type (Setting::type says what it must be), or "70000 is out of range (0..65535)".
using Setter = std::function<std::optional<std::string>(const toml::node&, SearchdConfig&)>;

// One accepted key: where it lives and how it is stored.
struct Setting {
  std::string_view section;
  std::string_view key;
  std::string_view type;  // for messages
  Setter set;
};

// An integer in `range` (which lies within T's) into `target(config)`: never narrowed.
template <class T, class Target>
Setter integer_in(Target target, IntRange range) {
  return [target, range](const toml::node& node, SearchdConfig& c) -> std::optional<std::string> {
    if (!node.is_integer() || (std::is_unsigned_v<T> && *node.value_exact<std::int64_t>() < 0)) return std::string();
    const auto v = toml_fields::integer_in_range(node, range.min, range.max);
    if (!v) return v.error().message;
    target(c) = static_cast<T>(*v);  // in range: exact
    return std::nullopt;
  };
}

template <class T>
Setter integer(T SearchdConfig::*field, IntRange range) {
  return integer_in<T>([field](SearchdConfig& c) -> T& { return c.*field; }, range);
}

// A nested integer, e.g. [embedder] retries -> config.embedder.retries.
template <class T>
Setter nested_integer(T& (*field)(SearchdConfig&), IntRange range) {
  return integer_in<T>(field, range);
}

template <class T>
Setter value(T SearchdConfig::*field) {
  return [field](const toml::node& node, SearchdConfig& c) -> std::optional<std::string> {
    const auto v = node.value_exact<T>();
    if (!v) return std::string();
    c.*field = *v;
    return std::nullopt;
  };
}

Setter path(std::filesystem::path SearchdConfig::*field) {
  return [field](const toml::node& node, SearchdConfig& c) -> std::optional<std::string> {
    const auto v = node.value_exact<std::string>();
    if (!v) return std::string();
    c.*field = *v;
    return std::nullopt;
  };
}

// A nested string, boolean or number, e.g. [embedder] url -> config.embedder.base_url.
template <class T>
Setter nested(T& (*field)(SearchdConfig&)) {
  return [field](const toml::node& node, SearchdConfig& c) -> std::optional<std::string> {
    if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, bool>) {
      const auto v = node.value_exact<T>();
      if (!v) return std::string();
      field(c) = *v;
    } else {
      const auto v = node.value<double>();  // integers too
      if (!v) return std::string();
      field(c) = *v;
    }
    return std::nullopt;
  };
}

// A nested field's accessor, e.g. NESTED(std::string, embedder.base_url).
#define NESTED(T, member) [](SearchdConfig& c) -> T& { return c.member; }

const std::vector<Setting>& settings() {
  static const std::vector<Setting> table = {
      {"index", "dir", "a string", path(&SearchdConfig::index_dir)},
      {"index", "config_dir", "a string", path(&SearchdConfig::config_dir)},
      {"server", "host", "a string", value(&SearchdConfig::host)},
      {"server", "web_root", "a string", path(&SearchdConfig::web_root)},
      {"server", "port", "an integer", integer(&SearchdConfig::port, kPort)},
      {"server", "threads", "an integer", integer(&SearchdConfig::threads, kThreads)},
      {"server", "max_connections", "an integer", integer(&SearchdConfig::max_connections, kMaxConnections)},
      {"server", "access_log", "true or false", value(&SearchdConfig::access_log)},
      {"server", "keep_alive_max_count", "an integer", integer(&SearchdConfig::keep_alive_max_count, kKeepAliveCount)},
      {"server", "keep_alive_timeout", "an integer", integer(&SearchdConfig::keep_alive_timeout_s, kSeconds)},
      {"server", "read_timeout", "an integer", integer(&SearchdConfig::read_timeout_s, kSeconds)},
      {"limits", "max_query_bytes", "a non-negative integer", integer(&SearchdConfig::max_query_bytes, kQueryBytes)},
      {"limits", "max_url_bytes", "a non-negative integer", integer(&SearchdConfig::max_url_bytes, kUrlBytes)},
      {"limits", "max_size", "a non-negative integer", integer(&SearchdConfig::max_size, kMaxSize)},
      {"limits", "max_offset", "a non-negative integer", integer(&SearchdConfig::max_offset, kMaxOffset)},
      {"limits", "request_timeout_ms", "a non-negative integer", integer(&SearchdConfig::request_timeout_ms, kRequestTimeoutMs)},
      {"limits", "max_query_clauses", "a non-negative integer",
       nested_integer<std::size_t>(NESTED(std::size_t, query_limits.max_clauses), kMaxClauses)},
      {"limits", "max_expansions", "a non-negative integer",
       nested_integer<std::size_t>(NESTED(std::size_t, query_limits.max_expansions), kMaxExpansions)},
      {"limits", "max_filter_values", "a non-negative integer",
       nested_integer<std::size_t>(NESTED(std::size_t, query_limits.max_filter_values), kMaxFilterValues)},
      {"search", "default_size", "a non-negative integer", integer(&SearchdConfig::default_size, kDefaultSize)},
      {"search", "facet_size", "a non-negative integer", integer(&SearchdConfig::facet_size, kFacetSize)},
      {"search", "snippet_length", "a non-negative integer", integer(&SearchdConfig::snippet_length, kSnippetLength)},
      {"search", "highlight_open", "a string", value(&SearchdConfig::highlight_open)},
      {"search", "highlight_close", "a string", value(&SearchdConfig::highlight_close)},
      {"embedder", "url", "a string", nested<std::string>(NESTED(std::string, embedder.base_url))},
      {"embedder", "model", "a string", nested<std::string>(NESTED(std::string, embedder.model))},
      {"embedder", "api_key_env", "a string", nested<std::string>(NESTED(std::string, embedder.api_key_env))},
      {"embedder", "timeout_ms", "an integer", nested_integer<long>(NESTED(long, embedder.timeout_ms), kEmbedTimeoutMs)},
      {"embedder", "retries", "an integer", nested_integer<int>(NESTED(int, embedder.retries), kEmbedRetries)},
      {"embedder", "dimensions", "a non-negative integer",
       nested_integer<std::size_t>(NESTED(std::size_t, embedder.dimensions), kDimensions)},
      {"embedder", "breaker_failures", "an integer", integer(&SearchdConfig::breaker_failures, kBreakerFailures)},
      {"embedder", "breaker_open_s", "an integer", integer(&SearchdConfig::breaker_open_s, kBreakerOpenS)},
      {"semantic", "rrf_k", "a number", nested<double>(NESTED(double, semantic.rrf_k))},
      {"semantic", "depth", "a non-negative integer", nested_integer<std::size_t>(NESTED(std::size_t, semantic.depth), kDepth)},
      {"semantic", "lexical_weight", "a number", nested<double>(NESTED(double, semantic.lexical_weight))},
      {"semantic", "vector_weight", "a number", nested<double>(NESTED(double, semantic.vector_weight))},
      {"semantic", "query_cache", "a non-negative integer",
       nested_integer<std::size_t>(NESTED(std::size_t, semantic.query_cache_entries), kQueryCache)},
      {"writes", "max_body_bytes", "an integer", integer(&SearchdConfig::max_body_bytes, kBodyBytes)},
      {"writes", "hold_lock_ms", "an integer", integer(&SearchdConfig::write_hold_lock_ms, kHoldLockMs)},
      {"writes", "max_batch", "an integer", integer(&SearchdConfig::write_max_batch, kWriteBatch)},
      {"writes", "nice", "an integer", integer(&SearchdConfig::write_nice, kNice)},
      {"auth", "admin_key_env", "a string", value(&SearchdConfig::admin_key_env)},
      {"auth", "keys_file", "a string", path(&SearchdConfig::keys_file)},
      {"auth", "require_search_key", "true or false", value(&SearchdConfig::require_search_key)},
      {"cache", "enabled", "true or false", nested<bool>(NESTED(bool, cache.enabled))},
      {"cache", "max_entries", "an integer", nested_integer<std::size_t>(NESTED(std::size_t, cache.max_entries), kCacheEntries)},
      {"cache", "max_bytes", "an integer", nested_integer<std::size_t>(NESTED(std::size_t, cache.max_bytes), kCacheBytes)},
      {"tls", "cert", "a string", path(&SearchdConfig::tls_cert)},
      {"tls", "key", "a string", path(&SearchdConfig::tls_key)},
  };
  return table;
}
#undef NESTED

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
      return fail("unknown section or key '" + section + "' (sections: index, server, limits, search, embedder, semantic, writes, auth, cache, tls)",
                  source_name, line_of(section_node));
    if (!section_table) return fail("'" + section + "' must be a table ([" + section + "])", source_name, line_of(section_node));
    for (const auto& [key, node] : *section_table) {
      const Setting* setting = nullptr;
      for (const Setting& s : settings())
        if (s.section == section && s.key == key.str()) setting = &s;
      if (!setting) return fail("unknown key '" + std::string(key.str()) + "' in [" + section + "]", source_name, line_of(node));
      const std::string name = section + "." + std::string(key.str());
      if (auto why = setting->set(node, config))
        return fail(why->empty() ? name + " must be " + std::string(setting->type) : name + ": " + *why, source_name,
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
  // Flags bypass the TOML reader's ranges: the same ranges again, for every value.
  std::string why;
  auto check = [&why](std::string_view name, auto value, IntRange range, std::string_view note = {}) {
    const bool in = std::cmp_greater_equal(value, range.min) && std::cmp_less_equal(value, range.max);
    if (in || !why.empty()) return;
    const bool unbounded = range.max == kIntMax || range.max == kLongMax;
    why = std::string(name) + " must be " +
          (unbounded ? "at least " + std::to_string(range.min) : std::to_string(range.min) + "-" + std::to_string(range.max)) +
          std::string(note) + ", got " + std::to_string(value);
  };
  check("server.port", c.port, kPort);
  check("server.threads", c.threads, kThreads, " (0: one per CPU)");
  check("server.max_connections", c.max_connections, kMaxConnections);
  check("server.keep_alive_max_count", c.keep_alive_max_count, kKeepAliveCount);
  check("server.keep_alive_timeout", c.keep_alive_timeout_s, kSeconds, " seconds");
  check("server.read_timeout", c.read_timeout_s, kSeconds, " seconds");
  check("limits.max_url_bytes", c.max_url_bytes, kUrlBytes, " (8192 is the HTTP library's request-line limit)");
  check("limits.max_query_bytes", c.max_query_bytes, IntRange{kQueryBytes.min, static_cast<std::int64_t>(c.max_url_bytes)},
        " (at most limits.max_url_bytes)");
  check("limits.max_size", c.max_size, kMaxSize);
  check("limits.max_offset", c.max_offset, kMaxOffset);
  check("limits.request_timeout_ms", c.request_timeout_ms, kRequestTimeoutMs, " (0: no time budget)");
  check("limits.max_query_clauses", c.query_limits.max_clauses, kMaxClauses);
  check("limits.max_expansions", c.query_limits.max_expansions, kMaxExpansions);
  check("limits.max_filter_values", c.query_limits.max_filter_values, kMaxFilterValues);
  check("search.default_size", c.default_size, IntRange{kDefaultSize.min, static_cast<std::int64_t>(c.max_size)},
        " (at most limits.max_size)");
  check("search.facet_size", c.facet_size, kFacetSize);
  check("search.snippet_length", c.snippet_length, kSnippetLength);
  check("embedder.breaker_failures", c.breaker_failures, kBreakerFailures, " (0: never skip the embedder)");
  check("embedder.breaker_open_s", c.breaker_open_s, kBreakerOpenS, " seconds");
  check("semantic.depth", c.semantic.depth, kDepth);
  check("semantic.query_cache", c.semantic.query_cache_entries, kQueryCache);
  if (!c.embedder.base_url.empty()) {
    check("embedder.timeout_ms", c.embedder.timeout_ms, kEmbedTimeoutMs, " (a query waits for it)");
    check("embedder.retries", c.embedder.retries, kEmbedRetries, " (a query waits for them)");
  }
  check("writes.max_body_bytes", c.max_body_bytes, kBodyBytes);
  check("writes.hold_lock_ms", c.write_hold_lock_ms, kHoldLockMs);
  check("writes.max_batch", c.write_max_batch, kWriteBatch);
  check("writes.nice", c.write_nice, kNice);
  check("cache.max_entries", c.cache.max_entries, kCacheEntries);
  check("cache.max_bytes", c.cache.max_bytes, kCacheBytes);
  if (!why.empty()) return fail(why);
  if (c.tls_cert.empty() != c.tls_key.empty()) return fail("tls.cert and tls.key go together: set both or neither");
  if (c.highlight_open.size() > 64 || c.highlight_close.size() > 64) return fail("search.highlight_open/close: at most 64 bytes each");
  if (!c.embedder.base_url.empty()) {
    if (auto ok = validate_embedder_options(c.embedder); !ok) return fail("embedder: " + ok.error().describe());
  } else if (!c.embedder.model.empty()) {
    return fail("embedder.model is set but embedder.url is not");
  }
  if (!std::isfinite(c.semantic.rrf_k) || c.semantic.rrf_k < 0) return fail("semantic.rrf_k must be a number >= 0");
  if (!std::isfinite(c.semantic.lexical_weight) || c.semantic.lexical_weight < 0 ||
      !std::isfinite(c.semantic.vector_weight) || c.semantic.vector_weight < 0)
    return fail("semantic.lexical_weight and semantic.vector_weight must be numbers >= 0");
  return {};
}

std::optional<CircuitBreakerOptions> breaker_options(const SearchdConfig& config) {
  if (config.breaker_failures == 0) return std::nullopt;
  CircuitBreakerOptions options;
  options.failures_to_open = config.breaker_failures;
  options.open_duration = std::chrono::seconds(config.breaker_open_s);
  return options;
}

std::filesystem::path keys_path(const SearchdConfig& config) {
  return config.keys_file.empty() ? config.index_dir / "keys.json" : config.keys_file;
}

int effective_threads(const SearchdConfig& config) {
  if (config.threads > 0) return config.threads;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace treaty::searchd
