#include "tests/support/fake_embedding_server.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/base/utf8.h"

namespace treaty::test {
namespace {

using nlohmann::json;

std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

void add_feature(std::vector<double>& v, std::string_view feature) {
  const std::uint64_t h = fnv1a64(feature);
  v[h % v.size()] += ((h >> 40) & 1) ? -1.0 : 1.0;
}

json error_body(const std::string& message) {
  return {{"error", {{"message", message}, {"type", "invalid_request_error"}}}};
}

}  // namespace

std::vector<float> fake_embedding(std::string_view text, std::size_t dimensions) {
  std::vector<double> v(dimensions, 0.0);
  if (dimensions == 0) return {};
  if (!valid_utf8(text)) {
    add_feature(v, text);
  } else {
    std::string word;
    auto flush_word = [&] {
      if (!word.empty()) add_feature(v, "w:" + word);
      word.clear();
    };
    for (std::size_t i = 0; i < text.size();) {
      const std::size_t begin = i;
      const char32_t cp = next_code_point(text, i);
      if (is_han(cp)) {
        flush_word();
        add_feature(v, "h:" + std::string(text.substr(begin, i - begin)));
      } else if (is_alnum_non_han(cp)) {
        if (cp < 0x80) {
          word += static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
        } else {
          word.append(text.substr(begin, i - begin));
        }
      } else {
        flush_word();
      }
    }
    flush_word();
  }
  double norm = 0;
  for (double x : v) norm += x * x;
  std::vector<float> out(dimensions, 0.0f);
  if (norm == 0) {
    out[0] = 1.0f;
    return out;
  }
  norm = std::sqrt(norm);
  for (std::size_t i = 0; i < dimensions; ++i) out[i] = static_cast<float>(v[i] / norm);
  return out;
}

struct FakeEmbeddingServer::State {
  Options options;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::atomic<bool> stopping{false};
  mutable std::mutex mutex;  // guards script, requests and released
  mutable std::condition_variable changed;  // a request arrived, or released/stopping changed
  std::deque<Reply> script;
  std::vector<Request> requests;
  bool released = false;

  void handle(const httplib::Request& req, httplib::Response& res) {
    Request seen;
    seen.authorization = req.get_header_value("Authorization");
    const json body = json::parse(req.body, nullptr, false);
    bool valid = body.is_object();
    if (valid) {
      if (auto m = body.find("model"); m != body.end() && m->is_string()) seen.model = *m;
      const auto input = body.find("input");
      if (input == body.end()) {
        valid = false;
      } else if (input->is_string()) {
        seen.inputs.push_back(*input);
      } else if (input->is_array()) {
        for (const json& t : *input) {
          if (!t.is_string()) valid = false;
          else seen.inputs.push_back(t);
        }
      } else {
        valid = false;
      }
    }

    Reply reply;
    {
      std::lock_guard lock(mutex);
      if (!script.empty()) {
        reply = script.front();
        script.pop_front();
      }
    }
    if (!valid) reply = Reply{.status = 400};
    else if (!options.api_key.empty() && seen.authorization != "Bearer " + options.api_key)
      reply = Reply{.status = 401};
    seen.status = reply.status;
    {
      std::unique_lock lock(mutex);
      requests.push_back(seen);
      changed.notify_all();
      if (reply.hold) changed.wait(lock, [this] { return released || stopping; });
    }

    // Sleep in small steps so that shutting the server down is never held up by a delay.
    const auto until = std::chrono::steady_clock::now() + reply.delay;
    while (std::chrono::steady_clock::now() < until && !stopping)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));

    if (!reply.retry_after.empty()) res.set_header("Retry-After", reply.retry_after);
    res.status = reply.status;
    if (reply.status != 200) {
      const std::string message = reply.status == 400   ? "invalid request body"
                                  : reply.status == 401 ? "invalid API key"
                                                        : "injected failure " + std::to_string(reply.status);
      res.set_content(error_body(message).dump(), "application/json");
      return;
    }
    switch (reply.fault) {
      case Fault::malformed_json:
        res.set_content("{\"object\": \"list\", \"data\": [", "application/json");
        return;
      case Fault::no_data:
        res.set_content(json{{"object", "list"}}.dump(), "application/json");
        return;
      default:
        break;
    }
    json data = json::array();
    for (std::size_t i = 0; i < seen.inputs.size(); ++i) {
      std::vector<float> v = fake_embedding(seen.inputs[i], options.dimensions);
      if (reply.fault == Fault::wrong_dimensions && i + 1 == seen.inputs.size()) v.pop_back();
      data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", v}});
    }
    if (reply.fault == Fault::wrong_count && !data.empty()) data.erase(data.size() - 1);
    if (options.reverse_order) std::reverse(data.begin(), data.end());
    const json out = {{"object", "list"},
                      {"model", seen.model},
                      {"data", data},
                      {"usage", {{"prompt_tokens", 0}, {"total_tokens", 0}}}};
    res.set_content(out.dump(), "application/json");
  }
};

FakeEmbeddingServer::FakeEmbeddingServer() : FakeEmbeddingServer(Options{}) {}

FakeEmbeddingServer::FakeEmbeddingServer(Options options) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.options = std::move(options);
  s.server.set_tcp_nodelay(true);
  s.server.Post("/v1/embeddings", [&s](const httplib::Request& req, httplib::Response& res) {
    s.handle(req, res);
  });
  s.port = s.server.bind_to_any_port("127.0.0.1");
  if (s.port <= 0) throw std::runtime_error("fake embedding server: cannot bind to 127.0.0.1");
  s.thread = std::thread([&s] { s.server.listen_after_bind(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!s.server.is_running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      s.server.stop();
      s.thread.join();
      throw std::runtime_error("fake embedding server: did not start");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

FakeEmbeddingServer::~FakeEmbeddingServer() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
    state_->changed.notify_all();
  }
  state_->server.stop();
  if (state_->thread.joinable()) state_->thread.join();
}

int FakeEmbeddingServer::port() const { return state_->port; }

std::string FakeEmbeddingServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(state_->port) + "/v1";
}

void FakeEmbeddingServer::enqueue(const Reply& reply, int times) {
  std::lock_guard lock(state_->mutex);
  for (int i = 0; i < times; ++i) state_->script.push_back(reply);
}

void FakeEmbeddingServer::release() {
  std::lock_guard lock(state_->mutex);
  state_->released = true;
  state_->changed.notify_all();
}

bool FakeEmbeddingServer::wait_for_requests(std::size_t count, std::chrono::milliseconds limit) const {
  std::unique_lock lock(state_->mutex);
  return state_->changed.wait_for(lock, limit, [&] { return state_->requests.size() >= count; });
}

std::vector<FakeEmbeddingServer::Request> FakeEmbeddingServer::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::size_t FakeEmbeddingServer::request_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests.size();
}

}  // namespace treaty::test
