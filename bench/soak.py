#!/usr/bin/env python3
"""Load while writing (bench/soak.sh runs this): CLIENTS threads query searchd while one writer
adds and removes documents with the real indexer in a loop, for DURATION seconds.

Every answer must be a 200 whose parts agree with each other (one index revision): the total
equals the sum of the doc facet's counts, and every hit's document is among the facet's values.
Prints a JSON summary; exits 1 if any answer failed.

Usage: soak.py --port P --indexer BIN --index DIR --rotate FILE... [--duration S] [--clients N]
              [--writer indexer|http|none] [--key KEY] [--writers N]
--writer http posts and deletes the documents through searchd instead (N writers at once).
"""
import argparse
import http.client
import json
import subprocess
import sys
import threading
import time
import urllib.parse

QUERIES = ["遗传资源", "惠益分享", "缔约方", "能力建设", "获取和惠益分享", "\"遗传资源\" 缔约方", "FAO", ""]


def check(body):
    """The reason an answer is inconsistent, or None."""
    facet = {v["value"]: v["count"] for v in body["facets"]["doc"]}
    if sum(facet.values()) != body["total"]:
        return f"total {body['total']} != sum of doc counts {sum(facet.values())}"
    for hit in body["hits"]:
        if hit["doc"] not in facet:
            return f"hit {hit['id']} of a document not in the doc facet"
    return None


def client(port, stop, stats, lock, n):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = n
    while not stop.is_set():
        q = QUERIES[i % len(QUERIES)]
        i += 1
        path = "/search?" + urllib.parse.urlencode(
            {"q": q, "size": 10, "facets": "doc", "facet_size": 1000, "mode": "lexical", "fields": "id,doc"})
        start = time.monotonic()
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            data = r.read()
            status = r.status
        except Exception as e:  # a socket error counts as a failure
            status, data = 0, str(e).encode()
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        ms = (time.monotonic() - start) * 1000
        problem = None
        if status != 200:
            problem = f"status {status}: {data[:200]!r}"
        else:
            problem = check(json.loads(data))
        with lock:
            stats["answers"] += 1
            stats["latencies"].append(ms)
            if problem:
                stats["failures"].append(f"{q}: {problem}")


def writer(args, stop, stats, lock):
    symbols = {}
    for f in args.rotate:
        out = subprocess.run([args.indexer, "--index", args.index, "inspect", f], check=True,
                             capture_output=True, text=True).stdout
        symbols[f] = json.loads(out)["symbol"]
    i = 0
    while not stop.is_set():
        f = args.rotate[i % len(args.rotate)]
        i += 1
        for cmd in (["add", f], ["remove", symbols[f]]):
            r = subprocess.run([args.indexer, "--quiet", "--index", args.index] + cmd, capture_output=True, text=True)
            with lock:
                stats["commits"] += 1
                if r.returncode != 0:
                    stats["writer_failures"].append(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr[:200]}")


def http_writer(args, stop, stats, lock, n):
    """POSTs and DELETEs documents through searchd (its writer thread, group commit)."""
    import http.client, urllib.parse
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
    headers = {"Authorization": "Bearer " + args.key}
    i = n
    while not stop.is_set():
        f = args.rotate[i % len(args.rotate)]
        i += args.writers
        body = open(f, "rb").read()
        t0 = time.monotonic()
        conn.request("POST", "/documents", body, {**headers, "Content-Type": "text/plain; charset=utf-8"})
        r = conn.getresponse()
        post = json.loads(r.read())
        ms = (time.monotonic() - t0) * 1000
        with lock:
            stats["commits"] += 1
            stats["write_ms"].append(ms)
            if r.status not in (200, 201):
                stats["writer_failures"].append(f"POST {f}: {r.status} {post}")
                continue
        conn.request("DELETE", "/documents/" + urllib.parse.quote(post["symbol"], safe=""), headers=headers)
        r = conn.getresponse()
        r.read()
        with lock:
            stats["commits"] += 1
            if r.status != 200:
                stats["writer_failures"].append(f"DELETE {post['symbol']}: {r.status}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--indexer", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--rotate", nargs="+", required=True)
    ap.add_argument("--duration", type=float, default=180)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--writer", choices=["indexer", "http", "none"], default="indexer")
    ap.add_argument("--key", default="", help="API key with documents:write and :delete (--writer http)")
    ap.add_argument("--writers", type=int, default=4, help="concurrent HTTP writers (--writer http)")
    args = ap.parse_args()
    stop, lock = threading.Event(), threading.Lock()
    stats = {"answers": 0, "commits": 0, "latencies": [], "failures": [], "writer_failures": [], "write_ms": []}
    threads = [threading.Thread(target=client, args=(args.port, stop, stats, lock, n)) for n in range(args.clients)]
    if args.writer == "indexer":
        threads.append(threading.Thread(target=writer, args=(args, stop, stats, lock)))
    elif args.writer == "http":
        threads += [threading.Thread(target=http_writer, args=(args, stop, stats, lock, n)) for n in range(args.writers)]
    for t in threads:
        t.start()
    time.sleep(args.duration)
    stop.set()
    for t in threads:
        t.join()
    lat = sorted(stats["latencies"]) or [0]
    pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))]
    summary = {"duration_s": args.duration, "clients": args.clients, "answers": stats["answers"],
               "commits": stats["commits"], "failures": len(stats["failures"]),
               "writer_failures": len(stats["writer_failures"]),
               "p50_ms": round(pct(50), 2), "p99_ms": round(pct(99), 2), "max_ms": round(lat[-1], 2),
               "writer": args.writer,
               "write_p50_ms": round(sorted(stats["write_ms"])[len(stats["write_ms"]) // 2], 1) if stats["write_ms"] else None,
               "write_p99_ms": round(sorted(stats["write_ms"])[int(0.99 * len(stats["write_ms"]))], 1) if stats["write_ms"] else None,
               "first_failures": stats["failures"][:5] + stats["writer_failures"][:5]}
    print(json.dumps(summary, ensure_ascii=False))
    sys.exit(1 if stats["failures"] or stats["writer_failures"] else 0)


if __name__ == "__main__":
    main()
