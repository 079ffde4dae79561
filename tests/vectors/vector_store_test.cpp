// VectorStore: vectors.bin round trip, replace/remove semantics, exact search, HNSW against
// exact search, corrupt files, atomic saves; and embedder -> store -> search -> fusion end to end
// with the fake embedding server.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>
#include <set>
#include <thread>

#include "core/vectors/embedder.h"
#include "core/vectors/fusion.h"
#include "core/vectors/vector_store.h"
#include "tests/support/fake_embedding_server.h"
#include "tests/support/test_support.h"

using namespace treaty;
using Catch::Contains;

namespace {

float dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += double{a[i]} * b[i];
  return static_cast<float>(s);
}

std::vector<std::string> hit_ids(const std::vector<VectorHit>& hits) {
  std::vector<std::string> out;
  for (const auto& h : hits) out.push_back(h.id);
  return out;
}

std::vector<VectorHit> must_search(const VectorStore& store, const std::vector<float>& q, std::size_t k,
                                   const IdFilter& allowed = {}) {
  auto r = store.search(q, k, allowed);
  REQUIRE(r.has_value());
  return *r;
}

VectorStore must_load(const std::filesystem::path& dir, VectorStoreOptions options = {}) {
  auto s = VectorStore::load(dir, options);
  if (!s) FAIL(s.error().describe());
  return std::move(*s);
}

// The last 8 bytes of vectors.bin: FNV-1a 64 of everything before them.
void fix_checksum(std::string& bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (std::size_t i = 0; i + 8 < bytes.size(); ++i) {
    h ^= static_cast<unsigned char>(bytes[i]);
    h *= 1099511628211ull;
  }
  std::memcpy(bytes.data() + bytes.size() - 8, &h, 8);
}

// A store of n random unit vectors, ten passages per document "R/<n / 10>#<n % 10>".
VectorStore random_store(std::size_t n, std::size_t dims, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  VectorStore store;
  REQUIRE(store.set_model("random").has_value());
  for (std::size_t doc = 0; doc * 10 < n; ++doc) {
    std::vector<PassageVector> passages;
    for (std::size_t p = 0; p < 10 && doc * 10 + p < n; ++p) {
      PassageVector pv{"R/" + std::to_string(doc) + "#" + std::to_string(p), std::vector<float>(dims)};
      for (float& x : pv.vector) x = normal(rng);
      passages.push_back(std::move(pv));
    }
    REQUIRE(store.replace_document("R/" + std::to_string(doc), passages).has_value());
  }
  return store;
}

std::vector<std::vector<float>> random_queries(std::size_t n, std::size_t dims, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<std::vector<float>> out(n, std::vector<float>(dims));
  for (auto& q : out)
    for (float& x : q) x = normal(rng);
  return out;
}

// Mean over queries of |approx top-k ∩ exact top-k| / k.
double recall_at(const VectorStore& approx, const VectorStore& exact,
                 const std::vector<std::vector<float>>& queries, std::size_t k,
                 const IdFilter& allowed = {}) {
  double sum = 0;
  for (const auto& q : queries) {
    const auto a = must_search(approx, q, k, allowed);
    const auto e = must_search(exact, q, k, allowed);
    std::set<std::string> truth;
    for (const auto& h : e) truth.insert(h.id);
    std::size_t found = 0;
    for (const auto& h : a) {
      if (allowed) REQUIRE(allowed(h.id));
      if (truth.contains(h.id)) {
        ++found;
        // Both paths score with the same function: one score per id.
        const auto it = std::find_if(e.begin(), e.end(), [&](const VectorHit& x) { return x.id == h.id; });
        CHECK(it->score == h.score);
      }
    }
    sum += static_cast<double>(found) / static_cast<double>(e.size());
  }
  return sum / static_cast<double>(queries.size());
}

}  // namespace

TEST_CASE("a store round-trips through vectors.bin") {
  test::TempDir dir;
  VectorStore store;
  CHECK(store.size() == 0);
  CHECK(store.dimensions() == 0);
  REQUIRE(store.set_model("fake-model").has_value());
  REQUIRE(store.replace_document("UNEP/CBD/A/1", {{"UNEP/CBD/A/1#1", test::fake_embedding("遗传资源的获取", 32)},
                                                  {"UNEP/CBD/A/1#2", test::fake_embedding("惠益分享", 32)}})
              .has_value());
  REQUIRE(store.replace_document("UNEP/CBD/B/2", {{"UNEP/CBD/B/2#header", test::fake_embedding("粮农组织", 32)}})
              .has_value());
  CHECK(store.dimensions() == 32);
  REQUIRE(store.save(dir.path()).has_value());
  CHECK(std::filesystem::exists(dir.path() / "vectors.bin"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "vectors.bin.tmp"));
  // header 24 + model (4 + 10) + ids (3 x 4 + 14 + 14 + 19) + 3 x 32 x 4 + checksum 8
  CHECK(std::filesystem::file_size(dir.path() / "vectors.bin") == 24 + 14 + 59 + 384 + 8);

  const VectorStore loaded = must_load(dir.path());
  CHECK(loaded.model() == "fake-model");
  CHECK(loaded.dimensions() == 32);
  CHECK(loaded.ids() == std::vector<std::string>{"UNEP/CBD/A/1#1", "UNEP/CBD/A/1#2", "UNEP/CBD/B/2#header"});
  CHECK_FALSE(loaded.uses_ann());
  for (const auto& id : store.ids()) {
    INFO(id);
    REQUIRE(loaded.vector(id).has_value());
    CHECK(*loaded.vector(id) == *store.vector(id));
    // Stored vectors are unit length.
    CHECK(dot(*loaded.vector(id), *loaded.vector(id)) == Approx(1.0f).epsilon(1e-5));
  }
  CHECK_FALSE(loaded.vector("UNEP/CBD/A/1#3").has_value());

  const auto q = test::fake_embedding("遗传资源", 32);
  const auto hits = must_search(loaded, q, 10);
  REQUIRE(hits.size() == 3);
  CHECK(hits[0].id == "UNEP/CBD/A/1#1");
  for (const auto& h : hits) CHECK(h.score == Approx(dot(q, *loaded.vector(h.id))).epsilon(1e-5));
  CHECK(hits[0].score > hits[1].score);
  CHECK(hits[1].score >= hits[2].score);
}

TEST_CASE("a missing vectors.bin is an empty store") {
  test::TempDir dir;
  const VectorStore store = must_load(dir.path());
  CHECK(store.size() == 0);
  CHECK(store.model().empty());
  CHECK(must_search(store, {1, 2, 3}, 5).empty());
}

TEST_CASE("re-adding a document replaces its vectors — removing removes them") {
  test::TempDir dir;
  VectorStore store;
  auto v = [](float a, float b) { return std::vector<float>{a, b}; };
  REQUIRE(store.replace_document("X/1", {{"X/1#1", v(1, 0)}, {"X/1#2", v(0, 1)}, {"X/1#3", v(1, 1)}}).has_value());
  REQUIRE(store.replace_document("X/10", {{"X/10#1", v(2, 0)}}).has_value());
  REQUIRE(store.replace_document("X/1", {{"X/1#1", v(0, 3)}, {"X/1#4", v(5, 0)}}).has_value());
  CHECK(store.ids() == std::vector<std::string>{"X/1#1", "X/1#4", "X/10#1"});
  CHECK(*store.vector("X/1#1") == v(0, 1));
  CHECK(*store.vector("X/1#4") == v(1, 0));
  CHECK(*store.vector("X/10#1") == v(1, 0));

  REQUIRE(store.save(dir.path()).has_value());
  VectorStore loaded = must_load(dir.path());
  CHECK(loaded.ids() == store.ids());
  for (const auto& id : store.ids()) CHECK(*loaded.vector(id) == *store.vector(id));

  // "X/1" must not take "X/10" with it.
  CHECK(loaded.remove_document("X/1") == 2);
  CHECK(loaded.ids() == std::vector<std::string>{"X/10#1"});
  CHECK(loaded.remove_document("X/1") == 0);
  CHECK(loaded.remove_document("Y/9") == 0);
  CHECK(hit_ids(must_search(loaded, v(1, 1), 5)) == std::vector<std::string>{"X/10#1"});
  // Re-adding with no passages is a removal.
  REQUIRE(loaded.replace_document("X/10", {}).has_value());
  CHECK(loaded.size() == 0);
  // An empty store takes vectors of any length again.
  REQUIRE(loaded.replace_document("Z/1", {{"Z/1#1", {1, 2, 3}}}).has_value());
  CHECK(loaded.dimensions() == 3);
}

TEST_CASE("bad vectors are rejected and leave the store unchanged") {
  VectorStore store;
  REQUIRE(store.replace_document("D/1", {{"D/1#1", {1, 0, 0, 0}}, {"D/1#2", {0, 1, 0, 0}}}).has_value());
  const float nan = std::numeric_limits<float>::quiet_NaN();
  struct Case {
    const char* symbol;
    std::vector<PassageVector> passages;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"D/1", {{"D/2#1", {1, 0, 0, 0}}}, "passage id 'D/2#1' is not of the form 'D/1#<para>'"},
      {"D/1", {{"D/1#", {1, 0, 0, 0}}}, "is not of the form"},
      {"D/1", {{"D/1#1", {1, 0, 0, 0}}, {"D/1#1", {0, 1, 0, 0}}}, "passage id 'D/1#1' given twice"},
      {"D/1", {{"D/1#1", {0, 0, 0, 0}}}, "vector of 'D/1#1' is empty, zero or not finite"},
      {"D/1", {{"D/1#1", {nan, 1, 0, 0}}}, "not finite"},
      {"D/1", {{"D/1#1", {}}}, "vector of 'D/1#1' is empty, zero or not finite"},
      {"E/1", {{"E/1#1", {1, 0, 0}}}, "vector of 'E/1#1' has 3 dimensions, expected 4"},
      {"D/1", {{"D/1#1", {1, 0, 0, 0}}, {"D/1#2", {1, 0, 0}}}, "has 3 dimensions, expected 4"},
      {"", {}, "empty document symbol"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    const auto r = store.replace_document(c.symbol, c.passages);
    REQUIRE_FALSE(r.has_value());
    CHECK_THAT(r.error().message, Contains(c.message));
    CHECK(store.ids() == std::vector<std::string>{"D/1#1", "D/1#2"});
    CHECK(*store.vector("D/1#1") == std::vector<float>{1, 0, 0, 0});
  }
  // The only document may change length: nothing else would disagree.
  REQUIRE(store.replace_document("D/1", {{"D/1#1", {0, 2}}}).has_value());
  CHECK(store.dimensions() == 2);
}

TEST_CASE("the model is recorded and guarded") {
  VectorStore store;
  REQUIRE(store.set_model("model-a").has_value());
  REQUIRE(store.set_model("model-b").has_value());  // no vectors yet
  REQUIRE(store.replace_document("M/1", {{"M/1#1", {1, 0}}}).has_value());
  REQUIRE(store.set_model("model-b").has_value());
  const auto r = store.set_model("model-c");
  REQUIRE_FALSE(r.has_value());
  CHECK_THAT(r.error().message, Contains("holds 1 vectors of model 'model-b', not 'model-c'"));
  CHECK(store.model() == "model-b");
  store.clear();
  CHECK(store.size() == 0);
  CHECK(store.model().empty());
  REQUIRE(store.set_model("model-c").has_value());
}

TEST_CASE("exact search ranks by cosine, ties by id") {
  VectorStore store;
  REQUIRE(store.replace_document("S/1", {{"S/1#d", {4, 0}},       // same direction as #a
                                         {"S/1#a", {1, 0}},
                                         {"S/1#b", {0.6f, 0.8f}},
                                         {"S/1#c", {0, 1}},
                                         {"S/1#e", {-1, 0}}})
              .has_value());
  struct Case {
    std::vector<float> query;
    std::size_t k;
    std::vector<std::string> ids;
  };
  const Case cases[] = {
      {{1, 0}, 10, {"S/1#a", "S/1#d", "S/1#b", "S/1#c", "S/1#e"}},
      {{3, 0}, 2, {"S/1#a", "S/1#d"}},  // query length does not matter
      {{1, 0}, 1, {"S/1#a"}},
      {{0, 1}, 2, {"S/1#c", "S/1#b"}},
      {{-1, 0}, 3, {"S/1#e", "S/1#c", "S/1#b"}},
      {{1, 0}, 0, {}},
  };
  for (const Case& c : cases) {
    INFO(c.query[0] << "," << c.query[1] << " k=" << c.k);
    CHECK(hit_ids(must_search(store, c.query, c.k)) == c.ids);
  }
  const auto hits = must_search(store, {1, 0}, 5);
  CHECK(hits[0].score == 1.0f);
  CHECK(hits[2].score == Approx(0.6f).epsilon(1e-6));
  CHECK(hits[3].score == 0.0f);
  CHECK(hits[4].score == -1.0f);

  const auto only_b_c = [](std::string_view id) { return id == "S/1#b" || id == "S/1#c"; };
  CHECK(hit_ids(must_search(store, {1, 0}, 5, only_b_c)) == std::vector<std::string>{"S/1#b", "S/1#c"});

  const auto wrong = store.search(std::vector<float>{1, 0, 0}, 3);
  REQUIRE_FALSE(wrong.has_value());
  CHECK_THAT(wrong.error().message, Contains("query vector has 3 dimensions, the stored ones 2"));
  const auto zero = store.search(std::vector<float>{0, 0}, 3);
  REQUIRE_FALSE(zero.has_value());
  CHECK_THAT(zero.error().message, Contains("query vector is zero or not finite"));
}

TEST_CASE("the graph is built from the exact threshold on") {
  test::TempDir dir;
  REQUIRE(random_store(50, 8, 3).save(dir.path()).has_value());
  CHECK_FALSE(must_load(dir.path(), {.exact_threshold = 51}).uses_ann());
  CHECK(must_load(dir.path(), {.exact_threshold = 50}).uses_ann());
  CHECK_FALSE(must_load(dir.path(), {.exact_threshold = 50, .build_ann = false}).uses_ann());
  CHECK_FALSE(must_load(dir.path()).uses_ann());  // default threshold 20,000
}

// One setup for all checks (each graph takes a while to build under the sanitizers).
TEST_CASE("HNSW search agrees with exact search") {
  test::TempDir dir;
  REQUIRE(random_store(600, 24, 7).save(dir.path()).has_value());
  const VectorStore exact = must_load(dir.path(), {.build_ann = false});
  const VectorStore ann = must_load(dir.path(), {.exact_threshold = 100});
  REQUIRE_FALSE(exact.uses_ann());
  REQUIRE(ann.uses_ann());
  const auto queries = random_queries(60, 24, 11);

  INFO("recall@10");
  CHECK(recall_at(ann, exact, queries, 10) >= 0.95);

  INFO("with a filter keeping half the ids");
  const IdFilter even = [](std::string_view id) { return (id.back() - '0') % 2 == 0; };
  CHECK(recall_at(ann, exact, queries, 10, even) >= 0.95);

  INFO("with a filter keeping three ids: exact fallback");
  const std::set<std::string, std::less<>> keep = {"R/3#4", "R/17#0", "R/42#9"};
  const IdFilter few = [&](std::string_view id) { return keep.contains(id); };
  for (const auto& q : queries) {
    const auto hits = must_search(ann, q, 10, few);
    CHECK(hits == must_search(exact, q, 10, few));
    CHECK(hits.size() == 3);
  }

  INFO("the same file builds the same graph");
  std::vector<std::vector<VectorHit>> expected;
  for (const auto& q : queries) expected.push_back(must_search(ann, q, 10));
  {
    const VectorStore again = must_load(dir.path(), {.exact_threshold = 100});
    for (std::size_t i = 0; i < queries.size(); ++i) CHECK(must_search(again, queries[i], 10) == expected[i]);
  }

  INFO("built by several threads");
  {
    const VectorStore parallel = must_load(dir.path(), {.exact_threshold = 100, .build_threads = 2});
    REQUIRE(parallel.uses_ann());
    CHECK(recall_at(parallel, exact, queries, 10) >= 0.95);
  }

  INFO("searched from many threads at once");
  std::vector<int> mismatches(4, -1);
  {
    std::vector<std::jthread> threads;
    for (std::size_t t = 0; t < mismatches.size(); ++t)
      threads.emplace_back([&, t] {
        int bad = 0;
        for (int round = 0; round < 5; ++round)
          for (std::size_t i = 0; i < queries.size(); ++i) {
            const auto r = ann.search(queries[i], 10);
            if (!r || *r != expected[i]) ++bad;
          }
        mismatches[t] = bad;
      });
  }
  CHECK(mismatches == std::vector<int>(4, 0));

  INFO("a write drops the graph until rebuilt");
  VectorStore store = must_load(dir.path(), {.exact_threshold = 100});
  REQUIRE(store.remove_document("R/0") == 10);
  CHECK_FALSE(store.uses_ann());
  for (const auto& q : queries)
    for (const auto& h : must_search(store, q, 20)) CHECK_FALSE(h.id.starts_with("R/0#"));
  store.rebuild_ann();
  CHECK(store.uses_ann());
  CHECK(store.size() == 590);
  for (const auto& q : queries)
    for (const auto& h : must_search(store, q, 20)) CHECK_FALSE(h.id.starts_with("R/0#"));
}

TEST_CASE("corrupt or truncated vector files are errors") {
  test::TempDir dir;
  VectorStore store;
  REQUIRE(store.set_model("m").has_value());
  REQUIRE(store.replace_document("C/1", {{"C/1#1", {1, 0, 0, 0}}, {"C/1#2", {0, 1, 0, 0}}, {"C/1#3", {0, 0, 1, 0}}})
              .has_value());
  REQUIRE(store.save(dir.path()).has_value());
  const auto path = dir.path() / "vectors.bin";
  const std::string good = test::read_file(path);
  // header 24 + model 5 + ids 3 x 9 + vectors 48 + checksum 8
  REQUIRE(good.size() == 112);
  const std::size_t count_at = 16, dims_at = 12, first_float_at = 24 + 5 + 27;

  auto load_error = [&](const std::string& bytes) {
    test::write_file(path, bytes);
    auto r = VectorStore::load(dir.path());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().file == path.string());
    return r.error().message;
  };

  SECTION("every truncation") {
    for (std::size_t n = 0; n < good.size(); ++n) {
      INFO("truncated to " << n << " bytes");
      load_error(good.substr(0, n));
    }
  }
  SECTION("specific damage") {
    std::string bytes = good;
    bytes[0] = 'X';
    CHECK_THAT(load_error(bytes), Contains("not a vector file (bad magic)"));

    bytes = good;
    bytes[8] = 2;
    CHECK_THAT(load_error(bytes), Contains("vector file format version 2, expected 1"));

    bytes = good;
    bytes[first_float_at + 1] ^= 0x10;
    CHECK_THAT(load_error(bytes), Contains("checksum mismatch"));

    CHECK_THAT(load_error(good + "x"), Contains("checksum mismatch"));

    // Damage with a valid checksum: the structure checks catch it.
    bytes = good;
    bytes[dims_at] = 5;
    fix_checksum(bytes);
    CHECK_THAT(load_error(bytes), Contains("bytes of vectors, expected"));

    bytes = good;
    bytes[count_at + 6] = 1;  // count about 2^48
    fix_checksum(bytes);
    CHECK_THAT(load_error(bytes), Contains("does not fit the file"));

    bytes = good;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(bytes.data() + first_float_at, &nan, 4);
    fix_checksum(bytes);
    CHECK_THAT(load_error(bytes), Contains("non-finite value"));

    bytes = good;
    std::swap(bytes[24 + 5 + 4 + 4], bytes[24 + 5 + 9 + 4 + 4]);  // "C/1#1" <-> "C/1#2"
    fix_checksum(bytes);
    CHECK_THAT(load_error(bytes), Contains("not in strictly ascending order"));

    bytes = good;
    bytes[24 + 5 + 4 + 3] = 'x';  // "C/1#1" -> "C/1x1"
    fix_checksum(bytes);
    CHECK_THAT(load_error(bytes), Contains("invalid passage id"));
  }
  SECTION("the intact file still loads") {
    test::write_file(path, good);
    CHECK(must_load(dir.path()).ids() == store.ids());
  }
}

TEST_CASE("a failed save leaves the previous vectors.bin") {
  test::TempDir dir;
  VectorStore first;
  REQUIRE(first.replace_document("F/1", {{"F/1#1", {1, 0}}}).has_value());
  REQUIRE(first.save(dir.path()).has_value());
  VectorStore second;
  REQUIRE(second.replace_document("F/2", {{"F/2#1", {0, 1}}}).has_value());

  SECTION("the temporary file cannot be written") {
    std::filesystem::create_directory(dir.path() / "vectors.bin.tmp");
    const auto r = second.save(dir.path());
    REQUIRE_FALSE(r.has_value());
    CHECK_THAT(r.error().describe(), Contains("vectors.bin.tmp: cannot write"));
    CHECK(must_load(dir.path()).ids() == std::vector<std::string>{"F/1#1"});
  }
  SECTION("the directory does not exist") {
    CHECK_FALSE(second.save(dir.path() / "missing").has_value());
  }
  SECTION("staged but never committed") {
    {
      auto staged = second.stage(dir.path());
      REQUIRE(staged.has_value());
      CHECK(std::filesystem::exists(dir.path() / "vectors.bin.tmp"));
    }
    CHECK_FALSE(std::filesystem::exists(dir.path() / "vectors.bin.tmp"));
    CHECK(must_load(dir.path()).ids() == std::vector<std::string>{"F/1#1"});
  }
  SECTION("staged and committed") {
    auto staged = second.stage(dir.path());
    REQUIRE(staged.has_value());
    CHECK(must_load(dir.path()).ids() == std::vector<std::string>{"F/1#1"});
    REQUIRE(staged->commit().has_value());
    CHECK(must_load(dir.path()).ids() == std::vector<std::string>{"F/2#1"});
    CHECK_FALSE(std::filesystem::exists(dir.path() / "vectors.bin.tmp"));
    CHECK_FALSE(staged->commit().has_value());
  }
}

TEST_CASE("end to end: embed passages, store, search by an embedded query, fuse with lexical hits") {
  test::FakeEmbeddingServer server({.dimensions = 64});
  EmbedderOptions eo;
  eo.base_url = server.base_url();
  eo.model = "fake-model";
  eo.batch_size = 2;
  eo.retries = 0;
  eo.backoff_ms = 1;
  auto created = HttpEmbedder::create(eo);
  REQUIRE(created.has_value());
  HttpEmbedder& embedder = **created;

  struct Doc {
    std::string symbol;
    std::vector<std::pair<std::string, std::string>> passages;  // para, text
  };
  const std::vector<Doc> docs = {
      {"UNEP/CBD/NP/1", {{"1", "遗传资源的获取和惠益分享"}, {"2", "粮农组织的粮食和农业遗传资源委员会"}}},
      {"UNEP/CBD/NP/2", {{"1", "气候变化与生物多样性"}, {"2", "海洋和沿海生物多样性"}, {"3", "能力建设和技术转让"}}},
  };
  test::TempDir dir;
  {
    VectorStore store({.build_ann = false});
    REQUIRE(store.set_model(embedder.model()).has_value());
    for (const Doc& d : docs) {
      std::vector<std::string> texts;
      for (const auto& [para, text] : d.passages) texts.push_back(text);
      auto vectors = embedder.embed(texts);
      REQUIRE(vectors.has_value());
      std::vector<PassageVector> pv;
      for (std::size_t i = 0; i < texts.size(); ++i)
        pv.push_back({d.symbol + "#" + d.passages[i].first, std::move((*vectors)[i])});
      REQUIRE(store.replace_document(d.symbol, pv).has_value());
    }
    REQUIRE(store.save(dir.path()).has_value());
  }
  CHECK(server.request_count() == 1 + 2);

  const VectorStore store = must_load(dir.path());
  CHECK(store.model() == "fake-model");
  CHECK(store.size() == 5);
  auto query = embedder.embed({"遗传资源获取"});
  REQUIRE(query.has_value());
  const auto hits = must_search(store, query->front(), 3);
  REQUIRE(hits.size() == 3);
  CHECK(hits[0].id == "UNEP/CBD/NP/1#1");  // shares 遗传资源 and 获取
  CHECK(hits[1].id == "UNEP/CBD/NP/1#2");  // shares 遗传资源
  CHECK(hits[0].score == Approx(dot(query->front(), test::fake_embedding("遗传资源的获取和惠益分享", 64))).epsilon(1e-5));

  // mode=hybrid: a lexical list fused with the vector list.
  const auto top2 = must_search(store, query->front(), 2);
  REQUIRE(hit_ids(top2) == std::vector<std::string>{"UNEP/CBD/NP/1#1", "UNEP/CBD/NP/1#2"});
  const std::vector<std::string> lexical = {"UNEP/CBD/NP/1#2", "UNEP/CBD/NP/2#2"};
  auto fused = reciprocal_rank_fusion({{lexical}, {hit_ids(top2)}}, 60);
  REQUIRE(fused.has_value());
  const std::vector<FusedHit> expected = {
      {"UNEP/CBD/NP/1#2", 1.0 / 61 + 1.0 / 62, {1, 2}},
      {"UNEP/CBD/NP/1#1", 1.0 / 61, {0, 1}},
      {"UNEP/CBD/NP/2#2", 1.0 / 62, {2, 0}},
  };
  CHECK(*fused == expected);

  // Query time, server down: the caller gets an error value and falls back to lexical results.
  server.enqueue({.status = 500});
  const auto down = embedder.embed({"遗传资源"});
  REQUIRE_FALSE(down.has_value());
  CHECK_THAT(down.error().message, Contains("HTTP 500"));
}
