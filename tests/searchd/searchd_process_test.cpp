// searchd's writes end to end, with the real binaries as child processes: searchd killed in the
// middle of a write leaves the index at its previous commit and unlocked; searchd and the
// `indexer` command racing for the index's write lock (503 + Retry-After one way, exit code 3 the
// other, nothing lost either way); API keys surviving a restart; HTTPS with a self-signed
// certificate. Waits are bounded by counted polls (guards against a hung test, not measurements).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/index/index_reader.h"
#include "core/index/index_writer.h"
#include "tests/support/fake_embedding_server.h"
#include "tests/support/test_support.h"

using namespace treaty;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kAdminEnv = "TREATY_PROCESS_TEST_ADMIN_KEY";
const std::string kAdminKey = "process-test-admin-key-0123456789abcdef";
const std::string kFixtureSymbol = "CBD/NP/MOP/3/4";
const std::string kTextType = "text/plain; charset=utf-8";

fs::path fixture(const std::string& stem) { return test::source_dir() / "tests" / "fixtures" / (stem + ".zh.txt"); }

// A note in the PDF-extract style of tests/fixtures (hard line breaks, a blank line between
// lines, trailing spaces), written for these tests, under `symbol`.
std::string reef_note(const std::string& symbol) {
  return " 联合国 \n\n"
         "                                                              " + symbol + "\n\n"
         "Distr.: General \n\n12 October 2018 \n\nCHINESE \n\nOriginal: English \n\n"
         "作为名古屋议定书缔约方会议的\n\n缔约方大会 \n\n第三次会议 \n\n"
         "2018 年 11 月 17 日至 29 日，埃及沙姆沙伊赫 \n\n临时议程*项目 14 \n\n"
         "沿海社区珊瑚礁遗传资源的获取与惠益分享 \n\n执行秘书的说明 \n\n一.     导言 \n\n"
         "1. 缔约方大会在第 NP-2/9 号决定中请执行秘书汇编沿海社区利用珊瑚礁遗传资源的经\n\n"
         "验，并向第三次会议提交报告。本说明概述截至目前收到的资料。 \n\n"
         "2. 截至 2018 年 9 月，共有 14 个缔约方提交了资料，其中多数涉及珊瑚礁微生物样本\n\n"
         "的采集许可和共同商定条件。 \n\n二.     主要经验 \n\n"
         "3. 若干缔约方报告，珊瑚礁样本的采集往往由外国研究机构与地方大学合作进行，事先\n\n"
         "知情同意程序需要同时征得沿海社区和主管部门的同意。 \n\n"
         "4. 缔约方会议不妨： \n\n(a) 鼓励缔约方在国家记录中注明珊瑚礁遗传资源的采集许可； \n\n"
         "(b) 请执行秘书继续汇编相关经验，并向第四次会议报告。 \n";
}

// A child process (posix_spawn) with its stdout and stderr in files; killed (SIGKILL) and
// reaped on destruction if it still runs.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& out, const fs::path& err,
        const std::map<std::string, std::optional<std::string>>& env_changes = {})
      : out_(out), err_(err) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
      const std::string entry = *e;
      if (!env_changes.contains(entry.substr(0, entry.find('=')))) env.push_back(entry);
    }
    for (const auto& [name, value] : env_changes)
      if (value) env.push_back(name + "=" + *value);
    std::vector<char*> argv, envp;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&files, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    const int rc = posix_spawn(&pid_, args[0].c_str(), &files, &attr, argv.data(), envp.data());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&files);
    if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
  }
  ~Child() { kill_now(); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  std::string out() const { return test::read_file(out_); }
  std::string err() const { return test::read_file(err_); }

  // The exit code (128 + signal when killed) once it has exited; nullopt while it runs.
  std::optional<int> poll() {
    if (!code_) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) code_ = decode(status);
    }
    return code_;
  }
  // Waits for it to exit; its exit code.
  int wait() {
    if (!code_) {
      int status = 0;
      if (waitpid(pid_, &status, 0) != pid_) throw std::runtime_error("waitpid failed");
      code_ = decode(status);
    }
    return *code_;
  }
  int signal_and_wait(int sig) {
    if (!poll()) ::kill(pid_, sig);
    return wait();
  }
  void kill_now() {
    if (pid_ > 0 && !poll()) signal_and_wait(SIGKILL);
  }

 private:
  static int decode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }
  fs::path out_, err_;
  pid_t pid_ = 0;
  std::optional<int> code_;
};

struct Exit {
  int code;
  std::string err;
};

// Runs `indexer --quiet ARGS...` to its end (streams in files named after `tag` in `dir`).
Exit run_indexer(const fs::path& dir, const std::string& tag, std::vector<std::string> args) {
  args.insert(args.begin(), {TREATY_INDEXER_BIN, "--quiet"});
  Child child(args, dir / (tag + ".out"), dir / (tag + ".err"));
  const int code = child.wait();
  return {code, child.err()};
}

Exit indexer_add(const fs::path& dir, const fs::path& index, const fs::path& file, const std::string& tag = "indexer") {
  return run_indexer(dir, tag, {"--index", index.string(), "add", file.string()});
}

// A searchd child on --port 0: `port` once it printed its "listening on" line; otherwise the
// child exited first (`child->poll()` has its code).
struct Searchd {
  std::unique_ptr<Child> child;
  int port = 0;
};

// Starts searchd on `index` with `extra` arguments (and a --config file of `toml` when not
// empty), in `dir` (streams and config named after `tag`), and waits for its "listening on" line
// or its exit.
Searchd launch_searchd(const fs::path& dir, const std::string& tag, const fs::path& index, const std::string& toml,
                       std::vector<std::string> extra,
                       const std::map<std::string, std::optional<std::string>>& env = {{kAdminEnv, kAdminKey}}) {
  std::vector<std::string> args = {TREATY_SEARCHD_BIN, "--quiet", "--index", index.string(), "--port", "0"};
  if (!toml.empty()) {
    const fs::path config = dir / (tag + ".toml");
    test::write_file(config, toml);
    args.insert(args.end(), {"--config", config.string()});
  }
  args.insert(args.end(), extra.begin(), extra.end());
  Searchd s;
  s.child = std::make_unique<Child>(args, dir / (tag + ".out"), dir / (tag + ".err"), env);
  for (int polls = 0; polls < 3000; ++polls) {  // up to about a minute
    const std::string out = s.child->out();
    const std::size_t at = out.find("listening on ");
    const std::size_t colon = at == std::string::npos ? at : out.find("127.0.0.1:", at);
    if (colon != std::string::npos && out.find('/', colon) != std::string::npos) {
      s.port = std::stoi(out.substr(colon + 10));
      return s;
    }
    if (s.child->poll()) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("searchd printed no \"listening on\" line: " + s.child->err());
}

// launch_searchd() that must be listening.
Searchd start_searchd(const fs::path& dir, const std::string& tag, const fs::path& index, const std::string& toml = "",
                      std::vector<std::string> extra = {{"--admin-key-env", kAdminEnv}},
                      const std::map<std::string, std::optional<std::string>>& env = {{kAdminEnv, kAdminKey}}) {
  Searchd s = launch_searchd(dir, tag, index, toml, std::move(extra), env);
  if (s.port == 0) throw std::runtime_error("searchd exited with " + std::to_string(*s.child->poll()) + ": " + s.child->err());
  return s;
}

std::unique_ptr<httplib::Client> client(int port) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  c->set_read_timeout(120, 0);  // a write may wait for the writer; this only guards a hang
  return c;
}

httplib::Headers bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

httplib::Result post_text(httplib::Client& c, const std::string& key, const std::string& text) {
  return c.Post("/documents", bearer(key), text, kTextType);
}

std::uint64_t revision(const fs::path& index) {
  auto reader = IndexReader::open(index);
  if (!reader) throw std::runtime_error(reader.error().describe());
  return reader->database().get_revision();
}

bool has_document(const fs::path& index, const std::string& symbol) {
  auto reader = IndexReader::open(index);
  if (!reader) throw std::runtime_error(reader.error().describe());
  return reader->document(symbol).has_value();
}

// The symbols of /search?q=`q`'s hits.
std::set<std::string> search_docs(httplib::Client& c, const std::string& q) {
  auto res = c.Get(("/search?size=100&q=" + httplib::detail::encode_query_param(q)).c_str());
  if (!res || res->status != 200) throw std::runtime_error("/search failed");
  const json found = json::parse(res->body);
  if (found.at("timed_out") != false) throw std::runtime_error("/search timed out: " + res->body);
  std::set<std::string> docs;
  for (const json& hit : found.at("hits")) docs.insert(hit.at("doc").get<std::string>());
  return docs;
}

// A fresh index in `dir`/index holding the fixture CBD/NP/MOP/3/4, written by the real indexer.
fs::path indexed_fixture(const fs::path& dir) {
  const fs::path index = dir / "index";
  const Exit added = indexer_add(dir, index, fixture("CBD-NP-MOP-3-4"), "setup");
  INFO(added.err);
  REQUIRE(added.code == 0);
  return index;
}

struct IgnoreSigpipe {
  IgnoreSigpipe() { std::signal(SIGPIPE, SIG_IGN); }  // a peer killed mid-request must not kill the test
};

}  // namespace

TEST_CASE("searchd killed during a write leaves the index at its previous commit, unlocked") {
  IgnoreSigpipe sigpipe;
  test::TempDir tmp;
  const fs::path index = indexed_fixture(tmp.path());
  const std::uint64_t before = revision(index);
  const std::string symbol = "CBD/NP/MOP/3/11";
  const std::string text = reef_note(symbol);

  test::FakeEmbeddingServer embedder;
  embedder.enqueue({.hold = true}, 100);
  std::optional<httplib::Result> posted;
  {
    Searchd searchd = start_searchd(tmp.path(), "searchd1", index, "",
                                    {"--admin-key-env", kAdminEnv, "--embed-url", embedder.base_url(), "--embed-model", "fake"});
    std::thread writer([&] {
      auto c = client(searchd.port);
      posted = post_text(*c, kAdminKey, text);
    });
    // The writer has applied the document to its open transaction and is embedding its passages.
    // (No REQUIRE until the thread is joined.)
    const bool embedding = embedder.wait_for_requests(1);
    const auto requests = embedder.requests();
    CHECK((!requests.empty() && !requests[0].inputs.empty() && requests[0].inputs[0].find("珊瑚礁") != std::string::npos));
    CHECK(searchd.child->signal_and_wait(SIGKILL) == 128 + SIGKILL);
    embedder.release();
    writer.join();
    REQUIRE(embedding);
  }
  CHECK_FALSE(*posted);  // the connection died with the server

  // The index opens at the commit before the POST, without the new document.
  CHECK(revision(index) == before);
  CHECK_FALSE(has_document(index, symbol));
  CHECK(has_document(index, kFixtureSymbol));

  // Its write lock went with the process.
  const Exit added = indexer_add(tmp.path(), index, fixture("CBD-NP-MOP-3-6-Rev-1"));
  INFO(added.err);
  CHECK(added.code == 0);
  CHECK(has_document(index, "CBD/NP/MOP/3/6/Rev.1"));

  // A new searchd serves the index and takes the write (searches without a time budget: the
  // machine may be busy).
  Searchd searchd = start_searchd(tmp.path(), "searchd2", index, "[limits]\nrequest_timeout_ms = 0\n");
  auto c = client(searchd.port);
  auto health = c->Get("/health");
  REQUIRE(health);
  CHECK(health->status == 200);
  auto res = post_text(*c, kAdminKey, text);
  REQUIRE(res);
  INFO(res->body);
  CHECK(res->status == 201);
  CHECK(json::parse(res->body).at("symbol") == symbol);
  CHECK(search_docs(*c, "珊瑚礁").contains(symbol));
  CHECK(has_document(index, symbol));
}

TEST_CASE("searchd holding the write lock: the indexer command exits 3 with 'locked'") {
  test::TempDir tmp;
  const fs::path index = indexed_fixture(tmp.path());
  Searchd searchd = start_searchd(tmp.path(), "searchd", index, "[writes]\nhold_lock_ms = 600000\n");
  auto c = client(searchd.port);
  auto res = post_text(*c, kAdminKey, reef_note("CBD/NP/MOP/3/11"));
  REQUIRE(res);
  REQUIRE(res->status == 201);
  const std::uint64_t committed = json::parse(res->body).at("revision").get<std::uint64_t>();
  CHECK(revision(index) == committed);

  const Exit added = indexer_add(tmp.path(), index, fixture("CBD-NP-MOP-3-6-Rev-1"));
  CHECK(added.code == 3);
  CHECK(added.err.find("locked") != std::string::npos);
  CHECK(revision(index) == committed);
  CHECK_FALSE(has_document(index, "CBD/NP/MOP/3/6/Rev.1"));
  CHECK(has_document(index, "CBD/NP/MOP/3/11"));
}

TEST_CASE("a write while another writer holds the lock: 503 with Retry-After, then 201") {
  test::TempDir tmp;
  const fs::path index = indexed_fixture(tmp.path());
  Searchd searchd = start_searchd(tmp.path(), "searchd", index, "[writes]\nhold_lock_ms = 0\n");
  auto c = client(searchd.port);
  const std::string text = reef_note("CBD/NP/MOP/3/11");
  const std::uint64_t before = revision(index);

  std::optional<IndexWriter> writer;  // holding the lock as the indexer command does
  {
    auto opened = IndexWriter::open(index);
    REQUIRE(opened);
    writer.emplace(std::move(*opened));
  }
  auto refused = post_text(*c, kAdminKey, text);
  REQUIRE(refused);
  INFO(refused->body);
  CHECK(refused->status == 503);
  CHECK(refused->has_header("Retry-After"));
  const json error = json::parse(refused->body).at("error");
  CHECK(error.at("code") == 503);
  CHECK(error.at("message").get<std::string>().find("lock") != std::string::npos);
  CHECK(revision(index) == before);

  writer.reset();  // releases the lock
  auto accepted = post_text(*c, kAdminKey, text);
  REQUIRE(accepted);
  INFO(accepted->body);
  CHECK(accepted->status == 201);
  CHECK(has_document(index, "CBD/NP/MOP/3/11"));
}

TEST_CASE("POSTs racing indexer commands: 201/200 or 503, exit 0 or 3, every success kept") {
  test::TempDir tmp;
  const fs::path index = indexed_fixture(tmp.path());
  Searchd searchd = start_searchd(tmp.path(), "searchd", index, "[writes]\nhold_lock_ms = 0\n");

  // The posters post (each 5th POST replaces the poster's first document), with pauses, while the indexer
  // command runs kRacingRuns times, then the indexer runs until one run succeeded. Bounded by
  // counts: guards against a hang, not measurements.
  constexpr int kPosters = 3;
  constexpr int kMaxPostsEach = 300;
  constexpr int kRacingRuns = 8;
  constexpr int kMaxRuns = 100;
  std::mutex mutex;
  std::vector<int> statuses;
  std::set<std::string> posted;     // symbols whose POST succeeded
  std::vector<int> exits;
  std::vector<std::string> indexed;  // symbols whose indexer run succeeded
  long locked_messages = 0;          // runs that exited 3 saying "locked"
  std::atomic<bool> racing{true};

  std::vector<std::jthread> posters;
  struct StopRacing {  // on any exit, before the posters are joined
    std::atomic<bool>& racing;
    ~StopRacing() { racing = false; }
  } stop_racing{racing};
  for (int p = 0; p < kPosters; ++p) {
    posters.emplace_back([&, p] {
      auto c = client(searchd.port);
      for (int i = 0; i < kMaxPostsEach && racing; ++i) {
        const int n = 100 + p * 1000 + (i % 5 == 4 ? 0 : i);
        const std::string symbol = "CBD/NP/MOP/3/INF/" + std::to_string(n);
        auto res = post_text(*c, kAdminKey, reef_note(symbol));
        {
          std::lock_guard lock(mutex);
          statuses.push_back(res ? res->status : -1);
          if (res && (res->status == 201 || res->status == 200)) posted.insert(symbol);
        }
        // Pacing only (nothing is asserted on it): gaps in which the indexer can take the lock.
        std::this_thread::sleep_for(std::chrono::milliseconds(20 * (p + 1) * (i % 4)));
      }
    });
  }
  for (int run = 1; run <= kMaxRuns; ++run) {
    if (run > kRacingRuns && racing) {
      racing = false;
      for (auto& t : posters) t.join();
    }
    if (!racing && !indexed.empty()) break;
    const std::string symbol = "CBD/SBI/2/INF/" + std::to_string(run);
    const fs::path file = tmp.path() / ("CBD-SBI-2-INF-" + std::to_string(run) + ".zh.txt");
    test::write_file(file, reef_note(symbol));
    const Exit r = indexer_add(tmp.path(), index, file, "race");
    exits.push_back(r.code);
    if (r.code == 0) indexed.push_back(symbol);
    if (r.code == 3) locked_messages += r.err.find("locked") != std::string::npos;
  }
  if (racing) {  // (kMaxRuns reached first)
    racing = false;
    for (auto& t : posters) t.join();
  }

  INFO("POST statuses: " << json(statuses).dump() << "; indexer exits: " << json(exits).dump());
  CHECK(locked_messages == std::ranges::count(exits, 3));
  CHECK(statuses.size() >= kPosters);
  for (int s : statuses) CHECK((s == 201 || s == 200 || s == 503));
  for (int e : exits) CHECK((e == 0 || e == 3));
  CHECK(!posted.empty());
  CHECK(!indexed.empty());
  auto reader = IndexReader::open(index);
  REQUIRE(reader);
  for (const std::string& s : posted) CHECK(reader->document(s).has_value());
  for (const std::string& s : indexed) CHECK(reader->document(s).has_value());
  CHECK(reader->document(kFixtureSymbol).has_value());
}

TEST_CASE("API keys survive a restart, revoked keys and the bootstrap key do not") {
  test::TempDir tmp;
  const fs::path index = indexed_fixture(tmp.path());
  std::string writer_key, writer_id, search_key, search_id;
  {
    Searchd searchd = start_searchd(tmp.path(), "searchd1", index);
    auto c = client(searchd.port);
    auto w = c->Post("/keys", bearer(kAdminKey), R"({"actions":["documents:write"],"description":"uploads"})",
                     "application/json");
    REQUIRE(w);
    INFO(w->body);
    REQUIRE(w->status == 201);
    writer_key = json::parse(w->body).at("value");
    writer_id = json::parse(w->body).at("id");
    auto s = c->Post("/keys", bearer(kAdminKey), R"({"actions":["search"],"description":"reader"})", "application/json");
    REQUIRE(s);
    REQUIRE(s->status == 201);
    search_key = json::parse(s->body).at("value");
    search_id = json::parse(s->body).at("id");
    auto revoked = c->Delete(("/keys/" + search_id).c_str(), bearer(kAdminKey));
    REQUIRE(revoked);
    CHECK(revoked->status == 200);
    CHECK(searchd.child->signal_and_wait(SIGTERM) == 0);
  }

  // Again, with no admin key anywhere.
  Searchd searchd = start_searchd(tmp.path(), "searchd2", index, "", {}, {{kAdminEnv, std::nullopt}});
  auto c = client(searchd.port);
  auto res = post_text(*c, writer_key, reef_note("CBD/NP/MOP/3/11"));
  REQUIRE(res);
  INFO(res->body);
  CHECK(res->status == 201);
  auto self = c->Get("/keys/self", bearer(search_key));
  REQUIRE(self);
  CHECK(self->status == 401);
  auto search = c->Get("/search?q=%E7%8F%8A%E7%91%9A%E7%A4%81", bearer(search_key));
  REQUIRE(search);
  CHECK(search->status == 401);
  auto list = c->Get("/keys");
  REQUIRE(list);
  CHECK(list->status == 401);
  auto as_admin = c->Get("/keys", bearer(kAdminKey));
  REQUIRE(as_admin);
  CHECK(as_admin->status == 401);
  auto as_writer = c->Get("/keys", bearer(writer_key));
  REQUIRE(as_writer);
  CHECK(as_writer->status == 403);

  const std::string stored = test::read_file(index / "keys.json");
  CHECK(stored.find(writer_key) == std::string::npos);
  CHECK(stored.find(search_key) == std::string::npos);
  CHECK(stored.find(kAdminKey) == std::string::npos);
  CHECK(stored.find(writer_id) != std::string::npos);  // the key is kept by id and hash
  CHECK(stored.find(search_id) == std::string::npos);  // a revoked key is gone
}

TEST_CASE("HTTPS with a self-signed certificate, and a key that does not match is refused") {
  IgnoreSigpipe sigpipe;
  test::TempDir tmp;
  const fs::path index = indexed_fixture(tmp.path());
  const fs::path cert = tmp.path() / "cert.pem", key = tmp.path() / "key.pem", other_key = tmp.path() / "other.pem";
  test::run_command("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + test::shell_quoted(key) + " -out " +
                    test::shell_quoted(cert) + " -days 1 -subj /CN=127.0.0.1 2>/dev/null");
  test::run_command("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " + test::shell_quoted(other_key) +
                    " 2>/dev/null");
  const auto tls = [&](const fs::path& c, const fs::path& k) {
    return "[tls]\ncert = '" + c.string() + "'\nkey = '" + k.string() + "'\n";
  };

  SECTION("served over TLS only") {
    Searchd searchd = start_searchd(tmp.path(), "searchd", index, tls(cert, key));
    CHECK(searchd.child->out().find("listening on https://") != std::string::npos);
    httplib::SSLClient c("127.0.0.1", searchd.port);
    c.set_ca_cert_path(cert.c_str());
    c.enable_server_certificate_verification(true);
    c.set_read_timeout(120, 0);
    auto health = c.Get("/health");
    REQUIRE(health);
    CHECK(health->status == 200);
    auto res = c.Post("/documents", bearer(kAdminKey), reef_note("CBD/NP/MOP/3/11"), kTextType);
    REQUIRE(res);
    INFO(res->body);
    CHECK(res->status == 201);
    CHECK(has_document(index, "CBD/NP/MOP/3/11"));

    httplib::Client plain("127.0.0.1", searchd.port);
    plain.set_read_timeout(10, 0);
    auto refused = plain.Get("/health");
    CHECK_FALSE(refused);
  }
  SECTION("a key that does not match the certificate, or a missing file: exit non-zero naming tls") {
    for (const auto& [c, k] : {std::pair{cert, other_key}, std::pair{tmp.path() / "missing.pem", key}}) {
      Searchd searchd = launch_searchd(tmp.path(), "bad", index, tls(c, k), {});
      REQUIRE(searchd.port == 0);
      CHECK(*searchd.child->poll() != 0);
      const std::string err = searchd.child->err();
      INFO(err);
      CHECK(err.find("tls") != std::string::npos);
    }
  }
}
