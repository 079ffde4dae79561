// PDF path against text path on the same documents (issue 22, "Speed"): for each PDF, the time
// to read it through its page model and lay it out (pdf_bytes_to_pages + parse_pages) beside
// the time to parse its text extract (pdftotext -layout's text, pdf_bytes_to_text, read by
// parse_document) and beside the old PDF path (extract + parse). MB are bytes of the text
// extract for every path, so the rates compare like with like.
//
//   pdf_path_bench [--rounds N] FILE.pdf...
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/documents/parser.h"
#include "core/documents/pdf_text.h"

namespace {

using Clock = std::chrono::steady_clock;

std::string read(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

template <class F>
double seconds(int rounds, F&& f) {
  const auto start = Clock::now();
  for (int i = 0; i < rounds; ++i) f();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 20;
  std::vector<const char*> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) rounds = std::atoi(argv[++i]);
    else files.push_back(argv[i]);
  }
  if (files.empty() || rounds < 1) {
    std::fprintf(stderr, "usage: pdf_path_bench [--rounds N] FILE.pdf...\n");
    return 2;
  }
  double pages = 0, text_bytes = 0, pdf_bytes = 0, t_pdf = 0, t_text = 0, t_old = 0;
  for (const char* f : files) {
    const std::string bytes = read(f);
    auto text = treaty::pdf_bytes_to_text(bytes, f);
    auto model = treaty::pdf_bytes_to_pages(bytes, f);
    if (!text || !model) {
      std::fprintf(stderr, "pdf_path_bench: %s: cannot read\n", f);
      return 1;
    }
    pages += static_cast<double>(model->pages.size()) * rounds;
    text_bytes += static_cast<double>(text->size()) * rounds;
    pdf_bytes += static_cast<double>(bytes.size()) * rounds;
    const treaty::ParseOptions options{f, ""};
    bool ok = true;
    t_pdf += seconds(rounds, [&] {
      auto m = treaty::pdf_bytes_to_pages(bytes, f);
      ok = ok && m && treaty::parse_pages(*m, options).has_value();
    });
    t_text += seconds(rounds, [&] { ok = ok && treaty::parse_document(*text, options).has_value(); });
    t_old += seconds(rounds, [&] {
      auto t = treaty::pdf_bytes_to_text(bytes, f);
      ok = ok && t && treaty::parse_document(*t, options).has_value();
    });
    if (!ok) {
      std::fprintf(stderr, "pdf_path_bench: %s: does not parse\n", f);
      return 1;
    }
  }
  const double mb = text_bytes / 1e6;
  std::printf("| path | pages/s | MB/s (text) | MB/s (PDF bytes) |\n|---|---|---|---|\n");
  std::printf("| PDF: page model + layout | %.0f | %.2f | %.2f |\n", pages / t_pdf, mb / t_pdf, pdf_bytes / 1e6 / t_pdf);
  std::printf("| text extract: parse only | %.0f | %.2f | - |\n", pages / t_text, mb / t_text);
  std::printf("| old PDF path: extract + parse | %.0f | %.2f | %.2f |\n", pages / t_old, mb / t_old, pdf_bytes / 1e6 / t_old);
  std::printf("\n%zu files, %.0f pages, %.2f MB of text per round, %d rounds; PDF path / text path: %.2fx\n",
              files.size(), pages / rounds, mb / rounds, rounds, t_text / t_pdf);
  return 0;
}
