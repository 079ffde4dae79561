// searchd's API key store (api_keys.h): making, checking, listing and revoking keys, the keys
// file (hashes only, mode 0600, atomic rewrites), and the bootstrap admin key. No server.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "searchd/api_keys.h"
#include "tests/support/test_support.h"

using namespace treaty::searchd;
using nlohmann::json;
namespace fs = std::filesystem;
using treaty::test::read_file;
using treaty::test::TempDir;
using treaty::test::write_file;

namespace {

const std::string kAdmin = "an-admin-key-of-32-characters-xx";

std::unique_ptr<KeyStore> open_store(const fs::path& file, std::optional<std::string> admin = std::nullopt) {
  auto store = KeyStore::open(KeyStoreOptions{file, std::move(admin), {}, {}});
  if (!store) FAIL("open: " << store.error().describe());
  return std::move(*store);
}

// Makes a key; fails the test if refused.
std::pair<ApiKey, std::string> make_key(KeyStore& store, const json& request) {
  auto made = store.create(request);
  if (!made) FAIL("create: " << made.error().status << " " << made.error().message);
  return *made;
}

std::string bearer(const std::string& value) { return "Bearer " + value; }

std::string sha256_hex(const std::string& value) {
  unsigned char digest[32];
  unsigned int size = 0;
  REQUIRE(EVP_Digest(value.data(), value.size(), digest, &size, EVP_sha256(), nullptr) == 1);
  std::string hex;
  for (unsigned char b : digest) {
    hex += "0123456789abcdef"[b >> 4];
    hex += "0123456789abcdef"[b & 0xf];
  }
  return hex;
}

bool is_lower_hex(std::string_view s) {
  return std::ranges::all_of(s, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

TEST_CASE("a key made with an action is accepted for it and refused for others") {
  TempDir dir;
  auto store = open_store(dir.path() / "keys.json");
  CHECK_FALSE(store->has_keys());
  const auto [key, value] = make_key(*store, {{"actions", {"search"}}, {"description", "the search page"}});
  CHECK(store->has_keys());
  CHECK(value.size() == 3 + 64);
  CHECK(value.starts_with("tk_"));
  CHECK(is_lower_hex(value.substr(3)));
  CHECK(key.id.size() == 2 + 16);
  CHECK(key.id.starts_with("k_"));
  CHECK(is_lower_hex(key.id.substr(2)));
  CHECK(value.find(key.id.substr(2)) == std::string::npos);  // the id is not part of the value
  CHECK(key.actions == std::vector<std::string>{"search"});
  CHECK(key.description == "the search page");
  CHECK_FALSE(key.bootstrap);

  const AuthResult ok = store->authorize(bearer(value), "search");
  CHECK(ok.status == AuthStatus::ok);
  CHECK(ok.http_status() == 200);
  REQUIRE(ok.key);
  CHECK(ok.key->id == key.id);
  CHECK(store->authorize("bearer   " + value + "  ", "search").status == AuthStatus::ok);  // scheme in any case
  CHECK(store->authorize("BEARER " + value, "").status == AuthStatus::ok);  // any valid key (GET /keys/self)

  const AuthResult forbidden = store->authorize(bearer(value), "documents:write");
  CHECK(forbidden.status == AuthStatus::forbidden);
  CHECK(forbidden.http_status() == 403);
  CHECK(forbidden.message == "this key may not documents:write");
  REQUIRE(forbidden.key);
  CHECK(forbidden.key->id == key.id);

  const AuthResult unknown = store->authorize(bearer("tk_" + std::string(64, '0')), "search");
  CHECK(unknown.status == AuthStatus::unknown);
  CHECK(unknown.http_status() == 401);
  CHECK(unknown.message == "unknown API key");
  CHECK_FALSE(unknown.key);
  CHECK(store->authorize(bearer(value + "0"), "search").status == AuthStatus::unknown);

  for (const std::string& header : std::vector<std::string>{"", "Basic x", "Bearer", "Bearer ", "Bearer    ", "Bearerx " + value, value}) {
    INFO("header: " << header);
    const AuthResult missing = store->authorize(header, "search");
    CHECK(missing.status == AuthStatus::missing);
    CHECK(missing.http_status() == 401);
    CHECK(missing.message == "missing API key: send Authorization: Bearer KEY");
    CHECK_FALSE(missing.key);
  }
}

TEST_CASE("the action * allows every action") {
  TempDir dir;
  auto store = open_store(dir.path() / "keys.json");
  const auto [key, value] = make_key(*store, {{"actions", {"*"}}});
  CHECK(key.actions == std::vector<std::string>{"*"});
  for (std::string_view action : kKeyActions) CHECK(store->authorize(bearer(value), action).status == AuthStatus::ok);

  const auto [two, two_value] = make_key(*store, {{"actions", {"documents:write", "documents:delete", "documents:write"}}});
  CHECK(two.actions == std::vector<std::string>{"documents:write", "documents:delete"});  // repeats dropped
  CHECK(store->authorize(bearer(two_value), "documents:delete").status == AuthStatus::ok);
  CHECK(store->authorize(bearer(two_value), "keys:manage").status == AuthStatus::forbidden);
}

TEST_CASE("filters, description and date are kept and shown — the clock is injected") {
  TempDir dir;
  const auto at = std::chrono::sys_days{std::chrono::November / 27 / 2026} + std::chrono::hours(20) +
                  std::chrono::minutes(1) + std::chrono::seconds(2);
  std::vector<std::string> checked;
  KeyStoreOptions options{dir.path() / "keys.json", std::nullopt, [&] { return at; },
                          [&](std::string_view field, std::string_view value) -> std::expected<void, std::string> {
                            checked.push_back(std::string(field) + "=" + std::string(value));
                            if (value == "20x4") return std::unexpected("year 20x4: not a year");
                            return {};
                          }};
  auto store = std::move(*KeyStore::open(options));
  const auto [key, value] = make_key(
      *store, {{"actions", {"search"}}, {"filters", {{"org", "cbd"}, {"doc", {"CBD/NP/MOP/1/6", "CBD/NP/MOP/2/1"}}}}});
  CHECK(checked == std::vector<std::string>{"doc=CBD/NP/MOP/1/6", "doc=CBD/NP/MOP/2/1", "org=cbd"});
  CHECK(key.filters == KeyFilters{{"doc", {"CBD/NP/MOP/1/6", "CBD/NP/MOP/2/1"}}, {"org", {"cbd"}}});
  CHECK(key.created == "2026-11-27T20:01:02Z");
  CHECK(key.to_json() == json{{"id", key.id},
                              {"description", ""},
                              {"actions", {"search"}},
                              {"filters", {{"doc", {"CBD/NP/MOP/1/6", "CBD/NP/MOP/2/1"}}, {"org", {"cbd"}}}},
                              {"created", "2026-11-27T20:01:02Z"}});
  const auto refused = store->create({{"actions", {"search"}}, {"filters", {{"year", {"2014", "20x4"}}}}});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().status == 400);
  CHECK(refused.error().message == "filters.year: year 20x4: not a year");
  CHECK(store->list().size() == 1);
}

TEST_CASE("the list and the file hold no key values — the file holds their hashes, mode 0600") {
  TempDir dir;
  const fs::path file = dir.path() / "keys.json";
  auto store = open_store(file);
  CHECK_FALSE(fs::exists(file));  // created with the first key
  const auto [first, first_value] = make_key(*store, {{"actions", {"search"}}, {"description", "one"}});
  const auto [second, second_value] = make_key(*store, {{"actions", {"keys:manage"}}, {"filters", {{"lang", "zh"}}}});

  const auto listed = store->list();
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].id == first.id);  // in creation order
  CHECK(listed[1].id == second.id);
  for (const ApiKey& key : listed) {
    const std::string shown = key.to_json().dump();
    CHECK_FALSE(key.to_json().contains("value"));
    CHECK_FALSE(key.to_json().contains("hash"));
    CHECK(shown.find(first_value) == std::string::npos);
    CHECK(shown.find(second_value) == std::string::npos);
    CHECK(shown.find(sha256_hex(first_value)) == std::string::npos);
  }

  const std::string text = read_file(file);
  CHECK(text.find(first_value) == std::string::npos);
  CHECK(text.find(second_value) == std::string::npos);
  CHECK(text.find(first_value.substr(3)) == std::string::npos);  // not even without the prefix
  const json doc = json::parse(text);
  CHECK(doc["version"] == 1);
  REQUIRE(doc["keys"].size() == 2);
  CHECK(doc["keys"][0] == json{{"id", first.id},
                               {"hash", "sha256:" + sha256_hex(first_value)},
                               {"actions", {"search"}},
                               {"description", "one"},
                               {"filters", json::object()},
                               {"created", first.created}});
  CHECK(doc["keys"][1]["hash"] == "sha256:" + sha256_hex(second_value));
  CHECK(doc["keys"][1]["filters"] == json{{"lang", {"zh"}}});

  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  // No temporary file is left beside it.
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("keys survive reopening the store — a revoked key is refused, after reopening too") {
  TempDir dir;
  const fs::path file = dir.path() / "keys.json";
  std::string kept_value, revoked_value, kept_id, revoked_id;
  {
    auto store = open_store(file);
    auto [kept, v1] = make_key(*store, {{"actions", {"search", "documents:write"}},
                                        {"description", "中文 description"},
                                        {"filters", {{"meeting", {"np-mop:1"}}, {"year", "2014"}}}});
    auto [revoked, v2] = make_key(*store, {{"actions", {"*"}}});
    kept_value = v1, revoked_value = v2, kept_id = kept.id, revoked_id = revoked.id;
  }
  auto store = open_store(file);
  auto listed = store->list();
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].id == kept_id);
  CHECK(listed[0].description == "中文 description");
  CHECK(listed[0].actions == std::vector<std::string>{"search", "documents:write"});
  CHECK(listed[0].filters == KeyFilters{{"meeting", {"np-mop:1"}}, {"year", {"2014"}}});
  CHECK(store->authorize(bearer(kept_value), "documents:write").status == AuthStatus::ok);
  CHECK(store->authorize(bearer(revoked_value), "keys:manage").status == AuthStatus::ok);

  REQUIRE(store->revoke(revoked_id));
  CHECK(store->authorize(bearer(revoked_value), "keys:manage").status == AuthStatus::unknown);
  CHECK(store->authorize(bearer(kept_value), "search").status == AuthStatus::ok);
  CHECK(store->list().size() == 1);

  auto reopened = open_store(file);
  CHECK(reopened->authorize(bearer(revoked_value), "search").status == AuthStatus::unknown);
  CHECK(reopened->authorize(bearer(kept_value), "search").status == AuthStatus::ok);
  REQUIRE(reopened->list().size() == 1);
  CHECK(reopened->list()[0].id == kept_id);
}

TEST_CASE("revoking an unknown id is 404, the bootstrap key 409") {
  TempDir dir;
  auto store = open_store(dir.path() / "keys.json", kAdmin);
  const auto [key, value] = make_key(*store, {{"actions", {"search"}}});
  const auto unknown = store->revoke("k_0000000000000000");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().status == 404);
  CHECK(unknown.error().message == "no key \"k_0000000000000000\"");
  const auto admin = store->revoke("admin");
  REQUIRE_FALSE(admin);
  CHECK(admin.error().status == 409);
  CHECK(store->authorize(bearer(kAdmin), "keys:manage").status == AuthStatus::ok);
  CHECK(store->list().size() == 1);
}

TEST_CASE("the bootstrap admin key works and is neither listed nor stored") {
  TempDir dir;
  const fs::path file = dir.path() / "keys.json";
  auto store = open_store(file, kAdmin);
  CHECK(store->has_keys());
  CHECK(store->list().empty());
  CHECK_FALSE(fs::exists(file));
  const AuthResult admin = store->authorize(bearer(kAdmin), "keys:manage");
  CHECK(admin.status == AuthStatus::ok);
  REQUIRE(admin.key);
  CHECK(admin.key->id == "admin");
  CHECK(admin.key->bootstrap);
  CHECK(admin.key->actions == std::vector<std::string>{"*"});
  CHECK(admin.key->to_json()["bootstrap"] == true);
  CHECK(store->authorize(bearer(kAdmin + "x"), "search").status == AuthStatus::unknown);

  const auto [key, value] = make_key(*store, {{"actions", {"search"}}});
  const std::string text = read_file(file);
  CHECK(text.find(kAdmin) == std::string::npos);
  CHECK(text.find(sha256_hex(kAdmin)) == std::string::npos);
  CHECK(text.find("admin") == std::string::npos);
  REQUIRE(store->list().size() == 1);
  CHECK(store->list()[0].id == key.id);

  // Without the admin key, the same file gives no admin.
  auto plain = open_store(file);
  CHECK(plain->authorize(bearer(kAdmin), "search").status == AuthStatus::unknown);
  CHECK(plain->authorize(bearer(value), "search").status == AuthStatus::ok);
}

TEST_CASE("an admin key that is too short, or has spaces, is refused") {
  TempDir dir;
  const auto short_key = KeyStore::open({dir.path() / "keys.json", "123456789012345", {}, {}});
  REQUIRE_FALSE(short_key);
  CHECK(short_key.error().message.find("too short to be a secret") != std::string::npos);
  CHECK(KeyStore::open({dir.path() / "keys.json", "", {}, {}}).has_value() == false);
  CHECK(KeyStore::open({dir.path() / "keys.json", "1234567890123456", {}, {}}).has_value());
  const auto spaced = KeyStore::open({dir.path() / "keys.json", "12345678 90123456", {}, {}});
  REQUIRE_FALSE(spaced);
  CHECK(spaced.error().message.find("without spaces") != std::string::npos);
}

TEST_CASE("bad create bodies are 400 with a message naming the member, and change nothing") {
  TempDir dir;
  const fs::path file = dir.path() / "keys.json";
  auto store = open_store(file);
  const std::pair<json, std::string> cases[] = {
      {json::array(), "the body must be a JSON object"},
      {json{{"description", "x"}}, "actions: missing"},
      {json{{"actions", {"search", "fly"}}}, "actions: unknown action \"fly\""},
      {json{{"actions", json::array()}}, "actions: must be a non-empty array"},
      {json{{"actions", "search"}}, "actions: must be a non-empty array"},
      {json{{"actions", {1}}}, "actions: each action must be a string"},
      {json{{"actions", {"search"}}, {"filters", {{"colour", {"red"}}}}}, "filters: unknown filter field \"colour\""},
      {json{{"actions", {"search"}}, {"filters", {{"doc", ""}}}}, "filters.doc: each value must be a non-empty string"},
      {json{{"actions", {"search"}}, {"filters", {{"doc", {"a", " "}}}}}, "filters.doc: each value must be a non-empty string"},
      {json{{"actions", {"search"}}, {"filters", {{"org", json::array()}}}}, "filters.org: must be a non-empty string"},
      {json{{"actions", {"search"}}, {"filters", {{"org", 3}}}}, "filters.org: must be a non-empty string"},
      {json{{"actions", {"search"}}, {"filters", {"doc"}}}, "filters: must be an object"},
      {json{{"actions", {"search"}}, {"description", 7}}, "description: must be a string"},
      {json{{"actions", {"search"}}, {"description", std::string(201, 'x')}}, "description: longer than 200 bytes"},
      {json{{"actions", {"search"}}, {"value", "tk_mine"}}, "unknown member \"value\""},
  };
  for (const auto& [body, message] : cases) {
    INFO("body: " << body.dump());
    const auto refused = store->create(body);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().status == 400);
    CHECK_THAT(refused.error().message, Catch::Matchers::StartsWith(message));
  }
  CHECK(store->list().empty());
  CHECK_FALSE(fs::exists(file));
  // The limits themselves are accepted.
  CHECK(store->create({{"actions", {"search"}}, {"description", std::string(200, 'x')}}).has_value());
}

TEST_CASE("a keys file that cannot be read or is not a keys file is an open error naming it") {
  TempDir dir;
  const fs::path file = dir.path() / "keys.json";
  std::string good_entry;
  {
    auto store = open_store(file);
    make_key(*store, {{"actions", {"search"}}});
    good_entry = json::parse(read_file(file))["keys"][0].dump();
  }
  const json entry = json::parse(good_entry);
  auto with = [&](const char* member, json value) {
    json e = entry;
    e[member] = std::move(value);
    return json{{"version", 1}, {"keys", {e}}}.dump();
  };
  json without_hash = entry;
  without_hash.erase("hash");
  const std::pair<std::string, std::string> cases[] = {
      {"{\"version\":1,", "not JSON"},
      {"", "not JSON"},
      {"[]", "exactly the members version and keys"},
      {R"({"version":2,"keys":[]})", "version 2 is not 1"},
      {R"({"version":1,"keys":{}})", "keys is not an array"},
      {R"({"version":1,"keys":[],"extra":0})", "exactly the members version and keys"},
      {with("hash", "sha256:abc"), "keys[0].hash: not \"sha256:\" and 64 hex digits"},
      {with("hash", "md5:" + std::string(64, 'a')), "keys[0].hash"},
      {with("id", "admin"), "keys[0].id"},
      {with("actions", {"fly"}), "keys[0].actions: unknown action \"fly\""},
      {with("filters", {{"colour", "red"}}), "keys[0].filters: unknown filter field"},
      {with("filter", {{"doc", "x"}}), "keys[0]: members other than"},
      {json{{"version", 1}, {"keys", {without_hash}}}.dump(), "keys[0]: hash missing"},
      {json{{"version", 1}, {"keys", {entry, entry}}}.dump(), "keys[1].id"},
  };
  for (const auto& [text, message] : cases) {
    INFO("file: " << text);
    write_file(file, text);
    const auto opened = KeyStore::open({file, std::nullopt, {}, {}});
    REQUIRE_FALSE(opened);
    CHECK(opened.error().file == file.string());
    CHECK(opened.error().message.find(message) != std::string::npos);
    CHECK(opened.error().describe().starts_with(file.string() + ": "));
  }
  // A directory where the file should be cannot be read.
  fs::remove(file);
  fs::create_directory(file);
  const auto directory = KeyStore::open({file, std::nullopt, {}, {}});
  REQUIRE_FALSE(directory);
  CHECK(directory.error().file == file.string());
  CHECK(directory.error().message.starts_with("cannot read the keys file: "));
}

TEST_CASE("authorize from 4 threads while another makes and revokes keys") {
  TempDir dir;
  auto store = open_store(dir.path() / "keys.json", kAdmin);
  const auto [steady, steady_value] = make_key(*store, {{"actions", {"search"}}});
  constexpr int kRounds = 40;     // keys made and revoked by the writer
  constexpr int kChecks = 2000;   // authorize() calls per reader
  std::atomic<int> churn_index{-1};             // which churn value readers try (set by the writer)
  std::vector<std::string> churn_values(kRounds);  // written before churn_index publishes it
  std::atomic<int> steady_ok{0}, admin_ok{0}, churn_ok{0}, churn_unknown{0}, other{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < kChecks; ++i) {
        (store->authorize(bearer(steady_value), "search").status == AuthStatus::ok ? steady_ok : other)++;
        (store->authorize(bearer(kAdmin), "documents:delete").status == AuthStatus::ok ? admin_ok : other)++;
        const int c = churn_index.load();
        if (c < 0) continue;
        const auto status = store->authorize(bearer(churn_values[c]), "documents:write").status;
        if (status == AuthStatus::ok) ++churn_ok;
        else if (status == AuthStatus::unknown) ++churn_unknown;
        else ++other;
        if (i % 100 == 0 && store->list().size() > 2) ++other;  // Catch2's CHECK is not thread-safe
      }
    });
  }
  int made = 0, revoked = 0;
  for (int round = 0; round < kRounds; ++round) {
    auto created = store->create({{"actions", {"documents:write"}}});
    REQUIRE(created);
    ++made;
    churn_values[round] = created->second;
    churn_index.store(round);
    REQUIRE(store->revoke(created->first.id));
    ++revoked;
  }
  for (auto& reader : readers) reader.join();
  CHECK(made == kRounds);
  CHECK(revoked == kRounds);
  CHECK(steady_ok == 4 * kChecks);
  CHECK(admin_ok == 4 * kChecks);
  CHECK(other == 0);
  CHECK(churn_ok + churn_unknown <= 4 * kChecks);
  REQUIRE(store->list().size() == 1);
  CHECK(store->list()[0].id == steady.id);
  CHECK(store->authorize(bearer(churn_values[kRounds - 1]), "documents:write").status == AuthStatus::unknown);
}

TEST_CASE("a keys file that cannot be written leaves the store unchanged (500)") {
  TempDir dir;
  const fs::path keys_dir = dir.path() / "keys";
  fs::create_directory(keys_dir);
  const fs::path file = keys_dir / "keys.json";
  auto store = open_store(file);
  const auto [key, value] = make_key(*store, {{"actions", {"search"}}});
  const std::string before = read_file(file);

  // Root writes through permissions, so there the directory is replaced by a regular file.
  const bool root = ::geteuid() == 0;
  if (root) {
    fs::rename(keys_dir, dir.path() / "moved");
    write_file(keys_dir, "not a directory");
  } else {
    fs::permissions(keys_dir, fs::perms::owner_read | fs::perms::owner_exec);
  }
  const auto refused = store->create({{"actions", {"*"}}});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().status == 500);
  CHECK(refused.error().message.starts_with("cannot write the keys file " + file.string() + ": "));
  const auto not_revoked = store->revoke(key.id);
  REQUIRE_FALSE(not_revoked);
  CHECK(not_revoked.error().status == 500);

  REQUIRE(store->list().size() == 1);
  CHECK(store->list()[0].id == key.id);
  CHECK(store->authorize(bearer(value), "search").status == AuthStatus::ok);
  if (root) {
    fs::remove(keys_dir);
    fs::rename(dir.path() / "moved", keys_dir);
  } else {
    fs::permissions(keys_dir, fs::perms::owner_all);
  }
  CHECK(read_file(file) == before);
  CHECK(std::distance(fs::directory_iterator(keys_dir), fs::directory_iterator()) == 1);  // no temp left
}
