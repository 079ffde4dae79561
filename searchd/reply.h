// What a route handler answers, before cpp-httplib turns it into a response; the JSON error shape
// every 4xx/5xx has (docs/API.md, "Errors").
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace treaty::searchd {

// The Content-Type of every JSON answer.
inline constexpr std::string_view kJsonType = "application/json; charset=utf-8";

struct Reply {
  int status = 200;
  nlohmann::json body;
  std::string raw{};           // sent instead of `body`: as content_type when that is set (static
                               // files, metrics), else JSON already serialized (a cached answer)
  std::string content_type{};
  std::vector<std::pair<std::string, std::string>> headers{};  // extra response headers
};

// {"error": {"code": status, "message": message}}, with "line" when `line` > 0 (the line of the
// posted document an error is about).
inline Reply error_reply(int status, std::string message, int line = 0) {
  nlohmann::json error = {{"code", status}, {"message", std::move(message)}};
  if (line > 0) error["line"] = line;
  return {status, {{"error", std::move(error)}}};
}

// Invalid UTF-8 cannot reach here (parameters are checked first); replace rather than throw anyway.
inline std::string to_body(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace treaty::searchd
