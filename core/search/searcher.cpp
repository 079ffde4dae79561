#include "core/search/searcher.h"

#include <algorithm>
#include <unordered_set>

#include "core/documents/document_facts.h"
#include "core/index/schema.h"
#include "core/search/facets.h"
#include "core/search/filters.h"
#include "core/search/hits.h"
#include "core/search/ranking.h"
#include "core/search/resources.h"
#include "core/search/similar_terms.h"
#include "core/search/vector_retrieval.h"

namespace treaty {
namespace {

// Each requested facet once, in request order, with no values (not counted).
std::vector<Facet> uncounted_facets(const SearchRequest& request) {
  std::vector<Facet> facets;
  for (const std::string& name : request.facets)
    if (std::none_of(facets.begin(), facets.end(), [&](const Facet& f) { return f.name == name; }))
      facets.push_back({name, {}});
  return facets;
}

// Marks the response timed out, with one warning saying what was cut, when the budget ran out.
SearchResponse finish(SearchResponse response, const StepBudget& budget) {
  response.timed_out = budget.timed_out();
  if (response.timed_out) response.warnings.push_back(budget.warning());
  return response;
}

}  // namespace

Searcher::Searcher(Xapian::Database& db, const Resources& resources, SearcherOptions options)
    : db_(&db),
      resources_(&resources),
      options_(std::move(options)),
      analyzer_(resources.normalizer, resources.lexicon),
      filter_builder_(resources.normalizer, resources.gazetteer, &db),
      passages_(resources.gazetteer) {
  if (!options_.slot_tables) options_.slot_tables = std::make_shared<SlotTableCache>();
}

std::shared_ptr<const VectorStore> Searcher::usable_store(std::vector<std::string>& warnings, bool need_embedder) {
  VectorSearch* vectors = options_.vectors.get();
  if (!vectors || (need_embedder && !vectors->has_embedder())) return nullptr;
  auto store = vectors->store();
  if (!store) {
    warnings.push_back("dense vectors are unavailable (" + store.error().describe() + "); lexical results only");
    return nullptr;
  }
  if ((*store)->size() == 0) {
    if (need_embedder)
      warnings.push_back("the index has no passage vectors (index with `indexer --embed-url`); lexical results only");
    return nullptr;
  }
  // Stored vectors compare with each other whatever the embedder; with a query vector only if
  // one model made both.
  if (need_embedder && (*store)->model() != vectors->embedder_model()) {
    warnings.push_back("the index's vectors come from model \"" + (*store)->model() +
                       "\" but queries are embedded with \"" + vectors->embedder_model() +
                       "\" (re-index with that model); lexical results only");
    return nullptr;
  }
  return *store;
}

Expected<bool> Searcher::in_scope(std::string_view id, const FilterScope& scope) {
  if (scope.empty()) return true;
  SearchRequest request;
  request.scope = scope;
  std::vector<std::string> warnings;
  auto filters = request_filters(request, filter_builder_, warnings);
  if (!filters) return std::unexpected(filters.error());
  Xapian::Enquire enquire(*db_);
  enquire.set_query(filters->apply(Xapian::Query(std::string(schema::kPassageId) + std::string(id))));
  return !enquire.get_mset(0, 1).empty();
}

const std::vector<std::string>& Searcher::analysis_differences() {
  std::string record = db_->get_metadata(std::string(schema::kMetaAnalysis));
  if (record != analysis_record_) {
    analysis_differences_ = treaty::analysis_differences(AnalysisFingerprint::from_record(record), resources_->analysis);
    analysis_record_ = std::move(record);
  }
  return analysis_differences_;
}

Expected<SearchResponse> Searcher::search(const SearchRequest& request) {
  if (auto ok = check_request(request); !ok) return std::unexpected(ok.error());
  if (request.mode == SearchMode::semantic && !(options_.vectors && options_.vectors->has_embedder()))
    return fail("mode=semantic needs an embeddings server, and none is configured ([embedder] in searchd.toml)");
  StepBudget budget(request.deadline);
  if (!budget.allows("not searched"))
    return not_searched(request, request.q.empty() ? SortOrder::document : SortOrder::relevance, budget);

  QueryParserOptions query_options = options_.query;
  query_options.headings_match = request.headings;
  query_options.whole_paragraphs = request.paragraphs;
  query_options.database = db_;
  query_options.date_relation = request.date_relation;
  // An index analysed otherwise may lack a lexicon term's term; its phrase matches regardless.
  if (!analysis_differences().empty()) query_options.lexicon_terms = false;
  query_options.limits = request.limits;
  if (request.mode != SearchMode::lexical && !resources_->thesaurus.concepts().empty())
    query_options.thesaurus = &resources_->thesaurus;
  auto parsed = parse_query(request.q, analyzer_, resources_->gazetteer, query_options);
  if (!parsed) return std::unexpected(parsed.error());
  // Words of other languages also find the Chinese words the index's dictionaries translate them
  // by (documents with a Chinese version only).
  if (request.mode != SearchMode::lexical && parsed->has_text)
    add_dictionary_translations(*parsed, dictionaries(), resources_->normalizer, stemmers_, kDictionaryWeight);
  if (request.mode == SearchMode::lexical || parsed->semantic_text.empty()) return run(request, *parsed, nullptr, budget);

  // searchd's result cache recognises the warnings of a failed or skipped embedding (and of an
  // unreadable store) by their first words and does not cache those answers
  // (searchd/search_routes.cpp, kTransientWarnings): reword them there too.
  std::vector<std::string> warnings;
  VectorQuery vq;
  vq.store = usable_store(warnings, true);
  if (vq.store && !budget.allows("dense vectors not used")) vq.store = nullptr;  // embedding waits for a server
  if (vq.store) {
    auto vector = options_.vectors->embed_query(parsed->semantic_text);
    if (!vector && vector.error().skipped) {
      warnings.push_back("the embedder is skipped: " + vector.error().error.describe() + "; lexical results only");
    } else if (!vector) {
      warnings.push_back("the query could not be embedded (" + vector.error().error.describe() + "); lexical results only");
    } else if (vector->size() != vq.store->dimensions()) {
      warnings.push_back("the embedder returned " + std::to_string(vector->size()) + " dimensions, the index's vectors have " +
                         std::to_string(vq.store->dimensions()) + "; lexical results only");
    } else {
      vq.vector = std::move(*vector);
      return run(request, *parsed, &vq, budget);
    }
  }
  return run(request, *parsed, nullptr, budget, std::move(warnings));
}

SearchResponse Searcher::not_searched(const SearchRequest& request, SortOrder sort, StepBudget& budget) const {
  SearchResponse response = start_response(request, ParsedQuery{}, false, {});
  response.sort = request.sort.value_or(sort);
  response.total_exact = false;
  response.facets = uncounted_facets(request);
  return finish(std::move(response), budget);
}

// A search runs in named steps: the response's header (start_response), the filters
// (request_filters), the ranking (rank: lexical, semantic or hybrid), facet counting
// (count_facets) and hit rendering (HitRenderer). The budget is asked before the vector
// retrieval, the ranking, each facet's own pass and each hit's snippet.
Expected<SearchResponse> Searcher::run(const SearchRequest& request, const ParsedQuery& parsed, const VectorQuery* vq,
                                       StepBudget& budget, std::vector<std::string> warnings) {
  if (vq && !budget.allows("dense vectors not used")) vq = nullptr;
  const std::vector<std::string>& stale = analysis_differences();
  warnings.insert(warnings.end(), stale.begin(), stale.end());
  SearchResponse response = start_response(request, parsed, vq != nullptr, std::move(warnings));
  auto filters = request_filters(request, filter_builder_, response.warnings);
  if (!filters) return std::unexpected(filters.error());
  response.sort = request.sort.value_or(parsed.has_text || vq ? SortOrder::relevance : SortOrder::document);

  const std::shared_ptr<const SlotTable> table = options_.slot_tables->get(*db_);
  const SortKeys sort(*table, response.sort);
  const FacetPlan plan = plan_facets(request, *filters);
  FacetSpy spy(*table, plan.main);
  std::optional<VectorRetriever> vectors;
  if (vq) vectors.emplace(*db_, *vq, options_.vectors->docids(*db_), options_.vectors->options().depth, *filters);
  const bool semantic = vq && request.mode == SearchMode::semantic;

  const Xapian::Query query = filters->apply(parsed.query);
  if (!budget.allows("not searched")) {
    response.total_exact = false;
    response.facets = uncounted_facets(request);
    return finish(std::move(response), budget);
  }
  const Projection projection = project(request, parsed, *filters, semantic);
  auto ranking = rank(request, query, sort, spy, vectors ? &*vectors : nullptr, semantic, budget.time_limit(),
                      projection.candidates);
  if (!ranking) return std::unexpected(ranking.error());
  response.total = ranking->total;
  response.total_exact = ranking->exact;
  if (!ranking->exact) budget.cut("total estimated, facet counts are lower bounds");

  auto facets = count_facets(request, plan, spy, *table, parsed.query, *filters, vectors ? &*vectors : nullptr, semantic,
                             budget);
  if (!facets) return std::unexpected(facets.error());
  response.facets = std::move(*facets);

  std::vector<Ranked> page = ranking->page(request.size);
  if (semantic && parsed.has_text) mark_lexical_matches(page, query);
  response.hits = HitRenderer(analyzer_, parsed, request).render(*db_, passages_, page, &budget);
  add_cross_language(request, projection, page, response.hits);
  return finish(std::move(response), budget);
}

const std::vector<Dictionary>& Searcher::dictionaries() {
  std::string key;
  try {
    key = db_->get_uuid() + ":" + std::to_string(db_->get_revision());
  } catch (const Xapian::InvalidOperationError&) {
    key.clear();  // no revision to key on (several shards): read them for every search
  }
  if (key.empty() || key != dictionaries_of_) {
    dictionaries_.clear();
    for (const std::string& lang : dictionary_languages(*db_)) dictionaries_.push_back(read_dictionary(*db_, lang));
    dictionaries_of_ = std::move(key);
  }
  return dictionaries_;
}

std::vector<std::string> Searcher::language_codes(const std::vector<std::string>& values) const {
  std::vector<std::string> codes;
  for (const std::string& v : values)
    if (auto code = parse_language(resources_->normalizer.normalize_string(v))) codes.push_back(*code);
  return codes;
}

Projection Searcher::project(const SearchRequest& request, const ParsedQuery& parsed, const Filters& filters,
                             bool semantic) const {
  if (!request.cross_lang || request.langs.empty() || !parsed.has_text || semantic) return {};
  const std::vector<std::string> langs = language_codes(request.langs);
  if (langs.empty()) return {};
  std::vector<Xapian::Query> lang_terms;
  for (const std::string& code : langs) lang_terms.emplace_back(std::string(schema::kLang) + code);
  // The query in the other versions: every filter but the language's, and not in `langs`.
  const Xapian::Query other(Xapian::Query::OP_AND_NOT, filters.apply(parsed.query, "lang"),
                            Xapian::Query(Xapian::Query::OP_OR, lang_terms.begin(), lang_terms.end()));
  return project_through_links(*db_, other, filters.apply(Xapian::Query(std::string())), langs, kProjectionDepth);
}

void Searcher::add_cross_language(const SearchRequest& request, const Projection& projection,
                                  const std::vector<Ranked>& page, std::vector<Hit>& hits) {
  const std::vector<std::string> display = language_codes(request.display_langs);
  for (std::size_t i = 0; i < hits.size() && i < page.size(); ++i) {
    if (hits[i].passage.is_null()) continue;  // not read (fields asked for ids only)
    if (const auto it = projection.from.find(page[i].did); it != projection.from.end())
      hits[i].passage["via"] = {{"id", it->second.id},
                                {"lang", it->second.lang},
                                {"rank", it->second.rank},
                                {"confidence", it->second.confidence}};
    if (!display.empty()) hits[i].passage["linked"] = linked_versions(*db_, &passages_, hits[i].passage, display);
  }
}

SearchResponse Searcher::start_response(const SearchRequest& request, const ParsedQuery& parsed, bool vector,
                                        std::vector<std::string> warnings) const {
  SearchResponse response;
  response.mode = request.mode;
  response.vector = vector;
  response.fields = request.fields;
  response.warnings = parsed.warnings;
  response.warnings.insert(response.warnings.end(), warnings.begin(), warnings.end());
  for (const QueryExpansion& e : parsed.expansions)
    for (const std::string& r : e.replacements)
      if (std::find(response.expansions.begin(), response.expansions.end(), r) == response.expansions.end())
        response.expansions.push_back(r);
  return response;
}

Expected<Ranking> Searcher::rank(const SearchRequest& request, const Xapian::Query& query, const SortKeys& sort,
                                 FacetSpy& spy, const VectorRetriever* vectors, bool semantic, double time_limit,
                                 const std::vector<VectorCandidate>& projected) const {
  const VectorSearchOptions fusion = options_.vectors ? options_.vectors->options() : VectorSearchOptions{};
  if (!vectors && projected.empty())
    return lexical_ranking(*db_, query, sort, spy, request.offset, request.size, time_limit);
  if (!vectors)
    return hybrid_ranking(*db_, query, sort, spy, projected, fusion, request.offset, request.size, time_limit);
  auto candidates = vectors->candidates();
  if (!candidates) return std::unexpected(candidates.error());
  if (semantic) return semantic_ranking(*candidates, sort, spy, request.offset);
  std::unordered_set<Xapian::docid> seen;
  for (const VectorCandidate& c : *candidates) seen.insert(c.did);
  for (const VectorCandidate& c : projected)
    if (seen.insert(c.did).second) candidates->push_back(c);
  return hybrid_ranking(*db_, query, sort, spy, *candidates, fusion, request.offset, request.size, time_limit);
}

Expected<std::vector<Facet>> Searcher::count_facets(const SearchRequest& request, const FacetPlan& plan,
                                                    const FacetSpy& spy, const SlotTable& table,
                                                    const Xapian::Query& query, const Filters& filters,
                                                    const VectorRetriever* vectors, bool semantic,
                                                    StepBudget& budget) const {
  const FacetLabels labels(resources_->gazetteer, *db_);
  std::vector<Facet> computed;
  for (std::size_t i = 0; i < plan.main.size(); ++i)
    computed.push_back(make_facet(kFacetDefs[plan.main[i]].name, spy.values(i), request.facet_size, labels));
  for (std::size_t k : plan.own_pass) {
    FacetSpy own(table, {k});  // no values when the budget leaves no time to count
    if (budget.allows("facets not counted")) {
      auto exact = count_without_own_filter(k, own, *db_, query, filters, vectors, semantic, budget.time_limit());
      if (!exact) return std::unexpected(exact.error());
      if (!*exact) budget.cut("facet counts are lower bounds");
    }
    computed.push_back(make_facet(kFacetDefs[k].name, own.values(0), request.facet_size, labels));
  }
  // In the order requested; a facet asked twice is listed once.
  std::vector<Facet> facets;
  for (const std::string& name : request.facets)
    for (Facet& facet : computed)
      if (facet.name == name) {
        facets.push_back(std::move(facet));
        facet.name.clear();
      }
  return facets;
}

void Searcher::mark_lexical_matches(std::vector<Ranked>& page, const Xapian::Query& query) const {
  std::vector<VectorCandidate> shown;
  for (const Ranked& e : page) {
    const Xapian::Document doc = db_->get_document(e.did, Xapian::DOC_ASSUME_VALID);
    shown.push_back({e.did, schema::vector_id(doc.get_value(schema::kSlotLang), doc.get_value(schema::kSlotId)), 0});
  }
  const auto lexical = matching_docids(*db_, shown, query);
  for (Ranked& e : page) e.lexical = lexical.contains(e.did);
}

Expected<std::optional<SearchResponse>> Searcher::similar(const std::string& id, const SearchRequest& request) {
  if (auto ok = check_request(request); !ok) return std::unexpected(ok.error());
  StepBudget budget(request.deadline);
  if (!budget.allows("not searched"))
    return std::optional<SearchResponse>(not_searched(request, SortOrder::relevance, budget));
  const std::string id_term = std::string(schema::kPassageId) + id;
  Xapian::PostingIterator posting = db_->postlist_begin(id_term);
  if (posting == db_->postlist_end(id_term)) return std::optional<SearchResponse>();

  SimilarQuery similar = similar_terms_query(*db_, *posting, id_term);

  // By vectors too when the passage has one (no query to embed: its stored vector is the query).
  std::vector<std::string> warnings;
  VectorQuery vq;
  if (request.mode != SearchMode::lexical) {
    vq.store = usable_store(warnings, false);
    // The vector of the version the terms came from; every version of the passage is excluded.
    const std::string lang = db_->get_document(*posting, Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotLang);
    if (auto vector = vq.store ? vq.store->vector(schema::vector_id(lang, id)) : std::nullopt) {
      vq.vector = std::move(*vector);
      vq.exclude_id = id;
    } else if (request.mode == SearchMode::semantic && warnings.empty()) {
      warnings.push_back("passage " + id + " has no stored vector; related passages by shared terms only");
    }
  }
  auto response = run(request, similar.parsed, vq.vector.empty() ? nullptr : &vq, budget, std::move(warnings));
  if (!response) return std::unexpected(response.error());
  response->expansions = std::move(similar.described);
  return std::optional<SearchResponse>(std::move(*response));
}

}  // namespace treaty
