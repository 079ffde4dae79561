// searchd's read-only routes: /search, /similar, /passages/{id}, /documents, /documents/{symbol},
// /health, /stats, /metrics and the web UI's files. Each runs on a query worker (but /metrics and
// the UI), on that thread's own index reader and searcher.
#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <sys/stat.h>

#include "core/base/utf8.h"
#include "core/documents/document_facts.h"
#include "core/index/schema.h"
#include "core/search/cross_language.h"
#include "core/search/document_list.h"
#include "core/search/resources.h"
#include "core/vectors/vector_store.h"
#include "searchd/http_server_impl.h"
#include "searchd/request_params.h"
#include "searchd/static_files.h"

namespace treaty::searchd {

using nlohmann::json;

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

namespace {

// "en, zh" for a 404 that says which versions there are.
std::string join_langs(const std::vector<std::string>& langs) {
  std::string out;
  for (const std::string& l : langs) out += (out.empty() ? "" : ", ") + l;
  return out;
}

// GET /documents/{symbol}'s "versions": per language version its code, label, title, passage
// count and source file, in language-code order.
json version_list(const IndexReader& reader, const std::string& symbol, const std::vector<std::string>& langs) {
  json out = json::array();
  for (const std::string& lang : langs) {
    const auto doc = reader.document(symbol, lang);
    json facts = doc ? doc->value("facts", json::object()) : json::object();
    out.push_back({{"lang", lang},
                   {"label", language_label(lang)},
                   {"title", facts.value("title", std::string())},
                   {"passages", doc && doc->contains("passage_ids") ? (*doc)["passage_ids"].size() : 0},
                   {"source", doc ? doc->value("source", std::string()) : std::string()}});
  }
  return out;
}

}  // namespace

FilterScope HttpServer::Impl::scope_of(const Call& call) { return call.key ? call.key->filters : FilterScope(); }

// ---- Index access -----------------------------------------------------------------------------

Worker& HttpServer::Impl::worker() {
  std::lock_guard lock(workers_mutex);
  std::unique_ptr<Worker>& w = workers[std::this_thread::get_id()];
  if (!w) w = std::make_unique<Worker>();
  return *w;
}

// Opens the index on first use (or after it failed), else follows the latest commit.
Expected<void> HttpServer::Impl::ready(Worker& w) {
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
void HttpServer::Impl::note_revision(const Xapian::Database& db) {
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

// ---- Result cache -----------------------------------------------------------------------------

namespace {

// Warnings of answers that vectors should have been part of but could not for a reason that may
// pass without a commit (searcher.cpp words them; keep these in step). Answers carrying one are
// not cached. The others are per index revision and configuration, so cacheable: unknown filter
// values, analysis differences, an index without vectors or with another model's, a passage
// without a stored vector.
constexpr std::string_view kTransientWarnings[] = {
    "the embedder is skipped",       // the circuit breaker is open
    "the query could not be embedded",  // the embedder failed
    "the embedder returned",         // unexpected dimensions from the embedder
    "dense vectors are unavailable",  // the vector store could not be read
};

// The identity of the index's vector file (inode, size, modification time; "" when there is
// none): it is renamed into place just after the Xapian commit, so between the two a revision
// has two vector files, and answers of both are kept apart.
std::string vector_file_identity(const std::filesystem::path& index_dir) {
  struct stat st {};
  if (::stat(VectorStore::file_path(index_dir).c_str(), &st) != 0) return {};
  return std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

bool transient_warnings(const std::vector<std::string>& warnings) {
  return std::ranges::any_of(warnings, [](const std::string& warning) {
    return std::ranges::any_of(kTransientWarnings, [&](std::string_view t) { return warning.starts_with(t); });
  });
}

}  // namespace

Reply HttpServer::Impl::through_cache(const Call& call, std::string_view route, bool use, Worker& w,
                                      const std::function<Computed()>& compute) {
  if (!use || !result_cache.enabled()) {
    result_cache.count_bypass();
    Reply reply = compute().reply;
    reply.headers.emplace_back("X-Cache", "bypass");
    return reply;
  }
  const Xapian::Database& db = w.reader->database();  // reopened by with_index() just before
  CacheKey key{std::string(route),
               CacheKey::canonical({call.req.params.begin(), call.req.params.end()}, {"cache"}),
               scope_of(call),
               {db.get_uuid(), db.get_revision(), vector_file_identity(config.index_dir)}};
  if (const auto hit = result_cache.find(key)) {
    Reply reply;
    reply.raw = hit->body;
    if (hit->content_type != kJsonType) reply.content_type = hit->content_type;
    reply.headers.emplace_back("X-Cache", "hit");
    return reply;
  }
  Computed computed = compute();
  Reply& reply = computed.reply;
  // A vector file renamed in while computing: the answer may have used either.
  const bool settled = vector_file_identity(config.index_dir) == key.index.vectors;
  if (reply.status == 200 && !computed.timed_out && !computed.transient && settled) {
    reply.raw = to_body(reply.body);  // sent as is (respond())
    reply.body = nullptr;
    result_cache.store(key, reply.status, computed.timed_out, CachedAnswer{reply.raw, std::string(kJsonType)});
  }
  reply.headers.emplace_back("X-Cache", "miss");
  return std::move(reply);
}

// {"enabled", "entries", "bytes", "hits", "misses", "bypassed", "evictions", "hit_rate"} (hit_rate:
// hits / (hits + misses), null before any lookup).
json HttpServer::Impl::cache_status() const {
  const ResultCacheStats s = result_cache.stats();
  const std::uint64_t lookups = s.hits + s.misses;
  return {{"enabled", result_cache.enabled()},
          {"entries", s.entries},
          {"bytes", s.bytes},
          {"hits", s.hits},
          {"misses", s.misses},
          {"bypassed", s.bypassed},
          {"evictions", s.evictions},
          {"hit_rate", lookups == 0 ? json(nullptr) : json(static_cast<double>(s.hits) / static_cast<double>(lookups))}};
}

// ---- Endpoints --------------------------------------------------------------------------------

// A page of results (/search, /similar, /documents) with its paging and timing; counts a
// search that ran out of its budget.
Reply HttpServer::Impl::page_reply(json body, std::size_t offset, std::size_t size, Clock::time_point start) {
  body["offset"] = offset;
  body["size"] = size;
  body["took_ms"] = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (body.value("timed_out", false)) metrics.count_timed_out();
  return Reply{200, std::move(body)};
}

Reply HttpServer::Impl::handle_search(const Call& call) {
  const auto start = Clock::now();
  auto request = search_request(call.req, config, call.arrived);
  if (!request) return error_reply(request.error().status, request.error().message);
  const auto use_cache = cache_param(call.req);
  if (!use_cache) return error_reply(use_cache.error().status, use_cache.error().message);
  request->scope = scope_of(call);
  return with_index([&](Worker& w) {
    return through_cache(call, "/search", *use_cache, w, [&]() -> Computed {
      auto response = w.searcher->search(*request);
      if (!response) return {error_reply(400, response.error().describe())};
      json body = response->to_json();
      body["query"] = request->q;
      return {page_reply(std::move(body), request->offset, request->size, start), response->timed_out,
              transient_warnings(response->warnings)};
    });
  });
}

Reply HttpServer::Impl::handle_similar(const Call& call) {
  const auto start = Clock::now();
  const httplib::Request& req = call.req;
  if (!req.has_param("id") || req.get_param_value("id").empty())
    return error_reply(400, "give a passage id: /similar?id=UNEP/CBD/NP/COP-MOP/1/6%2321");
  if (req.has_param("q")) return error_reply(400, "/similar takes no q; use the filters");
  auto request = search_request(req, config, call.arrived);
  if (!request) return error_reply(request.error().status, request.error().message);
  const auto use_cache = cache_param(req);
  if (!use_cache) return error_reply(use_cache.error().status, use_cache.error().message);
  request->scope = scope_of(call);
  const std::string id = req.get_param_value("id");
  return with_index([&](Worker& w) {
    return through_cache(call, "/similar", *use_cache, w, [&]() -> Computed {
      auto response = w.searcher->similar(id, *request);
      if (!response) return {error_reply(400, response.error().describe())};
      if (!*response) return {error_reply(404, "no passage " + id)};
      json body = (*response)->to_json();
      body["id"] = id;
      return {page_reply(std::move(body), request->offset, request->size, start), (*response)->timed_out,
              transient_warnings((*response)->warnings)};
    });
  });
}

Reply HttpServer::Impl::handle_passage(const Call& call) {
  const std::string_view id = call.rest;
  if (id.empty()) return error_reply(404, "give a passage id: /passages/UNEP/CBD/NP/COP-MOP/1/6%2321");
  const auto lang = version_lang_param(call.req, "/passages/{id}");
  if (!lang) return error_reply(lang.error().status, lang.error().message);
  const FilterScope scope = scope_of(call);
  return with_index([&](Worker& w) {
    auto passage = w.reader->passage(std::string(id), w.searcher->passages(), *lang);
    // Out of a scoped key's reach is the same 404 as absent: the key learns nothing of it.
    auto visible = w.searcher->in_scope(id, scope);
    if (!visible) return error_reply(400, visible.error().describe());
    if (!*visible) return error_reply(404, "no passage " + std::string(id));
    if (!passage) {
      if (lang->empty() || !w.reader->passage(std::string(id), w.searcher->passages()))
        return error_reply(404, "no passage " + std::string(id));
      return error_reply(404, "no passage " + std::string(id) + " in language " + *lang + " (its versions: " +
                                  join_langs(w.reader->passage_versions(std::string(id))) + ")");
    }
    (*passage)["versions"] = w.reader->passage_versions(std::string(id));
    // Per other language version of the document, the passages linked to this one.
    (*passage)["links"] = linked_versions(w.reader->database(), nullptr, *passage,
                                          w.reader->versions(passage->value("doc", std::string())));
    return Reply{200, std::move(*passage)};
  });
}

Reply HttpServer::Impl::handle_documents(const Call& call) {
  const auto start = Clock::now();
  auto request = document_list_request(call.req, config, call.arrived);
  if (!request) return error_reply(request.error().status, request.error().message);
  const auto use_cache = cache_param(call.req);
  if (!use_cache) return error_reply(use_cache.error().status, use_cache.error().message);
  request->scope = scope_of(call);
  return with_index([&](Worker& w) {
    // The document list's warnings (unknown filter values) depend on the index alone.
    return through_cache(call, "/documents", *use_cache, w, [&]() -> Computed {
      auto list = list_documents(*w.searcher, *request);
      if (!list) return {error_reply(400, list.error().describe())};
      json body = list->to_json();
      return {page_reply(std::move(body), request->offset, request->size, start), list->timed_out, false};
    });
  });
}

Reply HttpServer::Impl::handle_document(const Call& call) {
  const std::string_view symbol = call.rest;
  if (symbol.empty()) return error_reply(404, "give a document symbol: /documents/UNEP/CBD/NP/COP-MOP/1/6");
  const auto lang = version_lang_param(call.req, "/documents/{symbol}");
  if (!lang) return error_reply(lang.error().status, lang.error().message);
  const FilterScope scope = scope_of(call);
  return with_index([&](Worker& w) {
    std::string found(symbol);
    std::vector<std::string> versions = w.reader->versions(found);
    if (versions.empty()) {  // symbols are upper case; be forgiving
      found = ascii_upper(symbol);
      versions = w.reader->versions(found);
    }
    auto doc = w.reader->document(found, *lang);
    if (!doc && !versions.empty() && !lang->empty())
      return error_reply(404, "no document " + std::string(symbol) + " in language " + *lang + " (its versions: " +
                                  join_langs(versions) + ")");
    if (!doc) return error_reply(404, "no document " + std::string(symbol));
    const std::string doc_lang = (*doc)["facts"].value("lang", std::string());
    (*doc)["versions"] = version_list(*w.reader, found, versions);
    json passages = json::array();
    json ids = json::array();
    if (doc->contains("passage_ids"))
      for (const json& id : (*doc)["passage_ids"]) {
        auto visible = w.searcher->in_scope(id.get<std::string>(), scope);
        if (!visible) return error_reply(400, visible.error().describe());
        if (!*visible) continue;  // a scoped key sees the passages its searches find
        ids.push_back(id);
        if (auto p = w.reader->passage(id.get<std::string>(), w.searcher->passages(), doc_lang))
          passages.push_back(std::move(*p));
      }
    if (ids.empty() && !scope.empty()) return error_reply(404, "no document " + std::string(symbol));
    (*doc)["passage_ids"] = std::move(ids);
    (*doc)["passages"] = std::move(passages);
    return Reply{200, std::move(*doc)};
  });
}

// Files of config.web_root (static_files.h says what is refused); anything else is the 404 of
// an unknown route, so API clients see the same error as before the UI existed.
Reply HttpServer::Impl::handle_static(const Call& call) {
  const auto file = resolve_static_path(config.web_root, call.req.path);
  auto content = file ? read_static_file(*file) : std::nullopt;
  if (!content) return error_reply(404, "no such endpoint: " + call.req.path + " (see docs/API.md)");
  Reply reply;
  reply.raw = std::move(*content);
  reply.content_type = std::string(content_type_for(*file));
  return reply;
}

Reply HttpServer::Impl::handle_health(const Call&) {
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

Reply HttpServer::Impl::handle_stats(const Call&) {
  return with_index([&](Worker& w) {
    const IndexStats s = w.reader->stats();
    return Reply{200,
                 {{"documents", s.documents},
                  {"passages", s.passages},
                  {"size_bytes", s.size_bytes},
                  {"last_commit", s.last_commit},
                  {"symbols", s.symbols},
                  {"vectors", vector_status()},
                  {"cache", cache_status()}}};
  });
}

Reply HttpServer::Impl::handle_metrics(const Call&) {
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
  const WriteQueueStats writing = writes.write_stats();
  snapshot.writes_ok = writing.writes;
  snapshot.writes_failed = writing.failed;
  snapshot.write_commits = writing.commits;
  snapshot.writes_pending = writing.pending;
  snapshot.write_lock_held = writing.holds_lock;
  const ResultCacheStats cache = result_cache.stats();
  snapshot.cache_hits = cache.hits;
  snapshot.cache_misses = cache.misses;
  snapshot.cache_bypassed = cache.bypassed;
  snapshot.cache_evictions = cache.evictions;
  snapshot.cache_entries = cache.entries;
  snapshot.cache_bytes = cache.bytes;
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
json HttpServer::Impl::analysis_status(Searcher& searcher) {
  const std::vector<std::string>& differences = searcher.analysis_differences();
  return {{"matches", differences.empty()}, {"differences", differences}};
}

// What dense-vector search can use: {"embedder": model or null, "passages": n, "model",
// "dimensions", "ann", "error"}.
json HttpServer::Impl::vector_status() {
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

}  // namespace treaty::searchd
