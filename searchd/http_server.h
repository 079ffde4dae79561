// searchd's HTTP layer (cpp-httplib, kept out of this header): routes, parameter checking, JSON
// errors, one index reader and searcher per worker thread, access log.
//
//   GET /search?q=…     GET /similar?id=…     GET /passages/{id}     GET /documents
//   GET /documents/{symbol}     GET /health     GET /stats     GET /metrics
//   POST /documents     DELETE /documents/{symbol}     (API keys: documents:write, :delete)
//   POST /keys     GET /keys     GET /keys/self     DELETE /keys/{id}     (keys:manage)
//   GET / (and its files): the web UI from config.web_root
//
// docs/API.md describes every endpoint and parameter.
#pragma once

#include <memory>

#include "core/base/error.h"
#include "searchd/api_keys.h"
#include "searchd/config.h"

namespace treaty {
struct Resources;
}

namespace treaty::searchd {

class HttpServer {
 public:
  // `resources` (lexicon, gazetteer, normaliser) must outlive the server. `config` should have
  // passed validate_config(). The index need not exist yet: searches get 503 until it does (the
  // first POST /documents creates it). `keys`: the API keys; null: open_key_store(config), and
  // std::invalid_argument if that fails (main opens it first to report the error).
  HttpServer(SearchdConfig config, const Resources& resources, std::unique_ptr<KeyStore> keys = nullptr);
  ~HttpServer();  // stops serving and joins the background thread, if any
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds config.host:config.port (port 0: a free port). Returns the bound port.
  Expected<int> bind();

  // Serves on the bound socket until stop(); blocks. Precondition: bind() succeeded.
  // Returns false if serving failed.
  bool listen();

  // bind() and listen() on a background thread; returns once the server accepts connections
  // (is_running()), with the bound port. For tests and embedding.
  Expected<int> start();

  // Stops accepting and serving (thread-safe, idempotent; fine from another thread while
  // listen() blocks, not from a signal handler). Joins the background thread of start().
  void stop();

  bool is_running() const;
  int port() const;  // the bound port; 0 before bind()

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace treaty::searchd
