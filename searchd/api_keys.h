// searchd's API keys: who may search, write documents, delete them and manage keys.
//
// A key's value ("tk_" + 64 hex digits, 256 random bits) is shown once, when it is made; the
// store keeps only its SHA-256 hash, in memory and in the keys file (docs/DESIGN.md, "API keys").
// A bootstrap admin key ("*", id "admin") may come from the environment (--admin-key-env); it is
// never written anywhere and only its hash is kept either.
//
// Knows nothing of HTTP: the HTTP layer passes the Authorization header's value and the action a
// route needs, and turns AuthResult / KeyError into answers.
#pragma once

#include <array>
#include <chrono>
#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/search/request.h"

namespace treaty::searchd {

// Actions a key can be given; "*" grants all of them.
inline constexpr std::string_view kKeyActions[] = {"search", "documents:write", "documents:delete", "keys:manage"};
// Filter fields a key can be limited to (its searches see only passages matching them).
inline constexpr std::string_view kKeyFilterFields[] = {"doc", "org", "meeting", "type", "lang", "decision", "symbol", "year"};

// A key's filters: field -> values (values of a field ORed, fields ANDed), fields in the order
// given; the scope its searches get (request.h).
using KeyFilters = FilterScope;

// What is known of a key; never its value.
struct ApiKey {
  std::string id;               // "k_" + 16 hex chars (random, not derived from the value); "admin" for the bootstrap key
  std::string description;
  std::vector<std::string> actions;  // as given ("*" kept), without repeats
  KeyFilters filters;           // empty: sees everything
  std::string created;          // ISO 8601 UTC, "2026-11-27T20:01:02Z"
  bool bootstrap = false;       // the --admin-key-env key: not stored, cannot be revoked

  // Whether the key may do `action`: it lists it or "*". An empty `action` is allowed to every key.
  bool allows(std::string_view action) const;
  // {"id","description","actions","filters":{"doc":[..]},"created"} (+ "bootstrap":true); no value, no hash.
  nlohmann::json to_json() const;
};

struct KeyStoreOptions {
  std::filesystem::path file;            // the keys file (hashed keys); created with the first key.
                                         // Empty: no stored keys, create() answers 500
  std::optional<std::string> admin_key;  // the bootstrap admin key's value; never written anywhere
  // The clock that dates new keys (and the bootstrap key, at open); system_clock::now when empty.
  std::function<std::chrono::system_clock::time_point()> now;
  // Checks one filter value of a new key (field is one of kKeyFilterFields), e.g. with the
  // searcher's FilterBuilder, so that a key cannot be made with a filter no search accepts; the
  // error becomes create()'s 400 message. Called by create() outside the store's locks, so from
  // several threads at once when keys are made at once. Empty: any non-empty string is accepted.
  std::function<std::expected<void, std::string>(std::string_view field, std::string_view value)> check_filter;
};

enum class AuthStatus { ok, missing, unknown, forbidden };

struct AuthResult {
  AuthStatus status = AuthStatus::missing;
  std::optional<ApiKey> key;   // set when the key was recognised (ok or forbidden)
  std::string message;         // for 401/403: "missing API key: send Authorization: Bearer KEY", "unknown API key", "this key may not documents:write"
  // 200 (ok), 401 (missing, unknown), 403 (forbidden).
  int http_status() const;
};

// A refused create/revoke: the HTTP status (400 bad request body, 404 unknown id, 409 bootstrap
// key, 500 file not written or no random bytes) and why.
struct KeyError {
  int status;
  std::string message;
};

// The keys, thread-safe: authorize(), list() and has_keys() from many threads at once (a shared
// lock); create() and revoke() one at a time, writing the file before they change what
// authorize() sees, and without blocking it while they write.
class KeyStore {
 public:
  // Reads options.file (a missing file: no keys yet). Errors name the file: unreadable, not JSON,
  // wrong shape or version. An admin key shorter than 16 characters is an error too ("too short
  // to be a secret").
  static Expected<std::unique_ptr<KeyStore>> open(KeyStoreOptions options);

  // `authorization`: the Authorization header's value ("" when absent), "Bearer KEY" (the scheme
  // case-insensitive, spaces around KEY ignored). missing: no header, another scheme or no KEY;
  // unknown: KEY matches no key; forbidden: the key does not allow `action`; ok otherwise (an
  // empty `action` accepts any valid key: GET /keys/self). The time taken does not depend on
  // which key matched or where the value differs from one.
  AuthResult authorize(std::string_view authorization, std::string_view action) const;

  // Creates a key from a POST /keys body {"actions":[...], "description": "...", "filters":
  // {"doc": ["..."] or "..."}}: actions a non-empty array of kKeyActions or "*"; description a
  // string of at most 200 bytes (optional); filters (optional) an object of kKeyFilterFields,
  // each a non-empty string or a non-empty array of them (at most 100 values of 200 bytes);
  // each value passing options.check_filter; other members are an error (400, the message names
  // the member). The keys file is rewritten atomically (mode 0600) before it returns; on failure
  // (500) nothing changes. Returns the key and its value (to show once).
  std::expected<std::pair<ApiKey, std::string>, KeyError> create(const nlohmann::json& request);

  // The stored keys (not the bootstrap one), in creation order.
  std::vector<ApiKey> list() const;

  // Revokes a stored key and rewrites the file (as create()). 404 unknown id, 409 "admin" (the
  // bootstrap key), 500 file not written (the key stays).
  std::expected<void, KeyError> revoke(std::string_view id);

  // Whether any key exists at all (stored or bootstrap).
  bool has_keys() const;

  // The keys file (options.file).
  const std::filesystem::path& file() const { return file_; }

  // A SHA-256 digest (public for the tests and the file format).
  using Digest = std::array<unsigned char, 32>;

 private:
  struct Stored {
    ApiKey key;
    Digest hash;
  };

  KeyStore() = default;
  // The keys of `file` (none when it does not exist); errors name the file.
  static Expected<std::vector<Stored>> read_entries(const std::filesystem::path& file);
  // One entry of the file; the error starts with the member (".hash: ...").
  static std::expected<Stored, std::string> parse_entry(const nlohmann::json& entry);
  // Writes `keys` to the file atomically; the error message on failure.
  std::expected<void, std::string> write_file(const std::vector<Stored>& keys) const;
  std::string now_iso() const;

  std::filesystem::path file_;
  std::function<std::chrono::system_clock::time_point()> now_;
  std::function<std::expected<void, std::string>(std::string_view, std::string_view)> check_filter_;
  std::optional<Stored> bootstrap_;
  mutable std::shared_mutex mutex_;  // guards keys_ (shared: readers; unique: swapping in a new list)
  std::vector<Stored> keys_;
  std::mutex write_mutex_;           // one create/revoke at a time, held while the file is written
};

}  // namespace treaty::searchd
