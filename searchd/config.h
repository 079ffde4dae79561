// searchd's configuration: defaults, then a TOML file (config/searchd.toml documents every key),
// then command-line flags; validated once at start-up.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/vectors/embedder.h"
#include "core/base/error.h"
#include "core/search/budget.h"
#include "core/vectors/circuit_breaker.h"
#include "core/vectors/semantic.h"
#include "searchd/result_cache.h"

namespace treaty::searchd {

struct SearchdConfig {
  std::filesystem::path index_dir = "data/index";  // the Xapian index written by `indexer`
  std::filesystem::path config_dir;       // lexicon.txt and organizations.toml; empty: built-in default
  std::filesystem::path web_root;         // the web UI's static files, served at /; empty: no UI
  std::string host = "127.0.0.1";         // address to listen on
  int port = 8080;                        // TCP port; 0 picks a free one
  int threads = 0;                        // query workers: requests that touch the index run on
                                          // these, first come first served; 0: one per CPU
  int max_connections = 512;              // connections served at once (each has a thread while
                                          // open, idle or not); beyond: 503 with Retry-After
  std::size_t max_query_bytes = 4096;     // longer q -> 413
  std::size_t max_url_bytes = 8192;       // longer request target -> 413 (at most 8192, the HTTP
                                          // library's own request-line limit)
  std::size_t default_size = 10;          // hits per page when the request gives no size
  std::size_t max_size = 100;             // largest accepted size
  std::size_t max_offset = 10000;         // largest accepted offset
  long request_timeout_ms = 2000;         // time budget of a search from its arrival; steps it
                                          // leaves no time for are skipped (timed_out); 0: none
  QueryLimits query_limits;               // clauses, expansions, filter values (else 400)
  std::size_t facet_size = 10;            // values per facet when the request gives no facet_size
  std::size_t snippet_length = 120;       // snippet window in code points
  std::string highlight_open = "<mark>";  // default tags around matches in snippets
  std::string highlight_close = "</mark>";
  bool access_log = true;                 // one line per request on stderr
  int keep_alive_max_count = 1000;        // requests served on one connection before closing it
  int keep_alive_timeout_s = 5;           // idle seconds before a keep-alive connection closes
  int read_timeout_s = 5;                 // seconds to wait for a request's bytes
  // Query embeddings ([embedder]): base_url empty = none (hybrid = lexical + thesaurus). A query
  // waits for the server inside its time budget (2 s by default), so the defaults are short: 1.5 s,
  // no retry (the circuit breaker skips a server that keeps failing).
  EmbedderOptions embedder = default_embedder();
  int breaker_failures = 3;               // consecutive failed query embeddings after which the
                                          // embedder is skipped (hybrid answers lexically at once); 0: never
  int breaker_open_s = 30;                // seconds it is skipped before one query tries it again
  VectorSearchOptions semantic;           // fusion and candidates ([semantic])
  // Writes over HTTP ([writes]): POST and DELETE /documents.
  std::size_t max_body_bytes = 50 * 1024 * 1024;  // larger documents -> 413, refused before they are read
  long write_hold_lock_ms = 1000;         // the index stays open (its lock held) this long after a
                                          // write, for the next one; the indexer command waits it out
  std::size_t write_max_batch = 32;       // writes arriving together share one commit, at most this many
  int write_nice = 10;                    // the writer thread's nice value (0-19): indexing yields
                                          // the CPU to searches
  // API keys ([auth]).
  std::string admin_key_env;              // environment variable holding the bootstrap admin key
                                          // (--admin-key-env); empty: none
  std::filesystem::path keys_file;        // hashed API keys; empty: <index_dir>/keys.json
  bool require_search_key = false;        // searches need a key with "search" too
  // The result cache of /search, /similar and /documents ([cache]; result_cache.h).
  ResultCacheOptions cache;
  // HTTPS ([tls]): both set: serve HTTPS only.
  std::filesystem::path tls_cert;         // PEM certificate (chain)
  std::filesystem::path tls_key;          // PEM private key

  static EmbedderOptions default_embedder() {
    EmbedderOptions e;
    e.api_key_env = "EMBEDDING_API_KEY";
    e.batch_size = 1;
    e.timeout_ms = 1500;
    e.retries = 0;
    e.backoff_ms = 100;
    return e;
  }
};

// The configuration from TOML text, starting from `base`. Errors are "file:line: message":
// syntax errors, unknown keys, values of the wrong type, integers out of range
// ("searchd.toml:3: server.port: 4294967376 is out of range (0..65535)"; never narrowed).
Expected<SearchdConfig> parse_config(std::string_view toml, const std::string& source_name,
                                     SearchdConfig base = {});

// Same from a file (errors name it; an unreadable file is an error).
Expected<SearchdConfig> load_config(const std::filesystem::path& path, SearchdConfig base = {});

// Checks ranges and consistency once, after flags are applied (e.g. port 0-65535, threads
// 0-256, max_url_bytes 256-8192, sizes at least 1): "server.port must be 0-65535, got 70000".
// The TOML reader checks the same ranges, with the file and line.
Expected<void> validate_config(const SearchdConfig& config);

// The circuit breaker in front of the query embedder (breaker_failures, breaker_open_s);
// nullopt when breaker_failures is 0.
std::optional<CircuitBreakerOptions> breaker_options(const SearchdConfig& config);

// The keys file: config.keys_file, or <index_dir>/keys.json.
std::filesystem::path keys_path(const SearchdConfig& config);

// Query workers to run: config.threads, or the CPU count when 0.
int effective_threads(const SearchdConfig& config);

}  // namespace treaty::searchd
