#include "searchd/access_log.h"

#include <cstdio>
#include <ctime>
#include <random>

#include <nlohmann/json.hpp>

namespace treaty::searchd {

std::string access_log_line(const AccessLogEntry& e) {
  using namespace std::chrono;
  const auto since_epoch = e.time.time_since_epoch();
  const std::time_t seconds = duration_cast<std::chrono::seconds>(since_epoch).count();
  const auto millis = duration_cast<milliseconds>(since_epoch).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char time[64];
  std::snprintf(time, sizeof time, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  nlohmann::ordered_json j;
  j["time"] = time;
  j["client"] = e.client;
  j["request_id"] = e.request_id.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.request_id);
  j["method"] = e.method.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.method);
  j["target"] = e.target.size() > 1024 ? e.target.substr(0, 1024) : e.target;
  j["status"] = e.status;
  j["bytes"] = e.bytes;
  if (e.ms < 0) {
    j["ms"] = nullptr;
  } else {
    j["ms"] = static_cast<double>(static_cast<long long>(e.ms * 1000 + 0.5)) / 1000;  // microsecond precision
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

RequestIds::RequestIds() {
  std::random_device random;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(random()));
  prefix_ = buf;
}

std::string RequestIds::id_for(std::string_view given) {
  bool usable = !given.empty() && given.size() <= 128;
  for (char c : given)
    usable = usable && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == ':' || c == '-');
  if (usable) return std::string(given);
  return prefix_ + "-" + std::to_string(next_.fetch_add(1));
}

}  // namespace treaty::searchd
