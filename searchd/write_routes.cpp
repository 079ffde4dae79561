#include "searchd/write_routes.h"

#include <cstdlib>
#include <stdexcept>

#include "core/base/utf8.h"
#include "core/index/document_json.h"
#include "core/search/filters.h"
#include "core/search/resources.h"
#include "core/vectors/embedder.h"

namespace treaty::searchd {
namespace {

// The embedder of posted documents: the query embedder's server and model, with the batch size,
// timeout and retries of the indexer (a write may wait; a query may not).
std::shared_ptr<Embedder> document_embedder(const SearchdConfig& config) {
  if (config.embedder.base_url.empty()) return nullptr;
  EmbedderOptions options = config.embedder;
  const EmbedderOptions defaults;
  options.batch_size = defaults.batch_size;
  options.timeout_ms = defaults.timeout_ms;
  options.retries = defaults.retries;
  options.backoff_ms = defaults.backoff_ms;
  auto created = HttpEmbedder::create(options);
  // validate_config() checked these options: failing now is a caller's bug.
  if (!created) throw std::invalid_argument("searchd: " + created.error().describe());
  return std::shared_ptr<Embedder>(std::move(*created));
}

// The parse warnings as the API shows them: "line 12: ...".
nlohmann::json warnings_json(const Document& doc) {
  nlohmann::json out = nlohmann::json::array();
  for (const ParseWarning& w : doc.warnings) out.push_back({{"line", w.line}, {"message", w.message}});
  return out;
}

}  // namespace

std::optional<InputFormat> body_format(std::string_view content_type) {
  const std::size_t semi = content_type.find(';');
  const std::string type = ascii_lower(trim_blank(content_type.substr(0, semi)));
  if (type == "application/pdf") return InputFormat::pdf;
  if (type != "text/plain") return std::nullopt;
  if (semi == std::string_view::npos) return InputFormat::text;  // UTF-8 is assumed (and checked)
  for (std::string_view rest = content_type.substr(semi + 1); !rest.empty();) {
    const std::size_t next = rest.find(';');
    const std::string param = ascii_lower(trim_blank(rest.substr(0, next)));
    if (param.starts_with("charset=")) {
      std::string charset = param.substr(8);
      if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"') charset = charset.substr(1, charset.size() - 2);
      if (charset != "utf-8" && charset != "utf8") return std::nullopt;
    }
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
  }
  return InputFormat::text;
}

Expected<std::unique_ptr<KeyStore>> open_key_store(const SearchdConfig& config, const Resources& resources) {
  KeyStoreOptions options;
  options.file = keys_path(config);
  // A key's filter values are checked as a search's would be, so no key is made with a filter
  // that every search would then refuse.
  options.check_filter = [&resources](std::string_view field, std::string_view value) -> std::expected<void, std::string> {
    const FilterBuilder builder(resources.normalizer, resources.gazetteer);
    std::vector<std::string> warnings;
    auto query = builder.value(field, value, FilterSyntax::parameter, warnings);
    if (!query) return std::unexpected(query.error().describe());
    return {};
  };
  if (!config.admin_key_env.empty()) {
    const char* value = std::getenv(config.admin_key_env.c_str());
    if (!value || !*value)
      return fail("the environment variable " + config.admin_key_env + " (--admin-key-env) is not set or empty");
    options.admin_key = value;
  }
  return KeyStore::open(std::move(options));
}

WriteRoutes::WriteRoutes(const SearchdConfig& config, const Resources& resources, KeyStore& keys)
    : resources_(resources), keys_(keys) {
  WriteQueueOptions options;
  options.index_dir = config.index_dir;
  options.hold_lock = std::chrono::milliseconds(config.write_hold_lock_ms);
  options.max_batch = config.write_max_batch;
  options.nice = config.write_nice;
  options.embedder = document_embedder(config);
  queue_ = std::make_unique<WriteQueue>(resources, std::move(options));
}

Reply WriteRoutes::write_error(const WriteError& error) const {
  switch (error.kind) {
    case WriteErrorKind::locked: {
      Reply reply = error_reply(503, error.message);
      reply.headers.emplace_back("Retry-After", "2");
      return reply;
    }
    case WriteErrorKind::not_found: return error_reply(404, error.message);
    case WriteErrorKind::embedding: return error_reply(502, error.message + "; nothing was written");
    case WriteErrorKind::index: break;
  }
  return error_reply(500, error.message + "; the index is at its previous commit");
}

Reply WriteRoutes::post_document(const DocumentPost& post, std::string_view body) {
  if (body.empty()) return error_reply(400, "the request body is empty: send the document (a PDF or a UTF-8 text extract)");
  auto parsed = parse_input(body, post.format, ParseOptions{"request body", post.symbol, post.lang}, resources_);
  if (!parsed) {
    std::string message = parsed.error().message;
    // The parser speaks to the indexer command; here the symbol is a parameter.
    if (const auto at = message.find("--symbol"); at != std::string::npos) message.replace(at, 8, "?symbol=");
    return error_reply(422, message, parsed.error().line);
  }
  if (post.dry_run) {
    nlohmann::json inspected = document_to_json(parsed->doc, parsed->fields, resources_.gazetteer);
    inspected["dry_run"] = true;
    return Reply{200, std::move(inspected)};
  }
  nlohmann::json warnings = warnings_json(parsed->doc);
  auto written = queue_->replace(std::move(*parsed));
  if (!written) return write_error(written.error());
  return Reply{written->created ? 201 : 200,
               {{"symbol", written->symbol},
                {"lang", written->lang},
                {"passages", written->passages},
                {"revision", written->revision},
                {"created", written->created},
                {"warnings", std::move(warnings)}}};
}

Reply WriteRoutes::delete_document(std::string_view symbol, const std::string& lang) {
  if (symbol.empty()) return error_reply(404, "give a document symbol: DELETE /documents/CBD%2FNP%2FMOP%2F3%2F4");
  auto removed = queue_->remove(std::string(symbol), lang);
  // Symbols are upper case; be forgiving, as GET /documents/{symbol} is.
  const std::string upper = ascii_upper(symbol);
  if (!removed && removed.error().kind == WriteErrorKind::not_found && upper != symbol)
    removed = queue_->remove(upper, lang);
  if (!removed) return write_error(removed.error());
  return Reply{200,
               {{"symbol", removed->symbol},
                {"lang", removed->lang},
                {"removed", removed->passages},
                {"revision", removed->revision}}};
}

Reply WriteRoutes::create_key(std::string_view body) {
  nlohmann::json request = nlohmann::json::parse(body, nullptr, false);
  if (request.is_discarded() || !request.is_object())
    return error_reply(400, "the body must be a JSON object: {\"actions\": [\"search\"], \"description\": \"...\"}");
  // The keys file lives in the index directory by default, which the first write creates.
  std::error_code ec;
  if (!keys_.file().parent_path().empty()) std::filesystem::create_directories(keys_.file().parent_path(), ec);
  auto created = keys_.create(request);
  if (!created) return error_reply(created.error().status, created.error().message);
  nlohmann::json out = created->first.to_json();
  out["value"] = created->second;
  return Reply{201, std::move(out)};
}

Reply WriteRoutes::list_keys() const {
  nlohmann::json keys = nlohmann::json::array();
  for (const ApiKey& key : keys_.list()) keys.push_back(key.to_json());
  return Reply{200, {{"keys", std::move(keys)}}};
}

Reply WriteRoutes::revoke_key(std::string_view id) {
  if (auto ok = keys_.revoke(id); !ok) return error_reply(ok.error().status, ok.error().message);
  return Reply{200, {{"id", std::string(id)}, {"revoked", true}}};
}

}  // namespace treaty::searchd
