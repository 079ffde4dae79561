// libFuzzer target: URL parameters -> SearchRequest / DocumentListRequest (searchd's
// request_params.h). The input is a query string, "q=a&org=b&size=3": split on '&', then on
// the first '=', without %-decoding (httplib decodes before the route sees the values).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <httplib.h>

#include "searchd/request_params.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  httplib::Request req;
  while (true) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (!pair.empty())
      req.params.emplace(std::string(pair.substr(0, eq)),
                         eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  const treaty::searchd::SearchdConfig config;
  if (const auto r = treaty::searchd::search_request(req, config)) {
    if (r->q.size() > config.max_query_bytes || r->size < 1 || r->size > config.max_size ||
        r->offset > config.max_offset)
      std::abort();
  } else if (r.error().status != 400 && r.error().status != 413) {
    std::abort();
  }
  if (const auto r = treaty::searchd::document_list_request(req, config)) {
    if (r->size < 1 || r->size > 1000 || r->offset > 100000) std::abort();
  }
  return 0;
}
