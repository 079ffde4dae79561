// HttpEmbedder against the fake OpenAI-compatible server on loopback: batching, order, retries,
// timeouts, API keys and unusable replies.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <thread>

#include "core/vectors/embedder.h"
#include "tests/support/fake_embedding_server.h"

using namespace treaty;
using test::FakeEmbeddingServer;
using Catch::Contains;

namespace {

EmbedderOptions options_for(const FakeEmbeddingServer& server) {
  EmbedderOptions o;
  o.base_url = server.base_url();
  o.model = "fake-model";
  o.batch_size = 8;
  o.timeout_ms = 5000;
  o.retries = 0;
  o.backoff_ms = 1;
  o.sleep = [](std::chrono::milliseconds) {};  // no test waits out a backoff
  return o;
}

// Makes `o` record the delays it would wait between attempts, in milliseconds.
std::shared_ptr<std::vector<long>> record_delays(EmbedderOptions& o) {
  auto delays = std::make_shared<std::vector<long>>();
  o.sleep = [delays](std::chrono::milliseconds d) { delays->push_back(static_cast<long>(d.count())); };
  return delays;
}

std::unique_ptr<HttpEmbedder> make(const EmbedderOptions& o) {
  auto e = HttpEmbedder::create(o);
  REQUIRE(e.has_value());
  return std::move(*e);
}

std::vector<int> statuses(const FakeEmbeddingServer& server) {
  std::vector<int> out;
  for (const auto& r : server.requests()) out.push_back(r.status);
  return out;
}

}  // namespace

TEST_CASE("embedder options are checked before any request") {
  struct Case {
    const char* name;
    void (*edit)(EmbedderOptions&);
    const char* message;
  };
  const Case cases[] = {
      {"empty url", [](EmbedderOptions& o) { o.base_url = ""; }, "base_url is empty"},
      {"not a url", [](EmbedderOptions& o) { o.base_url = "not a url"; }, "is not a valid URL"},
      {"ftp", [](EmbedderOptions& o) { o.base_url = "ftp://127.0.0.1/v1"; }, "must start with http://"},
      {"query", [](EmbedderOptions& o) { o.base_url = "http://127.0.0.1:1/v1?x=1"; }, "query or fragment"},
      {"fragment", [](EmbedderOptions& o) { o.base_url = "http://127.0.0.1:1/v1#x"; }, "query or fragment"},
      {"no model", [](EmbedderOptions& o) { o.model = ""; }, "model is empty"},
      {"zero batch", [](EmbedderOptions& o) { o.batch_size = 0; }, "batch_size must be at least 1"},
      {"zero timeout", [](EmbedderOptions& o) { o.timeout_ms = 0; }, "timeout_ms must be at least 1"},
      {"negative retries", [](EmbedderOptions& o) { o.retries = -1; }, "retries must not be negative"},
      {"negative backoff", [](EmbedderOptions& o) { o.backoff_ms = -5; }, "backoff_ms must not be negative"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    EmbedderOptions o;
    o.base_url = "http://127.0.0.1:8080/v1";
    o.model = "m";
    c.edit(o);
    const auto checked = validate_embedder_options(o);
    REQUIRE_FALSE(checked.has_value());
    CHECK_THAT(checked.error().message, Contains(c.message));
    const auto created = HttpEmbedder::create(o);
    REQUIRE_FALSE(created.has_value());
    CHECK(created.error().message == checked.error().message);
  }

  EmbedderOptions ok;
  ok.base_url = "https://api.example.org/v1/";
  ok.model = "m";
  CHECK(validate_embedder_options(ok).has_value());
  CHECK(make(ok)->endpoint() == "https://api.example.org/v1/embeddings");
}

TEST_CASE("texts are embedded in batches, in order, under the model name") {
  FakeEmbeddingServer server({.dimensions = 32});
  EmbedderOptions o = options_for(server);
  o.batch_size = 2;
  auto e = make(o);
  const std::vector<std::string> texts = {"遗传资源", "惠益分享", "Nagoya Protocol", "缔约方大会", "ABS"};

  const auto vectors = e->embed(texts);
  REQUIRE(vectors.has_value());
  REQUIRE(vectors->size() == texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    INFO(texts[i]);
    CHECK((*vectors)[i] == test::fake_embedding(texts[i], 32));
  }

  const auto requests = server.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[0].inputs == std::vector<std::string>{"遗传资源", "惠益分享"});
  CHECK(requests[1].inputs == std::vector<std::string>{"Nagoya Protocol", "缔约方大会"});
  CHECK(requests[2].inputs == std::vector<std::string>{"ABS"});
  for (const auto& r : requests) {
    CHECK(r.model == "fake-model");
    CHECK(r.authorization.empty());  // no api_key_env: no header
  }
  CHECK(e->model() == "fake-model");
}

TEST_CASE("the fake embeddings are deterministic and similar for overlapping texts") {
  const auto dot = [](const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += double{a[i]} * b[i];
    return s;
  };
  const auto a = test::fake_embedding("遗传资源的获取", 64);
  CHECK(a == test::fake_embedding("遗传资源的获取", 64));
  CHECK(dot(a, a) == Approx(1.0).epsilon(1e-6));
  CHECK(dot(a, test::fake_embedding("遗传资源", 64)) > dot(a, test::fake_embedding("粮农组织", 64)));
  CHECK(test::fake_embedding("NAGOYA protocol", 64) == test::fake_embedding("nagoya Protocol", 64));
  CHECK(test::fake_embedding("", 8) == std::vector<float>{1, 0, 0, 0, 0, 0, 0, 0});
}

TEST_CASE("vectors listed out of order are put back by index") {
  FakeEmbeddingServer server({.dimensions = 16, .reverse_order = true});
  auto e = make(options_for(server));
  const std::vector<std::string> texts = {"一", "二", "三"};
  const auto vectors = e->embed(texts);
  REQUIRE(vectors.has_value());
  for (std::size_t i = 0; i < texts.size(); ++i) CHECK((*vectors)[i] == test::fake_embedding(texts[i], 16));
}

TEST_CASE("no texts, no request") {
  FakeEmbeddingServer server;
  auto e = make(options_for(server));
  const auto vectors = e->embed({});
  REQUIRE(vectors.has_value());
  CHECK(vectors->empty());
  CHECK(server.request_count() == 0);
}

TEST_CASE("HTTP 500 and 429 are retried with backoff") {
  FakeEmbeddingServer server({.dimensions = 8});
  EmbedderOptions o = options_for(server);
  o.retries = 3;

  SECTION("until a request succeeds, the delay doubling") {
    o.backoff_ms = 100;
    const auto delays = record_delays(o);
    server.enqueue({.status = 500}, 2);
    server.enqueue({.status = 429});
    const auto vectors = make(o)->embed({"重试"});
    REQUIRE(vectors.has_value());
    CHECK((*vectors)[0] == test::fake_embedding("重试", 8));
    CHECK(statuses(server) == std::vector<int>{500, 500, 429, 200});
    CHECK(*delays == std::vector<long>{100, 200, 400});
  }
  SECTION("the delay is capped at 30 s") {
    o.backoff_ms = 20000;
    const auto delays = record_delays(o);
    server.enqueue({.status = 503}, 3);
    REQUIRE(make(o)->embed({"重试"}).has_value());
    CHECK(*delays == std::vector<long>{20000, 30000, 30000});
  }
  SECTION("giving up after the last retry") {
    server.enqueue({.status = 503}, 10);
    const auto vectors = make(o)->embed({"重试"});
    REQUIRE_FALSE(vectors.has_value());
    CHECK_THAT(vectors.error().message, Contains("HTTP 503: injected failure 503"));
    CHECK_THAT(vectors.error().message, Contains("gave up after 4 attempts"));
    CHECK_THAT(vectors.error().message, Contains(server.base_url() + "/embeddings"));
    CHECK(server.request_count() == 4);
  }
  SECTION("other client errors are not retried") {
    server.enqueue({.status = 404}, 10);
    const auto vectors = make(o)->embed({"重试"});
    REQUIRE_FALSE(vectors.has_value());
    CHECK_THAT(vectors.error().message, Contains("HTTP 404"));
    CHECK(server.request_count() == 1);
  }
  SECTION("a failing later batch fails the whole call") {
    o.batch_size = 1;
    o.retries = 0;
    server.enqueue({});  // first batch fine
    server.enqueue({.status = 500});
    const auto vectors = make(o)->embed({"一", "二", "三"});
    REQUIRE_FALSE(vectors.has_value());
    CHECK(statuses(server) == std::vector<int>{200, 500});
  }
}

TEST_CASE("Retry-After of a 429 is honoured") {
  FakeEmbeddingServer server({.dimensions = 8});
  EmbedderOptions o = options_for(server);
  o.retries = 1;
  const auto delays = record_delays(o);
  server.enqueue({.status = 429, .retry_after = "1"});
  const auto vectors = make(o)->embed({"等待"});
  REQUIRE(vectors.has_value());
  CHECK(*delays == std::vector<long>{1000});  // not the 1 ms backoff
  CHECK(statuses(server) == std::vector<int>{429, 200});
}

TEST_CASE("a request that exceeds the timeout is an error, or retried") {
  FakeEmbeddingServer server({.dimensions = 8});
  EmbedderOptions o = options_for(server);
  o.timeout_ms = 200;

  // The server holds the first request until the test ends: only curl's timeout ends the wait.
  server.enqueue({.hold = true});
  SECTION("without retries") {
    const auto vectors = make(o)->embed({"超时"});
    REQUIRE_FALSE(vectors.has_value());
    CHECK_THAT(vectors.error().message, Contains("timed out after 200 ms"));
    CHECK(server.request_count() == 1);
  }
  SECTION("with a retry") {
    o.retries = 1;
    const auto vectors = make(o)->embed({"超时"});
    REQUIRE(vectors.has_value());
    CHECK((*vectors)[0] == test::fake_embedding("超时", 8));
    CHECK(server.request_count() == 2);
  }
}

TEST_CASE("an unreachable server is an error after the retries") {
  EmbedderOptions o;
  {
    FakeEmbeddingServer gone;
    o = options_for(gone);
  }  // the port is closed now
  o.retries = 2;
  const auto vectors = make(o)->embed({"无人应答"});
  REQUIRE_FALSE(vectors.has_value());
  CHECK_THAT(vectors.error().message, Contains("cannot connect"));
  CHECK_THAT(vectors.error().message, Contains("gave up after 3 attempts"));
}

TEST_CASE("the API key comes from the named environment variable") {
  const char* var = "TREATY_EMBEDDER_TEST_KEY";
  FakeEmbeddingServer server({.dimensions = 8, .api_key = "sk-test-123"});
  EmbedderOptions o = options_for(server);
  o.retries = 2;
  o.api_key_env = var;

  SECTION("set: sent as a bearer token") {
    REQUIRE(::setenv(var, "sk-test-123", 1) == 0);
    auto e = make(o);
    ::unsetenv(var);  // read at creation
    const auto vectors = e->embed({"密钥"});
    REQUIRE(vectors.has_value());
    const auto requests = server.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].authorization == "Bearer sk-test-123");
  }
  SECTION("wrong: 401, not retried, the key not shown") {
    REQUIRE(::setenv(var, "sk-wrong", 1) == 0);
    auto e = make(o);
    ::unsetenv(var);
    const auto vectors = e->embed({"密钥"});
    REQUIRE_FALSE(vectors.has_value());
    CHECK_THAT(vectors.error().message, Contains("HTTP 401: invalid API key"));
    CHECK_THAT(vectors.error().message, Contains("check the key in TREATY_EMBEDDER_TEST_KEY"));
    CHECK_THAT(vectors.error().message, !Contains("sk-wrong"));
    CHECK(server.request_count() == 1);
  }
  SECTION("unset: no header") {
    ::unsetenv(var);
    const auto vectors = make(o)->embed({"密钥"});
    REQUIRE_FALSE(vectors.has_value());
    CHECK_THAT(vectors.error().message, Contains("environment variable TREATY_EMBEDDER_TEST_KEY is not set"));
    const auto requests = server.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].authorization.empty());
  }
}

TEST_CASE("unusable replies are errors and not retried") {
  using Fault = FakeEmbeddingServer::Fault;
  struct Case {
    Fault fault;
    const char* message;
  };
  const Case cases[] = {
      {Fault::malformed_json, "reply is not a JSON object"},
      {Fault::no_data, "reply has no \"data\" array"},
      {Fault::wrong_count, "reply has 2 vectors for 3 texts"},
      {Fault::wrong_dimensions, "reply vector 2 has 7 dimensions, expected 8"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    FakeEmbeddingServer server({.dimensions = 8});
    EmbedderOptions o = options_for(server);
    o.retries = 3;
    server.enqueue({.fault = c.fault});
    const auto vectors = make(o)->embed({"一", "二", "三"});
    REQUIRE_FALSE(vectors.has_value());
    CHECK_THAT(vectors.error().message, Contains(c.message));
    CHECK(server.request_count() == 1);
  }
}

TEST_CASE("the expected dimensions are checked") {
  FakeEmbeddingServer server({.dimensions = 32});
  EmbedderOptions o = options_for(server);
  o.dimensions = 32;
  CHECK(make(o)->embed({"维度"}).has_value());
  o.dimensions = 16;
  const auto vectors = make(o)->embed({"维度"});
  REQUIRE_FALSE(vectors.has_value());
  CHECK_THAT(vectors.error().message, Contains("reply vector 0 has 32 dimensions, expected 16"));
}

TEST_CASE("one embedder serves many threads at once") {
  FakeEmbeddingServer server({.dimensions = 16});
  EmbedderOptions o = options_for(server);
  o.batch_size = 3;
  auto e = make(o);
  std::vector<std::optional<bool>> ok(4);
  {
    std::vector<std::jthread> threads;
    for (std::size_t t = 0; t < ok.size(); ++t)
      threads.emplace_back([&, t] {
        bool all = true;
        for (int round = 0; round < 10; ++round) {
          std::vector<std::string> texts;
          for (int i = 0; i < 5; ++i)
            texts.push_back("线程 " + std::to_string(t) + " 轮 " + std::to_string(round) + " 文 " +
                            std::to_string(i));
          const auto vectors = e->embed(texts);
          if (!vectors || vectors->size() != texts.size()) {
            all = false;
            continue;
          }
          for (std::size_t i = 0; i < texts.size(); ++i)
            all = all && (*vectors)[i] == test::fake_embedding(texts[i], 16);
        }
        ok[t] = all;
      });
  }
  for (const auto& r : ok) CHECK(r == std::optional<bool>(true));
  CHECK(server.request_count() == 4 * 10 * 2);
}
