// The result cache through HTTP (docs/API.md, "Result cache"): X-Cache hit/miss/bypass on
// /search, /similar and /documents, cache=false, answers after a commit, scoped keys, answers
// that are never stored, the counters of /metrics and /stats. An in-process server on an
// ephemeral port; the index is written through POST /documents.
#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/search/resources.h"
#include "searchd/config.h"
#include "searchd/http_server.h"
#include "tests/support/fake_embedding_server.h"
#include "tests/searchd/write_server.h"
#include "tests/support/test_support.h"

using namespace treaty;
using nlohmann::json;

namespace {

using test::kAdminKey;
using test::note_text;

struct Fixture : test::WriteServer {
  Fixture() : WriteServer("TREATY_CACHE_TEST_ADMIN_KEY") {}
  static httplib::Headers bearer(const std::string& key) {
    return key.empty() ? httplib::Headers{} : httplib::Headers{{"Authorization", "Bearer " + key}};
  }
  void post(const std::string& symbol, const std::string& word) {
    auto r = client().Post("/documents", bearer(kAdminKey), note_text(symbol, word), "text/plain; charset=utf-8");
    REQUIRE(r);
    REQUIRE((r->status == 201 || r->status == 200));
  }
  // GET `target`: the response, required to have arrived.
  httplib::Response get(const std::string& target, const std::string& key = "") {
    auto r = client().Get(target.c_str(), bearer(key));
    REQUIRE(r);
    return *r;
  }
  std::string make_key(const json& filters) {
    json body = {{"actions", {"search"}}, {"filters", filters}};
    auto r = client().Post("/keys", bearer(kAdminKey), body.dump(), "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 201);
    return json::parse(r->body).at("value").get<std::string>();
  }
  // The value of an unlabelled metric in /metrics.
  std::uint64_t metric(const std::string& name) {
    const std::string body = get("/metrics").body;
    const std::size_t at = body.find("\n" + name + " ");
    REQUIRE(at != std::string::npos);
    return std::stoull(body.substr(at + name.size() + 2));
  }
};

std::string x_cache(const httplib::Response& r) { return r.get_header_value("X-Cache"); }

std::string q(const std::string& text) { return httplib::detail::encode_query_param(text); }

}  // namespace

TEST_CASE_METHOD(Fixture, "a repeated search is a hit with the same body, cache=false bypasses, bad values are 400") {
  start();
  post("CBD/NP/MOP/4/9", "遗传资源数字序列信息");
  const std::string target = "/search?mode=lexical&facets=org&q=" + q("数字序列信息");

  const auto first = get(target);
  REQUIRE(first.status == 200);
  CHECK(x_cache(first) == "miss");
  CHECK(first.get_header_value("Content-Type") == "application/json; charset=utf-8");
  const auto second = get(target);
  CHECK(x_cache(second) == "hit");
  CHECK(second.body == first.body);
  CHECK(second.get_header_value("Content-Type") == "application/json; charset=utf-8");
  // Parameters in another order are the same request; cache=true too.
  const auto reordered = get("/search?q=" + q("数字序列信息") + "&cache=true&facets=org&mode=lexical");
  CHECK(x_cache(reordered) == "hit");
  CHECK(reordered.body == first.body);

  for (const char* off : {"false", "no", "0"}) {
    const auto bypassed = get(target + "&cache=" + off);
    CHECK(x_cache(bypassed) == "bypass");
    CHECK(json::parse(bypassed.body)["hits"] == json::parse(first.body)["hits"]);
  }
  const auto bad = get(target + "&cache=maybe");
  CHECK(bad.status == 400);
  CHECK(json::parse(bad.body)["error"]["message"].get<std::string>().find("cache") != std::string::npos);
  CHECK(get(target + "&cache=false&cache=true").status == 400);  // given twice

  // /documents and /similar too; /documents/{symbol} is not cached.
  CHECK(x_cache(get("/documents?size=5")) == "miss");
  CHECK(x_cache(get("/documents?size=5")) == "hit");
  CHECK(x_cache(get("/documents?size=5&cache=no")) == "bypass");
  const std::string similar = "/similar?mode=lexical&id=" + q("CBD/NP/MOP/4/9#2");
  const auto similar_first = get(similar);
  REQUIRE(similar_first.status == 200);
  CHECK(x_cache(similar_first) == "miss");
  CHECK(x_cache(get(similar)) == "hit");
  CHECK(x_cache(get("/documents/CBD%2FNP%2FMOP%2F4%2F9")).empty());

  // Errors are never stored: the same bad request misses each time.
  const std::string unknown = "/similar?id=" + q("CBD/NP/MOP/4/9#999");
  CHECK(get(unknown).status == 404);
  CHECK(x_cache(get(unknown)) == "miss");
}

TEST_CASE_METHOD(Fixture, "after a commit the same query is a miss and shows the new document") {
  start();
  post("CBD/NP/MOP/4/20", "技术援助");
  const std::string target = "/search?mode=lexical&q=" + q("生物勘探");
  const auto before = get(target);
  CHECK(x_cache(before) == "miss");
  CHECK(json::parse(before.body)["total"] == 0);
  CHECK(x_cache(get(target)) == "hit");
  const std::string list = "/documents";
  CHECK(json::parse(get(list).body)["total"] == 1);
  CHECK(x_cache(get(list)) == "hit");

  post("CBD/NP/MOP/4/21", "生物勘探");
  const auto after = get(target);
  CHECK(x_cache(after) == "miss");
  const json found = json::parse(after.body);
  REQUIRE(found["total"] == 1);
  CHECK(found["hits"][0]["id"] == "CBD/NP/MOP/4/21#2");
  CHECK(x_cache(get(target)) == "hit");
  const auto listed = get(list);
  CHECK(x_cache(listed) == "miss");
  CHECK(json::parse(listed.body)["total"] == 2);

  // A delete is a commit too.
  REQUIRE(client().Delete("/documents/CBD%2FNP%2FMOP%2F4%2F21", bearer(kAdminKey))->status == 200);
  const auto deleted = get(target);
  CHECK(x_cache(deleted) == "miss");
  CHECK(json::parse(deleted.body)["total"] == 0);
}

TEST_CASE_METHOD(Fixture, "keys with different scopes never share an entry") {
  start();
  post("CBD/NP/MOP/4/30", "能力建设");
  post("CBD/NP/MOP/4/31", "能力建设");
  const std::string first_only = make_key({{"doc", {"CBD/NP/MOP/4/30"}}});
  const std::string second_only = make_key({{"doc", {"CBD/NP/MOP/4/31"}}});
  const std::string target = "/search?mode=lexical&q=" + q("能力建设") + "&kind=paragraph";

  const auto open = get(target);
  CHECK(x_cache(open) == "miss");
  const auto a = get(target, first_only);
  CHECK(x_cache(a) == "miss");
  const auto b = get(target, second_only);
  CHECK(x_cache(b) == "miss");
  const json ja = json::parse(a.body), jb = json::parse(b.body);
  CHECK(ja["total"].get<int>() > 0);
  CHECK(jb["total"].get<int>() > 0);
  CHECK(json::parse(open.body)["total"].get<int>() == ja["total"].get<int>() + jb["total"].get<int>());
  for (const json& hit : ja["hits"]) CHECK(hit["id"].get<std::string>().starts_with("CBD/NP/MOP/4/30#"));
  for (const json& hit : jb["hits"]) CHECK(hit["id"].get<std::string>().starts_with("CBD/NP/MOP/4/31#"));
  // Each is a hit for its own scope only.
  CHECK(get(target, first_only).body == a.body);
  CHECK(x_cache(get(target, second_only)) == "hit");
  CHECK(get(target).body == open.body);
  // Another key with the same scope gets the same answer: the scope, not the key, is in the key.
  const std::string first_again = make_key({{"doc", {"CBD/NP/MOP/4/30"}}});
  const auto same_scope = get(target, first_again);
  CHECK(x_cache(same_scope) == "hit");
  CHECK(same_scope.body == a.body);
}

TEST_CASE_METHOD(Fixture, "the cache counters of /metrics and /stats count hits, misses, bypasses and evictions") {
  searchd::SearchdConfig c = config();
  c.cache.max_entries = 2;
  start(c);
  post("CBD/NP/MOP/4/40", "遗传资源");
  CHECK(metric("searchd_cache_hits_total") == 0);
  CHECK(metric("searchd_cache_entries") == 0);
  get("/search?mode=lexical&q=a");
  get("/search?mode=lexical&q=a");
  get("/search?mode=lexical&q=a&cache=false");
  get("/search?mode=lexical&q=b");
  get("/search?mode=lexical&q=c");  // a third entry: the least recently used (q=a) goes
  CHECK(metric("searchd_cache_hits_total") == 1);
  CHECK(metric("searchd_cache_misses_total") == 3);
  CHECK(metric("searchd_cache_bypass_total") == 1);
  CHECK(metric("searchd_cache_evictions_total") == 1);
  CHECK(metric("searchd_cache_entries") == 2);
  CHECK(metric("searchd_cache_bytes") > 0);
  CHECK(x_cache(get("/search?mode=lexical&q=a")) == "miss");
  const json stats = json::parse(get("/stats").body)["cache"];
  CHECK(stats["enabled"] == true);
  CHECK(stats["hits"] == 1);
  CHECK(stats["misses"] == 4);
  CHECK(stats["bypassed"] == 1);
  CHECK(stats["entries"] == 2);
  CHECK(stats["hit_rate"].get<double>() == Approx(0.2));
}

TEST_CASE_METHOD(Fixture, "the cache disabled in the configuration: every answer is computed, X-Cache bypass") {
  searchd::SearchdConfig c = config();
  c.cache.enabled = false;
  start(c);
  post("CBD/NP/MOP/4/50", "遗传资源");
  const std::string target = "/search?mode=lexical&q=" + q("遗传资源");
  CHECK(x_cache(get(target)) == "bypass");
  CHECK(x_cache(get(target)) == "bypass");
  CHECK(metric("searchd_cache_hits_total") == 0);
  CHECK(metric("searchd_cache_misses_total") == 0);
  CHECK(metric("searchd_cache_bypass_total") == 2);
  CHECK(json::parse(get("/stats").body)["cache"]["enabled"] == false);
}

TEST_CASE_METHOD(Fixture, "a hybrid answer without the embedder is not stored, with it it is") {
  test::FakeEmbeddingServer embedder;
  searchd::SearchdConfig c = config();
  c.embedder.base_url = embedder.base_url();
  c.embedder.model = "fake-model";
  start(c);
  post("CBD/NP/MOP/4/60", "海洋遗传资源");
  const std::string target = "/search?q=" + q("海洋遗传资源");  // hybrid, the default

  embedder.enqueue({.status = 500});
  const auto failed = get(target);
  REQUIRE(failed.status == 200);
  CHECK(x_cache(failed) == "miss");
  const json f = json::parse(failed.body);
  CHECK(f["vector"] == false);
  REQUIRE(f["warnings"].size() == 1);
  CHECK(f["warnings"][0].get<std::string>().find("could not be embedded") != std::string::npos);
  CHECK(metric("searchd_cache_entries") == 0);

  const auto recovered = get(target);
  CHECK(x_cache(recovered) == "miss");  // the failed answer was not kept
  CHECK(json::parse(recovered.body)["vector"] == true);
  const auto again = get(target);
  CHECK(x_cache(again) == "hit");
  CHECK(again.body == recovered.body);
}

TEST_CASE("the cache section of searchd.toml: defaults, values, ranges") {
  const searchd::SearchdConfig defaults;
  CHECK(defaults.cache.enabled);
  CHECK(defaults.cache.max_entries == 1000);
  CHECK(defaults.cache.max_bytes == 64u * 1024 * 1024);
  auto parsed = searchd::parse_config("[cache]\nenabled = false\nmax_entries = 5\nmax_bytes = 4096\n", "searchd.toml");
  REQUIRE(parsed);
  CHECK_FALSE(parsed->cache.enabled);
  CHECK(parsed->cache.max_entries == 5);
  CHECK(parsed->cache.max_bytes == 4096);
  CHECK(searchd::parse_config("[cache]\nmax_entries = 0\n", "searchd.toml").error().describe() ==
        "searchd.toml:2: cache.max_entries: 0 is out of range (1..10000000)");
  CHECK(searchd::parse_config("[cache]\nenabled = 1\n", "searchd.toml").error().describe() ==
        "searchd.toml:2: cache.enabled must be true or false");
  searchd::SearchdConfig small;
  small.cache.max_bytes = 10;
  CHECK(searchd::validate_config(small).error().describe() == "cache.max_bytes must be 1024-17179869184, got 10");
}
