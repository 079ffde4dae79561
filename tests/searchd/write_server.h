// The in-process searchd of the write and cache tests: an index in a temporary directory, a
// bootstrap admin key read from an environment variable, and a note to post.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "core/search/resources.h"
#include "searchd/config.h"
#include "searchd/http_server.h"
#include "tests/support/test_support.h"

namespace treaty::test {

inline constexpr const char* kAdminKey = "test-admin-key-0123456789abcdef";

// A note in the PDF-extract style of the fixtures (our own words), with `word` in paragraph 2.
inline std::string note_text(const std::string& symbol, const std::string& word) {
  return "联合国 \n\n" + symbol + " \n\nDistr.: General \n\n3 March 2020 \n\n中文 \n\nOriginal: English \n\n"
         "《生物多样性公约》关于获取和惠益分享的 \n\n名古屋议定书缔约方会议的 \n\n《公约》缔约方大会 \n\n第四次会议 \n\n"
         "议程项目 5 \n\n能力建设和发展 \n\n执行秘书的说明 \n\n"
         "1. 本说明介绍缔约方在能力建设方面取得的进展，并概述秘书处收到的意见。 \n\n"
         "2. 若干缔约方报告了" + word + "方面的经验，并请求进一步提供技术援助。 \n\n"
         "3. 请缔约方会议注意到本说明所载资料。 \n";
}

struct WriteServer {
  std::unique_ptr<Resources> res = project_resources();
  TempDir tmp;
  std::filesystem::path index_dir = tmp.path() / "index";
  std::unique_ptr<searchd::HttpServer> server;
  int port = 0;
  const char* admin_env;

  // `admin_env`: the variable the admin key is put in (one per test binary).
  explicit WriteServer(const char* env) : admin_env(env) { ::setenv(admin_env, kAdminKey, 1); }

  searchd::SearchdConfig config() const {
    searchd::SearchdConfig c;
    c.index_dir = index_dir;
    c.port = 0;
    c.threads = 2;
    c.access_log = false;
    c.request_timeout_ms = 0;
    c.admin_key_env = admin_env;
    c.write_hold_lock_ms = 0;  // tests open the index themselves between requests
    return c;
  }
  // Starts (or restarts) the server with `c` on an ephemeral port.
  void start(const searchd::SearchdConfig& c) {
    REQUIRE(searchd::validate_config(c));
    server.reset();
    server = std::make_unique<searchd::HttpServer>(c, *res);
    auto bound = server->start();
    REQUIRE(bound);
    port = *bound;
  }
  void start() { start(config()); }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60, 0);
    return c;
  }
};

}  // namespace treaty::test
