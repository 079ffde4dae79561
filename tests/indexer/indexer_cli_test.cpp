// End-to-end: runs the real indexer binary on temporary directories and reads the index back.
#include <catch2/catch.hpp>

#include <sstream>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include <map>

#include "core/index/index_layout.h"
#include "core/index/index_reader.h"
#include "core/index/index_writer.h"
#include "core/index/schema.h"
#include "core/search/resources.h"
#include "core/text/analyzer.h"
#include "core/vectors/vector_store.h"
#include "tests/support/fake_embedding_server.h"
#include "tests/support/test_support.h"

using namespace treaty;
namespace fs = std::filesystem;

namespace {

struct RunResult {
  int code;
  std::string out;
  std::string err;
};

// Runs the indexer with `args` (already shell-quoted as needed), capturing both streams.
RunResult run_indexer(const test::TempDir& tmp, const std::string& args) {
  const fs::path out = tmp.path() / "stdout.txt";
  const fs::path err = tmp.path() / "stderr.txt";
  const std::string cmd = "'" + std::string(TREATY_INDEXER_BIN) + "' --quiet " + args + " >'" + out.string() +
                          "' 2>'" + err.string() + "'";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, test::read_file(out), test::read_file(err)};
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// Starts the indexer with `args` without waiting for it; its streams go to files in `tmp`. The
// shell execs it, so the pid is the indexer's, with SIGINT at its default action.
pid_t spawn_indexer(const test::TempDir& tmp, const std::string& args) {
  const std::string cmd = "exec '" + std::string(TREATY_INDEXER_BIN) + "' --quiet " + args + " >'" +
                          (tmp.path() / "stdout.txt").string() + "' 2>'" + (tmp.path() / "stderr.txt").string() + "'";
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, interrupt;
  sigemptyset(&none);
  sigemptyset(&interrupt);
  sigaddset(&interrupt, SIGINT);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &interrupt);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const char* argv[] = {"/bin/sh", "-c", cmd.c_str(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/bin/sh", nullptr, &attr, const_cast<char* const*>(argv), environ);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw std::runtime_error("cannot start the indexer");
  return pid;
}

constexpr std::size_t kSeedPassages = 53;  // header + 37 paragraphs + 15 items
const std::string kSeedSymbol = "UNEP/CBD/NP/COP-MOP/1/6";

// A small well-formed document with its own symbol.
std::string small_document(const std::string& symbol) {
  return " 联合国 \n\n" + symbol + " \n\n执行秘书的说明 \n\n一.     导言 \n\n"
         "1. 粮农组织与环境规划署在 2015 年 3 月合作。 \n\n2. 第 X/1 号决定。 \n";
}

}  // namespace

TEST_CASE("indexer add builds a passage index of corpus/ that reads back") {
  test::TempDir tmp;
  const fs::path index = tmp.path() / "index";
  const RunResult r = run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(test::source_dir() / "corpus"));
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto summary = nlohmann::json::parse(r.out);
  CHECK(summary["documents"] == 1);
  CHECK(summary["passages"] == kSeedPassages);

  auto reader = IndexReader::open(index);
  const auto res = test::project_resources();  // the gazetteer labels passages' organizations
  REQUIRE(reader);
  const IndexStats stats = reader->stats();
  CHECK(stats.documents == 1);
  CHECK(stats.passages == kSeedPassages);
  CHECK(stats.symbols == std::vector<std::string>{kSeedSymbol});
  CHECK_FALSE(stats.last_commit.empty());
  CHECK(stats.size_bytes > 0);

  auto p21 = reader->passage(kSeedSymbol + "#21", res->gazetteer);
  REQUIRE(p21);
  const std::string text21 = (*p21)["text"];
  CHECK(text21.find("区域经济委员会") != std::string::npos);
  CHECK(text21.find("Page 5") == std::string::npos);

  auto p12 = reader->passage(kSeedSymbol + "#12", res->gazetteer);
  REQUIRE(p12);
  REQUIRE((*p12)["footnotes"].size() == 1);
  CHECK((*p12)["footnotes"][0]["number"] == 1);
  CHECK((*p12)["symbols"] == nlohmann::json::array({"UNEP/CBD/NP/COP-MOP/1/INF/5"}));

  auto item = reader->passage(kSeedSymbol + "#27(b)", res->gazetteer);
  REQUIRE(item);
  CHECK((*item)["kind"] == "item");
  CHECK_FALSE(reader->passage(kSeedSymbol + "#99", res->gazetteer));

  auto doc = reader->document(kSeedSymbol);
  REQUIRE(doc);
  CHECK((*doc)["passage_ids"].size() == kSeedPassages);
  CHECK((*doc)["header"]["title"] == "与其他公约、国际组织和倡议的合作");

  // Field terms as the schema promises.
  Xapian::Database& db = reader->database();
  CHECK(db.get_termfreq("XD10/1") == 1);        // X/1: para 7 only
  CHECK(db.get_termfreq("XD11/1") == 2);        // XI/1 D (para 2) and XI/1 E (para 3)
  CHECK(db.get_termfreq("XD11/1 d") == 1);
  CHECK(db.get_termfreq("XSYMUNEP/CBD/COP/12/24") == 1);
  CHECK(db.get_termfreq("XOsprep") >= 1);
  CHECK(db.get_termfreq("XY2014") >= 5);
  CHECK(db.get_termfreq("XM201406") >= 1);
  CHECK(db.get_termfreq("B缔约") >= 1);

  SECTION("re-adding the same document replaces it") {
    const RunResult again = run_indexer(tmp, "add --index " + quoted(index) + " " + quoted(test::seed_path()));
    INFO(again.err);
    REQUIRE(again.code == 0);
    reader->reopen();
    CHECK(reader->stats().passages == kSeedPassages);
  }

  SECTION("remove deletes every passage of a document; an unknown symbol is an error") {
    const RunResult removed = run_indexer(tmp, "--index " + quoted(index) + " remove " + kSeedSymbol);
    INFO(removed.err);
    CHECK(removed.code == 0);
    reader->reopen();
    CHECK(reader->stats().passages == 0);
    CHECK_FALSE(reader->document(kSeedSymbol));
    const RunResult unknown = run_indexer(tmp, "--index " + quoted(index) + " remove UNEP/CBD/NOPE/1");
    CHECK(unknown.code == 1);
    CHECK(unknown.err.find("UNEP/CBD/NOPE/1") != std::string::npos);
  }

  SECTION("a bad document in a run leaves the index at its last commit") {
    const fs::path docs = tmp.path() / "docs";
    fs::create_directories(docs);
    test::write_file(docs / "a-good.txt", small_document("UNEP/CBD/NP/COP-MOP/9/1"));
    test::write_file(docs / "b-bad.txt", "1. 好的一行 \n\n第二行\xFF坏 \n");
    const RunResult bad = run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(docs));
    CHECK(bad.code == 1);
    CHECK(bad.err.find("b-bad.txt:3") != std::string::npos);
    CHECK(bad.err.find("UTF-8") != std::string::npos);
    reader->reopen();
    CHECK(reader->stats().documents == 1);  // the good document was not committed either

    const RunResult skip = run_indexer(tmp, "--index " + quoted(index) + " add --keep-going " + quoted(docs));
    CHECK(skip.code == 1);  // still reports the failure
    reader->reopen();
    CHECK(reader->stats().documents == 2);
    CHECK(reader->passage("UNEP/CBD/NP/COP-MOP/9/1#2", res->gazetteer));
  }
}

TEST_CASE("indexer add: the versions of one symbol in two languages are both indexed — two files of one language are refused") {
  test::TempDir tmp;
  const fs::path index = tmp.path() / "index";
  const fs::path fixtures = test::source_dir() / "tests/fixtures";
  const fs::path zh = fixtures / "pdf/CBD-NP-MOP-4-2.pdf", en = fixtures / "lang/CBD-NP-MOP-4-2.en.pdf";
  const fs::path copy = tmp.path() / "copy.en.pdf";
  fs::copy_file(en, copy);
  const RunResult twice = run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(en) + " " + quoted(copy));
  CHECK(twice.code == 1);
  CHECK(twice.err.find("CBD/NP/MOP/4/2 in language en is also in") != std::string::npos);
  CHECK(twice.err.find("copy.en.pdf") != std::string::npos);
  CHECK(twice.err.find("CBD-NP-MOP-4-2.en.pdf") != std::string::npos);
  CHECK(twice.err.find("nothing written") != std::string::npos);
  CHECK_FALSE(fs::exists(index / "XAPIANDB"));

  const RunResult both = run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(zh) + " " + quoted(en));
  REQUIRE(both.code == 0);
  auto reader = IndexReader::open(index);
  REQUIRE(reader);
  CHECK(reader->versions("CBD/NP/MOP/4/2") == std::vector<std::string>{"en", "zh"});
  CHECK(reader->database().get_metadata(std::string(schema::kMetaLinksPrefix) + "CBD/NP/MOP/4/2").size() > 100);

  // The dictionary mined from them, inspectable.
  const RunResult dictionary = run_indexer(tmp, "--index " + quoted(index) + " dictionary --lang zh-en");
  REQUIRE(dictionary.code == 0);
  const auto d = nlohmann::json::parse(dictionary.out);
  CHECK(d["lang"] == "zh-en");
  CHECK(d["pairs"].get<int>() > 20);
  CHECK_FALSE(d["entries"].empty());
  const RunResult french = run_indexer(tmp, "--index " + quoted(index) + " dictionary --lang zh-fr");
  CHECK(french.code == 0);
  CHECK(french.err.find("no dictionary zh-fr in this index") != std::string::npos);
  CHECK(run_indexer(tmp, "--index " + quoted(index) + " dictionary --lang en-zh").code == 2);  // usage
}

TEST_CASE("indexer rejects bad input with a message naming the file") {
  test::TempDir tmp;
  const fs::path index = tmp.path() / "index";
  struct Row {
    std::string name;
    std::string bytes;
    std::string message;  // expected in stderr
  };
  const std::vector<Row> rows = {
      {"empty.txt", "", "empty"},
      {"blank.txt", " \n\n  \n", "empty"},
      {"latin1.txt", "1. caf\xE9 \n", "UTF-8"},
      {"nosymbol.txt", "1. 没有文号的文件。 \n", "--symbol"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    const fs::path file = tmp.path() / row.name;
    test::write_file(file, row.bytes);
    const RunResult r = run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(file));
    CHECK(r.code == 1);
    CHECK(r.err.find(row.name) != std::string::npos);
    CHECK(r.err.find(row.message) != std::string::npos);
  }
  const RunResult missing = run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(tmp.path() / "nope.txt"));
  CHECK(missing.code == 1);
  CHECK(missing.err.find("nope.txt") != std::string::npos);

  // Nothing was ever committed.
  const bool nothing_committed =
      run_indexer(tmp, "--index " + quoted(index) + " stats").code != 0 || IndexReader::open(index)->stats().passages == 0;
  CHECK(nothing_committed);

  // The same document, given its symbol, indexes fine.
  const RunResult with_symbol = run_indexer(
      tmp, "--index " + quoted(index) + " add --symbol UNEP/CBD/TEST/1 " + quoted(tmp.path() / "nosymbol.txt"));
  INFO(with_symbol.err);
  CHECK(with_symbol.code == 0);
  auto reader = IndexReader::open(index);
  const auto res = test::project_resources();  // the gazetteer labels passages' organizations
  REQUIRE(reader);
  CHECK(reader->passage("UNEP/CBD/TEST/1#1", res->gazetteer));
}

TEST_CASE("indexer add and inspect read PDFs as their text extracts do — a PDF that cannot be read is skipped") {
  test::TempDir tmp;
  const std::string symbol = "UNEP/CBD/NP/COP-MOP/9/7";
  const fs::path docs = tmp.path() / "docs";
  fs::create_directories(docs / "sub");
  const fs::path txt = tmp.path() / "note.txt";
  test::write_file(txt, small_document(symbol));
  test::make_pdf(small_document(symbol), docs / "sub" / "note.pdf");  // leaves note.pdf.in beside it

  // inspect: the PDF parses as its text extract does (its symbol found in its text).
  const RunResult from_txt = run_indexer(tmp, "inspect " + quoted(txt));
  const RunResult from_pdf = run_indexer(tmp, "inspect " + quoted(docs / "sub" / "note.pdf"));
  INFO(from_pdf.err);
  REQUIRE(from_txt.code == 0);
  REQUIRE(from_pdf.code == 0);
  auto pdf_doc = nlohmann::json::parse(from_pdf.out);
  auto txt_doc = nlohmann::json::parse(from_txt.out);
  CHECK(pdf_doc["symbol"] == symbol);
  CHECK(pdf_doc["source"] == (docs / "sub" / "note.pdf").string());
  CHECK(pdf_doc["header"] == txt_doc["header"]);
  CHECK(pdf_doc["sections"] == txt_doc["sections"]);
  // A PDF is read through its page layout: the same passages, but its line numbers count printed
  // lines, not the lines of a text extract.
  for (auto* d : {&pdf_doc, &txt_doc})
    for (auto& p : (*d)["passages"]) p.erase("lines");
  CHECK(pdf_doc["passages"] == txt_doc["passages"]);

  // add DIR: *.pdf files are found (recursively) and indexed.
  const fs::path index = tmp.path() / "index";
  const RunResult added = run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(docs));
  INFO(added.err);
  REQUIRE(added.code == 0);
  CHECK(nlohmann::json::parse(added.out)["documents"] == 1);
  auto reader = IndexReader::open(index);
  const auto res = test::project_resources();  // the gazetteer labels passages' organizations
  REQUIRE(reader);
  CHECK(reader->stats().symbols == std::vector<std::string>{symbol});
  CHECK(reader->stats().passages == 3);  // header + 2 paragraphs
  auto p1 = reader->passage(symbol + "#1", res->gazetteer);
  REQUIRE(p1);
  CHECK((*p1)["text"] == "粮农组织与环境规划署在 2015 年 3 月合作。");

  // A corrupt, an encrypted and an image-only (blank) PDF: exit 1 naming the file, no index.
  const fs::path corrupt = tmp.path() / "corrupt.pdf";
  test::write_file(corrupt, "%PDF-1.4\n garbage \xFF\n");
  const fs::path locked = tmp.path() / "locked.pdf";
  test::run_command("qpdf --encrypt secret secret 256 -- " + quoted(docs / "sub" / "note.pdf") + " " + quoted(locked));
  const fs::path blank = tmp.path() / "blank.pdf";
  test::make_pdf("", blank);
  for (const auto& [bad, message] : {std::pair{corrupt, "not a readable PDF"}, std::pair{locked, "encrypted PDF"},
                                     std::pair{blank, "the PDF has no text layer"}}) {
    CAPTURE(bad);
    const fs::path none = tmp.path() / "no-index";
    const RunResult r = run_indexer(tmp, "--index " + quoted(none) + " add " + quoted(bad));
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.err.find(bad.string() + ": " + message) != std::string::npos);
    CHECK_FALSE(fs::exists(none));
    CHECK(run_indexer(tmp, "inspect " + quoted(bad)).code == 1);
  }
  // In a directory with a good document, a PDF that cannot be read is skipped with an error
  // naming it, and the other documents of the same add are indexed (exit code 1 all the same).
  fs::copy_file(corrupt, docs / "corrupt.pdf");
  test::write_file(docs / "other.txt", small_document("UNEP/CBD/NP/COP-MOP/9/8"));
  const RunResult mixed = run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(docs));
  INFO(mixed.err);
  CHECK(mixed.code == 1);
  CHECK(mixed.err.find((docs / "corrupt.pdf").string() + ": not a readable PDF") != std::string::npos);
  CHECK(mixed.err.find("(skipped)") != std::string::npos);
  reader->reopen();
  CHECK(reader->stats().symbols == std::vector<std::string>{symbol, "UNEP/CBD/NP/COP-MOP/9/8"});
  // A bad text extract in the same run still stops it: nothing more is written.
  test::write_file(docs / "zz-bad.txt", "1. 好的一行 \n\n第二行\xFF坏 \n");
  test::write_file(docs / "new.txt", small_document("UNEP/CBD/NP/COP-MOP/9/9"));
  const RunResult stopped = run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(docs));
  CHECK(stopped.code == 1);
  reader->reopen();
  CHECK(reader->stats().documents == 2);
}

TEST_CASE("a second writer gets a clear 'locked' error") {
  test::TempDir tmp;
  const fs::path index = tmp.path() / "index";
  auto writer = IndexWriter::open(index);
  REQUIRE(writer);
  const RunResult r = run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(test::seed_path()));
  CHECK(r.code == 3);
  CHECK(r.err.find("locked") != std::string::npos);
}

TEST_CASE("indexer inspect prints the parsed document and leaves no index behind") {
  test::TempDir tmp;
  const fs::path index = tmp.path() / "index";
  const RunResult r = run_indexer(tmp, "--index " + quoted(index) + " inspect " + quoted(test::seed_path()));
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["symbol"] == kSeedSymbol);
  CHECK(doc["passages"].size() == kSeedPassages);
  CHECK(doc["footnotes"].size() == 4);
  CHECK(doc["passages"][0]["para"] == "header");
  CHECK_FALSE(fs::exists(index));
}

TEST_CASE("indexer inspect --warnings lists what the parser could not read as expected") {
  test::TempDir tmp;
  const fs::path fixture = test::source_dir() / "tests" / "fixtures" / "CBD-NP-MOP-3-4-Add-1.zh.txt";
  const RunResult r = run_indexer(tmp, "inspect --warnings " + quoted(fixture));
  INFO(r.err);
  REQUIRE(r.code == 0);
  // One "file:line: message" line per warning: the numbering gap and the repeated number.
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].starts_with(fixture.string() + ":"));
  CHECK(lines[0].find("numbering gap: paragraph 4 is followed by 6") != std::string::npos);
  CHECK(lines[1].find("repeated paragraph number 7") != std::string::npos);
  // The JSON of a plain inspect carries the same warnings with their lines.
  const RunResult json_run = run_indexer(tmp, "inspect " + quoted(fixture));
  REQUIRE(json_run.code == 0);
  const auto doc = nlohmann::json::parse(json_run.out);
  REQUIRE(doc["warnings"].size() == 2);
  CHECK(lines[0] == fixture.string() + ":" + std::to_string(doc["warnings"][0]["line"].get<int>()) + ": " +
                        doc["warnings"][0]["message"].get<std::string>());
  CHECK(doc["header"]["distribution"] == "general");
  CHECK(doc["header"]["issued"] == "2018-10-22");
  // The seed has none.
  CHECK(run_indexer(tmp, "inspect --warnings " + quoted(test::seed_path())).out.empty());
}

TEST_CASE("indexer stats on a missing index fails with exit code 3") {
  test::TempDir tmp;
  const RunResult r = run_indexer(tmp, "--index " + quoted(tmp.path() / "none") + " stats");
  CHECK(r.code == 3);
  CHECK(r.err.find("none") != std::string::npos);
}

TEST_CASE("an interrupted run leaves the index at its last commit") {
  test::TempDir tmp;
  const fs::path index = tmp.path() / "index";
  REQUIRE(run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(test::seed_path())).code == 0);

  // The embedding server answers five documents (one request each), then holds the sixth's
  // request: the indexer is then certainly mid-run, with five documents written but not
  // committed, when it gets SIGINT.
  test::FakeEmbeddingServer server;
  server.enqueue({}, 5);
  server.enqueue({.hold = true});
  const fs::path docs = tmp.path() / "docs";
  fs::create_directories(docs);
  for (int i = 0; i < 20; ++i)
    test::write_file(docs / ("d" + std::to_string(i) + ".txt"), small_document("UNEP/CBD/NP/COP-MOP/7/" + std::to_string(i)));
  const pid_t pid = spawn_indexer(tmp, "--index " + quoted(index) + " add " + quoted(docs) + " --embed-url " +
                                           server.base_url() + " --embed-model fake-model");
  REQUIRE(server.wait_for_requests(6));
  REQUIRE(::kill(pid, SIGINT) == 0);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  server.release();
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGINT);
  CHECK(server.request_count() == 6);

  auto reader = IndexReader::open(index);
  REQUIRE(reader);
  CHECK(reader->stats().documents == 1);
  CHECK(reader->stats().passages == kSeedPassages);
  CHECK(VectorStore::load(index)->size() == 0);  // no vectors.bin either
}

TEST_CASE("a bulk load into a new index is all or nothing, in parallel or not") {
  test::TempDir tmp;
  const fs::path docs = tmp.path() / "docs";
  fs::create_directories(docs);
  for (int i = 0; i < 6; ++i)
    test::write_file(docs / ("d" + std::to_string(i) + ".txt"), small_document("UNEP/CBD/NP/COP-MOP/9/" + std::to_string(i)));
  // Threads, and shards: "--shard-passages 2" starts a new shard after every document (3
  // passages), so the final compaction merges many; the index is the same.
  for (const std::string threads : {"1", "3", "2 --shard-passages 2"}) {
    CAPTURE(threads);
    const fs::path index = tmp.path() / ("index-" + threads.substr(0, 1));
    const RunResult r = run_indexer(tmp, "--index " + quoted(index) + " add --threads " + threads + " " + quoted(docs));
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(nlohmann::json::parse(r.out)["mode"] == "bulk");
    auto reader = IndexReader::open(index);
    const auto res = test::project_resources();  // the gazetteer labels passages' organizations
    REQUIRE(reader);
    CHECK(reader->stats().documents == 6);
    CHECK(reader->stats().passages == 18);  // header + 2 paragraphs each
    CHECK(reader->passage("UNEP/CBD/NP/COP-MOP/9/5#2", res->gazetteer));
    CHECK(reader->document("UNEP/CBD/NP/COP-MOP/9/3"));
    // No build directories are left beside the index.
    for (const auto& entry : fs::directory_iterator(tmp.path()))
      CHECK(entry.path().filename().string().find(".build-") == std::string::npos);
  }
  // A symbol given twice fails the whole run before anything is written.
  test::write_file(docs / "z-dup.txt", small_document("UNEP/CBD/NP/COP-MOP/9/2"));
  const fs::path index = tmp.path() / "index-dup";
  const RunResult dup = run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(docs));
  CHECK(dup.code == 1);
  CHECK(dup.err.find("z-dup.txt") != std::string::npos);
  CHECK(dup.err.find("d2.txt") != std::string::npos);
  CHECK_FALSE(fs::exists(index));
}

TEST_CASE("a bulk load commits its shard as it goes and loses nothing") {
  // 400 documents of 3 passages into one shard: past the 1,000 passages after which a shard
  // commits (kShardCommitPassages), so the run crosses an intermediate commit.
  test::TempDir tmp;
  const fs::path docs = tmp.path() / "docs";
  fs::create_directories(docs);
  for (int i = 0; i < 400; ++i)
    test::write_file(docs / ("d" + std::to_string(i) + ".txt"), small_document("UNEP/CBD/NP/COP-MOP/8/" + std::to_string(i)));
  const fs::path index = tmp.path() / "index";
  const RunResult r = run_indexer(tmp, "--index " + quoted(index) + " add --threads 1 " + quoted(docs));
  INFO(r.err);
  REQUIRE(r.code == 0);
  auto reader = IndexReader::open(index);
  const auto res = test::project_resources();  // the gazetteer labels passages' organizations
  REQUIRE(reader);
  CHECK(reader->stats().documents == 400);
  CHECK(reader->stats().passages == 1200);
  for (int i : {0, 199, 333, 399}) CHECK(reader->passage("UNEP/CBD/NP/COP-MOP/8/" + std::to_string(i) + "#2", res->gazetteer));
}

TEST_CASE("with an embeddings server, passage vectors are stored with the index and kept in step") {
  test::TempDir tmp;
  test::FakeEmbeddingServer server;
  const fs::path index = tmp.path() / "index";
  const std::string embed = " --embed-url " + server.base_url() + " --embed-model fake-model";

  const RunResult bulk = run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(test::seed_path()) + embed);
  INFO(bulk.err);
  REQUIRE(bulk.code == 0);
  CHECK(nlohmann::json::parse(bulk.out)["vectors"] == kSeedPassages);
  auto store = VectorStore::load(index);
  REQUIRE(store);
  CHECK(store->size() == kSeedPassages);
  CHECK(store->model() == "fake-model");
  const auto v21 = store->vector("zh:" + kSeedSymbol + "#21");
  REQUIRE(v21);
  CHECK(v21->size() == 64);

  SECTION("a failing server stops the run before anything is written") {
    server.enqueue({.status = 500}, 100);
    const fs::path docs = tmp.path() / "docs";
    fs::create_directories(docs);
    test::write_file(docs / "new.txt", small_document("UNEP/CBD/NP/COP-MOP/9/9"));
    const RunResult r = run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(docs) + embed);
    CHECK(r.code == 5);
    CHECK(r.err.find("embedding failed") != std::string::npos);
    auto reader = IndexReader::open(index);
    REQUIRE(reader);
    CHECK(reader->stats().documents == 1);
    CHECK(VectorStore::load(index)->size() == kSeedPassages);
  }

  SECTION("another model is refused; removing a document removes its vectors") {
    const RunResult other = run_indexer(
        tmp, "--index " + quoted(index) + " add " + quoted(test::seed_path()) + " --embed-url " + server.base_url() +
                 " --embed-model other-model");
    CHECK(other.code == 4);
    const RunResult removed = run_indexer(tmp, "--index " + quoted(index) + " remove " + kSeedSymbol);
    INFO(removed.err);
    CHECK(removed.code == 0);
    CHECK(VectorStore::load(index)->size() == 0);
  }

  SECTION("an unreachable server is a clear error") {
    std::string closed;  // the URL of a server that has stopped: connections are refused
    {
      test::FakeEmbeddingServer gone;
      closed = gone.base_url();
    }
    const RunResult r = run_indexer(tmp, "--index " + quoted(tmp.path() / "other") + " add " +
                                             quoted(test::seed_path()) + " --embed-url " + closed +
                                             " --embed-model m --embed-timeout-ms 500");
    CHECK(r.code == 5);
    CHECK(r.err.find(closed) != std::string::npos);
    CHECK(r.err.find("cannot connect") != std::string::npos);
    CHECK_FALSE(fs::exists(tmp.path() / "other"));
  }
}

namespace {

// What an index holds, for comparing two builds: every term with its frequency, and every
// passage's stored JSON by id.
struct Snapshot {
  std::map<std::string, Xapian::doccount> terms;
  std::map<std::string, std::string> passages;
  bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(const Xapian::Database& db) {
  Snapshot s;
  for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) s.terms[*it] = it.get_termfreq();
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    const Xapian::Document d = db.get_document(*it);
    s.passages[d.get_value(schema::kSlotId)] = d.get_data();
  }
  return s;
}

}  // namespace

TEST_CASE("indexer reindex rebuilds an index of an earlier schema that stores sources, which readers refuse") {
  test::TempDir tmp;
  const fs::path index = tmp.path() / "index";
  REQUIRE(run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(test::source_dir() / "corpus")).code == 0);
  {
    // Schema 7 stored the same sources (its passages' data was JSON: reindex does not read it).
    Xapian::WritableDatabase db(index.string(), Xapian::DB_OPEN);
    db.set_metadata(std::string(schema::kMetaSchemaVersion), "7");
    db.commit();
  }
  auto refused = IndexReader::open(index);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("schema version 7, expected " + std::string(schema::kSchemaVersion) +
                                     " (rebuild it from its stored sources with `indexer reindex`)") != std::string::npos);
  CHECK(run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(test::source_dir() / "corpus")).code != 0);

  const RunResult r = run_indexer(tmp, "--index " + quoted(index) + " reindex");
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(nlohmann::json::parse(r.out)["passages"] == kSeedPassages);
  auto reader = IndexReader::open(index);
  REQUIRE(reader);
  CHECK(reader->database().get_metadata(std::string(schema::kMetaSchemaVersion)) == schema::kSchemaVersion);
  const auto res = test::project_resources();
  CHECK(reader->passage(kSeedSymbol + "#21", res->gazetteer));
}

TEST_CASE("indexer reindex rebuilds the index from its sources with the current configuration") {
  test::TempDir tmp;
  const fs::path index = tmp.path() / "index";
  const std::string term = "区域经济委员会";
  const std::string lexicon_term = std::string(schema::kLexiconTerm) + term;
  REQUIRE(run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(test::source_dir() / "corpus")).code == 0);
  CHECK(read_stub(index) == "glass gen-1\n");
  auto before = IndexReader::open(index);
  REQUIRE(before);
  const Snapshot built = snapshot(before->database());
  CHECK(built.passages.size() == kSeedPassages);
  CHECK(before->database().get_termfreq(lexicon_term) == 0);
  REQUIRE(before->source(kSeedSymbol + "@zh"));
  CHECK((*before->source(kSeedSymbol + "@zh"))["text"] == test::read_file(test::source_dir() / "corpus" / "UNEP-CBD-NP-COP-MOP-1-6.zh.txt"));

  // Same configuration: the same passages and terms, in generation 2.
  RunResult r = run_indexer(tmp, "--index " + quoted(index) + " reindex");
  INFO(r.err);
  REQUIRE(r.code == 0);
  auto summary = nlohmann::json::parse(r.out);
  CHECK(summary["documents"] == 1);
  CHECK(summary["passages"] == kSeedPassages);
  CHECK(summary["generation"] == 2);
  CHECK(summary["removed_generations"] == 0);
  CHECK(current_generation(index) == 2);
  // The reader opened before still answers from generation 1 until it reopens.
  const std::string uuid = before->database().get_uuid();
  CHECK(before->stats().passages == kSeedPassages);
  CHECK(before->passage(kSeedSymbol + "#21", test::project_resources()->gazetteer));
  before->reopen();
  CHECK(before->database().get_uuid() != uuid);
  CHECK(snapshot(before->database()) == built);

  // One lexicon term more: the index records the old lexicon until reindex adds the term.
  test::TempDir config_dir;
  const fs::path config = test::config_with_extra_term(config_dir.path(), term);
  auto changed = Resources::load(ResourcePaths::in_directory(config));
  REQUIRE(changed);
  CHECK(analysis_differences(before->analysis(), (*changed)->analysis).size() == 1);
  r = run_indexer(tmp, "--index " + quoted(index) + " --config-dir " + quoted(config) + " reindex");
  INFO(r.err);
  REQUIRE(r.code == 0);
  summary = nlohmann::json::parse(r.out);
  CHECK(summary["generation"] == 3);
  CHECK(summary["removed_generations"] == 1);  // gen-1; gen-2 stays for readers not yet reopened
  CHECK_FALSE(fs::exists(index / "gen-1"));
  CHECK(fs::exists(index / "gen-2"));
  before->reopen();
  CHECK(analysis_differences(before->analysis(), (*changed)->analysis).empty());
  CHECK(before->database().get_termfreq(lexicon_term) == 1);
  CHECK(snapshot(before->database()).passages == built.passages);

  // add and remove keep working on the new generation; adding with the old configuration says
  // the index was analysed otherwise and leaves its record.
  test::write_file(tmp.path() / "small.txt", small_document("UNEP/CBD/T/9"));
  r = run_indexer(tmp, "--index " + quoted(index) + " add " + quoted(tmp.path() / "small.txt"));
  REQUIRE(r.code == 0);
  CHECK(r.err.find("lexicon (lexicon.txt) changed since indexing") != std::string::npos);
  before->reopen();
  CHECK(before->stats().documents == 2);
  CHECK(analysis_differences(before->analysis(), (*changed)->analysis).empty());
  REQUIRE(run_indexer(tmp, "--index " + quoted(index) + " remove UNEP/CBD/T/9").code == 0);
  before->reopen();
  CHECK(before->stats().documents == 1);
  CHECK_FALSE(before->source("UNEP/CBD/T/9@zh"));
  CHECK(Xapian::Database(generation_dir(index, 3).string()).get_doccount() == kSeedPassages);
}

TEST_CASE("indexer reindex refuses an index without stored sources and leaves it unchanged") {
  test::TempDir tmp;
  const fs::path index = tmp.path() / "index";
  auto res = test::project_resources();
  test::write_file(tmp.path() / "small.txt", small_document("UNEP/CBD/T/9"));
  const Document doc = test::parse_file(tmp.path() / "small.txt");
  {
    auto writer = IndexWriter::open(index, {.analysis = res->analysis});
    REQUIRE(writer);
    Analyzer analyzer(res->normalizer, res->lexicon);
    writer->replace_document(doc, extract_fields(doc, res->normalizer, res->gazetteer), analyzer);
    writer->commit();
  }
  const RunResult r = run_indexer(tmp, "--index " + quoted(index) + " reindex");
  CHECK(r.code == 3);
  CHECK(r.err.find("UNEP/CBD/T/9 (zh) has no stored source") != std::string::npos);
  CHECK(r.err.find("`indexer add`") != std::string::npos);
  CHECK(current_generation(index) == 1);
  CHECK_FALSE(fs::exists(generation_dir(index, 2)));
  CHECK(run_indexer(tmp, "--index " + quoted(tmp.path() / "missing") + " reindex").code == 3);
}

TEST_CASE("integer flags out of range are usage errors, never wrapped") {
  test::TempDir tmp;
  test::write_file(tmp.path() / "d.txt", small_document("UNEP/CBD/NP/COP-MOP/9/1"));
  const std::string add = "--index " + quoted(tmp.path() / "index") + " add " + quoted(tmp.path() / "d.txt") + " ";
  for (const char* flag : {"--threads -1", "--threads 18446744073709551617", "--threads 1025",
                           "--embed-batch -1", "--embed-batch 0", "--embed-timeout-ms 99999999999999999999",
                           "--embed-timeout-ms 0", "--shard-passages 0", "--shard-passages -1"}) {
    INFO(flag);
    const RunResult r = run_indexer(tmp, add + flag + " --embed-url http://127.0.0.1:1/v1");
    CHECK(r.code == 2);
    CHECK(r.err.find("not in range") != std::string::npos);
    CHECK_FALSE(fs::exists(tmp.path() / "index"));
  }
}
