// parse_input (bytes → checked document) and WriteQueue (serialised writes, group commit, lock
// sharing, vectors), against real indexes in temporary directories.
#include <future>
#include <thread>

#include <catch2/catch.hpp>

#include "core/index/index_reader.h"
#include "core/index/schema.h"
#include "core/index/index_writer.h"
#include "core/ingest/document_input.h"
#include "core/ingest/write_queue.h"
#include "core/search/resources.h"
#include "core/vectors/embedder.h"
#include "core/vectors/vector_store.h"
#include "tests/support/fake_embedding_server.h"
#include "tests/support/test_support.h"

using namespace treaty;

namespace {

// A decision document in our own words, in the PDF-extract style of the fixtures.
std::string decision_text(const std::string& symbol, const std::string& word) {
  return "联合国 \n\n" + symbol + " \n\nDistr.: General \n\n1 December 2022 \n\n中文 \n\n"
         "《生物多样性公约》 \n\n缔约方大会 \n\n第十五次会议 \n\n"
         "缔约方大会通过的决定 \n\n"
         "1. 缔约方大会欢迎各缔约方就" + word + "提交的资料。 \n\n"
         "2. 请执行秘书汇编这些资料并提交附属机构。 \n";
}

ParsedInput parsed(const Resources& res, const std::string& text) {
  auto p = parse_input(text, InputFormat::text, ParseOptions{"test", ""}, res);
  REQUIRE(p);
  return std::move(*p);
}

}  // namespace

TEST_CASE("parse_input: the same checks for text and PDF bytes, errors name the source") {
  auto res = test::project_resources();
  test::TempDir tmp;
  const std::string text = decision_text("CBD/COP/DEC/15/30", "生物多样性融资");
  auto from_text = parse_input(text, InputFormat::text, ParseOptions{"body", ""}, *res);
  REQUIRE(from_text);
  CHECK(from_text->doc.symbol == "CBD/COP/DEC/15/30");
  CHECK(from_text->text == text);
  CHECK(from_text->fields.passages.size() == from_text->doc.passages.size());

  test::make_pdf(text, tmp.path() / "d.pdf");
  auto from_pdf = parse_input(test::read_file(tmp.path() / "d.pdf"), InputFormat::pdf, ParseOptions{"body", ""}, *res);
  REQUIRE(from_pdf);
  REQUIRE(from_pdf->doc.passages.size() == from_text->doc.passages.size());
  for (std::size_t i = 0; i < from_pdf->doc.passages.size(); ++i)
    CHECK(from_pdf->doc.passages[i].id == from_text->doc.passages[i].id);

  auto empty = parse_input("", InputFormat::text, ParseOptions{"body", ""}, *res);
  REQUIRE_FALSE(empty);
  CHECK(empty.error().describe() == "body: the document is empty");
  auto not_pdf = parse_input("hello", InputFormat::pdf, ParseOptions{"body", ""}, *res);
  REQUIRE_FALSE(not_pdf);
  CHECK(not_pdf.error().file == "body");
}

TEST_CASE("WriteQueue: writes arriving while one commits share the next commit — each answers after its own") {
  auto res = test::project_resources();
  test::TempDir tmp;
  test::FakeEmbeddingServer embedder;
  EmbedderOptions eo;
  eo.base_url = embedder.base_url();
  eo.model = "fake";
  eo.retries = 0;
  auto created = HttpEmbedder::create(eo);
  REQUIRE(created);
  WriteQueue queue(*res, WriteQueueOptions{.index_dir = tmp.path() / "index",
                                           .hold_lock = std::chrono::milliseconds(0),
                                           .max_batch = 32,
                                           .embedder = std::shared_ptr<Embedder>(std::move(*created))});
  // The first write blocks in the embedder (after its Xapian changes, before the commit).
  embedder.enqueue({.hold = true});
  auto first = std::async(std::launch::async, [&] { return queue.replace(parsed(*res, decision_text("CBD/COP/DEC/15/1", "甲"))); });
  REQUIRE(embedder.wait_for_requests(1));
  std::vector<std::future<std::expected<WriteResult, WriteError>>> more;
  for (int i = 2; i <= 4; ++i)
    more.push_back(std::async(std::launch::async, [&, i] {
      return queue.replace(parsed(*res, decision_text("CBD/COP/DEC/15/" + std::to_string(i), "乙")));
    }));
  // Count events, not time: wait until all three are queued behind the first.
  for (int spins = 0; queue.stats().pending < 3 && spins < 100000; ++spins) std::this_thread::yield();
  REQUIRE(queue.stats().pending == 3);
  CHECK(queue.stats().commits == 0);
  embedder.release();

  auto r1 = first.get();
  REQUIRE(r1);
  CHECK(r1->created);
  std::uint64_t shared_revision = 0;
  for (auto& f : more) {
    auto r = f.get();
    REQUIRE(r);
    CHECK(r->created);
    CHECK(r->revision > r1->revision);
    if (shared_revision == 0) shared_revision = r->revision;
    CHECK(r->revision == shared_revision);  // one commit for the three
  }
  const WriteQueueStats stats = queue.stats();
  CHECK(stats.commits == 2);
  CHECK(stats.writes == 4);
  CHECK(stats.failed == 0);
  CHECK_FALSE(stats.holds_lock);  // hold_lock 0: released after the commit

  auto reader = IndexReader::open(tmp.path() / "index");
  REQUIRE(reader);
  CHECK(reader->database().get_revision() == shared_revision);
  for (int i = 1; i <= 4; ++i) CHECK(reader->document("CBD/COP/DEC/15/" + std::to_string(i)));
  auto vectors = VectorStore::load(tmp.path() / "index", VectorStoreOptions{.build_ann = false});
  REQUIRE(vectors);
  CHECK(vectors->contains("zh:CBD/COP/DEC/15/4#2"));
}

TEST_CASE("WriteQueue: a held lock gives `locked`, a missing document `not_found` — nothing changes") {
  auto res = test::project_resources();
  test::TempDir tmp;
  const auto dir = tmp.path() / "index";
  WriteQueueOptions options;
  options.index_dir = dir;
  options.hold_lock = std::chrono::milliseconds(0);
  WriteQueue queue(*res, options);
  auto first = queue.replace(parsed(*res, decision_text("CBD/COP/DEC/15/7", "丙")));
  REQUIRE(first);
  {
    auto other = IndexWriter::open(dir);  // as the indexer command would
    REQUIRE(other);
    auto refused = queue.replace(parsed(*res, decision_text("CBD/COP/DEC/15/8", "丁")));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == WriteErrorKind::locked);
    CHECK(refused.error().message.find("locked") != std::string::npos);
  }
  auto missing = queue.remove("CBD/COP/DEC/15/99");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind == WriteErrorKind::not_found);
  auto removed = queue.remove("CBD/COP/DEC/15/7");
  REQUIRE(removed);
  CHECK(removed->passages == first->passages);
  auto reader = IndexReader::open(dir);
  REQUIRE(reader);
  CHECK_FALSE(reader->document("CBD/COP/DEC/15/7"));
  CHECK_FALSE(reader->document("CBD/COP/DEC/15/8"));
  CHECK(reader->database().get_revision() == removed->revision);

  // The queue holds the lock while it waits for more writes (hold_lock), not otherwise.
  options.hold_lock = std::chrono::hours(1);
  WriteQueue holding(*res, options);
  REQUIRE(holding.replace(parsed(*res, decision_text("CBD/COP/DEC/15/9", "戊"))));
  CHECK(holding.stats().holds_lock);
  auto blocked = IndexWriter::open(dir);
  REQUIRE_FALSE(blocked);
  CHECK(is_locked(blocked.error()));
}
