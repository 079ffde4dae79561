#include "core/documents/pdf_text.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "core/documents/parser.h"
#include "tests/support/test_support.h"

// The PDFs are made at test time from texts (pango-view, qpdf; see test::make_pdf) and written
// byte by byte here: no binary fixtures.

namespace {

namespace fs = std::filesystem;
using treaty::Document;
using treaty::ParseOptions;
using treaty::test::make_pdf;
using treaty::test::run_command;
using treaty::test::shell_quoted;

const std::string kSymbol = "UNEP/CBD/NP/COP-MOP/1/6";

// Lines [first, first + count) of the seed text extract (a pdftotext -layout extract: every
// line followed by a blank one), 0-based, each with its '\n'.
std::string seed_lines(std::size_t first, std::size_t count) {
  const std::string seed = treaty::test::read_file(treaty::test::seed_path());
  std::string out;
  std::size_t line = 0;
  for (std::size_t start = 0; start < seed.size() && line < first + count; ++line) {
    std::size_t end = seed.find('\n', start);
    end = end == std::string::npos ? seed.size() : end + 1;
    if (line >= first) out += seed.substr(start, end - start);
    start = end;
  }
  return out;
}

std::string text_of(const fs::path& pdf) {
  auto text = treaty::pdf_to_text(pdf);
  if (!text) FAIL(text.error().describe());
  return *text;
}

Document parse_ok(const std::string& text, const std::string& name) {
  auto doc = treaty::parse_document(text, ParseOptions{name, kSymbol});
  if (!doc) FAIL(doc.error().describe());
  return *doc;
}

// What pdftotext (Debian: poppler-utils) writes for `pdf` with -layout.
std::string pdftotext_layout(const fs::path& pdf) {
  const fs::path out = pdf.string() + ".pdftotext";
  run_command("pdftotext -layout " + shell_quoted(pdf) + " " + shell_quoted(out));
  return treaty::test::read_file(out);
}

// The same header fields, sections and passages (ids, texts, section paths, footnotes).
void check_same_document(const Document& from_pdf, const Document& from_text) {
  CHECK(from_pdf.symbol == from_text.symbol);
  CHECK(from_pdf.header.meeting == from_text.header.meeting);
  CHECK(from_pdf.header.session == from_text.header.session);
  CHECK(from_pdf.header.dates_venue == from_text.header.dates_venue);
  CHECK(from_pdf.header.agenda_item == from_text.header.agenda_item);
  CHECK(from_pdf.header.title == from_text.header.title);
  CHECK(from_pdf.header.doc_type == from_text.header.doc_type);
  REQUIRE(from_pdf.sections.size() == from_text.sections.size());
  for (std::size_t i = 0; i < from_text.sections.size(); ++i) {
    CHECK(from_pdf.sections[i].heading() == from_text.sections[i].heading());
    CHECK(from_pdf.sections[i].first_passage == from_text.sections[i].first_passage);
  }
  REQUIRE(from_pdf.passages.size() == from_text.passages.size());
  for (std::size_t i = 0; i < from_text.passages.size(); ++i) {
    const auto& a = from_pdf.passages[i];
    const auto& b = from_text.passages[i];
    CAPTURE(b.id);
    CHECK(a.id == b.id);
    CHECK(a.text == b.text);
    CHECK(a.section_path == b.section_path);
    CHECK(a.footnotes == b.footnotes);
  }
  CHECK(from_pdf.footnotes.size() == from_text.footnotes.size());
}

// A valid one-page PDF whose page is an image (a 2x2 grey inline image scaled to fill it) and
// has no text, like a scan without OCR; written object by object with the xref offsets right.
std::string image_only_pdf() {
  const std::string content = "q 200 0 0 200 0 0 cm BI /W 2 /H 2 /CS /G /BPC 8 /F /AHx ID 00FF8040> EI Q\n";
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> /Contents 4 0 R >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream",
  };
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t offset : offsets) {
    char entry[21];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// Checks that `result` failed with a message containing `what`, naming `file`.
void check_error(const treaty::Expected<std::string>& result, const std::string& file, const std::string& what) {
  REQUIRE_FALSE(result);
  const std::string message = result.error().describe();
  INFO(message);
  CHECK(result.error().file == file);
  CHECK(message.find(what) != std::string::npos);
}

}  // namespace

TEST_CASE("a PDF gives, through the parser, the same passages as the text extract it shows") {
  treaty::test::TempDir tmp;
  // The cover block, section 一 (paragraphs 1-5) and the start of section 二.
  const std::string extract = seed_lines(0, 60);
  const fs::path pdf = tmp.path() / "seed-60.pdf";
  make_pdf(extract, pdf);

  const std::string text = text_of(pdf);
  CHECK(text == pdftotext_layout(pdf));
  CHECK(std::count(text.begin(), text.end(), '\f') == 1);
  CHECK(text.ends_with("\n\f"));

  const Document from_text = parse_ok(extract, "seed-60.txt");
  const Document from_pdf = parse_ok(text, pdf.string());
  REQUIRE(from_text.passages.size() == 7);  // header + paragraphs 1-6
  CHECK(from_text.sections.size() == 2);
  check_same_document(from_pdf, from_text);
  // Line for line as well: the PDF's extract has the extract's lines, blank ones included.
  for (std::size_t i = 0; i < from_text.passages.size(); ++i) {
    CHECK(from_pdf.passages[i].first_line == from_text.passages[i].first_line);
    CHECK(from_pdf.passages[i].last_line == from_text.passages[i].last_line);
  }
}

TEST_CASE("a multi-page PDF gives its pages in order, each followed by a form feed, as pdftotext does") {
  treaty::test::TempDir tmp;
  const std::string first = seed_lines(0, 30);
  const std::string second = seed_lines(30, 30);
  make_pdf(first, tmp.path() / "p1.pdf");
  make_pdf("", tmp.path() / "blank.pdf");
  make_pdf(second, tmp.path() / "p2.pdf");
  const fs::path pdf = tmp.path() / "three-pages.pdf";
  run_command("qpdf --empty --pages " + shell_quoted(tmp.path() / "p1.pdf") + " " +
              shell_quoted(tmp.path() / "blank.pdf") + " " + shell_quoted(tmp.path() / "p2.pdf") + " -- " +
              shell_quoted(pdf));

  const std::string text = text_of(pdf);
  CHECK(text == pdftotext_layout(pdf));
  const std::string page1 = text_of(tmp.path() / "p1.pdf");
  const std::string page3 = text_of(tmp.path() / "p2.pdf");
  CHECK(text == page1 + "\f" + page3);  // the blank page is an empty page between two '\f'
  CHECK(page1.find("作为关于获取遗传资源") == 0);
  CHECK(page3.find("持各项能力建设和发展倡议") == 0);

  // The page breaks are layout whitespace to the parser: paragraph 2, broken across the pages
  // (the blank one between), is whole again, and the passages are those of the text extract.
  check_same_document(parse_ok(text, pdf.string()), parse_ok(first + second, "seed-60.txt"));
}

TEST_CASE("an encrypted PDF is an error naming the file, unless it opens without a password") {
  treaty::test::TempDir tmp;
  const fs::path plain = tmp.path() / "plain.pdf";
  make_pdf(seed_lines(0, 20), plain);

  const fs::path locked = tmp.path() / "locked.pdf";
  run_command("qpdf --encrypt user-secret owner-secret 256 -- " + shell_quoted(plain) + " " + shell_quoted(locked));
  check_error(treaty::pdf_to_text(locked), locked.string(), "encrypted PDF");

  // Encrypted with an owner password only (permissions): anyone can open and read it.
  const fs::path restricted = tmp.path() / "restricted.pdf";
  run_command("qpdf --encrypt '' owner-secret 256 --extract=n -- " + shell_quoted(plain) + " " +
              shell_quoted(restricted));
  CHECK(text_of(restricted) == text_of(plain));
}

TEST_CASE("a damaged PDF or a file that is not one is an error naming the file") {
  treaty::test::TempDir tmp;
  const fs::path garbage = tmp.path() / "garbage.pdf";
  treaty::test::write_file(garbage, "%PDF-1.4\n\x01\x02 garbage, no objects, no xref, no trailer \xFF\xFE\n");
  check_error(treaty::pdf_to_text(garbage), garbage.string(), "not a readable PDF");

  const fs::path empty = tmp.path() / "empty.pdf";
  treaty::test::write_file(empty, "");
  check_error(treaty::pdf_to_text(empty), empty.string(), "not a readable PDF");

  const fs::path text = tmp.path() / "text.pdf";
  treaty::test::write_file(text, seed_lines(0, 10));
  check_error(treaty::pdf_to_text(text), text.string(), "not a readable PDF");

  check_error(treaty::pdf_to_text(tmp.path() / "missing.pdf"), (tmp.path() / "missing.pdf").string(),
              "cannot read file");
}

TEST_CASE("a PDF without a text layer is an error naming the file") {
  treaty::test::TempDir tmp;
  const fs::path scan = tmp.path() / "scan.pdf";
  treaty::test::write_file(scan, image_only_pdf());
  check_error(treaty::pdf_to_text(scan), scan.string(), "no text layer");

  const fs::path blank = tmp.path() / "blank.pdf";
  make_pdf("", blank);
  check_error(treaty::pdf_to_text(blank), blank.string(), "no text layer");
}

TEST_CASE("pdf_bytes_to_text reads a PDF in memory and names the given source in errors") {
  treaty::test::TempDir tmp;
  const fs::path pdf = tmp.path() / "doc.pdf";
  make_pdf(seed_lines(0, 20), pdf);
  auto text = treaty::pdf_bytes_to_text(treaty::test::read_file(pdf), "memory");
  REQUIRE(text);
  CHECK(*text == text_of(pdf));
  check_error(treaty::pdf_bytes_to_text(image_only_pdf(), "scan"), "scan", "no text layer");
  check_error(treaty::pdf_bytes_to_text("%PDF-1.7\n", "stub"), "stub", "not a readable PDF");
}

TEST_CASE("is_pdf_path goes by the extension, in any case") {
  CHECK(treaty::is_pdf_path("a/b/UNEP-CBD-NP-COP-MOP-1-6.zh.pdf"));
  CHECK(treaty::is_pdf_path("X.PDF"));
  CHECK(treaty::is_pdf_path("x.Pdf"));
  CHECK_FALSE(treaty::is_pdf_path("x.txt"));
  CHECK_FALSE(treaty::is_pdf_path("pdf"));
  CHECK_FALSE(treaty::is_pdf_path("x.pdfx"));
  CHECK_FALSE(treaty::is_pdf_path("dir.pdf/x"));
}
