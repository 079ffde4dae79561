// Text embeddings for semantic search: an abstract Embedder and an HTTP client for any server
// speaking the OpenAI embeddings API (llama.cpp's server, Ollama, vLLM, Text Embeddings
// Inference, OpenAI itself):
//
//   POST {base_url}/embeddings   {"model": "...", "input": ["text", ...]}
//   200 -> {"data": [{"embedding": [0.1, ...], "index": 0}, ...], ...}
//
// The client uses libcurl; httplib.h stays in searchd's HTTP layer.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/base/error.h"

namespace treaty {

struct EmbedderOptions {
  // Server root, including the API version path: "http://127.0.0.1:8080/v1" (llama.cpp),
  // "http://127.0.0.1:11434/v1" (Ollama), "http://127.0.0.1:8000/v1" (vLLM),
  // "http://127.0.0.1:8080/v1" (TEI), "https://api.openai.com/v1". http or https; no query or
  // fragment; trailing slashes are ignored. Requests go to base_url + "/embeddings".
  std::string base_url;
  // Sent as "model" in every request. Required (Ollama, vLLM and OpenAI route by it; llama.cpp
  // and TEI ignore it). Vectors of different models are not comparable: the vector store records
  // it.
  std::string model;
  // Name of the environment variable holding the API key (e.g. "OPENAI_API_KEY"). The key is
  // read when the embedder is created and sent as "Authorization: Bearer <key>" only when the
  // variable is set and non-empty; an empty name sends no key. The key itself never appears in
  // configuration files or error messages.
  std::string api_key_env;
  // Texts per request (>= 1). Servers cap it (llama.cpp by its batch/ubatch size, TEI by
  // --max-client-batch-size), so keep it modest.
  std::size_t batch_size = 32;
  // Limit for one HTTP request, connecting included, in milliseconds (>= 1). A timed-out request
  // counts as a failed attempt and is retried.
  long timeout_ms = 30000;
  // Further attempts after a retryable failure (HTTP 408, 429 or 5xx; connection refused, reset
  // or timed out): 0 = try once. Other failures (4xx, a malformed reply) are never retried.
  int retries = 3;
  // Delay before the first retry, in milliseconds; doubled for each further retry, capped at
  // 30 s. A 429/503 reply's Retry-After (seconds) is honoured when longer, up to 60 s.
  long backoff_ms = 500;
  // Expected vector length; 0 = whatever the server returns (all vectors of one call must still
  // agree). Only checked, never sent: servers disagree on OpenAI's "dimensions" parameter (vLLM
  // rejects it for models without Matryoshka support).
  std::size_t dimensions = 0;
  // Waits out the delay before a retry; empty: std::this_thread::sleep_for. Tests pass a
  // function that records the delays instead of waiting.
  std::function<void(std::chrono::milliseconds)> sleep;
};

// Turns texts into vectors. Implementations document their thread-safety.
class Embedder {
 public:
  virtual ~Embedder() = default;

  // One vector per text, in the order of `texts`, all of the same length (> 0). Empty `texts`
  // give an empty result. Expected failures: the server cannot be reached, times out, refuses
  // or answers something unusable; the message says which, never half a result.
  virtual Expected<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) = 0;

  // The model name vectors are recorded under (EmbedderOptions::model for HttpEmbedder).
  virtual const std::string& model() const = 0;
};

// Checks `options` without contacting the server: base_url is an http(s) URL with a host and no
// query or fragment, model is non-empty, batch_size, timeout_ms >= 1, retries, backoff_ms >= 0.
Expected<void> validate_embedder_options(const EmbedderOptions& options);

// The OpenAI-compatible HTTP client. embed() may be called from many threads at once: each call
// borrows a curl handle from a small pool, so keep-alive connections are reused between calls.
class HttpEmbedder final : public Embedder {
 public:
  // Validates `options` (validate_embedder_options) and reads the API key from the environment.
  // Makes no request: an unreachable server shows up at the first embed().
  static Expected<std::unique_ptr<HttpEmbedder>> create(EmbedderOptions options);

  ~HttpEmbedder() override;
  HttpEmbedder(const HttpEmbedder&) = delete;
  HttpEmbedder& operator=(const HttpEmbedder&) = delete;

  // Splits `texts` into requests of at most batch_size texts, sent one after the other; each is
  // retried as EmbedderOptions::retries says. Texts should be valid UTF-8 (invalid bytes are sent
  // as U+FFFD). Every vector is checked: count and "index" values match the request, numbers
  // finite, one length for all (== options.dimensions when set).
  Expected<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override;

  const std::string& model() const override { return options_.model; }
  // "{base_url}/embeddings".
  const std::string& endpoint() const { return endpoint_; }

 private:
  struct Handle;  // a CURL easy handle (embedder.cpp)

  HttpEmbedder(EmbedderOptions options, std::string endpoint, std::string api_key);
  std::unique_ptr<Handle> acquire();
  void release(std::unique_ptr<Handle> handle);
  Expected<std::vector<std::vector<float>>> embed_batch(Handle& handle,
                                                        const std::vector<std::string>& texts,
                                                        std::size_t begin, std::size_t end);

  EmbedderOptions options_;
  std::string endpoint_;
  std::string api_key_;  // empty: no Authorization header
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Handle>> idle_;  // handles not in use, with their open connections
};

}  // namespace treaty
