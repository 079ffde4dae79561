#include "tests/search/relevance/relevance.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <set>
#include <stdexcept>

#include <toml++/toml.h>
#include <xapian.h>

#include "core/text/analyzer.h"
#include "core/index/schema.h"
#include "core/index/index_writer.h"
#include "core/documents/parser.h"
#include "core/documents/passage_fields.h"
#include "core/search/resources.h"
#include "core/search/searcher.h"
#include "core/vectors/semantic.h"
#include "core/vectors/vector_store.h"
#include "tests/support/fake_embedding_server.h"
#include "tests/support/test_support.h"

namespace treaty::relevance {
namespace {

constexpr std::array<std::string_view, 8> kCategories = {"keyword", "phrase",   "traditional",  "english",
                                                         "synonym", "decision", "organization", "date"};

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

std::string format(double value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.3f", value);
  return buffer;
}

void add(Scores& sum, const Scores& s) {
  sum.recall += s.recall;
  sum.rr += s.rr;
  sum.ndcg += s.ndcg;
}

Scores divide(Scores s, std::size_t n) {
  if (n == 0) return s;
  const double d = static_cast<double>(n);
  return {s.recall / d, s.rr / d, s.ndcg / d};
}

}  // namespace

Expected<std::vector<JudgedQuery>> load_queries(const std::filesystem::path& path) {
  const std::string file = path.string();
  toml::table root;
  try {
    root = toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    return fail("TOML error: " + std::string(e.description()), file, static_cast<int>(e.source().begin.line));
  }
  const auto symbol = root["symbol"].value<std::string>();
  if (!symbol) return fail("missing top-level 'symbol'", file);
  const toml::array* entries = root["query"].as_array();
  if (!entries) return fail("no [[query]] tables", file);

  std::vector<JudgedQuery> out;
  std::set<std::string> ids;
  for (const toml::node& element : *entries) {
    const toml::table* entry = element.as_table();
    if (!entry) return fail("a [[query]] must be a table", file, line_of(element));
    for (const auto& [key, node] : *entry) {
      static constexpr std::array<std::string_view, 5> kKeys = {"id", "category", "q", "relevant", "note"};
      if (std::find(kKeys.begin(), kKeys.end(), key.str()) == kKeys.end())
        return fail("unknown key '" + std::string(key.str()) + "'", file, line_of(node));
    }
    JudgedQuery q;
    const auto id = (*entry)["id"].value<std::string>();
    const auto category = (*entry)["category"].value<std::string>();
    const auto text = (*entry)["q"].value<std::string>();
    const toml::array* relevant = (*entry)["relevant"].as_array();
    if (!id || !category || !text || !relevant)
      return fail("a query needs string id, category, q and an array 'relevant'", file, line_of(element));
    if (std::find(kCategories.begin(), kCategories.end(), *category) == kCategories.end())
      return fail("unknown category '" + *category + "'", file, line_of(element));
    if (!ids.insert(*id).second) return fail("duplicate id '" + *id + "'", file, line_of(element));
    q.id = *id;
    q.category = *category;
    q.q = *text;
    for (const toml::node& r : *relevant) {
      const auto para = r.value<std::string>();
      if (!para) return fail("'relevant' must hold strings", file, line_of(r));
      q.relevant.push_back(*symbol + "#" + *para);
    }
    if (q.relevant.empty()) return fail("query '" + q.id + "' has no relevant passage", file, line_of(element));
    out.push_back(std::move(q));
  }
  return out;
}

Scores score(const std::vector<std::string>& ranked, const std::vector<std::string>& relevant) {
  const std::set<std::string> wanted(relevant.begin(), relevant.end());
  Scores s;
  if (wanted.empty()) return s;
  std::size_t found = 0;
  double dcg = 0;
  for (std::size_t i = 0; i < ranked.size() && i < kCutoff; ++i) {
    if (!wanted.contains(ranked[i])) continue;
    ++found;
    if (s.rr == 0) s.rr = 1.0 / static_cast<double>(i + 1);
    dcg += 1.0 / std::log2(static_cast<double>(i + 2));
  }
  double ideal = 0;
  for (std::size_t i = 0; i < wanted.size() && i < kCutoff; ++i) ideal += 1.0 / std::log2(static_cast<double>(i + 2));
  s.recall = static_cast<double>(found) / static_cast<double>(wanted.size());
  s.ndcg = dcg / ideal;
  return s;
}

namespace {

class BagOfCharactersEmbedder final : public Embedder {
 public:
  Expected<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override {
    std::vector<std::vector<float>> out;
    for (const std::string& t : texts) out.push_back(test::fake_embedding(t, kVectorDimensions));
    return out;
  }
  const std::string& model() const override { return model_; }

 private:
  std::string model_ = "bag-of-characters";
};

}  // namespace

std::shared_ptr<Embedder> test_embedder() { return std::make_shared<BagOfCharactersEmbedder>(); }

std::vector<Mode> standard_modes() {
  return {Mode{"lexical", [](SearchRequest& r) { r.mode = SearchMode::lexical; }},
          Mode{"expanded", [](SearchRequest& r) { r.mode = SearchMode::hybrid; }},
          Mode{"hybrid+vec", [](SearchRequest& r) { r.mode = SearchMode::hybrid; }, true},
          Mode{"hybrid+vec/2", [](SearchRequest& r) { r.mode = SearchMode::hybrid; }, true, 0.5},
          Mode{"semantic", [](SearchRequest& r) { r.mode = SearchMode::semantic; }, true}};
}

void build_seed_index(const std::filesystem::path& index_dir, const Resources& resources) {
  Analyzer analyzer(resources.normalizer, resources.lexicon);
  auto writer = IndexWriter::open(index_dir, {.analysis = resources.analysis});
  if (!writer) throw std::runtime_error(writer.error().describe());
  const std::string text = test::read_file(test::seed_path());
  auto doc = parse_document(text, ParseOptions{test::seed_path().string(), ""});
  if (!doc) throw std::runtime_error(doc.error().describe());
  const DocumentFields fields = extract_fields(*doc, resources.normalizer, resources.gazetteer);
  writer->replace_document(*doc, fields, analyzer, text);
  writer->commit();

  auto embedder = test_embedder();
  std::vector<std::string> texts;
  for (const Passage& p : doc->passages) texts.push_back(p.text);
  auto vectors = embedder->embed(texts);
  VectorStore store;
  std::vector<PassageVector> rows;
  for (std::size_t i = 0; i < texts.size(); ++i) rows.push_back({schema::vector_id("zh", doc->passages[i].id), (*vectors)[i]});
  if (!store.set_model(embedder->model()) || !store.replace_document(schema::vector_document(doc->symbol, "zh"), rows) || !store.save(index_dir))
    throw std::runtime_error("cannot store the seed's passage vectors");
}

ModeReport evaluate(const std::filesystem::path& index_dir, const Resources& resources,
                    const std::vector<JudgedQuery>& queries, const Mode& mode) {
  Xapian::Database db(index_dir.string());
  SearcherOptions options;
  if (mode.vectors) {
    VectorSearchOptions vector_options;
    vector_options.vector_weight = mode.vector_weight;
    options.vectors = std::make_shared<VectorSearch>(index_dir, test_embedder(), vector_options);
  }
  Searcher searcher(db, resources, options);
  ModeReport report;
  report.mode = mode.name;
  std::map<std::string, std::size_t> counts;
  for (const JudgedQuery& q : queries) {
    SearchRequest request;
    request.q = q.q;
    request.size = kCutoff;
    mode.configure(request);
    QueryResult result;
    result.query = &q;
    if (auto response = searcher.search(request)) {
      for (const Hit& hit : response->hits) result.ranked.push_back(hit.id);
    } else {
      result.ranked.push_back("error: " + response.error().describe());
    }
    result.scores = score(result.ranked, q.relevant);
    add(report.mean, result.scores);
    add(report.by_category[q.category], result.scores);
    ++counts[q.category];
    report.results.push_back(std::move(result));
  }
  report.mean = divide(report.mean, queries.size());
  for (auto& [category, s] : report.by_category) s = divide(s, counts[category]);
  return report;
}

std::string markdown(const std::vector<ModeReport>& reports) {
  std::string out;
  const std::size_t n = reports.empty() ? 0 : reports.front().results.size();
  out += "| mode | queries | recall@10 | MRR@10 | nDCG@10 |\n|---|---:|---:|---:|---:|\n";
  for (const ModeReport& r : reports)
    out += "| " + r.mode + " | " + std::to_string(n) + " | " + format(r.mean.recall) + " | " + format(r.mean.rr) +
           " | " + format(r.mean.ndcg) + " |\n";

  out += "\nnDCG@10 (recall@10) per category:\n\n| category | queries |";
  for (const ModeReport& r : reports) out += " " + r.mode + " |";
  out += "\n|---|---:|";
  for (std::size_t i = 0; i < reports.size(); ++i) out += "---:|";
  out += "\n";
  for (std::string_view category : kCategories) {
    std::size_t count = 0;
    if (!reports.empty())
      for (const QueryResult& q : reports.front().results) count += q.query->category == category;
    if (count == 0) continue;
    out += "| " + std::string(category) + " | " + std::to_string(count) + " |";
    for (const ModeReport& r : reports) {
      const Scores& s = r.by_category.at(std::string(category));
      out += " " + format(s.ndcg) + " (" + format(s.recall) + ") |";
    }
    out += "\n";
  }
  return out;
}

}  // namespace treaty::relevance
