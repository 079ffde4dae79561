// Dense vectors in the Searcher (core/vectors/semantic.h, searcher.h modes): mode=semantic and
// mode=hybrid over the seed with deterministic vectors (tests/fake_embedding_server.h's
// bag-of-characters embedding), checked against the vector store and the lexical ranking
// computed separately; fallbacks with warnings; /similar by stored vectors; store reloading.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>

#include "core/text/analyzer.h"
#include "core/index/schema.h"
#include "core/vectors/fusion.h"
#include "core/index/index_writer.h"
#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/search/resources.h"
#include "core/search/searcher.h"
#include "core/vectors/semantic.h"
#include "core/vectors/vector_store.h"
#include "tests/support/fake_embedding_server.h"
#include "tests/support/test_support.h"

using namespace treaty;
using nlohmann::json;

namespace {

constexpr std::size_t kDims = 256;

// An in-process embedder: fake_embedding() of each text, or a scripted failure.
class TestEmbedder final : public Embedder {
 public:
  explicit TestEmbedder(std::string model = "fake-256") : model_(std::move(model)) {}
  Expected<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override {
    ++calls;
    if (failing) return fail("connection refused (test)");
    std::vector<std::vector<float>> out;
    for (const std::string& t : texts) out.push_back(test::fake_embedding(t, dims));
    return out;
  }
  const std::string& model() const override { return model_; }

  std::atomic<int> calls{0};
  std::atomic<bool> failing{false};
  std::size_t dims = kDims;

 private:
  std::string model_;
};

struct Fixture {
  std::unique_ptr<Resources> res = test::project_resources();
  test::TempDir tmp;
  std::filesystem::path index_dir = tmp.path() / "index";
  Xapian::Database db = build();
  std::shared_ptr<TestEmbedder> embedder = std::make_shared<TestEmbedder>();
  VectorSearchOptions vector_options = small_depth();

  static VectorSearchOptions small_depth() {
    VectorSearchOptions o;
    o.depth = 20;  // fewer than the seed's 53 passages, so the cut-off is exercised
    return o;
  }

  Xapian::Database build() {
    Analyzer analyzer(res->normalizer, res->lexicon);
    auto writer = IndexWriter::open(index_dir, {.analysis = res->analysis});
    REQUIRE(writer);
    const std::string text = test::read_file(test::seed_path());
    auto doc = parse_document(text, ParseOptions{test::seed_path().string(), ""});
    REQUIRE(doc);
    writer->replace_document(*doc, extract_fields(*doc, res->normalizer, res->gazetteer), analyzer,
                             text);
    writer->commit();
    // Passage vectors as the indexer makes them: one per passage with text.
    VectorStore store;
    REQUIRE(store.set_model("fake-256"));
    std::vector<PassageVector> rows;
    for (const Passage& p : doc->passages)
      if (!p.text.empty()) rows.push_back({schema::vector_id("zh", p.id), test::fake_embedding(p.text, kDims)});
    REQUIRE(store.replace_document(schema::vector_document(doc->symbol, "zh"), rows));
    REQUIRE(store.save(index_dir));
    return Xapian::Database(index_dir.string());
  }

  std::shared_ptr<VectorSearch> vectors(std::shared_ptr<Embedder> e) {
    return std::make_shared<VectorSearch>(index_dir, std::move(e), vector_options);
  }
  std::shared_ptr<VectorSearch> vectors() { return vectors(embedder); }

  SearchResponse run(Searcher& searcher, SearchRequest r) {
    auto response = searcher.search(r);
    INFO(r.q);
    REQUIRE(response);
    return std::move(*response);
  }
  SearchResponse run(Searcher& searcher, const std::string& q, SearchMode mode, std::size_t size = 100) {
    SearchRequest r;
    r.q = q;
    r.mode = mode;
    r.size = size;
    return run(searcher, r);
  }

  // The store's own nearest passages to `text`, as ids.
  std::vector<std::string> nearest(const std::string& text, std::size_t k) {
    auto store = VectorStore::load(index_dir);
    REQUIRE(store);
    auto hits = store->search(test::fake_embedding(text, kDims), k);
    REQUIRE(hits);
    std::vector<std::string> out;
    for (const VectorHit& h : *hits) out.emplace_back(schema::passage_of_vector_id(h.id));
    return out;
  }

  static std::vector<std::string> ids(const SearchResponse& s) {
    std::vector<std::string> out;
    for (const Hit& h : s.hits) out.push_back(h.id);
    return out;
  }
};

bool has_warning(const SearchResponse& s, std::string_view part) {
  return std::any_of(s.warnings.begin(), s.warnings.end(),
                     [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

}  // namespace

TEST_CASE_METHOD(Fixture, "mode=semantic ranks passages by vector similarity alone") {
  SearcherOptions options;
  options.vectors = vectors();
  Searcher searcher(db, *res, options);

  // Shuffled characters: no passage has this string, but the bag-of-characters vectors of
  // passages about 缔约方 are close to it.
  const SearchResponse lexical = run(searcher, "方约缔", SearchMode::lexical);
  CHECK(lexical.total == 0);
  CHECK_FALSE(lexical.vector);

  const SearchResponse s = run(searcher, "方约缔", SearchMode::semantic);
  CHECK(s.vector);
  CHECK(s.mode == SearchMode::semantic);
  CHECK(s.total == 20);  // depth
  CHECK(ids(s) == nearest("方约缔", 20));
  REQUIRE(s.hits.size() == 20);
  for (std::size_t i = 0; i < s.hits.size(); ++i) {
    CHECK(s.hits[i].vector_rank == i + 1);
    CHECK(s.hits[i].score == Approx(s.hits[i].vector_score));
    CHECK_FALSE(s.hits[i].lexical_match);  // the shuffled string matches nothing lexically
  }
  CHECK(s.warnings.empty());
  const json j = s.to_json();
  CHECK(j["mode"] == "semantic");
  CHECK(j["vector"] == true);
  CHECK(j["hits"][0]["retrieval"]["vector_rank"] == 1);
  CHECK(j["hits"][0]["retrieval"]["lexical_rank"].is_null());

  // A query whose words occur: the hits that contain them say so.
  const SearchResponse words = run(searcher, "缔约方", SearchMode::semantic, 5);
  CHECK(std::all_of(words.hits.begin(), words.hits.end(), [](const Hit& h) {
    return h.lexical_match == (h.passage["text"].get<std::string>().find("缔约方") != std::string::npos);
  }));
}

TEST_CASE_METHOD(Fixture, "mode=hybrid is the reciprocal rank fusion of the lexical and vector lists") {
  SearcherOptions with;
  with.vectors = vectors();
  Searcher searcher(db, *res, with);
  Searcher lexical_only(db, *res);  // no vectors: hybrid = lexical + thesaurus

  for (const std::string q : {"遗传资源 知识产权", "讲习班", "capacity building"}) {
    INFO(q);
    const SearchResponse plain = run(lexical_only, q, SearchMode::hybrid, 100);
    CHECK_FALSE(plain.vector);
    const SearchResponse fused = run(searcher, q, SearchMode::hybrid, 100);
    CHECK(fused.vector);

    // Expected: RRF(k=60) of the first `depth` lexical hits and the `depth` nearest vectors.
    RankedList lexical_list, vector_list;
    for (std::size_t i = 0; i < plain.hits.size() && i < 20; ++i) lexical_list.ids.push_back(plain.hits[i].id);
    vector_list.ids = nearest(q, 20);
    auto expected = reciprocal_rank_fusion({lexical_list, vector_list}, 60);
    REQUIRE(expected);
    std::vector<std::string> expected_ids;
    for (const FusedHit& f : *expected) expected_ids.push_back(f.id);
    // ... then the lexical hits beyond the depth, in lexical order.
    for (std::size_t i = 20; i < plain.hits.size(); ++i)
      if (std::find(expected_ids.begin(), expected_ids.end(), plain.hits[i].id) == expected_ids.end())
        expected_ids.push_back(plain.hits[i].id);
    CHECK(ids(fused) == expected_ids);

    // Total: the lexical matches plus the vector candidates the query does not match.
    std::set<std::string> all(vector_list.ids.begin(), vector_list.ids.end());
    for (const Hit& h : plain.hits) all.insert(h.id);
    CHECK(fused.total == all.size());
    CHECK(fused.hits.size() == all.size());
    for (const Hit& h : fused.hits) {
      const bool in_lexical = std::any_of(plain.hits.begin(), plain.hits.end(), [&](const Hit& p) { return p.id == h.id; });
      CHECK(h.lexical_match == in_lexical);
      CHECK((h.vector_rank > 0) == (all.count(h.id) > 0 && std::find(vector_list.ids.begin(), vector_list.ids.end(), h.id) != vector_list.ids.end()));
    }
  }
}

TEST_CASE_METHOD(Fixture, "hybrid: pages join up, facets count the whole result set, other sorts merge") {
  SearcherOptions with;
  with.vectors = vectors();
  Searcher searcher(db, *res, with);

  const SearchResponse whole = run(searcher, "讲习班", SearchMode::hybrid, 30);
  std::vector<std::string> paged;
  for (std::size_t offset = 0; offset < 30; offset += 7) {
    SearchRequest r;
    r.q = "讲习班";
    r.offset = offset;
    r.size = 7;
    const SearchResponse page = run(searcher, r);
    CHECK(page.total == whole.total);
    for (const std::string& id : ids(page))
      if (paged.size() < 30) paged.push_back(id);
  }
  CHECK(paged == ids(whole));

  // Facets over every result (here all of them fit on one page).
  SearchRequest r;
  r.q = "讲习班";
  r.size = 100;
  r.facets = {"org", "year"};
  r.facet_size = 1000;
  const SearchResponse faceted = run(searcher, r);
  std::map<std::string, std::uint64_t> orgs, years;
  for (const Hit& h : faceted.hits) {
    for (const json& o : h.passage.value("orgs", json::array())) ++orgs[o["id"].get<std::string>()];
    std::set<std::string> ys;
    for (const json& d : h.passage.value("dates", json::array())) {
      const int from = std::stoi(d["from"].get<std::string>().substr(0, 4));
      const int to = std::stoi(d["to"].get<std::string>().substr(0, 4));
      for (int y = from; y <= to; ++y) ys.insert(std::to_string(y));
    }
    for (const std::string& y : ys) ++years[y];
  }
  REQUIRE(faceted.facets.size() == 2);
  std::map<std::string, std::uint64_t> counted_orgs, counted_years;
  for (const FacetValue& v : faceted.facets[0].values) counted_orgs[v.value] = v.count;
  for (const FacetValue& v : faceted.facets[1].values) counted_years[v.value] = v.count;
  CHECK(counted_orgs == orgs);
  CHECK(counted_years == years);

  // sort=document: the same result set, in document order.
  r.facets.clear();
  r.sort = SortOrder::document;
  const SearchResponse by_document = run(searcher, r);
  CHECK(by_document.total == faceted.total);
  std::vector<std::string> a = ids(by_document), b = ids(faceted);
  CHECK(std::set<std::string>(a.begin(), a.end()) == std::set<std::string>(b.begin(), b.end()));
  CHECK(std::is_sorted(by_document.hits.begin(), by_document.hits.end(), [](const Hit& x, const Hit& y) {
    return x.passage["order"].get<int>() < y.passage["order"].get<int>();
  }));
}

TEST_CASE_METHOD(Fixture, "vector hits respect the filters") {
  SearcherOptions with;
  with.vectors = vectors();
  Searcher searcher(db, *res, with);
  for (SearchMode mode : {SearchMode::semantic, SearchMode::hybrid}) {
    SearchRequest r;
    r.q = "方约缔";  // no lexical match: every hit is a vector hit
    r.mode = mode;
    r.size = 100;
    r.orgs = {"FAO"};
    const SearchResponse s = run(searcher, r);
    REQUIRE_FALSE(s.hits.empty());
    CHECK(s.total == s.hits.size());
    for (const Hit& h : s.hits) {
      const json orgs = h.passage.value("orgs", json::array());
      CHECK(std::any_of(orgs.begin(), orgs.end(), [](const json& o) { return o["id"] == "fao"; }));
    }
    if (mode == SearchMode::semantic) {
      // Exactly the nearest FAO passages.
      SearchRequest browse;
      browse.orgs = {"FAO"};
      browse.size = 100;
      std::set<std::string> fao;
      for (const std::string& id : ids(run(searcher, browse))) fao.insert(id);
      auto store = VectorStore::load(index_dir);
      REQUIRE(store);
      auto nearest_fao = store->search(test::fake_embedding(r.q, kDims), 20,
                                       [&](std::string_view id) { return fao.count(std::string(schema::passage_of_vector_id(id))) > 0; });
      REQUIRE(nearest_fao);
      std::vector<std::string> expected;
      for (const VectorHit& h : *nearest_fao) expected.emplace_back(schema::passage_of_vector_id(h.id));
      CHECK(ids(s) == expected);
    }
  }
}

TEST_CASE_METHOD(Fixture, "failures fall back to lexical results with a warning") {
  SECTION("the embedding server fails") {
    SearcherOptions with;
    with.vectors = vectors();
    Searcher searcher(db, *res, with);
    Searcher lexical_only(db, *res);
    embedder->failing = true;
    for (SearchMode mode : {SearchMode::hybrid, SearchMode::semantic}) {
      const SearchResponse s = run(searcher, "讲习班", mode);
      CHECK_FALSE(s.vector);
      CHECK(s.mode == mode);
      CHECK(has_warning(s, "could not be embedded (connection refused (test)); lexical results only"));
      CHECK(ids(s) == ids(run(lexical_only, "讲习班", SearchMode::hybrid)));
    }
  }
  SECTION("the index's vectors come from another model") {
    SearcherOptions with;
    with.vectors = vectors(std::make_shared<TestEmbedder>("other-model"));
    Searcher searcher(db, *res, with);
    const SearchResponse s = run(searcher, "讲习班", SearchMode::hybrid);
    CHECK_FALSE(s.vector);
    CHECK(has_warning(s, "come from model \"fake-256\" but queries are embedded with \"other-model\""));
  }
  SECTION("the embedder returns another length") {
    embedder->dims = 32;
    SearcherOptions with;
    with.vectors = vectors();
    Searcher searcher(db, *res, with);
    const SearchResponse s = run(searcher, "讲习班", SearchMode::semantic);
    CHECK_FALSE(s.vector);
    CHECK(has_warning(s, "32 dimensions, the index's vectors have 256"));
  }
  SECTION("the index has no vectors") {
    std::filesystem::remove(VectorStore::file_path(index_dir));
    SearcherOptions with;
    with.vectors = vectors();
    Searcher searcher(db, *res, with);
    const SearchResponse s = run(searcher, "讲习班", SearchMode::hybrid);
    CHECK_FALSE(s.vector);
    CHECK(has_warning(s, "the index has no passage vectors"));
    CHECK(s.total == run(searcher, "讲习班", SearchMode::hybrid).total);
  }
  SECTION("vectors.bin is corrupt") {
    test::write_file(VectorStore::file_path(index_dir), "garbage");
    SearcherOptions with;
    with.vectors = vectors();
    Searcher searcher(db, *res, with);
    const SearchResponse s = run(searcher, "讲习班", SearchMode::hybrid);
    CHECK_FALSE(s.vector);
    CHECK(has_warning(s, "dense vectors are unavailable"));
    CHECK(has_warning(s, "vectors.bin"));
  }
  SECTION("mode=semantic without an embedder is refused") {
    SearcherOptions without;
    without.vectors = vectors(nullptr);
    Searcher searcher(db, *res, without);
    SearchRequest r;
    r.q = "讲习班";
    r.mode = SearchMode::semantic;
    auto s = searcher.search(r);
    REQUIRE_FALSE(s);
    CHECK(s.error().message.starts_with("mode=semantic needs an embeddings server"));
    // hybrid without an embedder is lexical + thesaurus, silently.
    r.mode = SearchMode::hybrid;
    auto h = searcher.search(r);
    REQUIRE(h);
    CHECK_FALSE(h->vector);
    CHECK(h->warnings.empty());
  }
}

TEST_CASE_METHOD(Fixture, "a dead embedding server is skipped once the circuit breaker opens") {
  test::FakeEmbeddingServer server({.dimensions = kDims});
  server.enqueue({.status = 500}, 2);  // then healthy again
  EmbedderOptions eo;
  eo.base_url = server.base_url();
  eo.model = "fake-256";
  eo.retries = 0;
  auto http = HttpEmbedder::create(eo);
  REQUIRE(http);
  auto now = std::make_shared<std::chrono::steady_clock::time_point>();
  vector_options.breaker = CircuitBreakerOptions{.failures_to_open = 2, .open_duration = std::chrono::seconds(30),
                                                 .clock = [now] { return *now; }};
  SearcherOptions with;
  with.vectors = vectors(std::shared_ptr<Embedder>(std::move(*http)));
  Searcher searcher(db, *res, with);
  Searcher lexical_only(db, *res);
  const auto expected = ids(run(lexical_only, "讲习班", SearchMode::hybrid));

  for (int i = 0; i < 2; ++i) {
    const SearchResponse s = run(searcher, "讲习班", SearchMode::hybrid);
    CHECK_FALSE(s.vector);
    CHECK(has_warning(s, "the query could not be embedded (embedding server"));
  }
  CHECK(server.request_count() == 2);
  for (SearchMode mode : {SearchMode::hybrid, SearchMode::semantic, SearchMode::hybrid}) {
    const SearchResponse s = run(searcher, "讲习班", mode);
    CHECK_FALSE(s.vector);
    CHECK(has_warning(s, "the embedder is skipped: embedder unavailable after 2 failures; retrying in 30 s"));
    CHECK(has_warning(s, "HTTP 500"));  // the last error
    CHECK(ids(s) == expected);
  }
  CHECK(server.request_count() == 2);  // not called while open
  const auto open = with.vectors->breaker_stats();
  REQUIRE(open);
  CHECK(open->state == BreakerState::open);
  CHECK(open->short_circuited == 3);

  *now += std::chrono::seconds(30);  // the probe: the server answers again
  const SearchResponse s = run(searcher, "讲习班", SearchMode::hybrid);
  CHECK(s.vector);
  CHECK(s.warnings.empty());
  CHECK(server.request_count() == 3);
  CHECK(with.vectors->breaker_stats()->state == BreakerState::closed);
}

TEST_CASE_METHOD(Fixture, "mode=lexical and filter-only searches never embed — repeated queries are cached") {
  SearcherOptions with;
  with.vectors = vectors();
  Searcher searcher(db, *res, with);
  run(searcher, "讲习班", SearchMode::lexical);
  SearchRequest browse;
  browse.orgs = {"FAO"};
  const SearchResponse b = run(searcher, browse);
  CHECK_FALSE(b.vector);
  CHECK(embedder->calls == 0);
  run(searcher, "讲习班", SearchMode::hybrid);
  run(searcher, "讲习班", SearchMode::semantic);
  CHECK(embedder->calls == 1);
  run(searcher, "研讨会", SearchMode::hybrid);
  CHECK(embedder->calls == 2);
}

TEST_CASE_METHOD(Fixture, "similar(): stored vectors, fused or alone, never the passage itself") {
  const std::string id = "UNEP/CBD/NP/COP-MOP/1/6#21";
  auto store = VectorStore::load(index_dir);
  REQUIRE(store);
  auto own = store->vector(schema::vector_id("zh", id));
  REQUIRE(own);
  auto neighbours = store->search(*own, 21);
  REQUIRE(neighbours);
  std::vector<std::string> expected;
  for (const VectorHit& h : *neighbours)
    if (schema::passage_of_vector_id(h.id) != id) expected.emplace_back(schema::passage_of_vector_id(h.id));
  expected.resize(20);

  // No embedder needed: the passage's stored vector is the query.
  SearcherOptions with;
  with.vectors = vectors(nullptr);
  Searcher searcher(db, *res, with);
  SearchRequest r;
  r.size = 100;
  r.mode = SearchMode::semantic;
  auto semantic = searcher.similar(id, r);
  REQUIRE(semantic);
  REQUIRE(*semantic);
  CHECK((*semantic)->vector);
  CHECK(ids(**semantic) == expected);

  r.mode = SearchMode::hybrid;
  auto hybrid = searcher.similar(id, r);
  REQUIRE(hybrid);
  CHECK((*hybrid)->vector);
  r.mode = SearchMode::lexical;
  auto lexical = searcher.similar(id, r);
  REQUIRE(lexical);
  CHECK_FALSE((*lexical)->vector);
  for (const auto* s : {&**semantic, &**hybrid, &**lexical}) {
    CHECK_FALSE(s->hits.empty());
    for (const Hit& h : s->hits) CHECK(h.id != id);
  }
  // The hybrid list holds both lists' top hits.
  const std::vector<std::string> fused = ids(**hybrid);
  CHECK(std::find(fused.begin(), fused.end(), expected[0]) != fused.end());
  CHECK(std::find(fused.begin(), fused.end(), (*lexical)->hits[0].id) != fused.end());
}

TEST_CASE_METHOD(Fixture, "a replaced vectors.bin is picked up") {
  auto vs = vectors();
  auto first = vs->store();
  REQUIRE(first);
  CHECK((*first)->size() == 53);
  CHECK(vs->store()->get() == first->get());  // unchanged file: the same store

  auto store = VectorStore::load(index_dir);
  REQUIRE(store);
  store->remove_document("zh:UNEP/CBD/NP/COP-MOP/1/6");
  REQUIRE(store->replace_document("zh:UNEP/CBD/NP/COP-MOP/1/6",
                                  {{"zh:UNEP/CBD/NP/COP-MOP/1/6#1", test::fake_embedding("x", kDims)}}));
  REQUIRE(store->save(index_dir));
  auto second = vs->store();
  REQUIRE(second);
  CHECK((*second)->size() == 1);

  // Passage id -> docid, per revision.
  auto docids = vs->docids(db);
  CHECK(docids->size() == 53);
  CHECK(docids->count("zh:UNEP/CBD/NP/COP-MOP/1/6#21") == 1);
}

TEST_CASE_METHOD(Fixture, "the time budget: no embedding and no vector candidates once the deadline has passed") {
  SearcherOptions with;
  with.vectors = vectors();
  Searcher searcher(db, *res, with);
  const SearchResponse full = run(searcher, "讲习班", SearchMode::hybrid, 5);
  REQUIRE(full.vector);
  REQUIRE(embedder->calls == 1);

  // A clock that reads the deadline's start `reads` times, then an hour later. Reads: 1 on
  // arrival, 2 before embedding, 3 before the vector candidates, 4 before the ranking, then one
  // per hit's snippet.
  auto expiring_after = [](int reads) {
    const auto start = Deadline::Clock::time_point{} + std::chrono::hours(1000);
    auto count = std::make_shared<int>(0);
    return Deadline(start, std::chrono::milliseconds(2000),
                    [count, start, reads] { return (*count)++ < reads ? start : start + std::chrono::hours(1); });
  };
  SearchRequest r;
  r.q = "讲习班";
  r.mode = SearchMode::hybrid;
  r.size = 5;
  r.deadline = expiring_after(1);
  SearchResponse s = run(searcher, r);
  CHECK(embedder->calls == 1);  // not asked again: the budget was gone before the embedding
  CHECK_FALSE(s.vector);
  CHECK(s.timed_out);
  CHECK(s.hits.empty());
  CHECK(s.warnings == std::vector<std::string>{"time budget of 2000 ms exceeded: dense vectors not used, not searched"});

  r.q = "研讨会";  // not cached: embedded, then out of time before the candidates
  r.deadline = expiring_after(2);
  s = run(searcher, r);
  CHECK(embedder->calls == 2);
  CHECK_FALSE(s.vector);
  CHECK(s.timed_out);

  r.q = "讲习班";
  r.deadline = expiring_after(100);
  s = run(searcher, r);
  CHECK_FALSE(s.timed_out);
  CHECK(s.to_json() == full.to_json());
}
