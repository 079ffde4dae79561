// searchd: serves the treaty index over HTTP. Thin: configuration (defaults < --config file <
// flags), resources, then HttpServer until SIGINT/SIGTERM.
#include <csignal>
#include <ctime>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>

#include "core/index/index_reader.h"
#include "core/search/resources.h"
#include "searchd/config.h"
#include "searchd/http_server.h"
#include "searchd/write_routes.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitServe = 1;   // cannot bind or serving failed
constexpr int kExitUsage = 2;
constexpr int kExitConfig = 4;  // invalid configuration, lexicon or gazetteer

}  // namespace

int main(int argc, char** argv) {
  using namespace treaty;
  using namespace treaty::searchd;

  CLI::App app{"searchd: full-text search over the treaty index, as JSON over HTTP"};
  app.set_version_flag("--version", "searchd 0.1.0");
  std::optional<std::filesystem::path> config_file, index_dir, config_dir, web_root;
  std::optional<std::string> host, embed_url, embed_model, embed_key_env, admin_key_env;
  std::optional<int> port, threads, max_connections;
  bool quiet = false;
  app.add_option("--config", config_file, "TOML configuration file (see config/searchd.toml)");
  app.add_option("--index", index_dir, "index directory written by `indexer` (default data/index)");
  app.add_option("--config-dir", config_dir, "directory with lexicon.txt and organizations.toml");
  app.add_option("--web-root", web_root, "directory of the web UI served at / (default the project's web/)");
  app.add_option("--host", host, "address to listen on (default 127.0.0.1)");
  app.add_option("--port", port, "TCP port (default 8080; 0: any free port)");
  app.add_option("--threads", threads, "query workers: searches run at once (default: one per CPU)");
  app.add_option("--max-connections", max_connections, "connections served at once; beyond: 503 (default 512)");
  app.add_option("--embed-url", embed_url, "OpenAI-compatible embeddings server for queries, e.g. http://127.0.0.1:8081/v1");
  app.add_option("--embed-model", embed_model, "embedding model (the one the index's vectors were made with)");
  app.add_option("--embed-key-env", embed_key_env, "environment variable holding the embeddings API key");
  app.add_option("--admin-key-env", admin_key_env,
                 "environment variable holding the bootstrap admin API key (all actions; see docs/API.md, \"API keys\")");
  app.add_flag("--quiet", quiet, "no access log");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  SearchdConfig config;
  config.config_dir = TREATY_DEFAULT_CONFIG_DIR;
  config.web_root = TREATY_DEFAULT_WEB_ROOT;
  if (config_file) {
    auto loaded = load_config(*config_file, config);
    if (!loaded) {
      std::cerr << "searchd: " << loaded.error().describe() << "\n";
      return kExitConfig;
    }
    config = std::move(*loaded);
  }
  if (index_dir) config.index_dir = *index_dir;
  if (config_dir) config.config_dir = *config_dir;
  if (web_root) config.web_root = *web_root;
  if (host) config.host = *host;
  if (port) config.port = *port;
  if (threads) config.threads = *threads;
  if (max_connections) config.max_connections = *max_connections;
  if (quiet) config.access_log = false;
  if (embed_url) config.embedder.base_url = *embed_url;
  if (embed_model) config.embedder.model = *embed_model;
  if (embed_key_env) config.embedder.api_key_env = *embed_key_env;
  if (admin_key_env) config.admin_key_env = *admin_key_env;
  if (config.config_dir.empty()) config.config_dir = TREATY_DEFAULT_CONFIG_DIR;
  if (config.web_root.empty()) config.web_root = TREATY_DEFAULT_WEB_ROOT;
  if (auto ok = validate_config(config); !ok) {
    std::cerr << "searchd: invalid configuration: " << ok.error().describe() << "\n";
    return kExitConfig;
  }

  auto resources = Resources::load(ResourcePaths::in_directory(config.config_dir));
  if (!resources) {
    std::cerr << "searchd: " << resources.error().describe() << "\n";
    return kExitConfig;
  }

  auto keys = open_key_store(config, **resources);
  if (!keys) {
    std::cerr << "searchd: API keys: " << keys.error().describe() << "\n";
    return kExitConfig;
  }

  // Signals are taken synchronously (sigtimedwait below), never in a handler: block them before
  // any thread starts so every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a client hanging up must not kill the server

  if (auto reader = IndexReader::open(config.index_dir); !reader) {
    std::cerr << "searchd: " << reader.error().describe() << "; answering 503 until the index is there\n";
  } else {
    for (const std::string& d : analysis_differences(reader->analysis(), (*resources)->analysis))
      std::cerr << "searchd: warning: " << d << " (queries avoid lexicon terms until then; see /health)\n";
  }

  HttpServer server(config, **resources, std::move(*keys));
  auto bound = server.start();
  if (!bound) {
    std::cerr << "searchd: " << bound.error().describe() << "\n";
    return kExitServe;
  }
  std::cout << "searchd: listening on " << (config.tls_cert.empty() ? "http" : "https") << "://" << config.host << ":" << *bound << "/ (index "
            << config.index_dir.string() << ", " << effective_threads(config) << " query workers, up to " << config.max_connections
            << " connections)" << std::endl;

  while (true) {
    timespec wait{1, 0};
    const int sig = sigtimedwait(&stop_signals, nullptr, &wait);
    if (sig == SIGINT || sig == SIGTERM) {
      std::cerr << "searchd: " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ", shutting down\n";
      break;
    }
    if (!server.is_running()) {
      std::cerr << "searchd: the server stopped unexpectedly\n";
      return kExitServe;
    }
  }
  server.stop();
  return kExitOk;
}
