#include "searchd/api_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <stdexcept>
#include <system_error>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace treaty::searchd {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using CheckFilter = std::function<std::expected<void, std::string>(std::string_view, std::string_view)>;

constexpr int kFileVersion = 1;
constexpr std::string_view kHashPrefix = "sha256:";
constexpr std::size_t kMaxDescription = 200;    // bytes
constexpr std::size_t kMaxFilterValues = 100;   // per field
constexpr std::size_t kMaxFilterValue = 200;    // bytes
constexpr std::size_t kMinAdminKey = 16;        // characters
constexpr std::size_t kValueBytes = 32;         // random bytes in a key's value (256 bits)
constexpr std::size_t kIdBytes = 8;             // random bytes in a key's id

// SHA-256 of a key's value. A fast, unsalted hash is the right tool here: a generated value
// carries 256 random bits, so there is nothing to guess or precompute (no dictionary, no rainbow
// table); slow password hashes (bcrypt, Argon2) exist for low-entropy human secrets, and would
// only make every request dear. The file and a memory dump then hold nothing that opens the API.
// The bootstrap admin key is the one value a human chooses: it must be long and random
// (docs/DESIGN.md, "API keys"); open() refuses one under 16 characters.
KeyStore::Digest sha256(std::string_view value) {
  KeyStore::Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(value.data(), value.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    throw std::runtime_error("OpenSSL's SHA-256 failed");  // a broken libcrypto
  }
  return digest;
}

std::string to_hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xf];
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is not what we write
}

bool is_lower_hex(std::string_view s) {
  return std::ranges::all_of(s, [](char c) { return hex_digit(c) >= 0; });
}

// `size` random bytes from OpenSSL's CSPRNG as lowercase hex; nullopt when it has none to give.
std::optional<std::string> random_hex(std::size_t size) {
  std::vector<unsigned char> bytes(size);
  if (RAND_bytes(bytes.data(), static_cast<int>(size)) != 1) return std::nullopt;
  std::string hex = to_hex(bytes.data(), size);
  OPENSSL_cleanse(bytes.data(), size);
  return hex;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The KEY of "Bearer KEY" (scheme in any case); nullopt for anything else.
std::optional<std::string_view> bearer_value(std::string_view header) {
  constexpr std::string_view kScheme = "bearer";
  header = trim(header);
  if (header.size() <= kScheme.size() || (header[kScheme.size()] != ' ' && header[kScheme.size()] != '\t')) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char c = header[i];
    if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != kScheme[i]) return std::nullopt;
  }
  const std::string_view value = trim(header.substr(kScheme.size() + 1));
  if (value.empty()) return std::nullopt;
  return value;
}

template <class Range>
bool contains(const Range& range, std::string_view s) {
  return std::ranges::find(range, s) != std::ranges::end(range);
}

template <class Range>
std::string joined(const Range& range) {
  std::string out;
  for (std::string_view s : range) out += (out.empty() ? "" : ", ") + std::string(s);
  return out;
}

// `s` in quotes for a message, cut to 64 bytes (on a UTF-8 character boundary).
std::string in_quotes(std::string_view s) {
  if (s.size() <= 64) return "\"" + std::string(s) + "\"";
  std::size_t cut = 64;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + std::string(s.substr(0, cut)) + "…\"";
}

std::string iso_utc(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// "actions": a non-empty array of known actions; repeats dropped.
std::expected<std::vector<std::string>, std::string> parse_actions(const json& j) {
  const std::string known = "(known: " + joined(kKeyActions) + ", *)";
  if (!j.is_array() || j.empty()) return std::unexpected("actions: must be a non-empty array of actions " + known);
  std::vector<std::string> actions;
  for (const json& a : j) {
    if (!a.is_string()) return std::unexpected("actions: each action must be a string " + known);
    const auto& action = a.get_ref<const std::string&>();
    if (action != "*" && !contains(kKeyActions, action)) {
      return std::unexpected("actions: unknown action " + in_quotes(action) + " " + known);
    }
    if (!contains(actions, action)) actions.push_back(action);
  }
  return actions;
}

std::expected<std::string, std::string> parse_description(const json& j) {
  if (!j.is_string()) return std::unexpected("description: must be a string");
  const auto& description = j.get_ref<const std::string&>();
  if (description.size() > kMaxDescription) {
    return std::unexpected("description: longer than " + std::to_string(kMaxDescription) + " bytes");
  }
  return description;
}

// One field's values: a non-empty string or a non-empty array of them; repeats dropped.
std::expected<std::vector<std::string>, std::string> parse_filter_values(const std::string& field, const json& j,
                                                                         const CheckFilter& check) {
  const std::string where = "filters." + field + ": ";
  const json list = j.is_string() ? json::array({j}) : j;
  if (!list.is_array() || list.empty()) {
    return std::unexpected(where + "must be a non-empty string or a non-empty array of them");
  }
  if (list.size() > kMaxFilterValues) {
    return std::unexpected(where + "more than " + std::to_string(kMaxFilterValues) + " values");
  }
  std::vector<std::string> values;
  for (const json& v : list) {
    if (!v.is_string() || trim(v.get_ref<const std::string&>()).empty()) {
      return std::unexpected(where + "each value must be a non-empty string");
    }
    const auto& value = v.get_ref<const std::string&>();
    if (value.size() > kMaxFilterValue) {
      return std::unexpected(where + "a value longer than " + std::to_string(kMaxFilterValue) + " bytes");
    }
    if (check) {
      if (auto ok = check(field, value); !ok) return std::unexpected(where + ok.error());
    }
    if (!contains(values, value)) values.push_back(value);
  }
  return values;
}

// "filters": an object of kKeyFilterFields to values. (nlohmann::json keeps an object's members
// sorted, so "the order given" is the fields' alphabetical order.)
std::expected<KeyFilters, std::string> parse_filters(const json& j, const CheckFilter& check) {
  if (!j.is_object()) return std::unexpected("filters: must be an object of fields (" + joined(kKeyFilterFields) + ") to values");
  KeyFilters filters;
  for (const auto& [field, values] : j.items()) {
    if (!contains(kKeyFilterFields, field)) {
      return std::unexpected("filters: unknown filter field " + in_quotes(field) + " (known: " + joined(kKeyFilterFields) + ")");
    }
    auto parsed = parse_filter_values(field, values, check);
    if (!parsed) return std::unexpected(parsed.error());
    filters.emplace_back(field, std::move(*parsed));
  }
  return filters;
}

// A POST /keys body as a key without id, date or value.
std::expected<ApiKey, std::string> parse_request(const json& request, const CheckFilter& check) {
  if (!request.is_object()) {
    return std::unexpected(R"(the body must be a JSON object {"actions": [...], "description": "...", "filters": {...}})");
  }
  for (const auto& [member, value] : request.items()) {
    if (member != "actions" && member != "description" && member != "filters") {
      return std::unexpected("unknown member " + in_quotes(member) + " (known: actions, description, filters)");
    }
  }
  ApiKey key;
  if (!request.contains("actions")) return std::unexpected("actions: missing (a non-empty array of actions)");
  auto actions = parse_actions(request["actions"]);
  if (!actions) return std::unexpected(actions.error());
  key.actions = std::move(*actions);
  if (request.contains("description")) {
    auto description = parse_description(request["description"]);
    if (!description) return std::unexpected(description.error());
    key.description = std::move(*description);
  }
  if (request.contains("filters")) {
    auto filters = parse_filters(request["filters"], check);
    if (!filters) return std::unexpected(filters.error());
    key.filters = std::move(*filters);
  }
  return key;
}

// "sha256:<64 hex>" as a digest.
std::optional<KeyStore::Digest> parse_hash(const json& j) {
  if (!j.is_string()) return std::nullopt;
  std::string_view s = j.get_ref<const std::string&>();
  if (!s.starts_with(kHashPrefix)) return std::nullopt;
  s.remove_prefix(kHashPrefix.size());
  KeyStore::Digest digest{};
  if (s.size() != digest.size() * 2 || !is_lower_hex(s)) return std::nullopt;
  for (std::size_t i = 0; i < digest.size(); ++i) {
    digest[i] = static_cast<unsigned char>(hex_digit(s[2 * i]) * 16 + hex_digit(s[2 * i + 1]));
  }
  return digest;
}

bool is_key_id(const json& j) {
  if (!j.is_string()) return false;
  std::string_view s = j.get_ref<const std::string&>();
  return s.size() == 2 + kIdBytes * 2 && s.starts_with("k_") && is_lower_hex(s.substr(2));
}

std::string read_whole(int fd, int& error) {
  std::string text;
  char buffer[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = errno;
      break;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

std::string errno_text(int error) { return std::error_code(error, std::system_category()).message(); }

void fsync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

bool ApiKey::allows(std::string_view action) const {
  return action.empty() || contains(actions, "*") || contains(actions, action);
}

json ApiKey::to_json() const {
  json out = {{"id", id}, {"description", description}, {"actions", actions}, {"filters", json::object()},
              {"created", created}};
  for (const auto& [field, values] : filters) out["filters"][field] = values;
  if (bootstrap) out["bootstrap"] = true;
  return out;
}

int AuthResult::http_status() const {
  switch (status) {
    case AuthStatus::ok: return 200;
    case AuthStatus::missing:
    case AuthStatus::unknown: return 401;
    case AuthStatus::forbidden: return 403;
  }
  return 401;
}

// The keys file's entries: {"version":1,"keys":[{"id","hash","actions","description","filters","created"}]}.
// Every member is required and no other is accepted: a misspelt "filters" in a hand-edited file
// must not quietly give a key the whole index.
Expected<std::vector<KeyStore::Stored>> KeyStore::read_entries(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return std::vector<Stored>{};  // no key made yet
  if (fd < 0) return fail("cannot read the keys file: " + errno_text(errno), file.string());
  int error = 0;
  const std::string text = read_whole(fd, error);
  ::close(fd);
  if (error != 0) return fail("cannot read the keys file: " + errno_text(error), file.string());
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    return fail(std::string("the keys file is not JSON: ") + e.what(), file.string());
  }
  const auto shape = [&](const std::string& what) {
    return fail("the keys file is not {\"version\":1,\"keys\":[...]}: " + what, file.string());
  };
  if (!doc.is_object() || !doc.contains("version") || !doc.contains("keys") || doc.size() != 2) {
    return shape("it must be an object with exactly the members version and keys");
  }
  if (doc["version"] != kFileVersion) return shape("version " + doc["version"].dump() + " is not 1");
  if (!doc["keys"].is_array()) return shape("keys is not an array");
  std::vector<Stored> keys;
  for (std::size_t i = 0; i < doc["keys"].size(); ++i) {
    const json& entry = doc["keys"][i];
    const std::string where = "keys[" + std::to_string(i) + "]";
    auto stored = parse_entry(entry);
    if (!stored) return shape(where + stored.error());
    for (const Stored& other : keys) {
      if (other.key.id == stored->key.id) return shape(where + ".id: " + stored->key.id + " is there twice");
      if (other.hash == stored->hash) return shape(where + ".hash: the same hash as " + other.key.id);
    }
    keys.push_back(std::move(*stored));
  }
  return keys;
}

// One entry of the file; the error starts with the member (".hash: ...").
std::expected<KeyStore::Stored, std::string> KeyStore::parse_entry(const json& entry) {
  static constexpr std::string_view kMembers[] = {"id", "hash", "actions", "description", "filters", "created"};
  if (!entry.is_object()) return std::unexpected(": not an object");
  for (std::string_view member : kMembers) {
    if (!entry.contains(member)) return std::unexpected(": " + std::string(member) + " missing");
  }
  if (entry.size() != std::size(kMembers)) {
    return std::unexpected(": members other than " + joined(kMembers));
  }
  if (!is_key_id(entry["id"])) return std::unexpected(".id: not \"k_\" and 16 hex digits");
  const auto hash = parse_hash(entry["hash"]);
  if (!hash) return std::unexpected(".hash: not \"sha256:\" and 64 hex digits");
  if (!entry["created"].is_string()) return std::unexpected(".created: not a string");
  auto actions = parse_actions(entry["actions"]);
  if (!actions) return std::unexpected("." + actions.error());
  auto description = parse_description(entry["description"]);
  if (!description) return std::unexpected("." + description.error());
  auto filters = parse_filters(entry["filters"], nullptr);  // checked when the key was made
  if (!filters) return std::unexpected("." + filters.error());
  Stored stored{ApiKey{}, *hash};
  stored.key.id = entry["id"].get<std::string>();
  stored.key.description = std::move(*description);
  stored.key.actions = std::move(*actions);
  stored.key.filters = std::move(*filters);
  stored.key.created = entry["created"].get<std::string>();
  return stored;
}

Expected<std::unique_ptr<KeyStore>> KeyStore::open(KeyStoreOptions options) {
  std::unique_ptr<KeyStore> store(new KeyStore());
  store->file_ = std::move(options.file);
  store->now_ = options.now ? std::move(options.now) : [] { return std::chrono::system_clock::now(); };
  store->check_filter_ = std::move(options.check_filter);
  if (options.admin_key) {
    const std::string& admin = *options.admin_key;
    if (admin.size() < kMinAdminKey) {
      return fail("the admin key is too short to be a secret (" + std::to_string(admin.size()) +
                  " characters; at least 16, better 32 or more random ones)");
    }
    if (!std::ranges::all_of(admin, [](char c) { return c > ' ' && c < 0x7f; })) {
      return fail("the admin key must be printable ASCII without spaces (it is sent in an HTTP header)");
    }
    ApiKey key{"admin", "bootstrap admin key (--admin-key-env)", {"*"}, {}, store->now_iso(), true};
    store->bootstrap_ = Stored{std::move(key), sha256(admin)};
  }
  if (!store->file_.empty()) {
    auto keys = read_entries(store->file_);
    if (!keys) return std::unexpected(keys.error());
    store->keys_ = std::move(*keys);
  }
  return store;
}

AuthResult KeyStore::authorize(std::string_view authorization, std::string_view action) const {
  AuthResult result;
  const auto value = bearer_value(authorization);
  if (!value) {
    result.status = AuthStatus::missing;
    result.message = "missing API key: send Authorization: Bearer KEY";
    return result;
  }
  // Only hashes are compared, so even a leaky comparison would tell an attacker about a hash, not
  // a value; still, every hash is compared in full (CRYPTO_memcmp, no early exit, no lookup by
  // value) so that the time does not depend on which key matched or how much of one did.
  const Digest presented = sha256(*value);
  std::shared_lock lock(mutex_);
  const Stored* match = nullptr;
  for (const Stored& stored : keys_) {
    if (CRYPTO_memcmp(stored.hash.data(), presented.data(), presented.size()) == 0) match = &stored;
  }
  if (bootstrap_ && CRYPTO_memcmp(bootstrap_->hash.data(), presented.data(), presented.size()) == 0) {
    match = &*bootstrap_;
  }
  if (match == nullptr) {
    result.status = AuthStatus::unknown;
    result.message = "unknown API key";
    return result;
  }
  result.key = match->key;
  if (match->key.allows(action)) {
    result.status = AuthStatus::ok;
  } else {
    result.status = AuthStatus::forbidden;
    result.message = "this key may not " + std::string(action);
  }
  return result;
}

std::expected<std::pair<ApiKey, std::string>, KeyError> KeyStore::create(const json& request) {
  auto key = parse_request(request, check_filter_);
  if (!key) return std::unexpected(KeyError{400, key.error()});
  if (file_.empty()) return std::unexpected(KeyError{500, "no keys file is configured: keys cannot be made"});
  const auto random = random_hex(kValueBytes);
  if (!random) return std::unexpected(KeyError{500, "no random bytes to make a key from (OpenSSL RAND_bytes)"});
  const std::string value = "tk_" + *random;

  std::lock_guard writer(write_mutex_);
  // Only create() and revoke() change keys_, and they hold write_mutex_: keys_ can be read
  // without mutex_ here, and authorize() goes on with the old list while the file is written.
  std::optional<std::string> id;
  while (!id || std::ranges::any_of(keys_, [&](const Stored& s) { return s.key.id == *id; })) {
    const auto hex = random_hex(kIdBytes);
    if (!hex) return std::unexpected(KeyError{500, "no random bytes to make a key id from (OpenSSL RAND_bytes)"});
    id = "k_" + *hex;
  }
  key->id = *id;
  key->created = now_iso();
  std::vector<Stored> next = keys_;
  next.push_back(Stored{*key, sha256(value)});
  if (auto written = write_file(next); !written) return std::unexpected(KeyError{500, written.error()});
  {
    std::unique_lock lock(mutex_);
    keys_ = std::move(next);
  }
  return std::pair{std::move(*key), value};
}

std::vector<ApiKey> KeyStore::list() const {
  std::shared_lock lock(mutex_);
  std::vector<ApiKey> keys;
  keys.reserve(keys_.size());
  for (const Stored& stored : keys_) keys.push_back(stored.key);
  return keys;
}

std::expected<void, KeyError> KeyStore::revoke(std::string_view id) {
  if (id == "admin") {
    return std::unexpected(KeyError{409, "the bootstrap key \"admin\" cannot be revoked (it comes from --admin-key-env)"});
  }
  std::lock_guard writer(write_mutex_);  // as in create(): keys_ is only read here until the swap
  const auto found = std::ranges::find_if(keys_, [&](const Stored& s) { return s.key.id == id; });
  if (found == keys_.end()) return std::unexpected(KeyError{404, "no key " + in_quotes(id)});
  std::vector<Stored> next;
  next.reserve(keys_.size());
  for (const Stored& stored : keys_) {
    if (stored.key.id != id) next.push_back(stored);
  }
  if (auto written = write_file(next); !written) return std::unexpected(KeyError{500, written.error()});
  std::unique_lock lock(mutex_);
  keys_ = std::move(next);
  return {};
}

bool KeyStore::has_keys() const {
  std::shared_lock lock(mutex_);
  return bootstrap_.has_value() || !keys_.empty();
}

std::string KeyStore::now_iso() const { return iso_utc(now_()); }

// A temporary file beside the keys file (mode 0600 from mkostemp), written and fsynced, renamed
// over it, then the directory fsynced: a crash leaves the old file or the new one, never a mix.
std::expected<void, std::string> KeyStore::write_file(const std::vector<Stored>& keys) const {
  nlohmann::ordered_json doc = {{"version", kFileVersion}, {"keys", nlohmann::ordered_json::array()}};
  for (const Stored& stored : keys) {
    nlohmann::ordered_json filters = nlohmann::ordered_json::object();
    for (const auto& [field, values] : stored.key.filters) filters[field] = values;
    doc["keys"].push_back({{"id", stored.key.id},
                           {"hash", std::string(kHashPrefix) + to_hex(stored.hash.data(), stored.hash.size())},
                           {"actions", stored.key.actions},
                           {"description", stored.key.description},
                           {"filters", std::move(filters)},
                           {"created", stored.key.created}});
  }
  const std::string text = doc.dump(2) + "\n";
  const fs::path dir = file_.has_parent_path() ? file_.parent_path() : fs::path(".");
  std::string temp = (dir / ("." + file_.filename().string() + ".XXXXXX")).string();
  const auto failed = [&](int error) {
    return std::unexpected("cannot write the keys file " + file_.string() + ": " + errno_text(error));
  };
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return failed(errno);
  bool ok = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0 && write_all(fd, text) && ::fsync(fd) == 0;
  int error = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (ok && ::rename(temp.c_str(), file_.c_str()) != 0) {
    ok = false;
    error = errno;
  }
  if (!ok) {
    ::unlink(temp.c_str());
    return failed(error);
  }
  fsync_directory(dir);  // best effort: the rename has happened, the new keys are in force
  return {};
}

}  // namespace treaty::searchd
