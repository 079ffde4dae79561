// POST /documents, DELETE /documents/{symbol} and the API keys, through an in-process server on
// an ephemeral port: every status the write API gives, scoped keys, concurrent writes and
// searches, vectors of posted documents. (Process-level cases, kill -9 during a write, the
// indexer command racing searchd, restarts and HTTPS: searchd_process_test.cpp.)
#include <atomic>
#include <cstdlib>
#include <thread>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "core/index/index_reader.h"
#include "core/index/schema.h"
#include "core/index/index_writer.h"
#include "core/ingest/document_input.h"
#include "core/search/resources.h"
#include "core/vectors/vector_store.h"
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
  Fixture() : WriteServer("TREATY_WRITE_TEST_ADMIN_KEY") {}
  static httplib::Headers bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

  httplib::Result post_text(const std::string& text, const std::string& key = kAdminKey,
                            const std::string& query = "") {
    return client().Post(("/documents" + query).c_str(), bearer(key), text, "text/plain; charset=utf-8");
  }
  json search(const std::string& q, const std::string& extra = "", const std::string& key = "") {
    auto r = client().Get(("/search?mode=lexical&q=" + httplib::detail::encode_query_param(q) + extra).c_str(),
                          key.empty() ? httplib::Headers{} : bearer(key));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return json::parse(r->body);
  }
  // A key with `actions` (and `filters`) made by the admin; its value.
  std::string make_key(const json& actions, const json& filters = json::object()) {
    json body = {{"actions", actions}, {"description", "test"}};
    if (!filters.empty()) body["filters"] = filters;
    auto r = client().Post("/keys", bearer(kAdminKey), body.dump(), "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 201);
    return json::parse(r->body).at("value").get<std::string>();
  }
  // How many passages `text` parses into (what `indexer inspect` shows).
  std::size_t parsed_passages(const std::string& text, const std::string& symbol = "") const {
    auto parsed = parse_input(text, InputFormat::text, ParseOptions{"t", symbol}, *res);
    REQUIRE(parsed);
    return parsed->doc.passages.size();
  }
};

json error_of(const httplib::Result& r, int status) {
  REQUIRE(r);
  CHECK(r->status == status);
  json j = json::parse(r->body);
  REQUIRE(j.contains("error"));
  CHECK(j["error"]["code"] == status);
  CHECK_FALSE(j["error"]["message"].get<std::string>().empty());
  return j["error"];
}

// Sends `request` on a fresh socket and returns what comes back before the server closes or 5 s
// of silence; the body, if any, is never sent.
std::string raw_exchange(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.find("\r\n\r\n") != std::string::npos && out.find("}") != std::string::npos) break;
  }
  ::close(fd);
  return out;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "POST /documents: 201 once committed, searchable at once — re-post 200 — dry run writes nothing") {
  start();
  const std::string text = note_text("CBD/NP/MOP/4/9", "遗传资源数字序列信息");
  const std::size_t expected = parsed_passages(text);

  auto dry = post_text(text, kAdminKey, "?dry_run=true");
  REQUIRE(dry);
  CHECK(dry->status == 200);
  const json inspected = json::parse(dry->body);
  CHECK(inspected["dry_run"] == true);
  CHECK(inspected["symbol"] == "CBD/NP/MOP/4/9");
  CHECK(inspected["passages"].size() == expected);
  CHECK_FALSE(std::filesystem::exists(index_dir / "XAPIANDB"));  // nothing written, not even an index

  auto created = post_text(text);
  REQUIRE(created);
  CHECK(created->status == 201);
  const json c = json::parse(created->body);
  CHECK(c["symbol"] == "CBD/NP/MOP/4/9");
  CHECK(c["passages"] == expected);
  CHECK(c["created"] == true);
  CHECK(c["warnings"].is_array());
  // Durable: a reader opened now sees the commit the answer named.
  auto reader = IndexReader::open(index_dir);
  REQUIRE(reader);
  CHECK(reader->database().get_revision() == c["revision"].get<std::uint64_t>());
  CHECK(reader->document("CBD/NP/MOP/4/9"));

  const json found = search("数字序列信息");
  REQUIRE(found["total"] == 1);
  CHECK(found["hits"][0]["id"] == "CBD/NP/MOP/4/9#2");

  auto replaced = post_text(note_text("CBD/NP/MOP/4/9", "传统知识"));
  REQUIRE(replaced);
  CHECK(replaced->status == 200);
  const json r = json::parse(replaced->body);
  CHECK(r["created"] == false);
  CHECK(r["revision"].get<std::uint64_t>() > c["revision"].get<std::uint64_t>());
  CHECK(search("数字序列信息")["total"] == 0);
  CHECK(search("传统知识")["total"] == 1);

  // ?symbol= names a text that has none (or overrides it).
  auto named = post_text(note_text("CBD/NP/MOP/4/9", "生物勘探"), kAdminKey, "?symbol=CBD/NP/MOP/4/10");
  REQUIRE(named);
  CHECK(named->status == 201);
  CHECK(json::parse(named->body)["symbol"] == "CBD/NP/MOP/4/10");
}

TEST_CASE_METHOD(Fixture, "POST /documents: a PDF gives the passages of its text") {
  start();
  const std::string text = note_text("CBD/NP/MOP/4/11", "海洋遗传资源");
  const auto pdf = tmp.path() / "note.pdf";
  test::make_pdf(text, pdf);
  const std::string bytes = test::read_file(pdf);
  auto dry = client().Post("/documents?dry_run=true", bearer(kAdminKey), bytes, "application/pdf");
  REQUIRE(dry);
  REQUIRE(dry->status == 200);
  auto from_text = post_text(text, kAdminKey, "?dry_run=true");
  REQUIRE(from_text);
  // The same passages; a PDF's line numbers count printed lines (its page layout).
  json from_pdf = json::parse(dry->body)["passages"], from_txt = json::parse(from_text->body)["passages"];
  for (auto* list : {&from_pdf, &from_txt})
    for (auto& p : *list) p.erase("lines");
  CHECK(from_pdf == from_txt);
  auto created = client().Post("/documents", bearer(kAdminKey), bytes, "application/pdf");
  REQUIRE(created);
  CHECK(created->status == 201);
  CHECK(search("海洋遗传资源")["total"] == 1);
}

TEST_CASE_METHOD(Fixture, "POST /documents: bad input gets a 4xx naming the reason, and nothing is written") {
  searchd::SearchdConfig c = config();
  c.max_body_bytes = 4096;
  start(c);
  SECTION("empty body: 400") { error_of(post_text(""), 400); }
  SECTION("wrong content type: 415") {
    auto r = client().Post("/documents", bearer(kAdminKey), "{}", "application/json");
    CHECK(error_of(r, 415)["message"].get<std::string>().find("application/pdf") != std::string::npos);
    error_of(client().Post("/documents", bearer(kAdminKey), "x", "text/plain; charset=latin1"), 415);
  }
  SECTION("a text without a symbol: 422") {
    auto e = error_of(post_text("只有一行文字，没有文号。\n"), 422);
    CHECK(e["message"].get<std::string>().find("symbol") != std::string::npos);
  }
  SECTION("not a PDF: 422") {
    auto r = client().Post("/documents", bearer(kAdminKey), std::string("%PDF-1.4 broken"), "application/pdf");
    CHECK(error_of(r, 422)["message"].get<std::string>().find("PDF") != std::string::npos);
  }
  SECTION("a PDF without a text layer: 422") {
    const auto pdf = tmp.path() / "blank.pdf";
    test::make_pdf("", pdf);
    auto r = client().Post("/documents", bearer(kAdminKey), test::read_file(pdf), "application/pdf");
    CHECK(error_of(r, 422)["message"].get<std::string>().find("text") != std::string::npos);
  }
  SECTION("invalid UTF-8: 422 with the line") {
    auto e = error_of(post_text(note_text("CBD/NP/MOP/4/12", "x") + "4. \xff\xfe 坏字节\n"), 422);
    CHECK(e.contains("line"));
  }
  SECTION("unknown parameter, bad dry_run: 400") {
    error_of(post_text(note_text("CBD/NP/MOP/4/12", "x"), kAdminKey, "?force=1"), 400);
    error_of(post_text(note_text("CBD/NP/MOP/4/12", "x"), kAdminKey, "?dry_run=maybe"), 400);
  }
  SECTION("over the limit by Content-Length: 413 before the body is sent (Expect: 100-continue)") {
    const std::string reply = raw_exchange(port, "POST /documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                                     std::string(kAdminKey) +
                                                     "\r\nContent-Type: application/pdf\r\nContent-Length: 60000000\r\n"
                                                     "Expect: 100-continue\r\n\r\n");
    CHECK(reply.starts_with("HTTP/1.1 413"));
    CHECK(reply.find("Content-Length: ") != std::string::npos);  // else the client sends its body
    CHECK(reply.find("max_body_bytes") != std::string::npos);
  }
  SECTION("over the limit, chunked: 413") {
    httplib::Client cl = client();
    std::size_t sent = 0;
    auto r = cl.Post("/documents", bearer(kAdminKey),
                     [&](std::size_t, httplib::DataSink& sink) {
                       const std::string chunk(1000, 'x');
                       if (sent < 10) {
                         sink.write(chunk.data(), chunk.size());
                         ++sent;
                       } else {
                         sink.done();
                       }
                       return true;
                     },
                     "text/plain; charset=utf-8");
    error_of(r, 413);
  }
  SECTION("no length: 411") {
    const std::string reply = raw_exchange(port, "POST /documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                                     std::string(kAdminKey) + "\r\nContent-Type: text/plain\r\n\r\n");
    CHECK(reply.starts_with("HTTP/1.1 411"));
  }
  CHECK_FALSE(std::filesystem::exists(index_dir / "XAPIANDB"));
  // The connection is still usable after refused bodies: a valid post goes through.
  auto ok = post_text(note_text("CBD/NP/MOP/4/13", "合规"));
  REQUIRE(ok);
  CHECK(ok->status == 201);
}

TEST_CASE_METHOD(Fixture, "DELETE /documents/{symbol}: 200 with the passages removed, then 404") {
  start();
  const std::string text = note_text("CBD/NP/MOP/4/14", "标准材料转让协定");
  REQUIRE(post_text(text)->status == 201);
  auto r = client().Delete("/documents/CBD%2FNP%2FMOP%2F4%2F14", bearer(kAdminKey));
  REQUIRE(r);
  CHECK(r->status == 200);
  const json j = json::parse(r->body);
  CHECK(j["symbol"] == "CBD/NP/MOP/4/14");
  CHECK(j["removed"] == parsed_passages(text));
  CHECK(search("标准材料转让协定")["total"] == 0);
  error_of(client().Delete("/documents/CBD%2FNP%2FMOP%2F4%2F14", bearer(kAdminKey)), 404);
  // Any case, as GET /documents/{symbol}.
  REQUIRE(post_text(text)->status == 201);
  CHECK(client().Delete("/documents/cbd%2Fnp%2Fmop%2F4%2F14", bearer(kAdminKey))->status == 200);
}

TEST_CASE_METHOD(Fixture, "language versions over HTTP: POST each, GET one passage per ?lang= with its links, DELETE one version") {
  start();
  const std::filesystem::path fixtures = test::source_dir() / "tests/fixtures";
  for (const std::filesystem::path& pdf : {fixtures / "pdf/CBD-NP-MOP-4-2.pdf", fixtures / "lang/CBD-NP-MOP-4-2.en.pdf"}) {
    auto r = client().Post("/documents", bearer(kAdminKey), test::read_file(pdf), "application/pdf");
    REQUIRE(r);
    CHECK(r->status == 201);  // a new version each time
  }
  auto got = client().Get("/passages/CBD%2FNP%2FMOP%2F4%2F2%233?lang=en");
  REQUIRE(got);
  REQUIRE(got->status == 200);
  json p = json::parse(got->body);
  CHECK(p["lang"] == "en");
  CHECK(p["versions"] == json({"en", "zh"}));
  REQUIRE(p["links"]["zh"].size() == 1);
  CHECK(p["links"]["zh"][0]["id"] == "CBD/NP/MOP/4/2#3");
  CHECK(p["links"]["zh"][0]["confidence"].get<double>() > 0.5);
  p = json::parse(client().Get("/passages/CBD%2FNP%2FMOP%2F4%2F2%233?lang=zh")->body);
  CHECK(p["lang"] == "zh");
  CHECK(error_of(client().Get("/passages/CBD%2FNP%2FMOP%2F4%2F2%233?lang=fr"), 404)["message"] ==
        "no passage CBD/NP/MOP/4/2#3 in language fr (its versions: en, zh)");
  CHECK(error_of(client().Get("/passages/CBD%2FNP%2FMOP%2F4%2F2%233?lang=xx1"), 400)["message"] ==
        "lang must be a language code (ar, en, es, fr, ru, zh), got \"xx1\"");
  const json doc = json::parse(client().Get("/documents/CBD%2FNP%2FMOP%2F4%2F2?lang=zh")->body);
  CHECK(doc["facts"]["lang"] == "zh");
  REQUIRE(doc["versions"].size() == 2);
  CHECK(doc["versions"][0]["lang"] == "en");

  auto removed = client().Delete("/documents/CBD%2FNP%2FMOP%2F4%2F2?lang=en", bearer(kAdminKey));
  REQUIRE(removed);
  CHECK(removed->status == 200);
  CHECK(json::parse(removed->body)["lang"] == "en");
  p = json::parse(client().Get("/passages/CBD%2FNP%2FMOP%2F4%2F2%233")->body);
  CHECK(p["lang"] == "zh");  // the Chinese version stays
  CHECK(p["versions"] == json({"zh"}));
  CHECK(p["links"] == json::object());
}

TEST_CASE_METHOD(Fixture, "API keys: 401 without or with an unknown key, 403 without the action — create, list, self, revoke") {
  start();
  const std::string text = note_text("CBD/NP/MOP/4/15", "检查点");
  auto none = client().Post("/documents", text, "text/plain");
  CHECK(error_of(none, 401)["message"].get<std::string>().find("Bearer") != std::string::npos);
  CHECK(none->get_header_value("WWW-Authenticate") == "Bearer");
  error_of(post_text(text, "tk_not-a-key"), 401);
  error_of(client().Get("/keys"), 401);

  const std::string searcher = make_key({"search"});
  error_of(post_text(text, searcher), 403);
  error_of(client().Delete("/documents/X", bearer(searcher)), 403);
  error_of(client().Get("/keys", bearer(searcher)), 403);

  const std::string writer = make_key({"documents:write"});
  CHECK(post_text(text, writer)->status == 201);
  error_of(client().Delete("/documents/CBD%2FNP%2FMOP%2F4%2F15", bearer(writer)), 403);  // delete is its own action

  auto self = client().Get("/keys/self", bearer(writer));
  REQUIRE(self);
  CHECK(self->status == 200);
  CHECK(json::parse(self->body)["actions"] == json::array({"documents:write"}));
  error_of(client().Get("/keys/self"), 401);

  auto listed = client().Get("/keys", bearer(kAdminKey));
  REQUIRE(listed);
  REQUIRE(listed->status == 200);
  const json keys = json::parse(listed->body)["keys"];
  CHECK(keys.size() == 2);
  CHECK(listed->body.find(writer) == std::string::npos);
  CHECK(listed->body.find(searcher) == std::string::npos);
  CHECK_FALSE(keys[0].contains("value"));
  CHECK_FALSE(keys[0].contains("hash"));

  const std::string id = keys[1]["id"];
  CHECK(client().Delete(("/keys/" + id).c_str(), bearer(kAdminKey))->status == 200);
  error_of(post_text(text, writer), 401);
  error_of(client().Delete(("/keys/" + id).c_str(), bearer(kAdminKey)), 404);
  error_of(client().Delete("/keys/admin", bearer(kAdminKey)), 409);
  error_of(client().Post("/keys", bearer(kAdminKey), R"({"actions": ["fly"]})", "application/json"), 400);
  error_of(client().Post("/keys", bearer(kAdminKey), "not json", "application/json"), 400);
  error_of(client().Post("/keys", bearer(kAdminKey), R"({"actions": ["search"]})", "text/plain"), 415);
  // Searching stays open, and a key that lacks "search" searches as no key does.
  CHECK(client().Get("/search?q=x")->status == 200);
}

TEST_CASE_METHOD(Fixture, "scoped keys see only their filters — require_search_key closes searching") {
  searchd::SearchdConfig c = config();
  start(c);
  REQUIRE(post_text(note_text("CBD/NP/MOP/4/20", "共同词语"))->status == 201);
  REQUIRE(post_text(note_text("CBD/NP/MOP/4/21", "共同词语"))->status == 201);
  const std::string scoped = make_key({"search"}, {{"doc", {"CBD/NP/MOP/4/21"}}});

  CHECK(search("共同词语")["total"] == 2);
  const json seen = search("共同词语", "&facets=doc", scoped);
  REQUIRE(seen["total"] == 1);
  CHECK(seen["hits"][0]["doc"] == "CBD/NP/MOP/4/21");
  CHECK(seen["facets"]["doc"].size() == 1);
  // Its own filters narrow further; they never widen.
  CHECK(search("共同词语", "&doc=CBD/NP/MOP/4/20", scoped)["total"] == 0);
  CHECK(search("共同词语", "&doc=CBD/NP/MOP/4/20&facets=doc&disjunctive=true", scoped)["facets"]["doc"].size() == 1);
  auto listed = client().Get("/documents", bearer(scoped));
  REQUIRE(listed);
  CHECK(json::parse(listed->body)["total"] == 1);
  CHECK(client().Get("/passages/CBD%2FNP%2FMOP%2F4%2F20%232", bearer(scoped))->status == 404);
  CHECK(client().Get("/passages/CBD%2FNP%2FMOP%2F4%2F21%232", bearer(scoped))->status == 200);
  CHECK(client().Get("/documents/CBD%2FNP%2FMOP%2F4%2F20", bearer(scoped))->status == 404);
  CHECK(client().Get("/passages/CBD%2FNP%2FMOP%2F4%2F20%232")->status == 200);

  // A scope on passages' fields lists the documents with a passage in it.
  REQUIRE(post_text(test::read_file(test::seed_path()))->status == 201);
  const std::string fao = make_key({"search"}, {{"org", {"FAO"}}});
  auto fao_docs = client().Get("/documents", bearer(fao));
  REQUIRE(fao_docs);
  const json fao_list = json::parse(fao_docs->body);
  REQUIRE(fao_list["total"] == 1);
  CHECK(fao_list["documents"][0]["symbol"] == "UNEP/CBD/NP/COP-MOP/1/6");
  CHECK(json::parse(client().Get("/documents")->body)["total"] == 3);

  c.require_search_key = true;
  start(c);
  error_of(client().Get("/search?q=x"), 401);
  error_of(client().Get("/documents"), 401);
  CHECK(client().Get("/health")->status == 200);
  CHECK(client().Get("/search?q=x", bearer(scoped))->status == 200);
  error_of(client().Get("/search?q=x", bearer(make_key({"documents:write"}))), 403);
}

TEST_CASE_METHOD(Fixture, "concurrent writes and searches: every write committed, every search answered") {
  searchd::SearchdConfig c = config();
  c.write_hold_lock_ms = 1000;
  start(c);
  REQUIRE(post_text(note_text("CBD/NP/MOP/4/30", "并发检索"))->status == 201);
  constexpr int kWriters = 4, kPerWriter = 5;
  std::atomic<int> created{0}, bad_writes{0}, searches{0}, bad_searches{0};
  std::atomic<bool> writing{true};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w)
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        const std::string symbol = "CBD/NP/MOP/5/" + std::to_string(w * 100 + i);
        auto r = post_text(note_text(symbol, "并发写入"));
        (r && r->status == 201 ? created : bad_writes)++;
      }
    });
  for (int s = 0; s < 2; ++s)
    threads.emplace_back([&] {
      while (writing) {
        auto r = client().Get("/search?mode=lexical&q=%E5%B9%B6%E5%8F%91%E6%A3%80%E7%B4%A2");
        const bool ok = r && r->status == 200 && json::parse(r->body)["total"] == 1;
        (ok ? searches : bad_searches)++;
      }
    });
  for (int w = 0; w < kWriters; ++w) threads[w].join();
  writing = false;
  for (std::size_t t = kWriters; t < threads.size(); ++t) threads[t].join();
  CHECK(created == kWriters * kPerWriter);
  CHECK(bad_writes == 0);
  CHECK(searches > 0);
  CHECK(bad_searches == 0);
  CHECK(search("并发写入")["total"] == kWriters * kPerWriter);
  // Group commit shows in /metrics: commits never exceed the writes.
  auto metrics = client().Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("searchd_writes_total{result=\"ok\"} 21") != std::string::npos);
}

TEST_CASE_METHOD(Fixture, "with an embedder, posted documents get vectors — deleted ones lose them") {
  test::FakeEmbeddingServer embedder;
  searchd::SearchdConfig c = config();
  c.embedder.base_url = embedder.base_url();
  c.embedder.model = "fake-model";
  start(c);
  const std::string text = note_text("CBD/NP/MOP/4/40", "向量");
  REQUIRE(post_text(text)->status == 201);
  auto store = VectorStore::load(index_dir, VectorStoreOptions{.build_ann = false});
  REQUIRE(store);
  CHECK(store->model() == "fake-model");
  CHECK(store->contains("zh:CBD/NP/MOP/4/40#2"));
  CHECK(store->size() == parsed_passages(text));
  REQUIRE(client().Delete("/documents/CBD%2FNP%2FMOP%2F4%2F40", bearer(kAdminKey))->status == 200);
  store = VectorStore::load(index_dir, VectorStoreOptions{.build_ann = false});
  REQUIRE(store);
  CHECK(store->size() == 0);
  // A failing embedder fails the write, and nothing is written.
  embedder.enqueue({.status = 500}, 100);
  auto r = post_text(note_text("CBD/NP/MOP/4/41", "失败"));
  CHECK(error_of(r, 502)["message"].get<std::string>().find("nothing was written") != std::string::npos);
  auto reader = IndexReader::open(index_dir);
  REQUIRE(reader);
  CHECK_FALSE(reader->document("CBD/NP/MOP/4/41"));
}

TEST_CASE_METHOD(Fixture, "a key's filter values are checked as a search's") {
  start();
  auto r = client().Post("/keys", bearer(kAdminKey), R"({"actions": ["search"], "filters": {"year": ["20x4"]}})",
                         "application/json");
  CHECK(error_of(r, 400)["message"].get<std::string>().find("20x4") != std::string::npos);
  CHECK(client().Get("/keys", bearer(kAdminKey))->body == R"({"keys":[]})");
}

TEST_CASE_METHOD(Fixture, "a body sent where none is taken is read and dropped: the connection stays in step") {
  start();
  httplib::Client cl = client();
  cl.set_keep_alive(true);
  auto refused = cl.Post("/search", std::string(10000, 'x'), "text/plain");
  CHECK(error_of(refused, 405)["message"].get<std::string>().find("POST") != std::string::npos);
  auto bad_key = cl.Post("/documents", bearer("tk_unknown"), std::string(10000, 'y'), "text/plain");
  error_of(bad_key, 401);
  auto next = cl.Get("/metrics");  // on the same connection: no leftover body read as a request
  REQUIRE(next);
  CHECK(next->status == 200);
  CHECK(next->body.find("searchd_requests_total{route=\"/search\",status=\"405\"} 1") != std::string::npos);
}
