// searchd's HTTP layer, in-process on an ephemeral port, through a minimal HTTP/1.1 client
// (plain sockets, keep-alive) so requests can also be malformed on purpose.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/text/analyzer.h"
#include "core/index/index_layout.h"
#include "core/index/index_writer.h"
#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/search/resources.h"
#include "core/index/schema.h"
#include "core/vectors/vector_store.h"
#include "searchd/config.h"
#include "searchd/http_server.h"
#include "tests/support/fact_documents.h"
#include "tests/support/fake_embedding_server.h"
#include "tests/support/test_support.h"

using namespace treaty;
using nlohmann::json;

namespace {

// ---- A small HTTP/1.1 client --------------------------------------------------------------------

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  json parsed() const { return json::parse(body); }
};

class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}
  ~HttpClient() { disconnect(); }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // GET on the kept-alive connection (reconnecting once if the server closed it meanwhile).
  HttpResponse get(const std::string& target, const std::string& method = "GET") {
    const std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (fd_ < 0 && !connect_to_server()) break;
      if (auto r = exchange(request)) return *r;
      disconnect();
    }
    return {};  // status 0: no answer
  }

  // Sends raw bytes on a fresh connection and reads one response.
  HttpResponse raw(const std::string& bytes) {
    disconnect();
    if (!connect_to_server()) return {};
    auto r = exchange(bytes);
    disconnect();
    return r ? *r : HttpResponse{};
  }

 private:
  bool connect_to_server() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return false;
    timeval tv{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      disconnect();
      return false;
    }
    buffer_.clear();
    return true;
  }

  void disconnect() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    buffer_.clear();
  }

  bool fill() {
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  std::optional<HttpResponse> exchange(const std::string& request) {
    for (std::size_t sent = 0; sent < request.size();) {
      const ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return std::nullopt;
      sent += static_cast<std::size_t>(n);
    }
    std::size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) return std::nullopt;
    HttpResponse r;
    std::istringstream head(buffer_.substr(0, header_end));
    std::string line;
    std::getline(head, line);
    if (line.size() < 12) return std::nullopt;
    r.status = std::stoi(line.substr(9, 3));
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    const std::size_t length = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    while (buffer_.size() < header_end + 4 + length)
      if (!fill()) return std::nullopt;
    r.body = buffer_.substr(header_end + 4, length);
    buffer_.erase(0, header_end + 4 + length);
    if (r.headers["connection"] == "close") disconnect();
    return r;
  }

  int port_;
  int fd_ = -1;
  std::string buffer_;
};

// Percent-encodes everything but unreserved characters.
std::string enc(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// ---- Index and server ---------------------------------------------------------------------------

struct Fixture {
  std::unique_ptr<Resources> res =
      std::move(*Resources::load(ResourcePaths::in_directory(test::source_dir() / "config")));
  test::TempDir tmp;
  std::filesystem::path index_dir = tmp.path() / "index";
  std::unique_ptr<searchd::HttpServer> server;
  int port = 0;

  static constexpr const char* kSeedSymbol = "UNEP/CBD/NP/COP-MOP/1/6";
  static constexpr const char* kSynthSymbol = "TEST/SYNTH/1";

  searchd::SearchdConfig config() const {
    searchd::SearchdConfig c;
    c.index_dir = index_dir;
    c.port = 0;
    c.threads = 2;  // query workers: fewer than the 8 concurrent keep-alive clients below
    c.access_log = false;
    // No time budget: a loaded test machine must not turn results into timed-out ones (the
    // deadline's steps are tested with a fake clock in tests/search/budget_test.cpp).
    c.request_timeout_ms = 0;
    return c;
  }

  void start(const searchd::SearchdConfig& c) {
    REQUIRE(searchd::validate_config(c));
    server = std::make_unique<searchd::HttpServer>(c, *res);
    auto bound = server->start();
    REQUIRE(bound);
    port = *bound;
    REQUIRE(port > 0);
    REQUIRE(server->is_running());
  }
  void start() { start(config()); }

  void write(const Document& doc, IndexWriter& writer) {
    Analyzer analyzer(res->normalizer, res->lexicon);
    writer.replace_document(doc, extract_fields(doc, res->normalizer, res->gazetteer), analyzer);
    writer.commit();
  }

  // The seed, analysed with `res` (recorded in the index), into `dir` (a bare database with
  // `plain`, as `indexer reindex` builds a generation).
  void index_seed(const std::filesystem::path& dir, bool plain = false) {
    const std::string text = test::read_file(test::seed_path());
    auto doc = parse_document(text, ParseOptions{test::seed_path().string(), ""});
    REQUIRE(doc);
    auto writer = IndexWriter::open(dir, {.analysis = res->analysis, .plain = plain});
    REQUIRE(writer);
    Analyzer analyzer(res->normalizer, res->lexicon);
    writer->replace_document(*doc, extract_fields(*doc, res->normalizer, res->gazetteer), analyzer,
                             text);
    writer->commit();
  }
  void index_seed() { index_seed(index_dir); }

  // A small second document: a header and one paragraph with a word the seed lacks.
  static Document synthetic(const std::string& paragraph) {
    Document doc;
    doc.symbol = kSynthSymbol;
    doc.source = "synthetic";
    doc.header.title = "合成测试文件";
    Passage header;
    header.id = schema::passage_id(doc.symbol, "header");
    header.kind = PassageKind::header;
    header.para = "header";
    header.text = "合成测试文件";
    Passage p;
    p.id = schema::passage_id(doc.symbol, "1");
    p.para = "1";
    p.number = 1;
    p.text = paragraph;
    doc.passages = {header, p};
    return doc;
  }

  HttpResponse get(const std::string& target) {
    HttpClient client(port);
    return client.get(target);
  }
};

// The error shape every failure uses.
void check_error(const HttpResponse& r, int status) {
  CHECK(r.status == status);
  CHECK(r.headers.at("content-type").starts_with("application/json"));
  const json j = r.parsed();
  REQUIRE(j.contains("error"));
  CHECK(j.at("error").at("code") == status);
  CHECK_FALSE(j.at("error").at("message").get<std::string>().empty());
  CHECK(j.size() == 1);
  CHECK(j.at("error").size() == 2);
}

}  // namespace

TEST_CASE_METHOD(Fixture, "GET /search: hits, snippets, filters, facets, sorting") {
  index_seed();
  start();
  HttpClient client(port);

  HttpResponse r = client.get("/search?q=" + enc("区域经济委员会"));
  REQUIRE(r.status == 200);
  CHECK(r.parsed()["timed_out"] == false);
  CHECK(r.parsed()["total_exact"] == true);
  CHECK(r.headers.at("content-type") == "application/json; charset=utf-8");
  CHECK(r.headers.count("server-timing") == 1);
  json j = r.parsed();
  CHECK(j["query"] == "区域经济委员会");
  CHECK(j["total"] == 1);
  CHECK(j["offset"] == 0);
  CHECK(j["size"] == 10);
  CHECK(j["took_ms"].get<double>() >= 0);
  REQUIRE(j["hits"].size() == 1);
  CHECK(j["hits"][0]["id"] == "UNEP/CBD/NP/COP-MOP/1/6#21");
  CHECK(j["hits"][0]["snippet"].get<std::string>().find("<mark>区域经济委员会</mark>") != std::string::npos);

  // Traditional, full-width, phrases and fields give what the plain forms give.
  // (mode=lexical: the thesaurus also finds the misspelt 《名古屋议定》 of 23(b).)
  CHECK(client.get("/search?mode=lexical&q=" + enc("名古屋議定書")).parsed()["total"] == 33);
  CHECK(client.get("/search?mode=lexical&q=" + enc("\"名古屋议定书\"")).parsed()["total"] == 33);
  CHECK(client.get("/search?q=" + enc("名古屋議定書")).parsed()["total"] == 34);
  CHECK(client.get("/search?q=" + enc("２０１４")).parsed()["total"] == 11);
  CHECK(client.get("/search?q=" + enc("decision:XI/1")).parsed()["total"] == 2);
  CHECK(client.get("/search?q=" + enc("67/212")).parsed()["total"] == 3);

  // Request filters: repeated or comma-separated values are ORed, fields ANDed.
  CHECK(client.get("/search?org=unep&org=sprep").parsed()["total"] == 7);
  CHECK(client.get("/search?org=unep,sprep").parsed()["total"] == 7);
  CHECK(client.get("/search?org=" + enc("环境规划署") + "&date_from=2014-06-10").parsed()["total"] == 1);
  CHECK(client.get("/search?decision=X/1").parsed()["hits"][0]["para"] == "7");
  CHECK(client.get("/search?decision=" + enc("XI/1")).parsed()["total"] == 2);
  CHECK(client.get("/search?year=2014").parsed()["total"] == 11);
  CHECK(client.get("/search?date_from=2014-05&date_to=2014-06").parsed()["total"] == 6);
  // date_relation=within: only dates wholly inside the range; the same for date: in q.
  const auto within = client.get("/search?date_from=2014-05&date_to=2014-06&date_relation=within").parsed()["total"];
  CHECK(within.get<int>() < 6);
  CHECK(within.get<int>() > 0);
  CHECK(client.get("/search?date_relation=within&q=" + enc("date:2014-05..2014-06")).parsed()["total"] == within);
  CHECK(client.get("/search?date_from=2014-05&date_to=2014-06&date_relation=intersects").parsed()["total"] == 6);
  check_error(client.get("/search?date_from=2014&date_relation=contains"), 400);
  CHECK(client.get("/search?symbol=" + enc("UNEP/CBD/COP/12/24")).parsed()["hits"][0]["para"] == "33");
  j = client.get("/search?org=nosuchorg").parsed();
  CHECK(j["total"] == 0);
  CHECK(j["warnings"].size() == 1);

  // Paging and sorting.
  j = client.get("/search?size=5&offset=50").parsed();
  CHECK(j["total"] == 53);
  CHECK(j["sort"] == "document");
  REQUIRE(j["hits"].size() == 3);
  CHECK(j["hits"][2]["para"] == "37");
  j = client.get("/search?q=" + enc("名古屋议定书") + "&sort=-date&size=1").parsed();
  CHECK(j["sort"] == "-date");
  CHECK(j["hits"][0]["para"] == "36");
  j = client.get("/search?q=" + enc("名古屋议定书") + "&sort=date&size=1").parsed();
  CHECK(j["hits"][0]["para"] == "29");

  // Facets, plain and disjunctive.
  j = client.get("/search?org=unep&org=sprep&facets=org,year&facet_size=2").parsed();
  const json top_orgs = json::parse(R"js([{"value":"unep","label":"联合国环境规划署 (UNEP)","count":6},
                                          {"value":"nagoya_protocol","label":"名古屋议定书","count":4}])js");
  CHECK(j["facets"]["org"] == top_orgs);
  CHECK(j["facets"]["year"].size() == 2);
  j = client.get("/search?org=unep&org=sprep&facets=org&facets=decision&facet_size=1&disjunctive=true").parsed();
  CHECK(j["total"] == 7);
  CHECK(j["facets"]["org"] == json::parse(R"([{"value":"nagoya_protocol","label":"名古屋议定书","count":33}])"));
  CHECK(j["facets"]["decision"] == json::parse(R"([{"value":"unga:67/212","label":"UNGA resolution 67/212","count":1}])"));

  // Highlight tags per request.
  j = client.get("/search?q=" + enc("菌") + "&highlight_open=" + enc("<em>") + "&highlight_close=" + enc("</em>")).parsed();
  CHECK(j["hits"][0]["snippet"].get<std::string>().find("世界<em>菌</em>种") != std::string::npos);
}

TEST_CASE_METHOD(Fixture, "GET /passages/{id}: raw or encoded id") {
  index_seed();
  start();
  HttpClient client(port);
  for (const std::string& target : std::vector<std::string>{"/passages/UNEP/CBD/NP/COP-MOP/1/6%2327(b)",
                                   "/passages/UNEP%2FCBD%2FNP%2FCOP-MOP%2F1%2F6%2327%28b%29",
                                   "/passages/" + enc("UNEP/CBD/NP/COP-MOP/1/6#27(b)")}) {
    INFO(target);
    const HttpResponse r = client.get(target);
    REQUIRE(r.status == 200);
    const json j = r.parsed();
    CHECK(j["id"] == "UNEP/CBD/NP/COP-MOP/1/6#27(b)");
    CHECK(j["para"] == "27(b)");
    CHECK(j["kind"] == "item");
    CHECK(j["text"].get<std::string>().starts_with("加勒比共同体（加共体）"));
  }
  const json with_note = client.get("/passages/UNEP/CBD/NP/COP-MOP/1/6%2312").parsed();
  REQUIRE(with_note["footnotes"].size() == 1);
  CHECK(with_note["footnotes"][0]["number"] == 1);
  check_error(client.get("/passages/UNEP/CBD/NP/COP-MOP/1/6%2399"), 404);
  check_error(client.get("/passages/UNEP/CBD/NP/COP-MOP/1/6"), 404);
  check_error(client.get("/passages/"), 404);
}

TEST_CASE_METHOD(Fixture, "GET /documents/{symbol}: header fields and passages in order") {
  index_seed();
  start();
  HttpClient client(port);
  for (const std::string& target : std::vector<std::string>
       {"/documents/UNEP/CBD/NP/COP-MOP/1/6", "/documents/UNEP%2FCBD%2FNP%2FCOP-MOP%2F1%2F6",
        "/documents/unep/cbd/np/cop-mop/1/6"}) {
    INFO(target);
    const HttpResponse r = client.get(target);
    REQUIRE(r.status == 200);
    const json j = r.parsed();
    CHECK(j["symbol"] == kSeedSymbol);
    CHECK(j["header"]["title"] == "与其他公约、国际组织和倡议的合作");
    CHECK(j["header"]["doc_type"] == "执行秘书的说明");
    REQUIRE(j["passages"].size() == 53);
    REQUIRE(j["passage_ids"].size() == 53);
    for (std::size_t i = 0; i < 53; ++i) {
      CHECK(j["passages"][i]["id"] == j["passage_ids"][i]);
      CHECK(j["passages"][i]["order"] == i);
    }
    CHECK(j["passages"][0]["para"] == "header");
    CHECK(j["passages"][52]["para"] == "37");
  }
  check_error(client.get("/documents/UNEP/CBD/NP/COP-MOP/1/99"), 404);
  check_error(client.get("/documents/"), 404);
}

TEST_CASE_METHOD(Fixture, "GET /health and /stats") {
  index_seed();
  start();
  HttpClient client(port);
  HttpResponse r = client.get("/health");
  REQUIRE(r.status == 200);
  json j = r.parsed();
  CHECK(j["status"] == "ok");
  CHECK(j["passages"] == 53);
  CHECK(std::regex_match(j["last_commit"].get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  r = client.get("/stats");
  REQUIRE(r.status == 200);
  j = r.parsed();
  CHECK(j["documents"] == 1);
  CHECK(j["passages"] == 53);
  CHECK(j["symbols"] == json::array({kSeedSymbol}));
  CHECK(j["size_bytes"].get<std::uint64_t>() > 0);
  CHECK(j["last_commit"] == client.get("/health").parsed()["last_commit"]);
  CHECK_FALSE(j.contains("index"));  // no filesystem paths
  CHECK(client.get("/health").parsed()["analysis"] == json{{"matches", true}, {"differences", json::array()}});
  CHECK(client.get("/search?q=" + enc("区域经济委员会")).parsed()["warnings"] == json::array());
}

TEST_CASE_METHOD(Fixture, "an index analysed otherwise: /health says so, responses warn, queries stay right") {
  index_seed();  // with config/
  // This server's lexicon has one term more, which the index has no lexicon-term term for.
  const std::string term = "区域经济委员会";
  test::TempDir config;
  res = std::move(*Resources::load(ResourcePaths::in_directory(test::config_with_extra_term(config.path(), term))));
  start();
  HttpClient client(port);
  const std::string warning = "the lexicon (lexicon.txt) changed since indexing: run `indexer reindex`";
  CHECK(client.get("/health").parsed()["analysis"] == json{{"matches", false}, {"differences", {warning}}});
  json j = client.get("/search?q=" + enc(term)).parsed();
  CHECK(j["total"] == 1);  // by its phrase
  CHECK(j["hits"][0]["id"] == std::string(kSeedSymbol) + "#21");
  CHECK(j["warnings"] == json::array({warning}));
  j = client.get("/similar?id=" + enc(std::string(kSeedSymbol) + "#21")).parsed();
  CHECK(j["total"].get<int>() > 0);
  CHECK(j["warnings"] == json::array({warning}));
  j = client.get("/documents").parsed();
  CHECK(j["total"] == 1);
  CHECK(j["warnings"] == json::array({warning}));

  // `indexer reindex` with this lexicon: a new generation, then the stub switched. The server
  // follows on its next request, and the warning is gone.
  index_seed(generation_dir(index_dir, 2), true);
  REQUIRE(switch_generation(index_dir, 2));
  CHECK(client.get("/health").parsed()["analysis"] == json{{"matches", true}, {"differences", json::array()}});
  j = client.get("/search?q=" + enc(term)).parsed();
  CHECK(j["total"] == 1);
  CHECK(j["warnings"] == json::array());
  CHECK(client.get("/documents").parsed()["warnings"] == json::array());
}

TEST_CASE_METHOD(Fixture, "client errors: status code and JSON error body, never 500") {
  index_seed();
  start();
  HttpClient client(port);
  const std::vector<std::pair<std::string, int>> rows = {
      {"/search?size=0", 400},
      {"/search?size=101", 400},
      {"/search?size=abc", 400},
      {"/search?size=-1", 400},
      {"/search?size=", 400},
      {"/search?size=99999999999999999999999", 400},
      {"/search?offset=10001", 400},
      {"/search?offset=x", 400},
      {"/search?facet_size=0", 400},
      {"/search?sort=newest", 400},
      {"/search?facets=colour", 400},
      {"/search?facets=org,colour", 400},
      {"/search?disjunctive=maybe", 400},
      {"/search?date_from=2014-13", 400},
      {"/search?date_to=2014-02-30", 400},
      {"/search?date_from=2015&date_to=2014", 400},
      {"/search?year=20x4", 400},
      {"/search?decision=foo", 400},
      {"/search?q=" + enc("date:2014-13"), 400},
      {"/search?q=" + enc("year:abc"), 400},
      {"/search?q=%FF", 400},                   // invalid UTF-8
      {"/search?q=%E7%BC", 400},                // truncated UTF-8
      {"/search?org=%C0%AF", 400},              // overlong
      {"/search?%FF=1", 400},                   // invalid UTF-8 in a name
      {"/passages/%FF", 400},                   // in the path
      {"/search?size=10&size=20", 400},         // a single-valued parameter twice
      {"/search?colour=red", 400},              // unknown parameter
      {"/nowhere", 404},
      {"/", 404},
      {"/search/", 404},
      {"/search?q=" + std::string(4097, 'a'), 413},
      {"/search?q=" + std::string(4090, 'a') + enc("缔约方"), 413},  // 4099 bytes decoded
      {"/search?q=" + std::string(8100, 'a'), 413},                 // under the URL limit, over q's
      {"/search?q=" + std::string(9 * 1024, 'a'), 413},             // over cpp-httplib's 8 KB line limit
  };
  for (const auto& [target, status] : rows) {
    INFO(target.substr(0, 80));
    check_error(client.get(target), status);
  }
  check_error(client.get("/search", "POST"), 405);
  check_error(client.get("/search", "DELETE"), 405);
  check_error(HttpClient(port).raw("GARBAGE\r\n\r\n"), 400);

  // A q of exactly 4096 bytes is fine; the 9 KB URL's message says what was too long.
  CHECK(client.get("/search?q=" + std::string(4096, 'a')).status == 200);
  CHECK(client.get("/search?q=" + std::string(9 * 1024, 'a')).parsed()["error"]["message"] == "request URL too long");

  // Odd queries are not errors.
  for (const std::string& q : std::vector<std::string>{"(((", "\"", "-", "OR", "-(-(-a))", "：", "date:..", "🙂", "%", "\\", "a:b:c"}) {
    INFO(q);
    CHECK(client.get("/search?q=" + enc(q)).status == 200);
  }
}

TEST_CASE_METHOD(Fixture, "caps on clauses and filter values are 400s, timed_out and total_exact are always there") {
  index_seed();
  searchd::SearchdConfig c = config();
  c.request_timeout_ms = 2000;  // the default budget: only the fields' presence is checked
  c.query_limits.max_clauses = 8;
  c.query_limits.max_filter_values = 4;
  start(c);
  HttpClient client(port);

  const HttpResponse clauses = client.get("/search?q=" + enc("a b c d e f g (h OR i)"));
  check_error(clauses, 400);
  CHECK(clauses.parsed()["error"]["message"] == "query has 9 clauses; the limit is 8");
  const HttpResponse values = client.get("/search?org=unep,fao,sprep&year=2013,2014");
  check_error(values, 400);
  CHECK(values.parsed()["error"]["message"] == "the filters have 5 values; the limit is 4");
  check_error(client.get("/similar?id=" + enc(std::string(kSeedSymbol) + "#21") + "&org=unep,fao,sprep&year=2013,2014"), 400);
  check_error(client.get("/documents?meeting=cop,np-mop,cp-mop&type=note,report"), 400);

  for (const std::string& target : {"/search?q=" + enc("缔约方 (a OR b)"), "/similar?id=" + enc(std::string(kSeedSymbol) + "#21")}) {
    INFO(target);
    const HttpResponse ok = client.get(target);
    REQUIRE(ok.status == 200);
    CHECK(ok.parsed()["timed_out"].is_boolean());
    CHECK(ok.parsed()["total_exact"].is_boolean());
  }
  CHECK(client.get("/documents").parsed()["timed_out"].is_boolean());
}

TEST_CASE_METHOD(Fixture, "a URL over the configured limit is 413 from searchd itself") {
  index_seed();
  searchd::SearchdConfig c = config();
  c.max_url_bytes = 1024;
  c.max_query_bytes = 1000;
  start(c);
  HttpClient client(port);
  const HttpResponse r = client.get("/search?q=a&org=" + std::string(1100, 'b'));
  check_error(r, 413);
  CHECK(r.parsed()["error"]["message"] == "request URL is 1116 bytes; the limit is 1024");
  CHECK(client.get("/search?q=a").status == 200);
}

TEST_CASE_METHOD(Fixture, "no index: 503, then serves once the index appears") {
  start();  // index_dir does not exist yet
  HttpClient client(port);
  for (const char* target : {"/search?q=a", "/health", "/stats", "/passages/x%23y", "/documents/X/Y/1"}) {
    INFO(target);
    check_error(client.get(target), 503);
  }
  CHECK(client.get("/search?q=a").parsed()["error"]["message"].get<std::string>().starts_with("index unavailable: "));
  check_error(client.get("/nowhere"), 404);        // routing still works
  check_error(client.get("/search?size=0"), 400);  // parameters are checked first

  index_seed();
  HttpResponse r = client.get("/search?q=" + enc("区域经济委员会"));
  REQUIRE(r.status == 200);
  CHECK(r.parsed()["total"] == 1);
  CHECK(client.get("/health").status == 200);
}

TEST_CASE_METHOD(Fixture, "documents committed while searchd runs are visible without a restart") {
  index_seed();
  start();
  HttpClient client(port);
  const std::string q = "/search?q=" + enc("独角兽");
  CHECK(client.get(q).parsed()["total"] == 0);
  check_error(client.get(std::string("/documents/") + kSynthSymbol), 404);
  {
    auto writer = IndexWriter::open(index_dir);
    REQUIRE(writer);
    write(synthetic("独角兽保护区的第一次观察记录。"), *writer);
  }
  json j = client.get(q).parsed();
  CHECK(j["total"] == 1);
  CHECK(j["hits"][0]["id"] == "TEST/SYNTH/1#1");
  CHECK(j["hits"][0]["snippet"] == "<mark>独角兽</mark>保护区的第一次观察记录。");
  CHECK(client.get(std::string("/documents/") + kSynthSymbol).parsed()["passages"].size() == 2);
  CHECK(client.get("/stats").parsed()["documents"] == 2);
  CHECK(client.get("/search").parsed()["total"] == 55);
  {
    auto writer = IndexWriter::open(index_dir);
    REQUIRE(writer);
    writer->remove_document(kSynthSymbol);
    writer->commit();
  }
  CHECK(client.get(q).parsed()["total"] == 0);
  CHECK(client.get("/stats").parsed()["documents"] == 1);
}

// TREATY_HTTP_STRESS_REQUESTS sets the requests per client (default 500), TREATY_COMMIT_MS the
// pause between the indexer's commits (default 250).
TEST_CASE_METHOD(Fixture, "concurrency: 8 clients while the indexer commits, zero errors") {
  index_seed();
  start();
  auto env_int = [](const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v ? std::atoi(v) : fallback;
  };
  const int per_thread = env_int("TREATY_HTTP_STRESS_REQUESTS", 500);
  const int commit_pause_ms = env_int("TREATY_COMMIT_MS", 250);
  constexpr int kClients = 8;

  struct Probe {
    std::string target;
    std::function<bool(const json&)> ok;
  };
  // at() throws on a missing field (caught below as a failure) where operator[] on a const json
  // would be undefined.
  const std::vector<Probe> probes = {
      {"/search?q=" + enc("区域经济委员会"), [](const json& j) { return j.at("total") == 1; }},
      {"/search?mode=lexical&q=" + enc("名古屋议定书") + "&facets=org,year,decision,symbol,month&size=5",
       [](const json& j) {
         return j.at("total") == 33 && j.at("hits").size() == 5 && j.at("facets").at("org").at(0).at("count") == 32;
       }},
      {"/search?org=unep&org=sprep&disjunctive=true&facets=org,year",
       [](const json& j) { return j.at("total") == 7 && j.at("facets").at("org").at(0).at("count") == 33; }},
      {"/passages/UNEP/CBD/NP/COP-MOP/1/6%2321", [](const json& j) { return j.at("para") == "21"; }},
      {"/documents/UNEP/CBD/NP/COP-MOP/1/6", [](const json& j) { return j.at("passages").size() == 53; }},
      {"/search?q=" + enc("独角兽"), [](const json& j) { return j.at("total") == 0 || j.at("total") == 1; }},
      {"/health", [](const json& j) { return j.at("status") == "ok"; }},
      {"/search?date_from=2014-05&date_to=2014-06&sort=date", [](const json& j) { return j.at("total") == 6; }},
  };

  std::atomic<bool> clients_done{false};
  std::atomic<int> commits{0};
  std::thread indexer([&] {
    auto writer = IndexWriter::open(index_dir);
    if (!writer) return;
    for (int n = 0; !clients_done; ++n) {
      write(synthetic("独角兽观察记录第 " + std::to_string(n) + " 号。"), *writer);
      ++commits;
      std::this_thread::sleep_for(std::chrono::milliseconds(commit_pause_ms));
    }
  });

  std::mutex failures_mutex;
  std::vector<std::string> failures;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      HttpClient client(port);
      for (int i = 0; i < per_thread; ++i) {
        const Probe& probe = probes[static_cast<std::size_t>(i + t) % probes.size()];
        const HttpResponse r = client.get(probe.target);
        bool ok = r.status == 200;
        if (ok) {
          try {
            ok = probe.ok(json::parse(r.body));
          } catch (const std::exception&) {
            ok = false;
          }
        }
        ++answered;
        if (!ok) {
          std::lock_guard lock(failures_mutex);
          failures.push_back(std::to_string(r.status) + " " + probe.target + " " + r.body.substr(0, 200));
        }
      }
    });
  }
  for (std::thread& c : clients) c.join();
  clients_done = true;
  indexer.join();
  CHECK(answered == kClients * per_thread);
  CHECK(commits > 0);
  INFO((failures.empty() ? std::string() : failures.front()));
  CHECK(failures.empty());
}

TEST_CASE_METHOD(Fixture, "keep-alive: one connection serves many requests") {
  index_seed();
  start();
  HttpClient client(port);
  constexpr int kRequests = 50;
  for (int i = 0; i < kRequests; ++i) REQUIRE(client.get("/passages/UNEP/CBD/NP/COP-MOP/1/6%2321").status == 200);
  const HttpResponse metrics = client.get("/metrics");
  REQUIRE(metrics.status == 200);
  INFO(metrics.body);
  // TCP_NODELAY (no ~40 ms stall per keep-alive request) shows in bench/, not here: no timings in tests.
  CHECK(metrics.body.find("\nsearchd_connections_accepted_total 1\n") != std::string::npos);
  CHECK(metrics.body.find("searchd_requests_total{route=\"/passages/\",status=\"200\"} 50\n") != std::string::npos);
}

TEST_CASE_METHOD(Fixture, "access log: one line per request on stderr") {
  index_seed();
  searchd::SearchdConfig c = config();
  c.access_log = true;
  start(c);
  const std::filesystem::path log = tmp.path() / "stderr.txt";
  std::fflush(stderr);
  const int saved = ::dup(2);
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  ::dup2(fd, 2);
  {
    HttpClient client(port);
    client.get("/health");
    client.get("/search?size=0");
    client.get("/search?q=" + std::string(9 * 1024, 'a'));
  }
  server->stop();  // every response is logged once its worker is done
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  ::close(fd);
  const std::string text = test::read_file(log);
  INFO(text);
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  REQUIRE(lines.size() == 3);
  const std::vector<std::tuple<json, json, int>> expected = {
      {"GET", "/health", 200}, {"GET", "/search?size=0", 400}, {nullptr, "", 413}};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const json& l = lines[i];
    CHECK(l.at("method") == std::get<0>(expected[i]));
    CHECK(l.at("target") == std::get<1>(expected[i]));
    CHECK(l.at("status") == std::get<2>(expected[i]));
    CHECK(l.at("request_id").is_string());
    CHECK(l.at("bytes").get<int>() > 0);
    CHECK(std::regex_match(l.at("time").get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  }
  CHECK(lines[0].at("client") == "127.0.0.1");
  CHECK(lines[0].at("ms").is_number());
  CHECK(lines[2].at("ms").is_null());  // answered by the HTTP library before routing
}

TEST_CASE_METHOD(Fixture, "X-Request-Id: echoed when plain, made otherwise") {
  index_seed();
  start();
  HttpClient client(port);
  const HttpResponse own = client.raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: trace-7\r\n\r\n");
  CHECK(own.headers.at("x-request-id") == "trace-7");
  const HttpResponse made = client.raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: not ok\r\n\r\n");
  CHECK(made.headers.at("x-request-id") != "not ok");
  CHECK(made.headers.at("x-request-id").size() >= 10);
  CHECK(client.get("/nowhere").headers.count("x-request-id") == 1);  // errors too
}

TEST_CASE_METHOD(Fixture, "idle keep-alive connections hold no query worker") {
  index_seed();
  searchd::SearchdConfig c = config();
  c.threads = 1;
  start(c);
  // Far more open, idle keep-alive connections than query workers (the old model gave each
  // connection a worker, so the next client waited for an idle one to time out).
  std::vector<std::unique_ptr<HttpClient>> idle;
  for (int i = 0; i < 24; ++i) {
    idle.push_back(std::make_unique<HttpClient>(port));
    REQUIRE(idle.back()->get("/health").status == 200);
  }
  HttpClient fresh(port);
  const HttpResponse r = fresh.get("/search?q=" + enc("遗传资源") + "&size=1");
  REQUIRE(r.status == 200);
  CHECK(r.parsed().at("total").get<int>() > 0);
  const std::string metrics = fresh.get("/metrics").body;
  INFO(metrics);
  CHECK(metrics.find("\nsearchd_connections_open 25\n") != std::string::npos);
  CHECK(metrics.find("\nsearchd_query_workers 1\n") != std::string::npos);
}

TEST_CASE_METHOD(Fixture, "beyond max_connections: 503 with Retry-After at once, served again once one closes") {
  index_seed();
  searchd::SearchdConfig c = config();
  c.max_connections = 2;
  start(c);
  auto a = std::make_unique<HttpClient>(port);
  HttpClient b(port);
  REQUIRE(a->get("/health").status == 200);
  REQUIRE(b.get("/health").status == 200);
  HttpClient over(port);
  const HttpResponse r = over.get("/health");
  CHECK(r.status == 503);
  CHECK(r.headers.at("retry-after") == "1");
  CHECK(r.headers.at("connection") == "close");
  CHECK(r.parsed().at("error").at("message") == "too many connections (max_connections 2); retry");
  a.reset();  // closes a connection: its slot frees once the server sees the close
  int status = 0;
  for (int attempt = 0; attempt < 1000 && status != 200; ++attempt) {
    HttpClient next(port);
    status = next.get("/health").status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(status == 200);
  const std::string metrics = b.get("/metrics").body;
  INFO(metrics);
  CHECK(metrics.find("\nsearchd_connections_rejected_total ") != std::string::npos);
  CHECK(metrics.find("\nsearchd_connections_rejected_total 0\n") == std::string::npos);
}

TEST_CASE_METHOD(Fixture, "an idle keep-alive connection is closed by the server") {
  index_seed();
  searchd::SearchdConfig c = config();
  c.keep_alive_timeout_s = 1;
  start(c);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval tv{30, 0};  // a safety net only: the server closes after 1 s
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  const std::string request = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
  REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
  std::string received;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) received.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  CHECK(n == 0);  // an orderly close by the server, not the safety net's timeout (-1)
  CHECK(received.starts_with("HTTP/1.1 200"));
}

TEST_CASE_METHOD(Fixture, "stop() ends serving") {
  index_seed();
  start();
  CHECK(get("/health").status == 200);
  server->stop();
  CHECK_FALSE(server->is_running());
  CHECK(get("/health").status == 0);  // connection refused
  server->stop();                     // idempotent
}

TEST_CASE("configuration: TOML file, unknown keys, validation") {
  using namespace treaty::searchd;
  auto c = parse_config(R"(
[index]
dir = "/srv/index"

[server]
host = "0.0.0.0"
port = 9000
threads = 4
access_log = false

[limits]
max_query_bytes = 2048
request_timeout_ms = 500
max_query_clauses = 32
max_expansions = 16
max_filter_values = 100

[search]
default_size = 20
highlight_open = "<em>"
highlight_close = "</em>"
)",
                        "searchd.toml");
  REQUIRE(c);
  CHECK(c->index_dir == "/srv/index");
  CHECK(c->host == "0.0.0.0");
  CHECK(c->port == 9000);
  CHECK(c->threads == 4);
  CHECK_FALSE(c->access_log);
  CHECK(c->max_query_bytes == 2048);
  CHECK(c->max_url_bytes == 8192);  // default kept
  CHECK(c->request_timeout_ms == 500);
  CHECK(c->query_limits.max_clauses == 32);
  CHECK(c->query_limits.max_expansions == 16);
  CHECK(c->query_limits.max_filter_values == 100);
  CHECK(SearchdConfig{}.request_timeout_ms == 2000);
  CHECK(c->default_size == 20);
  CHECK(c->highlight_open == "<em>");
  CHECK(validate_config(*c));
  CHECK(parse_config("[server]\nweb_root = \"/srv/web\"\n", "searchd.toml")->web_root == "/srv/web");

  const std::vector<std::pair<std::string, std::string>> bad = {
      {"[server]\nport = \"80\"\n", "searchd.toml:2: server.port must be an integer"},
      {"[server]\nportt = 80\n", "searchd.toml:2: unknown key 'portt' in [server]"},
      {"\n\n[colour]\nx = 1\n", "searchd.toml:3: unknown section or key 'colour' (sections: index, server, limits, search, embedder, semantic, writes, auth, cache, tls)"},
      {"port = 80\n", "searchd.toml:1: unknown section or key 'port' (sections: index, server, limits, search, embedder, semantic, writes, auth, cache, tls)"},
      {"[limits]\nmax_url_bytes = -5\n", "searchd.toml:2: limits.max_url_bytes must be a non-negative integer"},
      {"[server\n", "searchd.toml:1: "},
  };
  for (const auto& [toml, message] : bad) {
    INFO(toml);
    auto e = parse_config(toml, "searchd.toml");
    REQUIRE_FALSE(e);
    CHECK(e.error().describe().starts_with(message));
  }

  SearchdConfig v;
  v.port = 70000;
  CHECK(validate_config(v).error().message == "server.port must be 0-65535, got 70000");
  v = {};
  v.max_url_bytes = 9000;
  CHECK(validate_config(v).error().message.starts_with("limits.max_url_bytes must be 256-8192"));
  v = {};
  v.default_size = 0;
  CHECK_FALSE(validate_config(v));
  v = {};
  v.max_query_bytes = 9000;
  CHECK_FALSE(validate_config(v));
  v = {};
  v.request_timeout_ms = -1;
  CHECK(validate_config(v).error().message == "limits.request_timeout_ms must be 0-600000 (0: no time budget), got -1");
  v.request_timeout_ms = 0;  // no budget
  CHECK(validate_config(v));
  v.query_limits.max_clauses = 0;
  CHECK(validate_config(v).error().message == "limits.max_query_clauses must be 1-4096, got 0");
  v = {};
  v.query_limits.max_filter_values = 0;
  CHECK(validate_config(v).error().message == "limits.max_filter_values must be 1-10000, got 0");

  // The sample configuration shipped in config/ is valid and documents every setting.
  auto sample = load_config(test::source_dir() / "config" / "searchd.toml");
  REQUIRE(sample);
  CHECK(validate_config(*sample));
  CHECK_FALSE(load_config(test::source_dir() / "config" / "no-such.toml"));
}

TEST_CASE_METHOD(Fixture, "the web UI: static files at /, API routes first, no traversal") {
  index_seed();
  const std::filesystem::path web = tmp.path() / "web";
  std::filesystem::create_directories(web);
  test::write_file(web / "index.html", "<!doctype html><title>ui</title>");
  test::write_file(web / "app.js", "1;");
  test::write_file(web / "health", "shadowed");  // an API route wins over a file
  test::write_file(tmp.path() / "secret.txt", "secret");
  searchd::SearchdConfig c = config();
  c.web_root = web;
  start(c);
  HttpClient client(port);

  HttpResponse r = client.get("/");
  CHECK(r.status == 200);
  CHECK(r.headers.at("content-type") == "text/html; charset=utf-8");
  CHECK(r.body == "<!doctype html><title>ui</title>");
  CHECK(r.headers.at("content-security-policy").starts_with("default-src 'self'"));
  CHECK(r.headers.at("x-content-type-options") == "nosniff");
  r = client.get("/app.js");
  CHECK(r.status == 200);
  CHECK(r.headers.at("content-type") == "text/javascript; charset=utf-8");
  CHECK(client.get("/health").parsed().at("status") == "ok");
  check_error(client.get("/search?size=0"), 400);
  for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt",
                             "/%252e%252e/secret.txt", "/.%2e/secret.txt", "/nowhere", "/web/app.js"}) {
    INFO(target);
    check_error(client.get(target), 404);
  }
  check_error(get("/search/"), 404);  // a directory without index.html
}

TEST_CASE_METHOD(Fixture, "modes: thesaurus expansion on by default, off with mode=lexical") {
  index_seed();
  start();
  HttpClient client(port);
  // 海洋遗传资源 does not occur; the text says 海洋基因资源 (para 36).
  const json lexical = client.get("/search?mode=lexical&q=" + enc("遗传资源 海洋")).parsed();
  const json hybrid = client.get("/search?q=" + enc("研讨会")).parsed();
  CHECK(lexical["mode"] == "lexical");
  CHECK(hybrid["mode"] == "hybrid");
  CHECK(hybrid["vector"] == false);
  const json lexical_ws = client.get("/search?mode=lexical&q=" + enc("研讨会")).parsed();
  CHECK(hybrid["total"].get<int>() > lexical_ws["total"].get<int>());  // + 讲习班 passages
  bool expansion_reported = false;
  for (const json& h : hybrid["hits"])
    for (const json& e : h["matched_expansions"])
      if (e.get<std::string>().find("讲习班") != std::string::npos) expansion_reported = true;
  CHECK(expansion_reported);
  check_error(client.get("/search?q=x&mode=semantic"), 400);
  check_error(client.get("/search?q=x&mode=fuzzy"), 400);
}

TEST_CASE_METHOD(Fixture, "GET /similar: related passages, never the passage itself") {
  index_seed();
  start();
  HttpClient client(port);
  const std::string id = "UNEP/CBD/NP/COP-MOP/1/6#27(b)";
  const json j = client.get("/similar?id=" + enc(id) + "&size=5&facets=org").parsed();
  REQUIRE(j.contains("hits"));
  CHECK(j["hits"].size() == 5);
  CHECK(j["total"].get<int>() >= 5);
  for (const json& h : j["hits"]) CHECK(h["id"] != id);
  CHECK(j["facets"].contains("org"));
  // Filters apply as in /search.
  const json filtered = client.get("/similar?id=" + enc(id) + "&org=caricom").parsed();
  for (const json& h : filtered["hits"]) {
    bool caricom = false;
    for (const json& o : h["orgs"]) caricom = caricom || o["id"] == "caricom";
    CHECK(caricom);
  }
  check_error(client.get("/similar?id=" + enc("UNEP/CBD/NP/COP-MOP/1/6#99")), 404);
  check_error(client.get("/similar"), 400);
  check_error(client.get("/similar?id=" + enc(id) + "&size=0"), 400);
}

TEST_CASE_METHOD(Fixture, "dense vectors through searchd: semantic, hybrid, fallbacks, /similar, /health") {
  index_seed();
  // Passage vectors of the embedding server's model, as `indexer --embed-url` stores them.
  test::FakeEmbeddingServer embeddings(test::FakeEmbeddingServer::Options{.dimensions = 128});
  {
    auto doc = parse_document(test::read_file(test::seed_path()), ParseOptions{test::seed_path().string(), ""});
    REQUIRE(doc);
    VectorStore store;
    REQUIRE(store.set_model("fake-model"));
    std::vector<PassageVector> rows;
    for (const Passage& p : doc->passages) rows.push_back({schema::vector_id("zh", p.id), test::fake_embedding(p.text, 128)});
    REQUIRE(store.replace_document(schema::vector_document(doc->symbol, "zh"), rows));
    REQUIRE(store.save(index_dir));
  }
  searchd::SearchdConfig c = config();
  c.embedder.base_url = embeddings.base_url();
  c.embedder.model = "fake-model";
  c.embedder.retries = 0;
  start(c);
  HttpClient client(port);

  // mode=semantic: vector hits only; the shuffled string matches nothing lexically.
  const json semantic = client.get("/search?mode=semantic&size=5&q=" + enc("方约缔")).parsed();
  CHECK(semantic["mode"] == "semantic");
  CHECK(semantic["vector"] == true);
  CHECK(semantic["warnings"].empty());
  REQUIRE(semantic["hits"].size() == 5);
  CHECK(semantic["hits"][0]["retrieval"]["vector_rank"] == 1);
  CHECK(semantic["hits"][0]["retrieval"]["lexical"] == false);
  CHECK(semantic["total"] == 53);  // depth 100 > the seed's 53 passages
  REQUIRE(embeddings.request_count() == 1);
  CHECK(embeddings.requests()[0].inputs == std::vector<std::string>{"方约缔"});
  CHECK(embeddings.requests()[0].model == "fake-model");

  // mode=hybrid (the default): fused; the lexical matches carry their lexical rank.
  const json hybrid = client.get("/search?q=" + enc("讲习班") + "&size=100").parsed();
  CHECK(hybrid["mode"] == "hybrid");
  CHECK(hybrid["vector"] == true);
  CHECK(hybrid["total"] == 53);
  int lexical_hits = 0;
  for (const json& h : hybrid["hits"]) lexical_hits += h["retrieval"]["lexical"].get<bool>() ? 1 : 0;
  const json lexical = client.get("/search?mode=lexical&size=100&q=" + enc("讲习班")).parsed();
  CHECK(lexical["vector"] == false);
  CHECK_FALSE(lexical["hits"][0].contains("retrieval"));
  CHECK(lexical_hits >= lexical["total"].get<int>());

  // The embedding server fails: lexical (+ thesaurus) results, a warning, never a 500.
  embeddings.enqueue({.status = 500}, 3);
  const json failed = client.get("/search?q=" + enc("非洲 研讨会")).parsed();
  CHECK(failed["vector"] == false);
  REQUIRE(failed["warnings"].size() == 1);
  CHECK(failed["warnings"][0].get<std::string>().find("could not be embedded") != std::string::npos);
  CHECK(failed["total"].get<int>() > 0);
  const HttpResponse failed_semantic = client.get("/search?mode=semantic&q=" + enc("非洲 讲习班"));
  CHECK(failed_semantic.status == 200);
  CHECK(failed_semantic.parsed()["vector"] == false);
  CHECK(failed_semantic.parsed()["warnings"].size() == 1);

  // /similar by the stored vector (no embedding request).
  const std::size_t before = embeddings.request_count();
  const std::string id = "UNEP/CBD/NP/COP-MOP/1/6#27(b)";
  const json similar = client.get("/similar?mode=semantic&size=5&id=" + enc(id)).parsed();
  CHECK(similar["vector"] == true);
  REQUIRE(similar["hits"].size() == 5);
  for (const json& h : similar["hits"]) CHECK(h["id"] != id);
  CHECK(embeddings.request_count() == before);

  // /health and /stats say what vectors there are.
  const json health = client.get("/health").parsed();
  CHECK(health["vectors"]["embedder"] == "fake-model");
  CHECK(health["vectors"]["passages"] == 53);
  CHECK(health["vectors"]["model"] == "fake-model");
  CHECK(health["vectors"]["dimensions"] == 128);
  CHECK(client.get("/stats").parsed()["vectors"]["passages"] == 53);
}

TEST_CASE("configuration: [embedder] and [semantic]") {
  auto c = searchd::parse_config(
      "[embedder]\nurl = \"http://127.0.0.1:8081/v1\"\nmodel = \"bge-m3\"\napi_key_env = \"KEY\"\n"
      "timeout_ms = 2000\nretries = 0\ndimensions = 1024\n"
      "[semantic]\nrrf_k = 30\ndepth = 50\nlexical_weight = 1.5\nvector_weight = 1\nquery_cache = 0\n",
      "searchd.toml");
  REQUIRE(c);
  CHECK(c->embedder.base_url == "http://127.0.0.1:8081/v1");
  CHECK(c->embedder.model == "bge-m3");
  CHECK(c->embedder.api_key_env == "KEY");
  CHECK(c->embedder.timeout_ms == 2000);
  CHECK(c->embedder.retries == 0);
  CHECK(c->embedder.dimensions == 1024);
  CHECK(c->semantic.rrf_k == 30);
  CHECK(c->semantic.depth == 50);
  CHECK(c->semantic.lexical_weight == 1.5);
  CHECK(c->semantic.vector_weight == 1.0);
  CHECK(c->semantic.query_cache_entries == 0);
  CHECK(searchd::validate_config(*c));

  auto bad_type = searchd::parse_config("[semantic]\ndepth = \"many\"\n", "searchd.toml");
  REQUIRE_FALSE(bad_type);
  CHECK(bad_type.error().describe() == "searchd.toml:2: semantic.depth must be a non-negative integer");
  // Ranges are checked while reading (tests/searchd/config_test.cpp has them all).
  CHECK(searchd::parse_config("[embedder]\ntimeout_ms = 600000\n", "searchd.toml").error().describe() ==
        "searchd.toml:2: embedder.timeout_ms: 600000 is out of range (1..60000)");
  CHECK(searchd::parse_config("[semantic]\ndepth = 0\n", "searchd.toml").error().describe() ==
        "searchd.toml:2: semantic.depth: 0 is out of range (1..10000)");

  const std::vector<std::pair<std::string, std::string>> invalid = {
      {"[embedder]\nurl = \"ftp://x/v1\"\nmodel = \"m\"\n", "embedder: embedder base_url 'ftp://x/v1' must start with http:// or https://"},
      {"[embedder]\nurl = \"http://x/v1\"\n", "embedder: embedder model is empty"},
      {"[embedder]\nmodel = \"m\"\n", "embedder.model is set but embedder.url is not"},
      {"[semantic]\nrrf_k = -1\n", "semantic.rrf_k must be a number >= 0"},
      {"[semantic]\nvector_weight = -1\n", "semantic.lexical_weight and semantic.vector_weight must be numbers >= 0"},
  };
  for (const auto& [toml, message] : invalid) {
    INFO(toml);
    auto parsed = searchd::parse_config(toml, "searchd.toml");
    REQUIRE(parsed);
    auto ok = searchd::validate_config(*parsed);
    REQUIRE_FALSE(ok);
    CHECK(ok.error().message == message);
  }
}

TEST_CASE_METHOD(Fixture, "scope=text and kind= narrow what matches") {
  index_seed();
  start();
  HttpClient client(port);
  CHECK(client.get("/search?q=" + enc("导言")).parsed()["total"] == 5);  // the heading of 1-5
  CHECK(client.get("/search?scope=text&q=" + enc("导言")).parsed()["total"] == 0);
  CHECK(client.get("/search?scope=all&q=" + enc("导言")).parsed()["total"] == 5);
  CHECK(client.get("/search?mode=lexical&q=" + enc("缔约方大会")).parsed()["total"] == 9);
  CHECK(client.get("/search?mode=lexical&kind=paragraph,item&q=" + enc("缔约方大会")).parsed()["total"] == 8);
  CHECK(client.get("/search?kind=header").parsed()["total"] == 1);
  // group=paragraph: 27 stands for its items (非洲联盟委员会 is only in 27(a)).
  const json grouped = client.get("/search?group=paragraph&mode=lexical&size=100&q=" + enc("协作 非洲联盟委员会")).parsed();
  bool has_27 = false;
  for (const json& h : grouped["hits"]) {
    CHECK(h["kind"] != "item");
    has_27 = has_27 || h["para"] == "27";
  }
  CHECK(has_27);
  const json lean = client.get("/search?fields=id,score&q=" + enc("导言")).parsed();
  REQUIRE(lean["hits"].size() == 5);
  CHECK(lean["hits"][0].size() == 2);
  for (const json& h : lean["hits"]) CHECK(h["id"].get<std::string>().starts_with("UNEP/CBD/NP/COP-MOP/1/6#"));
  check_error(client.get("/search?q=x&fields=id,bogus"), 400);
  check_error(client.get("/search?q=x&group=document"), 400);
  check_error(client.get("/search?q=x&scope=headings"), 400);
  check_error(client.get("/search?q=x&kind=chapter"), 400);
}

// ---- Document-level facts: doc, meeting, type, lang, issued; GET /documents --------------------

namespace {

// The seed plus the six hand-built documents of fact_documents.h.
void index_fact_documents(Fixture& f) {
  f.index_seed();
  auto writer = IndexWriter::open(f.index_dir);
  REQUIRE(writer);
  for (const test::FactDocument& d : test::fact_documents()) f.write(d.doc, *writer);
}

}  // namespace

TEST_CASE_METHOD(Fixture, "GET /search and /similar: doc, meeting, type, lang, issued filters and facets") {
  index_fact_documents(*this);
  start();
  HttpClient client(port);

  json j = client.get("/search?doc=" + enc("CBD/NP/MOP/3/4") + "&size=100").parsed();
  CHECK(j["total"] == 4);
  for (const json& h : j["hits"]) CHECK(h["doc"] == "CBD/NP/MOP/3/4");
  CHECK(client.get("/search?doc=" + enc("cbd/np/mop/3/4") + "&doc=" + enc("CBD/SBI/2/8")).parsed()["total"] == 7);
  CHECK(client.get("/search?doc=" + enc("CBD/NP/MOP/3/4,CBD/SBI/2/8")).parsed()["total"] == 7);
  CHECK(client.get("/search?q=" + enc("doc:CBD/NP/MOP/3/4 信息交换所")).parsed()["total"] == 3);
  CHECK(client.get("/search?meeting=" + enc("NP-MOP 3")).parsed()["total"] == 9);
  CHECK(client.get("/search?meeting=np-mop").parsed()["total"] == 62);
  CHECK(client.get("/search?meeting=" + enc("COP 13") + "&meeting=sbi:2").parsed()["total"] == 6);
  CHECK(client.get("/search?type=information").parsed()["total"] == 2);
  CHECK(client.get("/search?type=" + enc("报告")).parsed()["total"] == 2);
  CHECK(client.get("/search?lang=en").parsed()["total"] == 3);
  CHECK(client.get("/search?issued=2016").parsed()["total"] == 3);
  CHECK(client.get("/search?issued_from=2018-10-06&issued_to=2018-10-31").parsed()["total"] == 5);
  CHECK(client.get("/search?q=" + enc("meeting:\"COP 13\" 能力建设")).parsed()["total"] == 1);

  // Facets with labels; disjunctive counts leave out the facet's own filter.
  j = client.get("/search?meeting=np-mop:3&facets=doc,meeting,type,lang,issued&facet_size=3").parsed();
  CHECK(j["total"] == 9);
  CHECK(j["facets"]["doc"] == json::parse(R"js([
      {"value":"CBD/NP/MOP/3/4","label":"获取和惠益分享信息交换所的运作及进一步发展","count":4},
      {"value":"CBD/NP/MOP/3/4/Add.1","label":"获取和惠益分享信息交换所：使用情况统计","count":3},
      {"value":"CBD/NP/MOP/3/INF/2","label":"区域讲习班成果汇编","count":2}])js"));
  CHECK(j["facets"]["meeting"] == json::parse(R"js([
      {"value":"np-mop:3","label":"名古屋议定书缔约方会议第3次会议 (NP COP-MOP 3)","count":9}])js"));
  CHECK(j["facets"]["type"] == json::parse(R"js([{"value":"note","label":"说明","count":7},
                                                {"value":"information","label":"资料文件","count":2}])js"));
  CHECK(j["facets"]["lang"] == json::parse(R"js([{"value":"zh","label":"中文","count":9}])js"));
  CHECK(j["facets"]["issued"] == json::parse(R"js([{"value":"2018","label":"2018","count":9}])js"));
  j = client.get("/search?meeting=np-mop:3&type=note&facets=meeting,type&facet_size=2&disjunctive=true").parsed();
  CHECK(j["total"] == 7);
  CHECK(j["facets"]["meeting"] == json::parse(R"js([
      {"value":"np-mop:1","label":"名古屋议定书缔约方会议第1次会议 (NP COP-MOP 1)","count":53},
      {"value":"np-mop:3","label":"名古屋议定书缔约方会议第3次会议 (NP COP-MOP 3)","count":7}])js"));
  CHECK(j["facets"]["type"] == json::parse(R"js([{"value":"note","label":"说明","count":7},
                                                {"value":"information","label":"资料文件","count":2}])js"));

  // The new hit fields, and /similar with the new filters.
  j = client.get("/search?doc=" + enc("CBD/SBI/2/8") + "&fields=id,meeting,type,issued,lang&size=1").parsed();
  CHECK(j["hits"][0] == json{{"id", "CBD/SBI/2/8#header"}, {"meeting", "sbi:2"}, {"type", "note"},
                             {"issued", "2018-06-18"}, {"lang", "en"}});
  j = client.get("/similar?id=" + enc("CBD/NP/MOP/3/4#3") + "&mode=lexical&meeting=np-mop:3&size=100").parsed();
  REQUIRE(j["total"].get<int>() > 0);
  for (const json& h : j["hits"]) CHECK(h["meeting"] == "np-mop:3");
  j = client.get("/similar?id=" + enc("CBD/NP/MOP/3/4#3") + "&mode=lexical&lang=en&type=note&size=100").parsed();
  REQUIRE(j["total"].get<int>() > 0);
  for (const json& h : j["hits"]) CHECK(h["doc"] == "CBD/SBI/2/8");

  for (const std::string& target : std::vector<std::string>{"/search?meeting=foo", "/search?type=memo", "/search?lang=x", "/search?issued=2018-13",
        "/search?issued_from=abc", "/search?issued_to=2018&issued_to=2019", "/search?q=" + enc("meeting:foo"),
        "/search?facets=meetings", "/similar?id=" + enc("CBD/NP/MOP/3/4#3") + "&type=memo"}) {
    INFO(target);
    check_error(client.get(target), 400);
  }
  CHECK(client.get("/search?meeting=foo").parsed()["error"]["message"] ==
        "meeting foo is not a meeting (e.g. np-mop:1, NP-MOP 1, COP 13, SBI 2, or a body alone: cop)");
  CHECK(client.get("/search?facets=meetings").parsed()["error"]["message"] ==
        "unknown facet \"meetings\" (org, year, decision, symbol, month, doc, meeting, type, lang, issued)");
}

TEST_CASE_METHOD(Fixture, "GET /documents: the documents with their facts, filtered, paged, counted") {
  index_fact_documents(*this);
  start();
  HttpClient client(port);

  HttpResponse r = client.get("/documents");
  REQUIRE(r.status == 200);
  CHECK(r.headers.at("content-type") == "application/json; charset=utf-8");
  json j = r.parsed();
  CHECK(j["total"] == 7);
  CHECK(j["offset"] == 0);
  CHECK(j["size"] == 20);
  CHECK(j["warnings"] == json::array());
  REQUIRE(j["documents"].size() == 7);
  CHECK(j["documents"][0]["symbol"] == "CBD/COP/DEC/XIII/26");
  CHECK(j["documents"][5]["symbol"] == "UNEP/CBD/ICNP/3/10");
  CHECK(j["documents"][6]["symbol"] == kSeedSymbol);
  CHECK(j["documents"][6]["passages"] == 53);
  CHECK(j["documents"][6]["meeting"] == "np-mop:1");
  CHECK(j["documents"][4] == json{{"symbol", "CBD/SBI/2/8"},
                                  {"title", "能力建设、技术和科学合作"},
                                  {"meeting", "sbi:2"},
                                  {"meeting_label", "执行问题附属机构第2次会议 (SBI 2)"},
                                  {"type", "note"},
                                  {"type_label", "说明"},
                                  {"issued", "2018-06-18"},
                                  {"lang", "en"},
                                  {"distribution", "general"},
                                  {"passages", 3},
                                  {"source", "hand-built"}});
  CHECK(j["counts"]["meeting"][0] ==
        json{{"value", "np-mop:3"}, {"label", "名古屋议定书缔约方会议第3次会议 (NP COP-MOP 3)"}, {"count", 3}});
  CHECK(j["counts"]["meeting"].size() == 5);
  CHECK(j["counts"]["type"] == json::parse(R"js([{"value":"note","label":"说明","count":4},
      {"value":"decision","label":"决定","count":1},{"value":"information","label":"资料文件","count":1},
      {"value":"report","label":"报告","count":1}])js"));

  // Filters (repeatable, comma-separated) and paging.
  j = client.get("/documents?meeting=" + enc("NP-MOP 3") + "&type=note").parsed();
  CHECK(j["total"] == 2);
  CHECK(j["documents"][0]["symbol"] == "CBD/NP/MOP/3/4");
  CHECK(j["documents"][1]["symbol"] == "CBD/NP/MOP/3/4/Add.1");
  CHECK(client.get("/documents?meeting=cop:13,icnp:3").parsed()["total"] == 2);
  CHECK(client.get("/documents?lang=en").parsed()["documents"][0]["symbol"] == "CBD/SBI/2/8");
  CHECK(client.get("/documents?doc=" + enc("cbd/np/mop/3/inf/2")).parsed()["documents"][0]["type"] == "information");
  CHECK(client.get("/documents?issued=2018").parsed()["total"] == 4);
  CHECK(client.get("/documents?issued_to=2017").parsed()["total"] == 1);
  j = client.get("/documents?size=2&offset=5").parsed();
  CHECK(j["total"] == 7);
  CHECK(j["size"] == 2);
  CHECK(j["offset"] == 5);
  REQUIRE(j["documents"].size() == 2);
  CHECK(j["documents"][0]["symbol"] == "UNEP/CBD/ICNP/3/10");
  CHECK(j["documents"][1]["symbol"] == kSeedSymbol);
  j = client.get("/documents?meeting=np-mop:3&disjunctive=true").parsed();
  CHECK(j["total"] == 3);
  CHECK(j["counts"]["meeting"].size() == 5);  // every meeting: the alternatives
  CHECK(j["counts"]["type"] == json::parse(R"js([{"value":"note","label":"说明","count":2},
      {"value":"information","label":"资料文件","count":1}])js"));

  // The per-document route still answers, now with the facts.
  j = client.get("/documents/CBD/NP/MOP/3/4/Add.1").parsed();
  CHECK(j["facts"]["meeting"] == "np-mop:3");
  CHECK(j["facts"]["issued"] == "2018-10-22");
  CHECK(j["header"]["issued"] == "2018-10-22");

  const std::vector<std::string> bad = {"/documents?size=0",        "/documents?size=1001", "/documents?offset=-1",
                                        "/documents?offset=100001", "/documents?size=1&size=2",
                                        "/documents?q=x",           "/documents?facets=org", "/documents?meeting=foo",
                                        "/documents?type=memo",     "/documents?issued=20x8",
                                        "/documents?disjunctive=maybe", "/documents?lang=%FF"};
  for (const std::string& target : bad) {
    INFO(target);
    check_error(client.get(target), 400);
  }
  CHECK(client.get("/documents?q=x").parsed()["error"]["message"] ==
        "unknown parameter \"q\" (accepted: size, offset, disjunctive, issued_from, issued_to, cache, doc, meeting, type, "
        "lang, issued)");
  check_error(client.get("/documents", "PUT"), 405);  // POST adds documents (with a key)
}

TEST_CASE_METHOD(Fixture, "GET /documents without an index is 503") {
  start();
  HttpClient client(port);
  check_error(client.get("/documents"), 503);
}
