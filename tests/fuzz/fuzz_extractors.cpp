// libFuzzer target: the extractors of documents/ on normalised text, as passage_fields.cpp runs
// them: extract_dates, extract_decisions (default and a document's context), extract_symbols;
// and decision_filter_key, decision_context and roman_to_int on the raw input (user values).
// Checks that every reported byte range is inside the text and spells the reported text, that
// ranges and dates are ordered and dates possible.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/base/utf8.h"
#include "core/documents/dates.h"
#include "core/documents/references.h"
#include "core/text/normalizer.h"

namespace {

using namespace treaty;

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

void run(std::string_view text, const DecisionContext& context) {
  std::size_t last_end = 0;
  for (const DateRange& d : extract_dates(text)) {
    require(d.begin <= d.end && d.end <= text.size(), "date range inside the text");
    require(d.begin >= last_end, "dates non-overlapping, left to right");
    require(text.substr(d.begin, d.end - d.begin) == d.text, "date text is its byte range");
    require(d.from <= d.to, "date from <= to");
    for (const PartialDate& p : {d.from, d.to}) {
      require(p.year >= 1900 && p.year <= 2100, "year in 1900-2100");
      require(p.month >= 0 && p.month <= 12 && p.day >= 0 && p.day <= 31, "month and day in range");
      require(p.day == 0 || p.month > 0, "a day only with its month");
    }
    require(d.first_day() <= d.last_day(), "first day <= last day");
    (void)d.iso();
    (void)d.years();
    (void)d.months();
    last_end = d.end;
  }
  for (const DecisionRef& r : extract_decisions(text, context)) {
    require(r.begin <= r.end && r.end <= text.size(), "decision inside the text");
    require(text.substr(r.begin, r.end - r.begin) == r.text, "decision text is its byte range");
    (void)r.id();
    (void)r.label();
    (void)r.key();
    (void)r.part_key();
    (void)r.body_key();
    (void)r.body_part_key();
    // What the index stores must be found again by the filter parser (facet ids are links).
    require(decision_filter_key(r.id()).has_value(), "a decision id reads back as a filter");
  }
  for (const std::string& s : extract_symbols(text)) require(valid_utf8(s), "symbol is UTF-8");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!valid_utf8(input)) return 0;  // the extractors run on normalised (valid) text
  static const Normalizer normalizer;
  const std::string normalized = normalizer.normalize_string(input);
  run(normalized, {});
  const std::size_t newline = input.find('\n');
  run(normalized, decision_context(input.substr(0, newline)));
  (void)decision_filter_key(input);
  (void)roman_to_int(input);
  return 0;
}
