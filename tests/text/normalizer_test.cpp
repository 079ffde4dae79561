#include <catch2/catch.hpp>

#include "core/text/normalizer.h"
#include "core/base/utf8.h"

using namespace treaty;

TEST_CASE("normalisation folds width, script and case") {
  const Normalizer n;
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"ＵＮＥＰ", "unep"},                            // full-width Latin
      {"２０１４年", "2014年"},                        // full-width digits
      {"（粮农组织）", "(粮农组织)"},                  // full-width parentheses
      {"名古屋議定書", "名古屋议定书"},                // Traditional -> Simplified
      {"締約方大會", "缔约方大会"},
      {"糧農組織", "粮农组织"},
      {"遺傳資源", "遗传资源"},
      {"UNEP/CBD/COP/12/24", "unep/cbd/cop/12/24"},    // case folding
      {"Access and Benefit-Sharing", "access and benefit-sharing"},
      {"缔约方", "缔约方"},                            // Simplified stays
      {"①", "1"},                                      // compatibility forms
      {"ещё Её", "еще ее"},                              // Russian ё folds to е
      {"مُؤْتَمَر", "مؤتمر"},                              // Arabic harakat dropped
      {"مقـــدمة", "مقدمه"},                              // tatweel dropped (and ة -> ه)
      {"أعضاء إطار آخر", "اعضاء اطار اخر"},               // alef forms
      {"على الاستشارية", "علي الاستشاريه"},                // alif maqsura -> ya, ta marbuta -> ha
      {"٢٠٢٠ ۱۲", "2020 12"},                            // Arabic-Indic digits
      {"ﻻ", "لا"},                                       // presentation forms (NFKC)
      {"", ""},
  };
  for (const auto& [in, expected] : rows) {
    CAPTURE(in);
    CHECK(n.normalize_string(in) == expected);
  }
}

TEST_CASE("normalisation keeps a map back to source bytes") {
  const Normalizer n;
  const std::string in = "Ａ議b";  // 3 + 3 + 1 bytes
  const NormalizedText out = n.normalize(in);
  REQUIRE(out.text == U"a议b");
  REQUIRE(out.source.size() == out.text.size() + 1);
  CHECK(out.source[0] == 0);
  CHECK(out.source[1] == 3);
  CHECK(out.source[2] == 6);
  CHECK(out.source[3] == 7);
}

TEST_CASE("case folding and OpenCC can be turned off") {
  NormalizerOptions options;
  options.fold_case = false;
  options.opencc_config = "";
  const Normalizer n(options);
  CHECK(n.normalize_string("ＵＮＥＰ 議定書") == "UNEP 議定書");
}

TEST_CASE("a missing OpenCC configuration is a broken install and throws") {
  NormalizerOptions options;
  options.opencc_config = "/nonexistent/t2s.json";
  CHECK_THROWS_AS(Normalizer(options), std::runtime_error);
}
