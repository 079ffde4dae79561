// Telling a document's language (core/documents/language.h, document_facts.h): table rows of
// text, and every language fixture PDF against the language its golden truth gives.
#include "core/documents/language.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/documents/document_facts.h"
#include "core/documents/parser.h"
#include "core/documents/pdf_text.h"
#include "tests/support/test_support.h"

using namespace treaty;

TEST_CASE("language of a text: script first, then the commonest words", "[language]") {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"缔约方大会请执行秘书编写一份关于获取和惠益分享的报告。", "zh"},
      {"The Conference of the Parties requested the Executive Secretary to prepare a report on access.", "en"},
      {"La Conférence des Parties a prié la Secrétaire exécutive de préparer un rapport sur l'accès et le partage.", "fr"},
      {"La Conferencia de las Partes pidió a la Secretaria Ejecutiva que preparara un informe sobre el acceso.", "es"},
      {"Конференция Сторон просила Исполнительного секретаря подготовить доклад о доступе.", "ru"},
      {"طلب مؤتمر الأطراف إلى الأمينة التنفيذية أن تعد تقريرا عن الحصول وتقاسم المنافع.", "ar"},
      // A Chinese text quoting English names and symbols is still Chinese.
      {"根据第 NP-2/5 号决定，全球环境基金（GEF）和 UNEP/CBD/NP/COP-MOP/1/6 号文件所述的获取和惠益分享信息交换所。", "zh"},
      {"CBD/NP/MOP/4/2", ""},  // too few letters to tell
      {"Lorem ipsum dolor sit amet consectetur adipiscing", ""},  // Latin script, none of the three
  };
  for (const auto& [text, lang] : rows) {
    CAPTURE(text);
    CHECK(language_of_text(text) == lang);
  }
}

TEST_CASE("language of a document: its cover's language line, else its text", "[language]") {
  Document doc;
  doc.passages.push_back(Passage{});
  doc.passages[0].text = "The Conference of the Parties requested the Executive Secretary to report on the matter.";
  CHECK(document_language(doc) == "en");
  doc.header.language = "fr";  // a "Français" line on the cover
  CHECK(document_language(doc) == "fr");
  CHECK(document_facts(doc).lang == "fr");
  doc.language = "es";  // as the parser sets it (or --lang)
  CHECK(document_facts(doc).lang == "es");
  CHECK(language_of_name("Français") == "fr");
  CHECK(language_of_name("ESPAÑOL") == "es");
  CHECK(language_of_name("Русский") == "ru");
  // Nothing to tell from: the corpus's first language.
  CHECK(document_facts(Document{}).lang == "zh");
}

TEST_CASE("language of the fixture PDFs: each as its golden truth says", "[language][fixtures]") {
  namespace fs = std::filesystem;
  std::vector<std::pair<fs::path, std::string>> cases;
  for (const fs::path& dir : {test::source_dir() / "tests/fixtures/lang", test::source_dir() / "tests/fixtures/pdf"})
    for (const auto& entry : fs::directory_iterator(dir)) {
      const fs::path pdf = entry.path();
      if (pdf.extension() != ".pdf" || pdf.string().find(".scrambled") != std::string::npos) continue;
      fs::path truth = pdf;
      truth.replace_extension(".expected.toml");
      const toml::table t = toml::parse_file(truth.string());
      cases.emplace_back(pdf, t["lang"].value_or(std::string("zh")));
    }
  std::sort(cases.begin(), cases.end());
  REQUIRE(cases.size() >= 15);
  for (const auto& [pdf, lang] : cases) {
    CAPTURE(pdf.filename().string());
    auto pages = pdf_bytes_to_pages(test::read_file(pdf), pdf.string());
    REQUIRE(pages);
    auto doc = parse_pages(*pages, ParseOptions{pdf.string(), ""});
    REQUIRE(doc);
    CHECK(document_facts(*doc).lang == lang);
  }
}

TEST_CASE("a scrambled Arabic text layer is refused, naming the file — readable Arabic is not", "[language][fixtures]") {
  namespace fs = std::filesystem;
  const fs::path dir = test::source_dir() / "tests/fixtures/lang";
  const fs::path scrambled = dir / "CBD-NP-MOP-4-12.ar.scrambled.pdf";
  auto pages = pdf_bytes_to_pages(test::read_file(scrambled), scrambled.string());
  REQUIRE(pages);
  auto doc = parse_pages(*pages, ParseOptions{scrambled.string(), ""});
  REQUIRE_FALSE(doc);
  CHECK(doc.error().message.find("scrambled") != std::string::npos);
  CHECK(doc.error().describe().find("CBD-NP-MOP-4-12.ar.scrambled.pdf") != std::string::npos);
  // The text that was rendered, read as a text extract: refused too; the text as written is not.
  CHECK_FALSE(parse_document(test::read_file(dir / "CBD-NP-MOP-4-12.ar.scrambled.txt"), ParseOptions{"scrambled.txt", ""}));
  CHECK(scrambled_arabic({}) == std::nullopt);
  std::vector<std::string> logical_words;
  {
    const std::string logical = test::read_file(dir / "CBD-NP-MOP-4-12.ar.logical.txt");
    std::istringstream in(logical);
    for (std::string w; in >> w;) logical_words.push_back(w);
  }
  const std::vector<std::string_view> views(logical_words.begin(), logical_words.end());
  CHECK(views.size() > 40);
  CHECK(scrambled_arabic(views) == std::nullopt);
  // The word-processor Arabic fixtures are read (their order is another matter), not refused.
  for (const char* name : {"CBD-NP-MOP-4-2.ar.pdf", "CBD-NP-MOP-4-11.ar.pdf"}) {
    auto p = pdf_bytes_to_pages(test::read_file(dir / name), name);
    REQUIRE(p);
    CHECK(parse_pages(*p, ParseOptions{name, ""}));
  }
}
