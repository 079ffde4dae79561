#include "searchd/http_server.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <span>
#include <thread>

#include <sys/socket.h>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/index/index_reader.h"
#include "core/search/resources.h"
#include "core/index/schema.h"
#include "core/vectors/semantic.h"
#include "core/search/document_list.h"
#include "core/search/searcher.h"
#include "core/base/utf8.h"
#include "searchd/access_log.h"
#include "searchd/metrics.h"
#include "searchd/request_params.h"
#include "searchd/static_files.h"
#include "searchd/worker_pools.h"

namespace treaty::searchd {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Reply {
  int status = 200;
  json body;
  std::string raw{};  // sent instead of `body` when content_type is set (static files)
  std::string content_type{};
};

Reply error_reply(int status, std::string message) {
  return {status, {{"error", {{"code", status}, {"message", std::move(message)}}}}};
}

// Invalid UTF-8 cannot reach here (parameters are checked first); replace rather than throw anyway.
std::string to_body(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// The thread's own index handle and searcher (Xapian::Database and the Analyzer are not
// thread-safe). `searcher` uses reader->database(), so it is declared (and destroyed) after.
struct Worker {
  std::optional<IndexReader> reader;
  std::unique_ptr<Searcher> searcher;
};

// Each retry starts from the latest commit, so a request fails (503) only if, this many times in
// a row, the indexer commits twice before the request can finish.
constexpr int kMaxRetries = 20;

const char* default_message(int status) {
  switch (status) {
    case 400: return "malformed HTTP request";
    case 404: return "not found";
    case 405: return "method not allowed";
    case 413: return "request too large";
    case 414: return "request URL too long";
    default: return "request failed";
  }
}

// cpp-httplib's view of the ConnectionPool: it hands over each accepted connection and, once it
// stops listening, waits for them to finish.
class PooledTaskQueue final : public httplib::TaskQueue {
 public:
  explicit PooledTaskQueue(ConnectionPool& pool) : pool_(pool) {}
  void enqueue(std::function<void()> fn) override { pool_.enqueue(std::move(fn)); }
  void shutdown() override { pool_.drain(); }

 private:
  ConnectionPool& pool_;
};

}  // namespace

// The embedder of config.embedder (none when its url is empty) and the index's vectors.
std::shared_ptr<VectorSearch> make_vector_search(const SearchdConfig& config) {
  std::shared_ptr<Embedder> embedder;
  if (!config.embedder.base_url.empty()) {
    auto created = HttpEmbedder::create(config.embedder);
    // validate_config() checked these options: failing now is a caller's bug.
    if (!created) throw std::invalid_argument("searchd: " + created.error().describe());
    embedder = std::move(*created);
  }
  // Queries skip a dead embedder for a while instead of each waiting for its timeouts.
  VectorSearchOptions options = config.semantic;
  options.breaker = breaker_options(config);
  return std::make_shared<VectorSearch>(config.index_dir, std::move(embedder), std::move(options));
}

struct HttpServer::Impl {
  Impl(SearchdConfig c, const Resources& r) : config(std::move(c)), resources(r) { configure(); }

  // One handler per route; `rest` is the decoded path after a prefix route's prefix, `arrived` when
  // the request arrived (its time budget runs from there, queueing included).
  using Handler = Reply (Impl::*)(const httplib::Request&, std::string_view rest, Clock::time_point arrived);
  struct Route {
    std::string_view path;  // exact path, or a prefix when it ends with '/'
    Handler handler;
    bool index;             // reads the index: runs on a query worker, in arrival order
  };
  // The route table.
  static std::span<const Route> routes() {
    static constexpr Route table[] = {
        {"/search", &Impl::handle_search, true},        // GET /search?q=…
        {"/similar", &Impl::handle_similar, true},      // GET /similar?id=…
        {"/passages/", &Impl::handle_passage, true},    // GET /passages/{id}, id raw or %-encoded
        {"/documents", &Impl::handle_documents, true},  // GET /documents?meeting=…: the document list
        {"/documents/", &Impl::handle_document, true},  // GET /documents/{symbol}
        {"/health", &Impl::handle_health, true},        // GET /health
        {"/stats", &Impl::handle_stats, true},          // GET /stats
        {"/metrics", &Impl::handle_metrics, false},     // GET /metrics (Prometheus text)
        {"/", &Impl::handle_static, false},             // GET /, /app.js, …: the web UI (keep last)
    };
    return table;
  }

  // The metrics label of a path: its route's path ("static" for the UI's files), or "other".
  static std::string_view route_label(std::string_view path) {
    for (const Route& route : routes()) {
      const bool prefix = route.path.ends_with('/');
      if (prefix ? path.starts_with(route.path) : path == route.path)
        return route.handler == &Impl::handle_static ? std::string_view("static") : route.path;
    }
    return "other";
  }

  void configure() {
    server.new_task_queue = [this] { return new PooledTaskQueue(connections); };
    server.set_tcp_nodelay(true);  // otherwise every keep-alive response waits ~40 ms (Nagle)
    // cpp-httplib listens with a backlog of 5: a burst of new connections overflows it and their
    // SYNs are retried a second later. Note the socket so bind() can listen again with a deep one.
    server.set_socket_options([this](socket_t sock) {
      httplib::default_socket_options(sock);
      listen_socket = sock;
    });
    server.set_keep_alive_max_count(static_cast<std::size_t>(config.keep_alive_max_count));
    server.set_keep_alive_timeout(config.keep_alive_timeout_s);
    server.set_read_timeout(config.read_timeout_s, 0);
    server.set_payload_max_length(64 * 1024);  // no endpoint takes a body

    // Every request is answered here (our own route table), so no regex routes run on
    // client-controlled paths.
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      const auto start = Clock::now();
      res.set_header("X-Request-Id", request_ids.id_for(req.get_header_value("X-Request-Id")));
      if (connections.rejecting_here()) {  // over max_connections: answer at once, and close
        res.status = 503;
        res.set_header("Retry-After", "1");
        res.set_header("Connection", "close");
        res.set_content(to_body(error_reply(503, "too many connections (max_connections " +
                                                     std::to_string(config.max_connections) + "); retry").body),
                        "application/json; charset=utf-8");
        return httplib::Server::HandlerResponse::Handled;
      }
      ++in_flight;
      Reply reply;
      try {
        reply = dispatch(req, start);
      } catch (const Xapian::Error& e) {
        reply = error_reply(500, "index error: " + e.get_description());
      } catch (const std::exception& e) {
        reply = error_reply(500, std::string("internal error: ") + e.what());
      } catch (...) {
        reply = error_reply(500, "internal error");
      }
      --in_flight;
      res.status = reply.status;
      if (reply.content_type.empty()) {
        res.set_content(to_body(reply.body), "application/json; charset=utf-8");
      } else {
        res.set_content(std::move(reply.raw), reply.content_type);
        // The UI only talks to this server; no inline scripts or styles, no framing.
        res.set_header("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                       "frame-ancestors 'none'");
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("Cache-Control", "no-cache");
      }
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      char timing[48];
      std::snprintf(timing, sizeof timing, "app;dur=%.3f", ms);
      res.set_header("Server-Timing", timing);
      return httplib::Server::HandlerResponse::Handled;
    });
    // Errors cpp-httplib answers itself (malformed request line, URI over its 8 KB limit) get
    // the same JSON shape; an over-long URL is 413 like an over-long q.
    server.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // already ours
      res.set_header("X-Request-Id", request_ids.id_for(req.get_header_value("X-Request-Id")));
      if (res.status == 414) res.status = 413;
      const int status = res.status;
      res.set_content(to_body(error_reply(status, status == 413 ? "request URL too long" : default_message(status)).body),
                      "application/json; charset=utf-8");
      return httplib::Server::HandlerResponse::Handled;
    }));
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
      res.status = 500;
      res.set_content(to_body(error_reply(500, "internal error").body), "application/json; charset=utf-8");
    });
    server.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      // Responses cpp-httplib made itself (malformed request line, URI too long) have no timing.
      const std::string timing = res.get_header_value("Server-Timing");
      const double ms = timing.starts_with("app;dur=") ? std::strtod(timing.c_str() + 8, nullptr) : -1;
      metrics.observe(route_label(req.path), res.status, ms < 0 ? 0 : ms / 1000);
      if (!config.access_log) return;
      AccessLogEntry entry{std::chrono::system_clock::now(), req.remote_addr, res.get_header_value("X-Request-Id"),
                           req.method, req.target, res.status, res.body.size(), ms};
      // One fputs per line: stdio's lock keeps concurrent lines whole.
      std::fputs(access_log_line(entry).c_str(), stderr);
    });
  }

  Reply dispatch(const httplib::Request& req, Clock::time_point arrived) {
    if (req.target.size() > config.max_url_bytes)
      return error_reply(413, "request URL is " + std::to_string(req.target.size()) + " bytes; the limit is " +
                                  std::to_string(config.max_url_bytes));
    if (!valid_utf8(req.path)) return error_reply(400, "the path is not valid UTF-8 once percent-decoded");
    for (const auto& [key, value] : req.params)
      if (!valid_utf8(key) || !valid_utf8(value))
        return error_reply(400, "parameter \"" + std::string(valid_utf8(key) ? key : "?") +
                                    "\" is not valid UTF-8 once percent-decoded");
    for (const Route& route : routes()) {
      const bool prefix = route.path.ends_with('/');
      const std::string_view path = req.path;
      if (prefix ? !path.starts_with(route.path) : path != route.path) continue;
      if (req.method != "GET" && req.method != "HEAD") return error_reply(405, "only GET is supported");
      const std::string_view rest = prefix ? path.substr(route.path.size()) : std::string_view();
      if (!route.index) return (this->*route.handler)(req, rest, arrived);
      return queries.run([&] { return (this->*route.handler)(req, rest, arrived); });
    }
    return error_reply(404, "no such endpoint: " + req.path + " (see docs/API.md)");
  }

  // ---- Index access -----------------------------------------------------------------------------

  Worker& worker() {
    std::lock_guard lock(workers_mutex);
    std::unique_ptr<Worker>& w = workers[std::this_thread::get_id()];
    if (!w) w = std::make_unique<Worker>();
    return *w;
  }

  // Opens the index on first use (or after it failed), else follows the latest commit.
  Expected<void> ready(Worker& w) {
    if (w.reader) {
      try {
        w.reader->reopen();
        note_revision(w.reader->database());
        return {};
      } catch (const Xapian::Error&) {
        w.searcher.reset();  // replaced or removed underneath us: open it afresh
        w.reader.reset();
      }
    }
    auto reader = IndexReader::open(config.index_dir);
    if (!reader) return std::unexpected(reader.error());
    w.reader.emplace(std::move(*reader));
    SearcherOptions options;
    options.slot_tables = slot_tables;
    options.vectors = vectors;
    w.searcher = std::make_unique<Searcher>(w.reader->database(), resources, std::move(options));
    note_revision(w.reader->database());
    return {};
  }

  // Keeps the index gauges of /metrics current; documents are counted once per revision.
  void note_revision(const Xapian::Database& db) {
    const std::uint64_t revision = db.get_revision();
    // A reindexed generation starts again at revision 1: its UUID tells it apart.
    const std::uint64_t seen = std::hash<std::string>{}(db.get_uuid()) ^ revision;
    index_revision = revision;
    if (seen == index_seen.exchange(seen)) return;
    std::uint64_t documents = 0;
    const std::string prefix(schema::kDocSymbol);
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) ++documents;
    index_documents = documents;
    index_passages = db.get_doccount();
  }

  // Runs `f` on this thread's up-to-date index: 503 while there is none, retried when a commit
  // lands in the middle (Xapian::DatabaseModifiedError).
  template <class F>
  Reply with_index(F&& f) {
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

  // ---- Endpoints --------------------------------------------------------------------------------

  // A page of results (/search, /similar, /documents) with its paging and timing; counts a
  // search that ran out of its budget.
  Reply page_reply(json body, std::size_t offset, std::size_t size, Clock::time_point start) {
    body["offset"] = offset;
    body["size"] = size;
    body["took_ms"] = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (body.value("timed_out", false)) metrics.count_timed_out();
    return Reply{200, std::move(body)};
  }

  Reply handle_search(const httplib::Request& req, std::string_view, Clock::time_point arrived) {
    const auto start = Clock::now();
    auto request = search_request(req, config, arrived);
    if (!request) return error_reply(request.error().status, request.error().message);
    return with_index([&](Worker& w) {
      auto response = w.searcher->search(*request);
      if (!response) return error_reply(400, response.error().describe());
      json body = response->to_json();
      body["query"] = request->q;
      return page_reply(std::move(body), request->offset, request->size, start);
    });
  }

  Reply handle_similar(const httplib::Request& req, std::string_view, Clock::time_point arrived) {
    const auto start = Clock::now();
    if (!req.has_param("id") || req.get_param_value("id").empty())
      return error_reply(400, "give a passage id: /similar?id=UNEP/CBD/NP/COP-MOP/1/6%2321");
    if (req.has_param("q")) return error_reply(400, "/similar takes no q; use the filters");
    auto request = search_request(req, config, arrived);
    if (!request) return error_reply(request.error().status, request.error().message);
    const std::string id = req.get_param_value("id");
    return with_index([&](Worker& w) {
      auto response = w.searcher->similar(id, *request);
      if (!response) return error_reply(400, response.error().describe());
      if (!*response) return error_reply(404, "no passage " + id);
      json body = (*response)->to_json();
      body["id"] = id;
      return page_reply(std::move(body), request->offset, request->size, start);
    });
  }

  Reply handle_passage(const httplib::Request&, std::string_view id, Clock::time_point) {
    if (id.empty()) return error_reply(404, "give a passage id: /passages/UNEP/CBD/NP/COP-MOP/1/6%2321");
    return with_index([&](Worker& w) {
      auto passage = w.reader->passage(std::string(id));
      if (!passage) return error_reply(404, "no passage " + std::string(id));
      return Reply{200, std::move(*passage)};
    });
  }

  Reply handle_documents(const httplib::Request& req, std::string_view, Clock::time_point arrived) {
    const auto start = Clock::now();
    auto request = document_list_request(req, config, arrived);
    if (!request) return error_reply(request.error().status, request.error().message);
    return with_index([&](Worker& w) {
      auto list = list_documents(*w.searcher, *request);
      if (!list) return error_reply(400, list.error().describe());
      json body = list->to_json();
      return page_reply(std::move(body), request->offset, request->size, start);
    });
  }

  Reply handle_document(const httplib::Request&, std::string_view symbol, Clock::time_point) {
    if (symbol.empty()) return error_reply(404, "give a document symbol: /documents/UNEP/CBD/NP/COP-MOP/1/6");
    return with_index([&](Worker& w) {
      std::string key(symbol);
      auto doc = w.reader->document(key);
      if (!doc) {  // symbols are upper case; be forgiving
        std::transform(key.begin(), key.end(), key.begin(),
                       [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
        doc = w.reader->document(key);
      }
      if (!doc) return error_reply(404, "no document " + std::string(symbol));
      json passages = json::array();
      if (doc->contains("passage_ids"))
        for (const json& id : (*doc)["passage_ids"])
          if (auto p = w.reader->passage(id.get<std::string>())) passages.push_back(std::move(*p));
      (*doc)["passages"] = std::move(passages);
      return Reply{200, std::move(*doc)};
    });
  }

  // Files of config.web_root (static_files.h says what is refused); anything else is the 404 of
  // an unknown route, so API clients see the same error as before the UI existed.
  Reply handle_static(const httplib::Request& req, std::string_view, Clock::time_point) {
    const auto file = resolve_static_path(config.web_root, req.path);
    auto content = file ? read_static_file(*file) : std::nullopt;
    if (!content) return error_reply(404, "no such endpoint: " + req.path + " (see docs/API.md)");
    Reply reply;
    reply.raw = std::move(*content);
    reply.content_type = std::string(content_type_for(*file));
    return reply;
  }

  Reply handle_health(const httplib::Request&, std::string_view, Clock::time_point) {
    return with_index([&](Worker& w) {
      Xapian::Database& db = w.reader->database();
      return Reply{200,
                   {{"status", "ok"},
                    {"passages", db.get_doccount()},
                    {"last_commit", db.get_metadata(std::string(schema::kMetaLastCommit))},
                    {"analysis", analysis_status(*w.searcher)},
                    {"vectors", vector_status()}}};
    });
  }

  Reply handle_stats(const httplib::Request&, std::string_view, Clock::time_point) {
    return with_index([&](Worker& w) {
      const IndexStats s = w.reader->stats();
      return Reply{200,
                   {{"documents", s.documents},
                    {"passages", s.passages},
                    {"size_bytes", s.size_bytes},
                    {"last_commit", s.last_commit},
                    {"symbols", s.symbols},
                    {"vectors", vector_status()}}};
    });
  }

  Reply handle_metrics(const httplib::Request&, std::string_view, Clock::time_point) {
    const ConnectionPoolStats pool = connections.stats();
    MetricsSnapshot snapshot;
    snapshot.in_flight = in_flight.load();
    snapshot.queue_depth = queries.depth();
    snapshot.query_workers = queries.workers();
    snapshot.connections_open = pool.open;
    snapshot.connections_accepted = pool.accepted;
    snapshot.connections_rejected = pool.rejected;
    snapshot.index_revision = index_revision.load();
    snapshot.index_documents = index_documents.load();
    snapshot.index_passages = index_passages.load();
    if (const auto breaker = vectors->breaker_stats()) {
      snapshot.embedder_failures = breaker->failures;
      snapshot.embedder_skipped = breaker->short_circuited;
      snapshot.embedder_circuit_open = breaker->state == BreakerState::open;
    }
    Reply reply;
    reply.raw = metrics.render(snapshot);
    reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return reply;
  }

  // Whether the index was analysed as this server analyses queries: {"matches", "differences"}
  // (Searcher::analysis_differences(); each is also a warning on every search response).
  static json analysis_status(Searcher& searcher) {
    const std::vector<std::string>& differences = searcher.analysis_differences();
    return {{"matches", differences.empty()}, {"differences", differences}};
  }

  // What dense-vector search can use: {"embedder": model or null, "passages": n, "model",
  // "dimensions", "ann", "error"}.
  json vector_status() {
    json out = {{"embedder", vectors->has_embedder() ? json(vectors->embedder_model()) : json(nullptr)}};
    if (const auto breaker = vectors->breaker_stats()) out["circuit"] = breaker_state_name(breaker->state);
    auto store = vectors->store();
    if (!store) {
      out["passages"] = 0;
      out["error"] = store.error().describe();
      return out;
    }
    out["passages"] = (*store)->size();
    out["model"] = (*store)->model();
    out["dimensions"] = (*store)->dimensions();
    out["ann"] = (*store)->uses_ann();
    return out;
  }

  SearchdConfig config;
  const Resources& resources;
  httplib::Server server;
  // Facet values and sort ranks per index revision, built once for all worker threads.
  std::shared_ptr<SlotTableCache> slot_tables = std::make_shared<SlotTableCache>();
  // The query embedder and the index's vectors, shared by all worker threads.
  std::shared_ptr<VectorSearch> vectors = make_vector_search(config);
  // Connections each get a thread; index work runs on the fixed query workers (worker_pools.h).
  ConnectionPool connections{ConnectionPoolOptions{.max_connections = static_cast<std::size_t>(config.max_connections)}};
  QueryQueue queries{static_cast<std::size_t>(effective_threads(config))};
  Metrics metrics;
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

HttpServer::HttpServer(SearchdConfig config, const Resources& resources)
    : impl_(std::make_unique<Impl>(std::move(config), resources)) {}

HttpServer::~HttpServer() { stop(); }

Expected<int> HttpServer::bind() {
  const SearchdConfig& c = impl_->config;
  int port = c.port;
  if (port == 0) {
    port = impl_->server.bind_to_any_port(c.host);
    if (port < 0) return fail("cannot bind to " + c.host + " on any port");
  } else if (!impl_->server.bind_to_port(c.host, port)) {
    return fail("cannot bind to " + c.host + ":" + std::to_string(port) + " (in use, or not allowed)");
  }
  // Linux takes a second listen() on a listening socket as a new backlog (capped by
  // net.core.somaxconn).
  if (impl_->listen_socket != INVALID_SOCKET) ::listen(impl_->listen_socket, SOMAXCONN);
  impl_->port = port;
  return port;
}

bool HttpServer::listen() { return impl_->server.listen_after_bind(); }

Expected<int> HttpServer::start() {
  std::lock_guard lock(impl_->lifecycle_mutex);
  if (impl_->background.joinable()) return fail("server already started");
  auto port = bind();
  if (!port) return port;
  impl_->background = std::thread([this] { impl_->server.listen_after_bind(); });
  // stop() before listen_after_bind() has set its running flag would be lost; wait for it.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!impl_->server.is_running()) {
    if (Clock::now() > deadline) return fail("server did not start listening");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return port;
}

void HttpServer::stop() {
  std::lock_guard lock(impl_->lifecycle_mutex);
  impl_->server.stop();
  if (impl_->background.joinable() && impl_->background.get_id() != std::this_thread::get_id())
    impl_->background.join();
}

bool HttpServer::is_running() const { return impl_->server.is_running(); }

int HttpServer::port() const { return impl_->port; }

}  // namespace treaty::searchd
