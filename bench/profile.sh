#!/usr/bin/env bash
# Reproduces the numbers of bench/PROFILE.md: where indexing and query time goes (callgrind
# instruction counts, repeatable on a busy machine) and why our hit counts differ from the
# peers' (Groonga, SQLite FTS5).
#
#   bench/profile.sh CORPUS_DIR [WORK_DIR]
#     CORPUS_DIR  a corpus of ../shared/bench/make_corpus.py (docs/*.txt + paragraphs.jsonl),
#                 e.g. /tmp/bench-data/corpus-1000
#     WORK_DIR    scratch directory (default ${TMPDIR:-/tmp}/treaty-profile); results in WORK_DIR/out
#   Environment: BUILD=DIR reuse a RelWithDebInfo build (default: build one into WORK_DIR/build),
#                JOBS=N build jobs (default 1), QUERIES=FILE (default ../shared/bench/queries.txt),
#                SKIP_INDEX_PROFILE=1 / SKIP_QUERY_PROFILE=1 / SKIP_HITS=1 to leave a part out.
#
# Slow: ~10 min on 2 cores for corpus-1000 (callgrind runs programs ~50x slower).
# Needs: cmake, g++, valgrind (callgrind_annotate, callgrind_control), python3, Debian's
# python3-xapian (for /usr/bin/python3), /usr/bin/time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(cd "${1:?usage: bench/profile.sh CORPUS_DIR [WORK_DIR]}" && pwd)
work=${2:-${TMPDIR:-/tmp}/treaty-profile}
queries=${QUERIES:-$root/../shared/bench/queries.txt}
jobs=${JOBS:-1}
mkdir -p "$work/out" "$work/tools"
work=$(cd "$work" && pwd)
out=$work/out
tools=$work/tools
step() { echo "profile: $*" >&2; }

for t in cmake g++ valgrind callgrind_annotate callgrind_control python3; do
  command -v "$t" >/dev/null || { echo "profile: needs $t" >&2; exit 2; }
done
/usr/bin/python3 -c 'import xapian' 2>/dev/null || { echo "profile: needs python3-xapian (apt-get install python3-xapian)" >&2; exit 2; }
[ -f "$queries" ] || { echo "profile: no query file $queries" >&2; exit 2; }
[ -f "$corpus/paragraphs.jsonl" ] || { echo "profile: $corpus has no paragraphs.jsonl" >&2; exit 2; }

# ---------------------------------------------------------------- build
build=${BUILD:-$work/build}
if [ -z "${BUILD:-}" ]; then
  step "building RelWithDebInfo into $build (-j$jobs)"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTREATY_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j"$jobs" >/dev/null
fi
indexer=$build/indexer/indexer
searchd=$build/searchd/searchd
config=$root/config

# ---------------------------------------------------------------- helper scripts
# Callgrind tree (callgrind_annotate --tree=calling) -> indexing phases. Inlined copies of a
# function are listed per source file; arcs are merged by function name. The two unnamed
# libxapian 1.4.22 (Debian) functions are the callees of WritableDatabase::add_document that
# write the termlist entry and the document data (both zlib-compressed: they are the only
# add_document callees that reach deflate); on another libxapian build they fall into "inverter".
cat > "$tools/phases.py" <<'EOF'
import re, sys, collections
line_re = re.compile(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+([*>])\s+(.*)$")
def key(s):
    s = re.sub(r" \[[^\]]*\]$", "", s); s = re.sub(r" \(\d[\d,]*x\)$", "", s)
    return s[4:] if s.startswith("???:") else re.sub(r"^[^:]*:(?=[^:])", "", s, count=1)
calls = collections.defaultdict(collections.Counter); cur = None; T = 0
for ln in open(sys.argv[1], errors="replace"):
    m = re.search(r"([\d,]+) \(100.0%\)\s+PROGRAM TOTALS", ln)
    if m: T = int(m.group(1).replace(",", ""))
    m = line_re.match(ln.rstrip("\n"))
    if not m: continue
    c, k, n = int(m.group(1).replace(",", "")), m.group(2), key(m.group(3))
    if k == "*": cur = n
    elif cur is not None and n != cur: calls[cur][n] += c
def arc(caller, callee):
    return sum(v for c, d in calls.items() if caller in c for f, v in d.items() if callee in f)
def into(callee):
    return sum(v for c, d in calls.items() for f, v in d.items() if callee in f and callee not in c)
A = "treaty::Analyzer::analyze(std::basic_string_view"
ph = collections.OrderedDict()
ph["start-up: resources (OpenCC dictionaries, gazetteer, thesaurus)"] = arc("load_resources(", "Resources::load(")
ph["parsing (parse_document; check pass + indexing pass)"] = into("treaty::parse_document(")
ph["field extraction (orgs, dates, decisions, symbols)"] = into("treaty::extract_fields(")
norm = arc(A, "Normalizer::normalize(")
icu = sum(arc(A, f) for f in ("RuleBasedBreakIterator::next()", "BreakIterator::setText", "RuleBasedBreakIterator::first()", "UnicodeString::fromUTF32"))
lex = arc(A, "Lexicon::longest_match")
ana = arc("build_passage_document(", A)
ph["analysis: normalisation (NFKC, OpenCC t2s, case folding)"] = norm
ph["analysis: ICU word segmentation (BreakIterator)"] = icu
ph["analysis: treaty lexicon (longest_match)"] = lex
ph["analysis: rest (units, words, compounds)"] = ana - norm - icu - lex
tt = arc("build_passage_document(", "add_text_terms(")
xd_t = arc("add_text_terms(", "Xapian::Document::add_term(") + arc("add_text_terms(", "Xapian::Document::add_posting(")
ph["term generation (add_text_terms: term strings)"] = tt - xd_t
ph["Xapian::Document building (add_posting/add_term/values/destructor)"] = (xd_t
    + arc("build_passage_document(", "Xapian::Document::add_") + arc("build_passage_document(", "Xapian::Document::set_data")
    + arc("replace_document(", "Xapian::Document::~Document()"))
ph["JSON serialisation (passage data, document summary)"] = (arc("build_passage_document(", "passage_to_json")
    + arc("build_passage_document(", "::dump(") + arc("replace_document(", "document_summary_json") + arc("replace_document(", "::dump("))
ad = arc("replace_document(", "WritableDatabase::add_document(")
tl = arc("WritableDatabase::add_document(", "0x000000000011dba0")
dd = arc("WritableDatabase::add_document(", "0x0000000000100ff0")
ph["Xapian add_document: termlist entry (encode + zlib)"] = tl
ph["Xapian add_document: document data entry (zlib)"] = dd
ph["Xapian add_document: in-memory inverter (postings, positions)"] = ad - tl - dd
ph["Xapian commit: flush postlist/position B-trees"] = into("WritableDatabase::commit_transaction()")
ph["Xapian compaction (shards -> final index)"] = into("Database::compact_(")
ph["other (process start, linking, exit)"] = T - sum(ph.values())
print("| phase | M instructions | % |\n|---|---|---|")
for k, v in ph.items(): print(f"| {k} | {v/1e6:,.0f} | {100*v/T:.1f} |")
print(f"| **total** | {T/1e6:,.0f} | 100 |")
z = into("deflate"); zm = arc("deflateReset", "memset")
print(f"\nzlib deflate, all callers: {z/1e6:,.0f} M ({100*z/T:.1f} %), of which deflateReset's memset {zm/1e6:,.0f} M ({100*zm/T:.1f} %)")
EOF

# Named stages of searchd per category, from one callgrind dump per category.
cat > "$tools/sd_table.py" <<'EOF'
import subprocess, re, sys, collections
n = int(sys.argv[1])
line_re = re.compile(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+([*>])\s+(.*)$")
def key(s):
    s = re.sub(r" \[[^\]]*\]$", "", s); s = re.sub(r" \(\d[\d,]*x\)$", "", s)
    return s[4:] if s.startswith("???:") else re.sub(r"^[^:]*:(?=[^:])", "", s, count=1)
rows = collections.OrderedDict(); cats = []
for arg in sys.argv[2:]:
    f, cat = arg.split(":"); cats.append(cat)
    txt = subprocess.run(["callgrind_annotate", "--tree=calling", "--inclusive=yes", "--threshold=100", f],
                         capture_output=True, text=True).stdout
    total = int(re.search(r"([\d,]+) \(100.0%\)\s+PROGRAM TOTALS", txt).group(1).replace(",", ""))
    calls = collections.defaultdict(collections.Counter); cur = None
    for ln in txt.splitlines():
        m = line_re.match(ln)
        if not m: continue
        c, k, nm = int(m.group(1).replace(",", "")), m.group(2), key(m.group(3))
        if k == "*": cur = nm
        elif cur and nm != cur: calls[cur][nm] += c
    def arc(a, b): return sum(v for c, d in calls.items() if a in c for f2, v in d.items() if b in f2)
    mset = arc("Searcher::run(", "Enquire::get_mset(")
    spy = sum(v for c, d in calls.items() for f2, v in d.items() if "FacetSpy::operator()" in f2 and "FacetSpy" not in c)
    st = collections.OrderedDict()
    st["total (request to response)"] = total
    st["Xapian get_mset: matching, exact count, BM25, top 10"] = mset - spy
    st["facet MatchSpy (FacetSpy)"] = spy
    st["stored passage data: get_data + JSON parse (10 hits)"] = arc("Searcher::run(", "Document::get_data") + arc("Searcher::run(", "::parse<")
    st["snippets (Highlighter)"] = arc("Searcher::run(", "Highlighter::snippet(") + arc("Searcher::run(", "Highlighter::Highlighter(")
    st["response JSON (to_json + dump)"] = arc("handle_search(", "to_json") + arc("handle_search(", "::dump(")
    st["HTTP (cpp-httplib read/parse/route/write)"] = total - arc("::operator()(httplib::Request const&, httplib::Response&)", "handle_search(")
    for k, v in st.items(): rows.setdefault(k, {})[cat] = v / n / 1e6
print("| stage (M instructions per query) | " + " | ".join(cats) + " |")
print("|---|" + "---|" * len(cats))
for k, d in rows.items(): print(f"| {k} | " + " | ".join(f"{d[c]:.2f}" for c in cats) + " |")
EOF

# Sends the benchmark queries with bench/run.sh's parameters; per-category latency.
cat > "$tools/qdriver.py" <<'EOF'
import argparse, http.client, statistics, subprocess, time, urllib.parse, json
ap = argparse.ArgumentParser()
ap.add_argument("port", type=int); ap.add_argument("queries")
ap.add_argument("--per-category", type=int, default=0); ap.add_argument("--reps", type=int, default=1)
ap.add_argument("--dump-cmd", default=""); ap.add_argument("--per-query", default="")
# cache=false: repetitions (--reps) are computed again, not answered by the result cache
ap.add_argument("--params", default="size=10&facets=org&facet_size=10&mode=lexical&cache=false")
a = ap.parse_args()
cats, cur = {}, None
for line in open(a.queries, encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("# category:"): cur = line.split(":", 1)[1].strip(); cats[cur] = []; continue
    if line and not line.startswith("#"): cats[cur].append(line)
conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=600)
def get(q):
    path = "/search?q=" + urllib.parse.quote(q, safe="") + "&" + a.params
    t = time.perf_counter(); conn.request("GET", path); r = conn.getresponse(); body = r.read()
    return (time.perf_counter() - t) * 1000, json.loads(body).get("total")
perq = []
print("| category | queries | median ms | p95 ms | mean ms |\n|---|---|---|---|---|")
for c, qs in cats.items():
    n = a.per_category or len(qs); lat = []
    for i in range(n):
        q = qs[i % len(qs)]; ms = []
        for _ in range(a.reps): t, total = get(q); ms.append(t)
        lat.append(statistics.median(ms)); perq.append((statistics.median(ms), c, q, total))
    lat.sort()
    print(f"| {c} | {n} | {statistics.median(lat):.2f} | {lat[int(0.95 * (len(lat) - 1))]:.2f} | {statistics.mean(lat):.2f} |", flush=True)
    if a.dump_cmd: subprocess.run(a.dump_cmd.replace("{cat}", c), shell=True, check=True, stdout=subprocess.DEVNULL)
if a.per_query:
    with open(a.per_query, "w") as f:
        for ms, c, q, total in sorted(perq, reverse=True): f.write(f"{ms:.2f}\t{c}\t{q}\t{total}\n")
EOF

# Term, posting and position counts per term class (positions on every 10th passage, scaled).
cat > "$tools/termstats.py" <<'EOF'
import sys, collections, xapian
db = xapian.Database(sys.argv[1])
def cls(t):
    if t.startswith("S"): return "S + " + cls(t[1:])
    if t[:1] == "H": return "H (Han character)"
    if t[:1] == "B": return "B (Han bigram)"
    if t[:1] in "QX": return "boolean (Q, XP, XKIND, XO, XY, XM, XD, XSYM)"
    if t[:1].isascii(): return "alnum unit / compound"
    return "Han word (ICU + lexicon), 1 char" if len(t) == 1 else "Han word (ICU + lexicon), 2+ chars"
terms, postings, positions = collections.Counter(), collections.Counter(), collections.Counter()
for t in db.allterms():
    c = cls(t.term.decode("utf-8", "replace")); terms[c] += 1; postings[c] += t.termfreq
STEP = 10
for did in range(1, db.get_lastdocid() + 1, STEP):
    for t in db.termlist(did):
        n = sum(1 for _ in db.positionlist(did, t.term))
        if n: positions[cls(t.term.decode("utf-8", "replace"))] += n * STEP
print("| term class | terms | postings | positions (est.) |\n|---|---|---|---|")
for c in sorted(postings, key=lambda c: -postings[c]):
    print(f"| {c} | {terms[c]:,} | {postings[c]:,} | {positions[c]:,} |")
print(f"| total | {sum(terms.values()):,} | {sum(postings.values()):,} | {sum(positions.values()):,} |")
print(f"\n{db.get_doccount():,} passages, average length {db.get_avlength():.1f} postings")
EOF

# Hit-count decomposition against the peers' records (one per numbered paragraph, lead-in + items).
cat > "$tools/hits.py" <<'EOF'
import json, re, sys, unicodedata, argparse, collections
import xapian
ap = argparse.ArgumentParser()
ap.add_argument("index"); ap.add_argument("corpus"); ap.add_argument("queries")
ap.add_argument("--json", default="")
a = ap.parse_args()
def is_han(c):
    o = ord(c)
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F
def units(text):  # core/text/analyzer.cpp's units, without OpenCC t2s (the queries are Simplified)
    t = unicodedata.normalize("NFKC", text).lower(); out, i = [], 0
    while i < len(t):
        c = t[i]
        if is_han(c): out.append((c, "han", i > 0 and is_han(t[i - 1]))); i += 1; continue
        if not c.isalnum(): i += 1; continue
        j = i
        while j < len(t) and t[j].isalnum() and not is_han(t[j]): j += 1
        out.append((t[i:j], "alnum", False)); i = j
    return out
def text_query(text, prefix=""):  # core/index/text_terms.cpp's match part
    us = units(text); els = []
    for k, (term, kind, joins) in enumerate(us):
        if kind == "han":
            if k + 1 < len(us) and us[k + 1][2]: els.append(prefix + "B" + term + us[k + 1][0])
            elif not (k + 1 == len(us) and joins): els.append(prefix + "H" + term)
        else: els.append(prefix + term)
    if len(els) == 1: return xapian.Query(els[0])
    return xapian.Query(xapian.Query.OP_PHRASE, [xapian.Query(e) for e in els], len(els))
db = xapian.Database(a.index)
P = {}
for did in range(1, db.get_lastdocid() + 1):
    try: d = json.loads(db.get_document(did).get_data())
    except xapian.DocNotFoundError: continue
    num = re.match(r"\d+", d.get("para", ""))
    P[did] = (d["doc"], int(num.group()) if num else 0, d["kind"])
def match_set(q):
    e = xapian.Enquire(db); e.set_query(q); e.set_weighting_scheme(xapian.BoolWeight())
    return {m.docid for m in e.get_mset(0, db.get_doccount(), db.get_doccount())}
recs = [json.loads(l) for l in open(f"{a.corpus}/paragraphs.jsonl", encoding="utf-8")]
rtext = {(r["symbol"], r["para"]): unicodedata.normalize("NFKC", r["text"]).lower() for r in recs}
def peer_pat(t):  # Groonga TokenBigram + NormalizerAuto: substrings; ASCII runs whole words
    t = unicodedata.normalize("NFKC", t).lower(); p = re.escape(t)
    if re.match(r"[a-z0-9]", t): p = r"(?<![a-z0-9])" + p
    if re.search(r"[a-z0-9]$", t): p += r"(?![a-z0-9])"
    return re.compile(p)
def words(q): return [x or y for x, y in re.findall(r'"([^"]*)"|(\S+)', q)]
rows, cat = [], None
print("category\tquery\tours\tpeers\theading_only\theader\titem_dups\tsplit_and\tpara_and\tours_not_peer\tpeer_not_ours")
for line in open(a.queries, encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("# category:"): cat = line.split(":", 1)[1].strip(); continue
    if not line or line.startswith("#"): continue
    ws = [w for w in words(line) if units(w)]
    body = [match_set(text_query(w)) for w in ws]
    head = [match_set(text_query(w, "S")) for w in ws]
    ours = set.intersection(*[b | h for b, h in zip(body, head)])
    body_all = set.intersection(*body)
    header = {d for d in body_all if P[d][2] == "header"}
    key = lambda d: (P[d][0], P[d][1])
    collapsed = {key(d) for d in body_all if P[d][2] != "header"}
    para_and = set.intersection(*[{key(d) for d in b if P[d][2] != "header"} for b in body])
    pats = [peer_pat(w) for w in ws]
    peer = {k for k, s in rtext.items() if all(p.search(s) for p in pats)}
    r = dict(category=cat, q=line, ours=len(ours), peers=len(peer), heading_only=len(ours - body_all),
             header=len(header), item_dups=len(body_all) - len(header) - len(collapsed),
             split_and=len(para_and - collapsed), para_and=len(para_and),
             ours_not_peer=len(para_and - peer), peer_not_ours=len(peer - para_and))
    rows.append(r); print("\t".join(str(v) for v in r.values()), flush=True)
if a.json: json.dump(rows, open(a.json, "w"), ensure_ascii=False, indent=1)
EOF

# Query-cost variants, each its own noinline function (callgrind: inclusive cost per variant).
cat > "$tools/qvariants.cpp" <<'EOF'
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>
#include <xapian.h>
#include "core/text/analyzer.h"
#include "core/search/resources.h"
#include "core/index/schema.h"
#include "core/search/snippet.h"
#include "core/index/text_terms.h"
using namespace treaty;
#define NOINLINE __attribute__((noinline))
static Xapian::doccount g_all = 0;
static std::size_t g_sink = 0;
static std::vector<std::string> words_of(const std::string& q) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < q.size();) {
    if (q[i] == ' ') { ++i; continue; }
    const bool quoted = q[i] == '"';
    const std::size_t s = quoted ? i + 1 : i, e = q.find(quoted ? '"' : ' ', s);
    out.push_back(q.substr(s, (e == std::string::npos ? q.size() : e) - s));
    i = e == std::string::npos ? q.size() : e + (quoted ? 1 : 0);
  }
  return out;
}
// text_query()'s match part without the AND_MAYBE word boosts; phrase=false: elements ANDed.
static Xapian::Query match_part(const Analysis& a, bool phrase) {
  std::vector<Xapian::Query> el;
  const auto& u = a.units;
  for (std::size_t k = 0; k < u.size(); ++k) {
    if (u[k].kind == UnitKind::han) {
      if (k + 1 < u.size() && u[k + 1].joins_previous) el.emplace_back(std::string(schema::kHanBigram) + u[k].term + u[k + 1].term);
      else if (!(k + 1 == u.size() && u[k].joins_previous)) el.emplace_back(std::string(schema::kHanChar) + u[k].term);
    } else {
      el.emplace_back(u[k].term);
    }
  }
  if (el.size() == 1) return el.front();
  if (!phrase) return Xapian::Query(Xapian::Query::OP_AND, el.begin(), el.end());
  return Xapian::Query(Xapian::Query::OP_PHRASE, el.begin(), el.end(), static_cast<Xapian::termcount>(el.size()));
}
static Xapian::Query and_of(std::vector<Xapian::Query> qs) {
  return qs.size() == 1 ? qs.front() : Xapian::Query(Xapian::Query::OP_AND, qs.begin(), qs.end());
}
// The lexical query searchd builds for these queries (query_parser.cpp, Translator::match).
NOINLINE static Xapian::Query v_parse(const std::vector<std::string>& words, Analyzer& an) {
  std::vector<Xapian::Query> parts;
  for (const auto& w : words) {
    const Analysis a = an.analyze(w);
    parts.emplace_back(Xapian::Query::OP_OR, text_query(a),
                       Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, text_query(a, std::string(schema::kSectionText)), 2.0));
  }
  return and_of(parts);
}
NOINLINE static Xapian::MSet v_full_exact(Xapian::Database& db, const Xapian::Query& q) { Xapian::Enquire e(db); e.set_query(q); return e.get_mset(0, 10, g_all); }
NOINLINE static Xapian::MSet v_full_top10(Xapian::Database& db, const Xapian::Query& q) { Xapian::Enquire e(db); e.set_query(q); return e.get_mset(0, 10); }
NOINLINE static Xapian::MSet v_body_exact(Xapian::Database& db, const Xapian::Query& q) { Xapian::Enquire e(db); e.set_query(q); return e.get_mset(0, 10, g_all); }
NOINLINE static Xapian::MSet v_body_top10(Xapian::Database& db, const Xapian::Query& q) { Xapian::Enquire e(db); e.set_query(q); return e.get_mset(0, 10); }
NOINLINE static Xapian::MSet v_match_exact(Xapian::Database& db, const Xapian::Query& q) { Xapian::Enquire e(db); e.set_query(q); return e.get_mset(0, 10, g_all); }
NOINLINE static Xapian::MSet v_match_bool_count(Xapian::Database& db, const Xapian::Query& q) {
  Xapian::Enquire e(db); e.set_query(q); e.set_weighting_scheme(Xapian::BoolWeight()); return e.get_mset(0, 0, g_all);
}
NOINLINE static Xapian::MSet v_and_no_positions(Xapian::Database& db, const Xapian::Query& q) {
  Xapian::Enquire e(db); e.set_query(q); e.set_weighting_scheme(Xapian::BoolWeight()); return e.get_mset(0, 0, g_all);
}
NOINLINE static std::vector<nlohmann::json> v_docdata_json(const Xapian::MSet& m) {
  std::vector<nlohmann::json> out;
  for (auto it = m.begin(); it != m.end(); ++it) out.push_back(nlohmann::json::parse(it.get_document().get_data()));
  return out;
}
NOINLINE static std::size_t v_snippets(Analyzer& an, const std::vector<std::string>& words, const std::vector<nlohmann::json>& hits) {
  Highlighter h(an, words); std::size_t n = 0;
  for (const auto& j : hits) n += h.snippet(j.value("text", "")).html.size();
  return n;
}
NOINLINE static std::size_t v_json_out(const std::vector<nlohmann::json>& hits) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& j : hits) arr.push_back(j);
  return nlohmann::json{{"hits", arr}}.dump().size();
}
int main(int argc, char** argv) {
  if (argc < 5) { std::cerr << "usage: qvariants INDEX CONFIG_DIR QUERIES CATEGORY [N] [REPS]\n"; return 2; }
  const std::size_t n = argc > 5 ? std::stoul(argv[5]) : 20, reps = argc > 6 ? std::stoul(argv[6]) : 1;
  auto res = Resources::load(ResourcePaths::in_directory(argv[2]));
  if (!res) { std::cerr << "resources failed\n"; return 1; }
  Analyzer an((*res)->normalizer, (*res)->lexicon);
  Xapian::Database db(argv[1]);
  g_all = db.get_doccount();
  std::vector<std::string> qs;
  { std::ifstream in(argv[3]); std::string line, cat;
    while (std::getline(in, line)) {
      if (line.rfind("# category: ", 0) == 0) { cat = line.substr(12); continue; }
      if (!line.empty() && line[0] != '#' && cat == argv[4]) qs.push_back(line);
    } }
  std::map<std::string, std::vector<double>> ms;
  auto timed = [&](const char* name, auto&& f) {
    for (std::size_t r = 0; r < reps; ++r) {
      const auto t = std::chrono::steady_clock::now(); f();
      ms[name].push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count());
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    const auto words = words_of(qs[i % qs.size()]);
    Xapian::Query parsed;
    timed("parse", [&] { parsed = v_parse(words, an); });
    std::vector<Xapian::Query> body, match, anded;
    for (const auto& w : words) {
      const Analysis a = an.analyze(w);
      body.push_back(text_query(a)); match.push_back(match_part(a, true)); anded.push_back(match_part(a, false));
    }
    const Xapian::Query qb = and_of(body), qm = and_of(match), qa = and_of(anded);
    Xapian::MSet full;
    timed("full_exact", [&] { full = v_full_exact(db, parsed); });
    timed("full_top10", [&] { g_sink += v_full_top10(db, parsed).size(); });
    timed("body_exact", [&] { g_sink += v_body_exact(db, qb).size(); });
    timed("body_top10", [&] { g_sink += v_body_top10(db, qb).size(); });
    timed("match_exact", [&] { g_sink += v_match_exact(db, qm).size(); });
    timed("match_bool_count", [&] { g_sink += v_match_bool_count(db, qm).get_matches_estimated(); });
    timed("and_no_positions", [&] { g_sink += v_and_no_positions(db, qa).get_matches_estimated(); });
    std::vector<nlohmann::json> hits;
    timed("docdata_json_parse", [&] { hits = v_docdata_json(full); });
    timed("snippets", [&] { g_sink += v_snippets(an, words, hits); });
    timed("json_out", [&] { g_sink += v_json_out(hits); });
  }
  for (auto& [name, v] : ms) {
    std::sort(v.begin(), v.end()); double sum = 0; for (double x : v) sum += x;
    std::printf("%s\t%s\t%.3f\t%.3f\n", argv[4], name.c_str(), v[v.size() / 2], sum / v.size());
  }
  return g_sink == 42 ? 1 : 0;
}
EOF

cat > "$tools/qv_table.py" <<'EOF'
import subprocess, re, sys
n = int(sys.argv[1]); files = sys.argv[2:]
vs = ["v_parse", "v_full_exact", "v_full_top10", "v_body_exact", "v_body_top10", "v_match_exact",
      "v_match_bool_count", "v_and_no_positions", "v_docdata_json", "v_snippets", "v_json_out"]
cats, res = [], {}
for arg in files:
    f, c = arg.split(":"); cats.append(c)
    txt = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", f], capture_output=True, text=True).stdout
    for v in vs:
        res[(v, c)] = max([int(m.group(1).replace(",", "")) for m in
                           re.finditer(r"^\s*([\d,]+) \(.*?\)\s+\S*:(?:\S+ )?" + re.escape(v) + r"\(", txt, re.M)] or [0]) / n / 1e6
print("| variant (M instructions per query) | " + " | ".join(cats) + " |\n|---|" + "---|" * len(cats))
for v in vs: print(f"| {v} | " + " | ".join(f"{res[(v, c)]:.2f}" for c in cats) + " |")
EOF

# Starts searchd (optionally under valgrind) in the background; sets sd_pid and sd_port.
start_searchd() {  # $1: log prefix, rest: command prefix (e.g. valgrind ...)
  local log=$1; shift
  "$@" "$searchd" --index "$work/idx" --config-dir "$config" --port 0 --quiet --threads 2 >"$log.out" 2>"$log.err" &
  sd_pid=$!
  for _ in $(seq 120); do grep -q listening "$log.out" 2>/dev/null && break; sleep 1; done
  sd_port=$(grep -o '127.0.0.1:[0-9]*' "$log.out" | head -1 | cut -d: -f2)
  [ -n "$sd_port" ] || { echo "profile: searchd did not start (see $log.err)" >&2; exit 1; }
}
stop_searchd() { kill "$sd_pid" 2>/dev/null || true; wait "$sd_pid" 2>/dev/null || true; }
trap 'stop_searchd' EXIT
sd_pid=

# ---------------------------------------------------------------- 1. indexing profile
mapfile -t all_docs < <(find "$corpus" -name '*.txt' | sort)
sample_of() {  # every k-th document, N of them
  local n=$1 dir=$work/sample$1; rm -rf "$dir"; mkdir -p "$dir"
  local k=$(( ${#all_docs[@]} / n )); [ "$k" -ge 1 ] || k=1
  for ((i = 0; i < ${#all_docs[@]} && i / k < n; i += k)); do cp "${all_docs[$i]}" "$dir/"; done
  echo "$dir"
}
if [ -z "${SKIP_INDEX_PROFILE:-}" ]; then
  for n in 20 100; do
    dir=$(sample_of $n)
    step "indexing $n documents under callgrind"
    rm -rf "$work/idx-sample$n"
    valgrind --tool=callgrind --callgrind-out-file="$out/indexer$n.cg" \
      "$indexer" --quiet --config-dir "$config" --index "$work/idx-sample$n" add --threads 1 "$dir" 2>"$out/indexer$n.valgrind.log"
    callgrind_annotate --tree=calling --inclusive=yes --threshold=100 "$out/indexer$n.cg" >"$out/indexer$n.tree.txt" 2>/dev/null
    python3 "$tools/phases.py" "$out/indexer$n.tree.txt" >"$out/indexer$n.phases.md"
    callgrind_annotate --threshold=100 "$out/indexer$n.cg" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | sed -n '2,16p' >"$out/indexer$n.exclusive.txt"
    { echo "### $n documents"; cat "$out/indexer$n.phases.md"; echo; echo "Top 15 exclusive:"; cat "$out/indexer$n.exclusive.txt"; } >&2
  done
fi

# ---------------------------------------------------------------- 2. full index (native)
step "indexing $corpus (1 thread, native)"
rm -rf "$work/idx"
/usr/bin/time -v "$indexer" --quiet --config-dir "$config" --index "$work/idx" add --threads 1 "$corpus" \
  >"$out/index.json" 2>"$out/index.time"
grep -E 'Elapsed|Maximum resident' "$out/index.time" >&2; cat "$out/index.json" >&2
du -k "$work/idx"/gen-*/*.glass | tee "$out/index-tables.txt" >&2
/usr/bin/python3 "$tools/termstats.py" "$work/idx" | tee "$out/termstats.md" >&2

# ---------------------------------------------------------------- 3. query profile
if [ -z "${SKIP_QUERY_PROFILE:-}" ]; then
  step "native latency (keep-alive client, 5 repetitions per query)"
  start_searchd "$out/searchd-native"
  python3 "$tools/qdriver.py" "$sd_port" "$queries" --reps 5 --per-query "$out/latency-per-query.tsv" | tee "$out/latency.md" >&2
  head -20 "$out/latency-per-query.tsv" >&2
  stop_searchd

  step "searchd under callgrind: 20 queries per category, one dump per category"
  rm -f "$out"/searchd.cg*
  start_searchd "$out/searchd-callgrind" valgrind --tool=callgrind --callgrind-out-file="$out/searchd.cg"
  python3 "$tools/qdriver.py" "$sd_port" "$queries" >/dev/null   # warm-up: slot tables, caches
  callgrind_control -z "$sd_pid" >/dev/null 2>&1
  python3 "$tools/qdriver.py" "$sd_port" "$queries" --per-category 20 \
    --dump-cmd "callgrind_control -d {cat} $sd_pid >/dev/null 2>&1" >"$out/latency-callgrind.md"
  stop_searchd
  args=()
  while read -r f; do args+=("$f:$(sed -n 's/^desc: Trigger: dump //p' "$f")"); done \
    < <(printf '%s\n' "$out"/searchd.cg.* | sort -V)
  python3 "$tools/sd_table.py" 20 "${args[@]}" | tee "$out/searchd-stages.md" >&2

  step "query-cost variants (in-process, same libxapian): native and under callgrind"
  lib_line=$(grep -o '/usr/[^ ]*\.so\|-l[a-z]*' "$build/searchd/CMakeFiles/searchd.dir/link.txt" | grep -v httplib | tr '\n' ' ')
  # shellcheck disable=SC2086
  g++ -std=c++23 -O2 -g -DNDEBUG -fno-ipa-icf -I"$root" -isystem /usr/include/opencc "$tools/qvariants.cpp" \
    -o "$tools/qvariants" "$build"/core/libtreaty_{search,vectors,index,documents,text,base}.a $lib_line
  cats=(treaty-term common-word phrase decision)
  : >"$out/qvariants-native.tsv"
  qv_args=()
  for c in "${cats[@]}"; do
    "$tools/qvariants" "$work/idx" "$config" "$queries" "$c" 20 5 >>"$out/qvariants-native.tsv"
    valgrind --tool=callgrind --callgrind-out-file="$out/qv-$c.cg" \
      "$tools/qvariants" "$work/idx" "$config" "$queries" "$c" 20 1 >/dev/null 2>&1
    qv_args+=("$out/qv-$c.cg:$c")
  done
  python3 "$tools/qv_table.py" 20 "${qv_args[@]}" | tee "$out/qvariants-ir.md" >&2
  cat "$out/qvariants-native.tsv" >&2
fi

# ---------------------------------------------------------------- 4. hit counts
if [ -z "${SKIP_HITS:-}" ]; then
  step "hit-count decomposition against the peers' paragraph records"
  /usr/bin/python3 "$tools/hits.py" "$work/idx" "$corpus" "$queries" --json "$out/hits.json" >"$out/hits.tsv"
  python3 - "$out/hits.json" <<'EOF' | tee "$out/hits-summary.md" >&2
import json, sys
rows = json.load(open(sys.argv[1]))
def after(r, fx):
    n = r["ours"]
    if "S" in fx: n -= r["heading_only"]
    if "H" in fx: n -= r["header"]
    if "C" in fx: n -= r["item_dups"]
    if "A" in fx: n += r["split_and"]
    return n
print("| counting | queries equal to peers | within 10 % | sum of hits |\n|---|---|---|---|")
for fx, label in [("", "as now"), ("S", "body text only (no heading match)"), ("SH", "+ without header passages"),
                  ("SHC", "+ items collapsed into their paragraph"), ("SHCA", "+ AND over the whole paragraph")]:
    eq = sum(after(r, fx) == r["peers"] for r in rows)
    w = sum(abs(after(r, fx) - r["peers"]) <= 0.1 * max(after(r, fx), r["peers"], 1) for r in rows)
    print(f"| {label} | {eq} / {len(rows)} | {w} | {sum(after(r, fx) for r in rows):,} |")
print(f"| peers | | | {sum(r['peers'] for r in rows):,} |")
EOF
fi
step "done; results in $out"
