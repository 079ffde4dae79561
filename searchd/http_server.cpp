// The server: the route table, API keys, request bodies, responses, TLS and the lifecycle. The
// read-only routes are in search_routes.cpp, the writes behind WriteRoutes (write_routes.h).
#include "searchd/http_server.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <sys/socket.h>

#include "core/base/utf8.h"
#include "core/search/resources.h"
#include "searchd/http_server_impl.h"
#include "searchd/request_params.h"

namespace treaty::searchd {
namespace {

using nlohmann::json;

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

// The largest body of a POST /keys (a small JSON object).
constexpr std::size_t kMaxKeyBody = 64 * 1024;

std::unique_ptr<httplib::Server> make_server(const SearchdConfig& config) {
  if (config.tls_cert.empty()) return std::make_unique<httplib::Server>();
  return std::make_unique<httplib::SSLServer>(config.tls_cert.c_str(), config.tls_key.c_str());
}

}  // namespace

std::span<const HttpServer::Impl::Route> HttpServer::Impl::routes() {
  using enum Runs;
  static constexpr Route table[] = {
      {"GET", "/search", &Impl::handle_search, query_worker, "search"},         // ?q=…
      {"GET", "/similar", &Impl::handle_similar, query_worker, "search"},       // ?id=…
      {"GET", "/passages/", &Impl::handle_passage, query_worker, "search"},     // {id}, raw or %-encoded
      {"GET", "/documents", &Impl::handle_documents, query_worker, "search"},   // the document list
      {"POST", "/documents", &Impl::handle_post_document, with_body, "documents:write"},  // PDF or text
      {"GET", "/documents/", &Impl::handle_document, query_worker, "search"},   // {symbol}
      {"DELETE", "/documents/", &Impl::handle_delete_document, here, "documents:delete"},  // {symbol}
      {"GET", "/keys/self", &Impl::handle_key_self, here, "key"},               // the key presented
      {"GET", "/keys", &Impl::handle_list_keys, here, "keys:manage"},
      {"POST", "/keys", &Impl::handle_create_key, with_body, "keys:manage"},   // {"actions": […]}
      {"DELETE", "/keys/", &Impl::handle_revoke_key, here, "keys:manage"},      // {id}
      {"GET", "/health", &Impl::handle_health, query_worker, ""},
      {"GET", "/stats", &Impl::handle_stats, query_worker, "search"},
      {"GET", "/metrics", &Impl::handle_metrics, here, ""},                     // Prometheus text
      {"GET", "/", &Impl::handle_static, here, ""},  // /, /app.js, …: the web UI (keep last)
  };
  return table;
}

std::string_view HttpServer::Impl::route_label(std::string_view path) {
  for (const Route& route : routes()) {
    const bool prefix = route.path.ends_with('/');
    if (prefix ? path.starts_with(route.path) : path == route.path)
      return route.handler == &Impl::handle_static ? std::string_view("static") : route.path;
  }
  return "other";
}

HttpServer::Impl::Impl(SearchdConfig c, const Resources& r, std::unique_ptr<KeyStore> k)
    : config(std::move(c)), resources(r), keys(std::move(k)), server(make_server(config)) {
  configure();
}

bool HttpServer::Impl::has_body(const httplib::Request& req) {
  if (req.method != "POST" && req.method != "PUT" && req.method != "PATCH" && req.method != "DELETE") return false;
  if (req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos) return true;
  // Without a length there is nothing to read (admit() answers a POST to a body route 411).
  return req.has_header("Content-Length") && req.get_header_value<std::uint64_t>("Content-Length") > 0;
}

std::size_t HttpServer::Impl::body_limit(const Route& route) const {
  return route.handler == &Impl::handle_create_key ? kMaxKeyBody : config.max_body_bytes;
}

std::expected<HttpServer::Impl::Admitted, Reply> HttpServer::Impl::admit(const httplib::Request& req) {
  if (req.target.size() > config.max_url_bytes)
    return std::unexpected(error_reply(413, "request URL is " + std::to_string(req.target.size()) +
                                                " bytes; the limit is " + std::to_string(config.max_url_bytes)));
  if (!valid_utf8(req.path)) return std::unexpected(error_reply(400, "the path is not valid UTF-8 once percent-decoded"));
  for (const auto& [key, value] : req.params)
    if (!valid_utf8(key) || !valid_utf8(value))
      return std::unexpected(error_reply(400, "parameter \"" + std::string(valid_utf8(key) ? key : "?") +
                                                  "\" is not valid UTF-8 once percent-decoded"));
  const std::string_view path = req.path;
  const std::string_view method = req.method == "HEAD" ? std::string_view("GET") : std::string_view(req.method);
  const Route* found = nullptr;
  std::string allowed;  // methods of the routes on this path, for a 405
  for (const Route& route : routes()) {
    const bool prefix = route.path.ends_with('/');
    if (prefix ? !path.starts_with(route.path) : path != route.path) continue;
    if (route.handler == &Impl::handle_static && !allowed.empty()) continue;  // an API path
    if (route.method == method) {
      found = &route;
      break;
    }
    if (allowed.find(route.method) == std::string::npos) allowed += (allowed.empty() ? "" : ", ") + std::string(route.method);
  }
  if (!found) {
    Reply reply = error_reply(405, "method " + req.method + " not allowed on " + req.path + " (allowed: " + allowed + ")");
    reply.headers.emplace_back("Allow", allowed);
    return std::unexpected(std::move(reply));
  }
  Admitted admitted{found, found->path.ends_with('/') ? path.substr(found->path.size()) : std::string_view(), std::nullopt};

  // Keys: required by the route's action, or given anyway (a scoped key scopes open searches).
  const std::string authorization = req.get_header_value("Authorization");
  const std::string_view action = found->action;
  const bool required = !action.empty() && (action != "search" || config.require_search_key);
  if (required || (!action.empty() && !authorization.empty())) {
    // "key": any valid key (an empty action is allowed to every key).
    AuthResult auth = keys->authorize(authorization, action == "key" ? std::string_view() : action);
    if (auth.status == AuthStatus::ok) {
      admitted.key = std::move(auth.key);
    } else if (auth.status == AuthStatus::forbidden && !required) {
      // An open search with a key that lacks "search": searched as without a key.
    } else {
      const int status = auth.http_status();
      std::string message = auth.message;
      if (status == 401 && !keys->has_keys())
        message += " (this server has no API keys: start searchd with --admin-key-env NAME to create some)";
      Reply reply = error_reply(status, std::move(message));
      if (status == 401) reply.headers.emplace_back("WWW-Authenticate", "Bearer");
      return std::unexpected(std::move(reply));
    }
  }

  if (found->runs == Runs::with_body) {
    if (req.has_header("Content-Length") && req.get_header_value<std::uint64_t>("Content-Length") > body_limit(*found))
      return std::unexpected(error_reply(413, "the body is " + req.get_header_value("Content-Length") +
                                                  " bytes; the limit is " + std::to_string(body_limit(*found)) +
                                                  " ([writes] max_body_bytes)"));
    if (!req.has_header("Content-Length") && req.get_header_value("Transfer-Encoding").find("chunked") == std::string::npos)
      return std::unexpected(error_reply(411, "send the body with a Content-Length (or chunked)"));
    const std::string type = req.get_header_value("Content-Type");
    if (found->handler == &Impl::handle_post_document && !body_format(type))
      return std::unexpected(error_reply(415, "Content-Type " + (type.empty() ? std::string("(none)") : type) +
                                                  " is not taken: send application/pdf or text/plain; charset=utf-8"));
    if (found->handler == &Impl::handle_create_key && !type.starts_with("application/json"))
      return std::unexpected(error_reply(415, "send the key as application/json"));
  }
  return admitted;
}

Reply HttpServer::Impl::run(const Admitted& admitted, const httplib::Request& req, Clock::time_point arrived,
                            std::string_view body) {
  const Call call{req, admitted.rest, arrived, admitted.key ? &*admitted.key : nullptr, body};
  const Route& route = *admitted.route;
  try {
    if (route.runs != Runs::query_worker) return (this->*route.handler)(call);
    return queries.run([&] { return (this->*route.handler)(call); });
  } catch (const Xapian::Error& e) {
    return error_reply(500, "index error: " + e.get_description());
  } catch (const std::exception& e) {
    return error_reply(500, std::string("internal error: ") + e.what());
  }
}

void HttpServer::Impl::respond(Reply reply, httplib::Response& res, Clock::time_point start) {
  res.status = reply.status;
  for (auto& [name, value] : reply.headers) res.set_header(name, value);
  if (reply.content_type.empty()) {
    res.set_content(reply.raw.empty() ? to_body(reply.body) : std::move(reply.raw), std::string(kJsonType));
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
}

// A request with a body: for a route that takes one, the body is read up to the route's limit
// (a chunked or compressed body over it is read to its end but not kept), then handled; any
// other request's body is read and dropped, then the request is handled (or refused) as usual.
void HttpServer::Impl::on_body_route(const httplib::Request& req, httplib::Response& res,
                                     const httplib::ContentReader& read) {
  const auto start = Clock::now();
  ++in_flight;
  Reply reply;
  auto admitted = admit(req);
  if (!admitted || admitted->route->runs != Runs::with_body) {
    // Refused on its headers, or a route that takes no body: drop the body unread into memory (a
    // client that sends "Expect: 100-continue" is refused before sending it).
    read([](const char*, std::size_t) { return true; });
    reply = admitted ? run(*admitted, req, start, {}) : std::move(admitted.error());
  } else {
    const std::size_t limit = body_limit(*admitted->route);
    std::string body;
    bool over = false;
    const bool complete = read([&](const char* data, std::size_t length) {
      if (over || body.size() + length > limit) {
        over = true;
        body.clear();
        body.shrink_to_fit();
        return true;  // keep reading (and dropping) so the connection stays in step
      }
      body.append(data, length);
      return true;
    });
    if (over || res.status == 413)
      reply = error_reply(413, "the body is over the limit of " + std::to_string(limit) + " bytes ([writes] max_body_bytes)");
    else if (!complete)
      reply = error_reply(400, "the request body could not be read (cut short, or a bad chunked or compressed encoding)");
    else
      reply = run(*admitted, req, start, body);
  }
  --in_flight;
  respond(std::move(reply), res, start);
}

// ---- Key and document writes --------------------------------------------------------------------

Reply HttpServer::Impl::handle_post_document(const Call& call) {
  DocumentPost post;
  post.format = *body_format(call.req.get_header_value("Content-Type"));  // admit() checked it
  for (const auto& [name, value] : call.req.params) {
    if (name == "symbol") {
      post.symbol = value;
    } else if (name == "lang") {
      auto code = language_param("lang", value);
      if (!code) return error_reply(code.error().status, code.error().message);
      post.lang = *code;
    } else if (name == "dry_run") {
      if (value != "true" && value != "false" && value != "1" && value != "0")
        return error_reply(400, "dry_run must be true or false, got \"" + value + "\"");
      post.dry_run = value == "true" || value == "1";
    } else {
      return error_reply(400, "unknown parameter \"" + name + "\" (POST /documents takes symbol, lang and dry_run)");
    }
  }
  return writes.post_document(post, call.body);
}

Reply HttpServer::Impl::handle_delete_document(const Call& call) {
  const auto lang = version_lang_param(call.req, "DELETE /documents/{symbol}");
  if (!lang) return error_reply(lang.error().status, lang.error().message);
  return writes.delete_document(call.rest, *lang);
}
Reply HttpServer::Impl::handle_create_key(const Call& call) { return writes.create_key(call.body); }
Reply HttpServer::Impl::handle_list_keys(const Call&) { return writes.list_keys(); }
Reply HttpServer::Impl::handle_key_self(const Call& call) { return Reply{200, call.key->to_json()}; }
Reply HttpServer::Impl::handle_revoke_key(const Call& call) {
  if (call.rest.empty()) return error_reply(404, "give a key id: DELETE /keys/k_…");
  return writes.revoke_key(call.rest);
}

// ---- cpp-httplib --------------------------------------------------------------------------------

void HttpServer::Impl::configure() {
  server->new_task_queue = [this] { return new PooledTaskQueue(connections); };
  server->set_tcp_nodelay(true);  // otherwise every keep-alive response waits ~40 ms (Nagle)
  // cpp-httplib listens with a backlog of 5: a burst of new connections overflows it and their
  // SYNs are retried a second later. Note the socket so bind() can listen again with a deep one.
  server->set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_socket = sock;
  });
  server->set_keep_alive_max_count(static_cast<std::size_t>(config.keep_alive_max_count));
  server->set_keep_alive_timeout(config.keep_alive_timeout_s);
  server->set_read_timeout(config.read_timeout_s, 0);
  // Bodies are read by on_body_route() with each route's own limit; this is the outer bound.
  server->set_payload_max_length(std::max(config.max_body_bytes, kMaxKeyBody));

  // Every request is answered here (our own route table), so no regex routes run on
  // client-controlled paths; routes with a body go on to on_body_route() (registered by exact
  // path below) once their headers pass.
  server->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
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
    // A body is read (or drained, when refused or not taken) so that the connection stays in step.
    if (has_body(req)) return httplib::Server::HandlerResponse::Unhandled;
    auto admitted = admit(req);
    ++in_flight;
    Reply reply = admitted ? run(*admitted, req, start, {}) : std::move(admitted.error());
    --in_flight;
    respond(std::move(reply), res, start);
    return httplib::Server::HandlerResponse::Handled;
  });
  // Every request with a body, whatever its path, comes through on_body_route() (".*" cannot be
  // slow on any path); the route table still decides what it is.
  const auto with_body = [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read) {
    on_body_route(req, res, read);
  };
  server->Post(".*", with_body);
  server->Put(".*", with_body);
  server->Patch(".*", with_body);
  server->Delete(".*", with_body);
  // "Expect: 100-continue" (curl sends it for bodies over 1 MB): a body that would be refused
  // (no key, too large, wrong type) is refused before the client sends it.
  server->set_expect_100_continue_handler([this](const httplib::Request& req, httplib::Response& res) {
    auto admitted = admit(req);
    if (admitted) return 100;
    res.set_header("X-Request-Id", request_ids.id_for(req.get_header_value("X-Request-Id")));
    const int status = admitted.error().status;
    respond(std::move(admitted.error()), res, Clock::now());
    // cpp-httplib writes this answer without the length it gives routed ones; without it the
    // client reads to the end of the connection, and sends its body meanwhile.
    res.set_header("Content-Length", std::to_string(res.body.size()));
    return status;
  });
  // Errors cpp-httplib answers itself (malformed request line, URI over its 8 KB limit) get
  // the same JSON shape; an over-long URL is 413 like an over-long q.
  server->set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // already ours
    res.set_header("X-Request-Id", request_ids.id_for(req.get_header_value("X-Request-Id")));
    if (res.status == 414) res.status = 413;
    const int status = res.status;
    res.set_content(to_body(error_reply(status, status == 413 ? "request URL too long" : default_message(status)).body),
                    "application/json; charset=utf-8");
    return httplib::Server::HandlerResponse::Handled;
  }));
  server->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(to_body(error_reply(500, "internal error").body), "application/json; charset=utf-8");
  });
  server->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
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

// ---- Lifecycle ----------------------------------------------------------------------------------

HttpServer::HttpServer(SearchdConfig config, const Resources& resources, std::unique_ptr<KeyStore> keys) {
  if (!keys) {
    auto opened = open_key_store(config, resources);
    if (!opened) throw std::invalid_argument("searchd: " + opened.error().describe());
    keys = std::move(*opened);
  }
  impl_ = std::make_unique<Impl>(std::move(config), resources, std::move(keys));
}

HttpServer::~HttpServer() { stop(); }

Expected<int> HttpServer::bind() {
  const SearchdConfig& c = impl_->config;
  if (!impl_->server->is_valid())
    return fail("cannot serve HTTPS with tls.cert " + c.tls_cert.string() + " and tls.key " + c.tls_key.string() +
                " (unreadable, not PEM, or the key does not match the certificate)");
  int port = c.port;
  if (port == 0) {
    port = impl_->server->bind_to_any_port(c.host);
    if (port < 0) return fail("cannot bind to " + c.host + " on any port");
  } else if (!impl_->server->bind_to_port(c.host, port)) {
    return fail("cannot bind to " + c.host + ":" + std::to_string(port) + " (in use, or not allowed)");
  }
  // Linux takes a second listen() on a listening socket as a new backlog (capped by
  // net.core.somaxconn).
  if (impl_->listen_socket != INVALID_SOCKET) ::listen(impl_->listen_socket, SOMAXCONN);
  impl_->port = port;
  return port;
}

bool HttpServer::listen() { return impl_->server->listen_after_bind(); }

Expected<int> HttpServer::start() {
  std::lock_guard lock(impl_->lifecycle_mutex);
  if (impl_->background.joinable()) return fail("server already started");
  auto port = bind();
  if (!port) return port;
  impl_->background = std::thread([this] { impl_->server->listen_after_bind(); });
  // stop() before listen_after_bind() has set its running flag would be lost; wait for it.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!impl_->server->is_running()) {
    if (Clock::now() > deadline) return fail("server did not start listening");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return port;
}

void HttpServer::stop() {
  std::lock_guard lock(impl_->lifecycle_mutex);
  impl_->server->stop();
  if (impl_->background.joinable() && impl_->background.get_id() != std::this_thread::get_id())
    impl_->background.join();
}

bool HttpServer::is_running() const { return impl_->server->is_running(); }

int HttpServer::port() const { return impl_->port; }

}  // namespace treaty::searchd
