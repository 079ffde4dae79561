// Text normalisation shared by documents and queries: NFKC (full-width forms fold), Traditional ->
// Simplified Chinese with OpenCC, case folding, and the folds other UN languages need (Arabic
// harakat and tatweel dropped, alef / ya / ta marbuta forms and Arabic-Indic digits folded,
// Russian ё -> е). Code points keep a map back to source bytes so
// that highlights can be placed on the original text.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <string_view>
#include <vector>

namespace opencc {
class SimpleConverter;
}

namespace treaty {

struct NormalizerOptions {
  // OpenCC configuration (a name looked up in OpenCC's data directory, or a path). Empty: no
  // Traditional -> Simplified folding.
  std::string opencc_config = "t2s.json";
  // Fold Latin (and other cased scripts) to lower case.
  bool fold_case = true;
};

struct NormalizedText {
  std::u32string text;           // normalised code points
  std::vector<uint32_t> source;  // source[i]: byte offset in the input where text[i] came from;
                                 // source.size() == text.size() + 1, the last is the input size
};

class Normalizer {
 public:
  // Throws std::runtime_error when OpenCC's configuration cannot be loaded (a broken install).
  explicit Normalizer(const NormalizerOptions& options = {});
  ~Normalizer();
  Normalizer(Normalizer&&) noexcept;
  Normalizer& operator=(Normalizer&&) noexcept;

  // Normalises valid UTF-8 `text`. Each input code point yields zero or more output code points,
  // all mapped to its byte offset. Thread-safe.
  NormalizedText normalize(std::string_view text) const;

  // Same, as a UTF-8 string (for names, keys, query words).
  std::string normalize_string(std::string_view text) const;

 private:
  NormalizerOptions options_;
  std::unique_ptr<opencc::SimpleConverter> t2s_;
  // Han characters that t2s changes on their own, found once at construction: OpenCC costs more
  // than the rest of normalisation, and text without any of them (most Simplified text) skips it.
  std::unordered_set<char32_t> traditional_;
};

}  // namespace treaty
