#include "core/text/normalizer.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <opencc/opencc.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "core/base/utf8.h"

namespace treaty {
namespace {

std::unique_ptr<opencc::SimpleConverter> make_converter(const std::string& config) {
  if (config.empty()) return nullptr;
  // OpenCC resolves bare names against its data directory only in some builds; try it explicitly.
  std::vector<std::string> candidates{config};
  if (std::filesystem::path(config).is_relative()) candidates.push_back("/usr/share/opencc/" + config);
  std::string last_error;
  for (const auto& candidate : candidates) {
    try {
      return std::make_unique<opencc::SimpleConverter>(candidate);
    } catch (const std::exception& e) {
      last_error = e.what();
    }
  }
  throw std::runtime_error("cannot load OpenCC configuration '" + config + "': " + last_error);
}

// Code points NFKC leaves alone; most of a Chinese document, so ICU is skipped for them.
bool nfkc_stable(char32_t cp) {
  return (cp >= 0x20 && cp < 0x7F) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0x3001 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x3011);
}

// Folds that the UN languages' writing needs and NFKC does not do, as code point -> code point
// (0: dropped). Arabic: harakat, Quranic marks and tatweel dropped; أ إ آ ٱ -> ا, ى -> ي,
// ة -> ه; Arabic-Indic and Extended Arabic-Indic digits -> 0-9. Russian: ё -> е (Ё is folded to
// ё by case folding first only when folding case, so both are mapped here).
char32_t fold_script(char32_t cp) {
  if (cp < 0x0400) return cp;
  if (cp == 0x0451) return 0x0435;  // ё
  if (cp == 0x0401) return 0x0415;  // Ё
  if (cp < 0x0600 || cp > 0x06FF) return cp;
  if ((cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || (cp >= 0x06D6 && cp <= 0x06ED) || cp == 0x0640) return 0;
  if (cp == 0x0622 || cp == 0x0623 || cp == 0x0625 || cp == 0x0671) return 0x0627;
  if (cp == 0x0649) return 0x064A;
  if (cp == 0x0629) return 0x0647;
  if (cp >= 0x0660 && cp <= 0x0669) return U'0' + (cp - 0x0660);
  if (cp >= 0x06F0 && cp <= 0x06F9) return U'0' + (cp - 0x06F0);
  return cp;
}

}  // namespace

Normalizer::Normalizer(const NormalizerOptions& options)
    : options_(options), t2s_(make_converter(options.opencc_config)) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU NFKC unavailable: ") + u_errorName(status));
  if (!t2s_) return;
  // One OpenCC call over every ideograph of the BMP blocks, one per line, tells which ones fold.
  std::u32string all;
  for (const auto& [first, last] : {std::pair<char32_t, char32_t>{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}}) {
    for (char32_t cp = first; cp <= last; ++cp) {
      all += cp;
      all += U'\n';
    }
  }
  const std::u32string converted = to_u32(t2s_->Convert(to_utf8(all)));
  std::size_t line_start = 0, k = 0;
  for (std::size_t i = 0; i <= converted.size(); ++i) {
    if (i < converted.size() && converted[i] != U'\n') continue;
    const char32_t original = all[2 * k];
    if (i - line_start != 1 || converted[line_start] != original) traditional_.insert(original);
    line_start = i + 1;
    if (++k * 2 >= all.size()) break;
  }
}

Normalizer::~Normalizer() = default;
Normalizer::Normalizer(Normalizer&&) noexcept = default;
Normalizer& Normalizer::operator=(Normalizer&&) noexcept = default;

NormalizedText Normalizer::normalize(std::string_view text) const {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);

  // Traditional -> Simplified first, on the whole text so OpenCC can use phrase context. If the
  // conversion keeps the number of code points, offsets map one to one; otherwise (rare phrase
  // rewrites) fall back to converting code point by code point.
  std::u32string input = to_u32(text);
  std::vector<uint32_t> input_offsets;
  input_offsets.reserve(input.size() + 1);
  for (std::size_t i = 0; i < text.size();) {
    input_offsets.push_back(static_cast<uint32_t>(i));
    next_code_point(text, i);
  }
  input_offsets.push_back(static_cast<uint32_t>(text.size()));

  // Characters outside the BMP ideograph blocks are rare; send such text through OpenCC too.
  const bool needs_t2s = t2s_ && std::any_of(input.begin(), input.end(), [&](char32_t cp) {
    return traditional_.contains(cp) || (cp >= 0x20000 && cp <= 0x3134F);
  });
  if (needs_t2s) {
    std::u32string converted = to_u32(t2s_->Convert(std::string(text)));
    if (converted.size() == input.size()) {
      input = std::move(converted);
    } else {
      for (char32_t& cp : input) {
        if (!is_han(cp)) continue;
        std::string one;
        append_utf8(one, cp);
        std::u32string c = to_u32(t2s_->Convert(one));
        if (c.size() == 1) cp = c[0];
      }
    }
  }

  NormalizedText out;
  out.text.reserve(input.size());
  out.source.reserve(input.size() + 1);
  auto emit = [&](char32_t cp, uint32_t offset) {
    cp = fold_script(cp);
    if (cp == 0) return;
    if (options_.fold_case) {
      if (cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
      } else {
        cp = static_cast<char32_t>(u_foldCase(static_cast<UChar32>(cp), U_FOLD_CASE_DEFAULT));
      }
    }
    out.text.push_back(cp);
    out.source.push_back(offset);
  };
  for (std::size_t k = 0; k < input.size(); ++k) {
    const char32_t cp = input[k];
    if (nfkc_stable(cp)) {
      emit(cp, input_offsets[k]);
      continue;
    }
    icu::UnicodeString one(static_cast<UChar32>(cp));
    UErrorCode st = U_ZERO_ERROR;
    icu::UnicodeString folded = nfkc->normalize(one, st);
    if (U_FAILURE(st)) {
      emit(cp, input_offsets[k]);
      continue;
    }
    for (int32_t j = 0; j < folded.length();) {
      const UChar32 c = folded.char32At(j);
      emit(static_cast<char32_t>(c), input_offsets[k]);
      j += U16_LENGTH(c);
    }
  }
  out.source.push_back(static_cast<uint32_t>(text.size()));
  return out;
}

std::string Normalizer::normalize_string(std::string_view text) const {
  return to_utf8(normalize(text).text);
}

}  // namespace treaty
