// A small, deterministic OpenAI-compatible embedding server on loopback, for tests of the
// embedding client, the vector store and (later) the indexer and searchd end to end.
//
//   POST {base_url()}/embeddings  {"model": "...", "input": "text" | ["text", ...]}
//   200 -> {"object": "list", "model": ..., "data": [{"object": "embedding", "index": i,
//           "embedding": fake_embedding(input[i])}, ...]}
//
// Replies can be scripted (errors, delays, malformed bodies), and every request is recorded.
// The httplib server lives in the .cpp: including this header pulls in no httplib.h.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace treaty::test {

// A deterministic bag-of-features vector: every Han character and every Latin word or number
// (ASCII-lower-cased) is hashed (FNV-1a) to a dimension and a sign; the sum is L2-normalised.
// Texts sharing characters or words get similar vectors. A text without features gives the unit
// vector along dimension 0.
std::vector<float> fake_embedding(std::string_view text, std::size_t dimensions);

class FakeEmbeddingServer {
 public:
  struct Options {
    std::size_t dimensions = 64;  // vector length
    std::string api_key = {};     // when set, requests without "Authorization: Bearer <key>" get 401
    bool reverse_order = false;   // list "data" last index first (clients must use "index")
  };

  // How to answer one request; queued replies are used in order, then normal replies resume.
  enum class Fault {
    none,              // the correct reply
    malformed_json,    // a 200 whose body is not JSON
    wrong_count,       // one vector fewer than inputs
    wrong_dimensions,  // the last vector one dimension short
    no_data,           // {"object": "list"} without "data"
  };
  struct Reply {
    int status = 200;                         // non-200: {"error": {"message": ...}} with it
    Fault fault = Fault::none;                // for status 200
    std::chrono::milliseconds delay{0};       // wait before answering (cut short by shutdown)
    std::string retry_after = {};             // Retry-After header value, when not empty
    bool hold = false;                        // answer only after release() (or shutdown)
  };

  struct Request {
    std::string model;
    std::vector<std::string> inputs;
    std::string authorization;  // the Authorization header, "" when absent
    int status = 0;             // what was answered
  };

  // Starts listening on 127.0.0.1, on a free port. Throws std::runtime_error if it cannot.
  explicit FakeEmbeddingServer(Options options);
  FakeEmbeddingServer();
  ~FakeEmbeddingServer();  // stops the server and waits for its thread
  FakeEmbeddingServer(const FakeEmbeddingServer&) = delete;
  FakeEmbeddingServer& operator=(const FakeEmbeddingServer&) = delete;

  // The loopback port it listens on.
  int port() const;
  // "http://127.0.0.1:<port>/v1".
  std::string base_url() const;

  // Answers the next `times` requests with `reply`, after those already queued.
  void enqueue(const Reply& reply, int times = 1);

  // Lets every held reply (Reply::hold) go, now and from now on.
  void release();

  // Waits until at least `count` requests have arrived (counted when they arrive, before any
  // delay or hold); false if that takes more than `limit`, a guard against a hung test, not a
  // measurement.
  bool wait_for_requests(std::size_t count, std::chrono::milliseconds limit = std::chrono::seconds(60)) const;

  // Every request received so far (including failed ones), in arrival order.
  std::vector<Request> requests() const;
  std::size_t request_count() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace treaty::test
