#include "core/vectors/embedder.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <thread>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include "core/base/utf8.h"

namespace treaty {
namespace {

using nlohmann::json;

struct CurlEasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlFreeDeleter {
  void operator()(char* p) const { curl_free(p); }
};
using CurlEasyPtr = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlSlistPtr = std::unique_ptr<curl_slist, CurlSlistDeleter>;
using CurlUrlPtr = std::unique_ptr<CURLU, CurlUrlDeleter>;
using CurlStringPtr = std::unique_ptr<char, CurlFreeDeleter>;

// A reply larger than this is refused rather than buffered (a batch of 32 vectors of 4096
// dimensions is about 3 MB of JSON).
constexpr std::size_t kMaxReplyBytes = 256u << 20;
constexpr long kMaxBackoffMs = 30000;
constexpr long kMaxRetryAfterMs = 60000;
// Idle handles kept for reuse; more concurrent callers get fresh handles that are dropped after.
constexpr std::size_t kMaxIdleHandles = 8;

std::string trim_trailing_slashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// The part of a URL that curl_url_get returns for `part`, or empty when it has none.
std::string url_part(CURLU* url, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, 0) != CURLUE_OK) return {};
  CurlStringPtr owned(raw);
  return owned ? std::string(owned.get()) : std::string();
}

// At most `max` bytes of `s`, cut on a code point boundary, control characters as spaces: a safe
// excerpt of a server's reply for an error message.
std::string excerpt(std::string_view s, std::size_t max = 200) {
  std::size_t n = std::min(max, s.size());
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  std::string out(s.substr(0, n));
  if (!valid_utf8(out)) return "(binary reply)";
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  if (n < s.size()) out += "…";
  return out;
}

// The message of an error reply: OpenAI, vLLM, llama.cpp ({"error": {"message": ...}}), TEI
// ({"error": "..."}), Ollama ({"error": "..."}), else the start of the body.
std::string error_detail(const std::string& body) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_object()) {
    if (auto e = j.find("error"); e != j.end()) {
      if (e->is_string()) return excerpt(e->get<std::string>());
      if (e->is_object())
        if (auto m = e->find("message"); m != e->end() && m->is_string())
          return excerpt(m->get<std::string>());
    }
    if (auto m = j.find("message"); m != j.end() && m->is_string())
      return excerpt(m->get<std::string>());
  }
  return excerpt(body);
}

bool retryable_status(long status) { return status == 408 || status == 429 || status >= 500; }

bool retryable_curl_error(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

struct Reply {
  std::string body;
  long retry_after_ms = 0;  // from a Retry-After header in seconds; 0 when absent
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* reply = static_cast<Reply*>(user);
  const std::size_t n = size * count;
  if (reply->body.size() + n > kMaxReplyBytes) {
    reply->too_large = true;
    return 0;  // makes curl fail with CURLE_WRITE_ERROR
  }
  reply->body.append(data, n);
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* reply = static_cast<Reply*>(user);
  const std::size_t n = size * count;
  std::string_view line(data, n);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == kName) {
      long seconds = 0;
      std::size_t i = kName.size();
      while (i < line.size() && line[i] == ' ') ++i;
      bool digits = false;
      for (; i < line.size() && line[i] >= '0' && line[i] <= '9' && seconds < 100000; ++i) {
        seconds = seconds * 10 + (line[i] - '0');
        digits = true;
      }
      // HTTP dates are not worth parsing here: the exponential backoff applies instead.
      if (digits) reply->retry_after_ms = std::min(seconds * 1000, kMaxRetryAfterMs);
    }
  }
  return n;
}

// Why a single attempt failed, and whether trying again may help.
struct AttemptError {
  std::string message;
  bool retryable = false;
  long retry_after_ms = 0;
};

// Parses a 200 reply for `count` texts into vectors in input order.
Expected<std::vector<std::vector<float>>> parse_reply(const std::string& body, std::size_t count,
                                                      std::size_t expected_dims) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return fail("reply is not a JSON object: " + excerpt(body));
  const auto data = j.find("data");
  if (data == j.end() || !data->is_array())
    return fail("reply has no \"data\" array: " + excerpt(body));
  if (data->size() != count)
    return fail("reply has " + std::to_string(data->size()) + " vectors for " +
                std::to_string(count) + " texts");

  std::vector<std::vector<float>> out(count);
  std::vector<bool> seen(count, false);
  std::size_t dims = expected_dims;
  for (std::size_t pos = 0; pos < count; ++pos) {
    const json& item = (*data)[pos];
    if (!item.is_object()) return fail("reply data[" + std::to_string(pos) + "] is not an object");
    // "index" is authoritative (the API does not promise order); servers that omit it answer in
    // order.
    std::size_t index = pos;
    if (auto i = item.find("index"); i != item.end()) {
      if (!i->is_number_integer() || i->get<long long>() < 0 ||
          static_cast<unsigned long long>(i->get<long long>()) >= count)
        return fail("reply data[" + std::to_string(pos) + "] has an invalid \"index\"");
      index = static_cast<std::size_t>(i->get<long long>());
    }
    if (seen[index]) return fail("reply has two vectors for index " + std::to_string(index));
    seen[index] = true;

    const auto emb = item.find("embedding");
    if (emb == item.end()) return fail("reply data[" + std::to_string(pos) + "] has no \"embedding\"");
    if (emb->is_string()) return fail("reply has base64 embeddings; float arrays are required");
    if (!emb->is_array() || emb->empty())
      return fail("reply data[" + std::to_string(pos) + "].embedding is not a non-empty array");
    std::vector<float>& v = out[index];
    v.reserve(emb->size());
    for (const json& x : *emb) {
      // llama.cpp without pooling answers one vector per token: an array of arrays.
      if (!x.is_number())
        return fail("reply data[" + std::to_string(pos) +
                    "].embedding is not an array of numbers (for llama.cpp, start the server with "
                    "--embeddings and a pooling type other than none)");
      const float f = static_cast<float>(x.get<double>());
      if (!std::isfinite(f))
        return fail("reply data[" + std::to_string(pos) + "].embedding has a non-finite value");
      v.push_back(f);
    }
    if (dims == 0) dims = v.size();
    if (v.size() != dims)
      return fail("reply vector " + std::to_string(index) + " has " + std::to_string(v.size()) +
                  " dimensions, expected " + std::to_string(dims));
  }
  return out;
}

}  // namespace

struct HttpEmbedder::Handle {
  CurlEasyPtr curl;
  char error[CURL_ERROR_SIZE] = {};
};

Expected<void> validate_embedder_options(const EmbedderOptions& options) {
  if (options.base_url.empty()) return fail("embedder base_url is empty");
  CurlUrlPtr url(curl_url());
  if (!url) return fail("cannot allocate a URL parser");
  if (curl_url_set(url.get(), CURLUPART_URL, options.base_url.c_str(), 0) != CURLUE_OK)
    return fail("embedder base_url '" + options.base_url + "' is not a valid URL");
  const std::string scheme = url_part(url.get(), CURLUPART_SCHEME);
  if (scheme != "http" && scheme != "https")
    return fail("embedder base_url '" + options.base_url + "' must start with http:// or https://");
  if (url_part(url.get(), CURLUPART_HOST).empty())
    return fail("embedder base_url '" + options.base_url + "' has no host");
  if (!url_part(url.get(), CURLUPART_QUERY).empty() ||
      !url_part(url.get(), CURLUPART_FRAGMENT).empty())
    return fail("embedder base_url '" + options.base_url +
                "' must not have a query or fragment (\"/embeddings\" is appended to it)");
  if (options.model.empty()) return fail("embedder model is empty");
  if (options.batch_size == 0) return fail("embedder batch_size must be at least 1");
  if (options.timeout_ms < 1) return fail("embedder timeout_ms must be at least 1");
  if (options.retries < 0) return fail("embedder retries must not be negative");
  if (options.backoff_ms < 0) return fail("embedder backoff_ms must not be negative");
  return {};
}

Expected<std::unique_ptr<HttpEmbedder>> HttpEmbedder::create(EmbedderOptions options) {
  if (auto ok = validate_embedder_options(options); !ok) return std::unexpected(ok.error());
  std::string api_key;
  if (!options.api_key_env.empty())
    if (const char* v = std::getenv(options.api_key_env.c_str())) api_key = v;
  // Each embedder holds one reference to libcurl's global state (reference-counted by libcurl,
  // released in the destructor), so there is no global object of ours and nothing leaks.
  // curl_global_init is thread-safe since libcurl 7.84 (CURL_VERSION_THREADSAFE; Debian 12 ships
  // 7.88); with an older libcurl, create the first embedder before starting threads.
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return fail("cannot initialise libcurl");
  std::string endpoint = trim_trailing_slashes(options.base_url) + "/embeddings";
  return std::unique_ptr<HttpEmbedder>(
      new HttpEmbedder(std::move(options), std::move(endpoint), std::move(api_key)));
}

HttpEmbedder::HttpEmbedder(EmbedderOptions options, std::string endpoint, std::string api_key)
    : options_(std::move(options)), endpoint_(std::move(endpoint)), api_key_(std::move(api_key)) {}

HttpEmbedder::~HttpEmbedder() {
  idle_.clear();  // every handle before the global state they use
  curl_global_cleanup();
}

std::unique_ptr<HttpEmbedder::Handle> HttpEmbedder::acquire() {
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      auto h = std::move(idle_.back());
      idle_.pop_back();
      return h;
    }
  }
  auto h = std::make_unique<Handle>();
  h->curl.reset(curl_easy_init());
  if (!h->curl) return nullptr;
  return h;
}

void HttpEmbedder::release(std::unique_ptr<Handle> handle) {
  std::lock_guard lock(pool_mutex_);
  if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(handle));
}

Expected<std::vector<std::vector<float>>> HttpEmbedder::embed(const std::vector<std::string>& texts) {
  std::vector<std::vector<float>> out;
  if (texts.empty()) return out;
  auto handle = acquire();
  if (!handle) return fail("cannot create a libcurl handle");
  out.reserve(texts.size());
  for (std::size_t begin = 0; begin < texts.size(); begin += options_.batch_size) {
    const std::size_t end = std::min(texts.size(), begin + options_.batch_size);
    auto batch = embed_batch(*handle, texts, begin, end);
    if (!batch) {
      release(std::move(handle));
      return std::unexpected(batch.error());
    }
    if (!out.empty() && batch->front().size() != out.front().size()) {
      release(std::move(handle));
      return fail("embedding server " + endpoint_ + " changed vector length between requests (" +
                  std::to_string(out.front().size()) + ", then " +
                  std::to_string(batch->front().size()) + ")");
    }
    for (auto& v : *batch) out.push_back(std::move(v));
  }
  release(std::move(handle));
  return out;
}

Expected<std::vector<std::vector<float>>> HttpEmbedder::embed_batch(
    Handle& handle, const std::vector<std::string>& texts, std::size_t begin, std::size_t end) {
  json request = {{"model", options_.model}, {"input", json::array()}};
  for (std::size_t i = begin; i < end; ++i) request["input"].push_back(texts[i]);
  // Invalid UTF-8 becomes U+FFFD instead of an exception: the text is still embedded.
  const std::string body = request.dump(-1, ' ', false, json::error_handler_t::replace);

  curl_slist* raw = nullptr;
  auto append = [&raw](const std::string& h) {
    curl_slist* next = curl_slist_append(raw, h.c_str());
    if (next) raw = next;
    return next != nullptr;
  };
  bool headers_ok = append("Content-Type: application/json") && append("Accept: application/json") &&
                    append("Expect:");  // no "100-continue" round trip for large bodies
  if (headers_ok && !api_key_.empty()) headers_ok = append("Authorization: Bearer " + api_key_);
  CurlSlistPtr headers(raw);
  if (!headers_ok) return fail("out of memory building request headers");

  const std::string what = "embedding server " + endpoint_ + ": ";
  const int attempts = options_.retries + 1;
  AttemptError last;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (attempt > 0) {
      long delay = options_.backoff_ms;
      for (int i = 1; i < attempt && delay < kMaxBackoffMs; ++i) delay *= 2;
      delay = std::max(std::min(delay, kMaxBackoffMs), last.retry_after_ms);
      if (options_.sleep) options_.sleep(std::chrono::milliseconds(delay));
      else std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    }

    CURL* c = handle.curl.get();
    curl_easy_reset(c);  // keeps the connection cache: keep-alive survives
    Reply reply;
    handle.error[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, endpoint_.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // whatever compression curl supports
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, options_.timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: safe in threads
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, handle.error);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &reply);

    const CURLcode code = curl_easy_perform(c);
    if (code != CURLE_OK) {
      if (reply.too_large) return fail(what + "reply larger than 256 MiB");
      const std::string detail = handle.error[0] ? handle.error : curl_easy_strerror(code);
      if (code == CURLE_OPERATION_TIMEDOUT)
        last = {"timed out after " + std::to_string(options_.timeout_ms) + " ms (" + detail + ")",
                true, 0};
      else if (code == CURLE_COULDNT_CONNECT)
        last = {"cannot connect (" + detail + ")", true, 0};
      else
        last = {detail, retryable_curl_error(code), 0};
      if (!last.retryable) return fail(what + last.message);
      continue;
    }

    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
      last = {"HTTP " + std::to_string(status) + ": " + error_detail(reply.body),
              retryable_status(status), reply.retry_after_ms};
      if (!last.retryable) {
        if (status == 401 || status == 403)
          last.message += options_.api_key_env.empty()
                              ? " (no API key configured)"
                              : (api_key_.empty() ? " (environment variable " + options_.api_key_env +
                                                        " is not set)"
                                                  : " (check the key in " + options_.api_key_env + ")");
        return fail(what + last.message);
      }
      continue;
    }

    auto vectors = parse_reply(reply.body, end - begin, options_.dimensions);
    if (!vectors) return fail(what + vectors.error().message);
    return vectors;
  }
  return fail(what + last.message + (attempts > 1 ? " (gave up after " + std::to_string(attempts) +
                                                         " attempts)"
                                                   : std::string()));
}

}  // namespace treaty
