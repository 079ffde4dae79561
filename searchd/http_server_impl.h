// HttpServer's insides, shared by http_server.cpp (the server: routing, keys, bodies, TLS,
// lifecycle) and search_routes.cpp (the read-only routes). Private to searchd: only these two
// files include it (and so httplib.h).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/index/index_reader.h"
#include "core/search/searcher.h"
#include "core/vectors/semantic.h"
#include "searchd/access_log.h"
#include "searchd/api_keys.h"
#include "searchd/http_server.h"
#include "searchd/metrics.h"
#include "searchd/reply.h"
#include "searchd/result_cache.h"
#include "searchd/worker_pools.h"
#include "searchd/write_routes.h"

namespace treaty::searchd {

using Clock = std::chrono::steady_clock;

// The thread's own index handle and searcher (Xapian::Database and the Analyzer are not
// thread-safe). `searcher` uses reader->database(), so it is declared (and destroyed) after.
struct Worker {
  std::optional<IndexReader> reader;
  std::unique_ptr<Searcher> searcher;
};

// The embedder of config.embedder (none when its url is empty) and the index's vectors.
std::shared_ptr<VectorSearch> make_vector_search(const SearchdConfig& config);

struct HttpServer::Impl {
  Impl(SearchdConfig c, const Resources& r, std::unique_ptr<KeyStore> k);

  // Where a route's handler runs.
  enum class Runs {
    here,          // on the connection's thread (cheap, no index)
    query_worker,  // reads the index: on a query worker, in arrival order
    with_body,     // takes a request body: cpp-httplib reads it first (bounded), then here
  };
  // What a handler gets: `rest` is the decoded path after a prefix route's prefix, `arrived`
  // when the request arrived (its time budget runs from there, queueing included), `key` the
  // API key presented (null: none), `body` the request body (with_body routes).
  struct Call {
    const httplib::Request& req;
    std::string_view rest;
    Clock::time_point arrived;
    const ApiKey* key;
    std::string_view body;
  };
  using Handler = Reply (Impl::*)(const Call&);
  struct Route {
    std::string_view method;  // GET (HEAD too), POST or DELETE
    std::string_view path;    // exact path, or a prefix when it ends with '/'
    Handler handler;
    Runs runs;
    // The key action the route needs: "" none (open), "search" (only when the configuration
    // requires a search key; a key given anyway scopes the search), "key" (any valid key),
    // or one of kKeyActions.
    std::string_view action;
  };
  static std::span<const Route> routes();
  // The metrics label of a path: its route's path ("static" for the UI's files), or "other".
  static std::string_view route_label(std::string_view path);

  // A request past the route table and the keys: its route and key, or the reply refusing it.
  struct Admitted {
    const Route* route = nullptr;
    std::string_view rest;
    std::optional<ApiKey> key;
  };
  std::expected<Admitted, Reply> admit(const httplib::Request& req);
  // A request that sends a body (its body goes through on_body_route()).
  static bool has_body(const httplib::Request& req);
  // The largest body `route` takes (config.max_body_bytes for documents).
  std::size_t body_limit(const Route& route) const;
  Reply run(const Admitted& admitted, const httplib::Request& req, Clock::time_point arrived, std::string_view body);
  void respond(Reply reply, httplib::Response& res, Clock::time_point start);
  void on_body_route(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read);
  void configure();

  // ---- Index access (search_routes.cpp) ---------------------------------------------------------
  Worker& worker();
  Expected<void> ready(Worker& w);
  void note_revision(const Xapian::Database& db);
  template <class F>
  Reply with_index(F&& f);
  Reply page_reply(nlohmann::json body, std::size_t offset, std::size_t size, Clock::time_point start);
  static FilterScope scope_of(const Call& call);

  // ---- Result cache (search_routes.cpp; result_cache.h) -------------------------------------------
  // A route's answer as computed: whether it timed out, and whether its warnings depend on
  // transient state (the embedder), either of which keeps it out of the cache.
  struct Computed {
    Reply reply;
    bool timed_out = false;
    bool transient = false;
  };
  // `route`'s answer to `call` on w's index (which with_index() has just reopened): the cached
  // one when the cache holds it for this index revision and the key's scope, else compute()'s,
  // stored when cacheable. `use`: false for cache=false (bypass). Sets X-Cache: hit, miss or
  // bypass.
  Reply through_cache(const Call& call, std::string_view route, bool use, Worker& w,
                      const std::function<Computed()>& compute);
  nlohmann::json cache_status() const;

  // ---- Routes -----------------------------------------------------------------------------------
  Reply handle_search(const Call& call);
  Reply handle_similar(const Call& call);
  Reply handle_passage(const Call& call);
  Reply handle_documents(const Call& call);
  Reply handle_document(const Call& call);
  Reply handle_static(const Call& call);
  Reply handle_health(const Call& call);
  Reply handle_stats(const Call& call);
  Reply handle_metrics(const Call& call);
  Reply handle_post_document(const Call& call);
  Reply handle_delete_document(const Call& call);
  Reply handle_create_key(const Call& call);
  Reply handle_list_keys(const Call& call);
  Reply handle_key_self(const Call& call);
  Reply handle_revoke_key(const Call& call);
  static nlohmann::json analysis_status(Searcher& searcher);
  nlohmann::json vector_status();

  SearchdConfig config;
  const Resources& resources;
  std::unique_ptr<KeyStore> keys;
  std::unique_ptr<httplib::Server> server;  // an httplib::SSLServer with [tls]
  // Facet values and sort ranks per index revision, built once for all worker threads.
  std::shared_ptr<SlotTableCache> slot_tables = std::make_shared<SlotTableCache>();
  // The query embedder and the index's vectors, shared by all worker threads.
  std::shared_ptr<VectorSearch> vectors = make_vector_search(config);
  // Documents and keys written over HTTP (one writer thread for the index).
  WriteRoutes writes{config, resources, *keys};
  // Connections each get a thread; index work runs on the fixed query workers (worker_pools.h).
  ConnectionPool connections{ConnectionPoolOptions{.max_connections = static_cast<std::size_t>(config.max_connections)}};
  QueryQueue queries{static_cast<std::size_t>(effective_threads(config))};
  Metrics metrics;
  ResultCache result_cache{config.cache};
  RequestIds request_ids;
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::uint64_t> index_revision{0}, index_documents{0}, index_passages{0};  // for /metrics
  std::atomic<std::uint64_t> index_seen{0};  // UUID and revision those were counted at
  std::mutex workers_mutex;  // guards the map only; each Worker is used by its own query worker
  std::map<std::thread::id, std::unique_ptr<Worker>> workers;
  std::mutex lifecycle_mutex;  // serialises start()/stop()
  std::thread background;
  std::atomic<int> port{0};
  socket_t listen_socket = INVALID_SOCKET;  // set while binding (set_socket_options)
};

// Each retry starts from the latest commit, so a request fails (503) only if, this many times in
// a row, the indexer commits twice before the request can finish.
inline constexpr int kMaxRetries = 20;

// Runs `f` on this thread's up-to-date index: 503 while there is none, retried when a commit
// lands in the middle (Xapian::DatabaseModifiedError).
template <class F>
Reply HttpServer::Impl::with_index(F&& f) {
  Worker& w = worker();
  for (int attempt = 0;; ++attempt) {
    if (auto ok = ready(w); !ok) return error_reply(503, "index unavailable: " + ok.error().describe());
    try {
      return f(w);
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= kMaxRetries) return error_reply(503, "the index is changing too fast; retry");
    } catch (const Xapian::DatabaseError& e) {
      w.searcher.reset();
      w.reader.reset();
      return error_reply(503, "index unavailable: " + e.get_description());
    }
  }
}

}  // namespace treaty::searchd
