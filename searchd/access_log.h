// searchd's access log: one JSON object per line on stderr, and the request ids it carries.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace treaty::searchd {

struct AccessLogEntry {
  std::chrono::system_clock::time_point time;  // when the answer was sent
  std::string client;      // the peer's address
  std::string request_id;  // as answered in X-Request-Id
  std::string method;      // empty when the request line could not be read
  std::string target;      // the raw request target (percent-encoded as sent)
  int status = 0;
  std::size_t bytes = 0;   // body bytes sent
  double ms = -1;          // time to answer; < 0 when unknown (answers the HTTP library made itself)
};

// The entry as one line of JSON, ending in '\n':
//   {"time":"2026-11-27T17:03:04.123Z","client":"127.0.0.1","request_id":"…","method":"GET",
//    "target":"/search?q=…","status":200,"bytes":1234,"ms":3.217}
// The target is cut to 1024 bytes; bytes that are not UTF-8 become U+FFFD; missing method or
// request id, and unknown ms, are null.
std::string access_log_line(const AccessLogEntry& entry);

// Request ids: a client's own X-Request-Id is kept when it is 1-128 characters of
// [A-Za-z0-9._:-]; otherwise one is made: a random prefix for this server, then a counter.
class RequestIds {
 public:
  RequestIds();  // draws the prefix from std::random_device
  // `given`: the request's X-Request-Id header (empty when absent). Thread-safe.
  std::string id_for(std::string_view given);

 private:
  std::string prefix_;
  std::atomic<std::uint64_t> next_{1};
};

}  // namespace treaty::searchd
