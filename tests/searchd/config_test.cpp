// searchd's configuration reader (searchd/config.h): integers outside their range are errors
// naming the file, line and key, never narrowed; the same ranges for values from flags; the
// circuit breaker keys; the real binary refusing out-of-range flags.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>

#include "searchd/config.h"
#include "tests/support/test_support.h"

using namespace treaty;
using namespace treaty::searchd;

TEST_CASE("integers out of range are refused with the key, never narrowed") {
  struct Case {
    const char* section;
    const char* key;
    const char* value;
    const char* range;
  };
  const Case cases[] = {
      {"server", "port", "4294967376", "0..65535"},  // would be port 80 as a 32-bit int
      {"server", "port", "-1", "0..65535"},
      {"server", "port", "65536", "0..65535"},
      {"server", "threads", "4294967297", "0..256"},
      {"server", "threads", "257", "0..256"},
      {"server", "threads", "-1", "0..256"},
      {"server", "keep_alive_max_count", "0", "1..2147483647"},
      {"server", "keep_alive_max_count", "2147483648", "1..2147483647"},
      {"server", "keep_alive_timeout", "0", "1..3600"},
      {"server", "keep_alive_timeout", "4294967297", "1..3600"},
      {"server", "read_timeout", "3601", "1..3600"},
      {"limits", "max_query_bytes", "0", "1..8192"},
      {"limits", "max_query_bytes", "18446744073", "1..8192"},
      {"limits", "max_url_bytes", "255", "256..8192"},
      {"limits", "max_url_bytes", "9000", "256..8192"},
      {"limits", "max_size", "0", "1..10000"},
      {"limits", "max_offset", "1000001", "0..1000000"},
      {"search", "default_size", "0", "1..10000"},
      {"search", "facet_size", "1001", "1..1000"},
      {"search", "snippet_length", "9", "10..10000"},
      {"embedder", "timeout_ms", "0", "1..60000"},
      {"embedder", "timeout_ms", "9223372036854775807", "1..60000"},
      {"embedder", "retries", "6", "0..5"},
      {"embedder", "retries", "-1", "0..5"},
      {"embedder", "breaker_failures", "101", "0..100"},
      {"embedder", "breaker_failures", "-1", "0..100"},
      {"embedder", "breaker_open_s", "0", "1..3600"},
      {"semantic", "depth", "0", "1..10000"},
      {"semantic", "query_cache", "1000001", "0..1000000"},
      {"writes", "max_body_bytes", "1023", "1024..1073741824"},
      {"writes", "max_body_bytes", "1073741825", "1024..1073741824"},
      {"writes", "hold_lock_ms", "-1", "0..600000"},
      {"writes", "max_batch", "0", "1..10000"},
  };
  for (const Case& c : cases) {
    const std::string toml = std::string("\n[") + c.section + "]\n" + c.key + " = " + c.value + "\n";
    INFO(toml);
    const auto parsed = parse_config(toml, "searchd.toml");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().describe() == std::string("searchd.toml:3: ") + c.section + "." + c.key + ": " + c.value +
                                           " is out of range (" + c.range + ")");
  }
}

TEST_CASE("integers at the ends of their ranges are accepted as they are") {
  const auto parsed = parse_config(R"(
[server]
port = 65535
threads = 256
keep_alive_max_count = 2147483647
[limits]
max_url_bytes = 256
max_query_bytes = 1
max_offset = 0
[embedder]
timeout_ms = 60000
retries = 0
dimensions = 4096
breaker_failures = 0
breaker_open_s = 3600
[semantic]
query_cache = 1000000
)",
                                   "searchd.toml");
  REQUIRE(parsed);
  CHECK(parsed->port == 65535);
  CHECK(parsed->threads == 256);
  CHECK(parsed->keep_alive_max_count == 2147483647);
  CHECK(parsed->max_url_bytes == 256);
  CHECK(parsed->max_query_bytes == 1);
  CHECK(parsed->max_offset == 0);
  CHECK(parsed->embedder.timeout_ms == 60000);
  CHECK(parsed->embedder.retries == 0);
  CHECK(parsed->embedder.dimensions == 4096);
  CHECK(parsed->breaker_failures == 0);
  CHECK(parsed->breaker_open_s == 3600);
  CHECK(parsed->semantic.query_cache_entries == 1000000);
  CHECK(validate_config(*parsed));
  // A negative value for a count keeps its type message; a value of another type too.
  CHECK(parse_config("[limits]\nmax_size = -3\n", "s.toml").error().describe() ==
        "s.toml:2: limits.max_size must be a non-negative integer");
  CHECK(parse_config("[embedder]\nbreaker_open_s = 1.5\n", "s.toml").error().describe() ==
        "s.toml:2: embedder.breaker_open_s must be an integer");
}

TEST_CASE("values from flags are checked against the same ranges") {
  struct Case {
    void (*edit)(SearchdConfig&);
    const char* message;
  };
  const Case cases[] = {
      {[](SearchdConfig& c) { c.port = -1; }, "server.port must be 0-65535, got -1"},
      {[](SearchdConfig& c) { c.threads = 100000; }, "server.threads must be 0-256 (0: one per CPU), got 100000"},
      {[](SearchdConfig& c) { c.keep_alive_max_count = 0; }, "server.keep_alive_max_count must be at least 1, got 0"},
      {[](SearchdConfig& c) { c.breaker_failures = 1000; },
       "embedder.breaker_failures must be 0-100 (0: never skip the embedder), got 1000"},
      {[](SearchdConfig& c) { c.breaker_open_s = 0; }, "embedder.breaker_open_s must be 1-3600 seconds, got 0"},
      {[](SearchdConfig& c) { c.max_size = 20; c.default_size = 21; },
       "search.default_size must be 1-20 (at most limits.max_size), got 21"},
      {[](SearchdConfig& c) { c.semantic.depth = static_cast<std::size_t>(-1); },
       "semantic.depth must be 1-10000, got 18446744073709551615"},
  };
  for (const Case& c : cases) {
    SearchdConfig config;
    c.edit(config);
    const auto ok = validate_config(config);
    REQUIRE_FALSE(ok);
    CHECK(ok.error().message == c.message);
  }
}

TEST_CASE("the circuit breaker keys") {
  SearchdConfig defaults;
  const auto on = breaker_options(defaults);
  REQUIRE(on);
  CHECK(on->failures_to_open == 3);
  CHECK(on->open_duration == std::chrono::seconds(30));

  const auto parsed = parse_config("[embedder]\nbreaker_failures = 5\nbreaker_open_s = 120\n", "searchd.toml");
  REQUIRE(parsed);
  CHECK(breaker_options(*parsed)->failures_to_open == 5);
  CHECK(breaker_options(*parsed)->open_duration == std::chrono::seconds(120));
  CHECK_FALSE(breaker_options(*parse_config("[embedder]\nbreaker_failures = 0\n", "searchd.toml")));
}

TEST_CASE("searchd refuses out-of-range integer flags") {
  test::TempDir tmp;
  const auto run = [&](const std::string& args) {
    const std::string cmd = std::string("'") + TREATY_SEARCHD_BIN + "' --index '" + (tmp.path() / "none").string() +
                            "' " + args + " >/dev/null 2>'" + (tmp.path() / "err.txt").string() + "'";
    const int status = std::system(cmd.c_str());
    return std::make_pair(WIFEXITED(status) ? WEXITSTATUS(status) : -1, test::read_file(tmp.path() / "err.txt"));
  };
  // CLI11 refuses what does not fit an int: a usage error, before anything starts.
  for (const char* flag : {"--port 4294967376", "--threads 4294967297", "--port 99999999999999999999"}) {
    INFO(flag);
    const auto [code, err] = run(flag);
    CHECK(code == 2);
    CHECK(err.find(std::string(flag).substr(0, std::string(flag).find(' '))) != std::string::npos);
  }
  // It fits an int but not the setting.
  const auto [code, err] = run("--port 70000");
  CHECK(code == 4);
  CHECK(err.find("server.port must be 0-65535, got 70000") != std::string::npos);
}

TEST_CASE("[writes], [auth] and [tls]: read, and tls needs both files") {
  const auto parsed = parse_config(R"(
[writes]
max_body_bytes = 2048
hold_lock_ms = 0
max_batch = 4
[auth]
admin_key_env = "ADMIN"
keys_file = "/srv/keys.json"
require_search_key = true
[tls]
cert = "c.pem"
key = "k.pem"
)",
                                   "searchd.toml");
  REQUIRE(parsed);
  CHECK(parsed->max_body_bytes == 2048);
  CHECK(parsed->write_hold_lock_ms == 0);
  CHECK(parsed->write_max_batch == 4);
  CHECK(parsed->admin_key_env == "ADMIN");
  CHECK(keys_path(*parsed) == "/srv/keys.json");
  CHECK(parsed->require_search_key);
  CHECK(parsed->tls_cert == "c.pem");
  CHECK(validate_config(*parsed));
  SearchdConfig half = *parsed;
  half.tls_key.clear();
  REQUIRE_FALSE(validate_config(half));
  CHECK(validate_config(half).error().message == "tls.cert and tls.key go together: set both or neither");
  SearchdConfig defaults;
  defaults.index_dir = "/data/idx";
  CHECK(keys_path(defaults) == "/data/idx/keys.json");
  CHECK(defaults.max_body_bytes == 50 * 1024 * 1024);
}
