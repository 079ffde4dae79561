// The routes that change the server's state: POST /documents, DELETE /documents/{symbol} (through
// a WriteQueue: serialised, group-committed) and the API keys (POST/GET/DELETE /keys). Keys are
// checked before these are called (http_server.cpp); httplib.h stays out of here.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/ingest/write_queue.h"
#include "searchd/api_keys.h"
#include "searchd/config.h"
#include "searchd/reply.h"

namespace treaty {
struct Resources;
}

namespace treaty::searchd {

// A POST /documents request once its parameters and Content-Type are checked.
struct DocumentPost {
  InputFormat format = InputFormat::text;
  std::string symbol;    // ?symbol=: for a text without one (or to override it)
  std::string lang;      // ?lang=: the version's language (a code), overriding the detected one
  bool dry_run = false;  // ?dry_run=true: parse and answer, write nothing
};

// The format a Content-Type names: application/pdf, or text/plain with no charset or UTF-8;
// nullopt for anything else (415).
std::optional<InputFormat> body_format(std::string_view content_type);

// The key store of `config`: keys_path(config), with the bootstrap admin key read from the
// environment variable config.admin_key_env (when set); new keys' filter values are checked with
// `resources` (which must outlive the store). Errors: that variable unset or empty, the key too
// short, the keys file unreadable or corrupt.
Expected<std::unique_ptr<KeyStore>> open_key_store(const SearchdConfig& config, const Resources& resources);

class WriteRoutes {
 public:
  // `resources` and `keys` must outlive this. Creates the document embedder from config.embedder
  // (when set) with document-sized batches and timeouts.
  WriteRoutes(const SearchdConfig& config, const Resources& resources, KeyStore& keys);

  // 201 (a new version) or 200 (replaced) once committed: {"symbol", "lang", "passages",
  // "revision", "created", "warnings"}; dry run: 200 with the `indexer inspect` JSON and "dry_run": true. 422 for a
  // document that does not parse (with "line"), 503 + Retry-After when the index is locked,
  // 502 when the embedding server fails.
  Reply post_document(const DocumentPost& post, std::string_view body);

  // Removes the `lang` version of document `symbol` (empty: every version). 200 {"symbol",
  // "lang", "removed", "revision"}; 404 unknown document or version (symbols in any case).
  Reply delete_document(std::string_view symbol, const std::string& lang = {});

  Reply create_key(std::string_view body);  // 201 with the value, once
  Reply list_keys() const;                  // 200 {"keys": [...]}, no values
  Reply revoke_key(std::string_view id);    // 200 {"id", "revoked": true}, 404, 409

  WriteQueueStats write_stats() const { return queue_->stats(); }

 private:
  Reply write_error(const WriteError& error) const;

  const Resources& resources_;
  KeyStore& keys_;
  std::unique_ptr<WriteQueue> queue_;
};

}  // namespace treaty::searchd
