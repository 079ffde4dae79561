// libFuzzer target: what a client controls around API keys and uploads: an Authorization header
// (KeyStore::authorize), a POST /keys body (KeyStore::create's validation; the store has no file,
// so a valid body ends in 500, never in a write) and a Content-Type (body_format).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "searchd/api_keys.h"
#include "searchd/write_routes.h"

namespace {

treaty::searchd::KeyStore& store() {
  static auto opened = treaty::searchd::KeyStore::open({.admin_key = std::string("fuzz-admin-key-0123456789")});
  if (!opened) std::abort();
  return **opened;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  using treaty::searchd::AuthStatus;
  const auto auth = store().authorize(input, "documents:write");
  // Only the admin key itself passes; nothing else may.
  if (auth.status == AuthStatus::ok && input.find("fuzz-admin-key-0123456789") == std::string_view::npos) std::abort();
  if (auth.http_status() != 200 && auth.http_status() != 401 && auth.http_status() != 403) std::abort();
  const nlohmann::json body = nlohmann::json::parse(input, nullptr, false);
  if (!body.is_discarded()) {
    const auto created = store().create(body);
    if (created || (created.error().status != 400 && created.error().status != 500)) std::abort();
  }
  (void)treaty::searchd::body_format(input);
  return 0;
}
