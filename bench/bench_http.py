"""HTTP throughput with wrk against ``fanarchive serve --workers 2`` on 127.0.0.1.

Uses the archive bench_filters.py built (run that first with the same
``--works`` and ``--db``: it generates the corpus and the index file). Starts
the server on a loopback port, then runs wrk (64 connections, ``--duration``
seconds each) against:

  work        one work page, over and over, as an anonymous reader: served
              from the page cache (works/page_cache.py) once rendered; each
              request still checks visibility and counts a hit
  listing     one filtered listing (fandom + rating, by kudos): also from
              the page cache after the first request
  uncached    the same listing with a random word-count floor per request,
              so no page repeats: every request runs the filter and renders
              the page (blurbs come from the fragment cache when they can)

and prints requests/s and latency percentiles, then the server's memory
(proportional set size, so pages shared between processes are split among
them). Then it measures freshness: how long after a post, a synonym merge
and a delete (written by this process) every server worker's listing shows
the change. The server is stopped at the end.
Needs wrk (Debian: apt-get install wrk).

Usage: .venv/bin/python bench/bench_http.py --works 10000 --db sqlite [--duration 60] [--redis] [--preload]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from scale_common import ROOT, archive_env, setup

RANDOM_FLOOR = """
math.randomseed(os.time())
request = function()
  return wrk.format("GET", wrk.path .. "&words_from=" .. math.random(1, 20000))
end
"""


def free_port() -> int:
    """A loopback port nobody listens on (teammates may run servers on the usual ones)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server did not answer at {url}")


def run_wrk(url: str, connections: int, duration: int, script: str | None = None) -> str:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s", url]
    if script:
        command[1:1] = ["-s", script]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def summary(output: str) -> str:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    latency = {p: re.search(rf"\s{p}%\s+([\d.]+\w+)", output) for p in ("50", "99")}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return (
        f"{float(rate.group(1)):9.1f} req/s   p50 {latency['50'].group(1):>9}   p99 {latency['99'].group(1):>9}"
        f"   non-2xx {errors.group(1) if errors else 0}"
    )


def memory_mb(master: int) -> tuple[float, float]:
    """(PSS, RSS) in MB of the gunicorn master and its workers (Linux /proc)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    pss = rss = 0
    for pid in [master, *map(int, children)]:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            field, _, value = line.partition(":")
            if field in {"Pss", "Rss"}:
                kilobytes = int(value.split()[0])
                pss += kilobytes if field == "Pss" else 0
                rss += kilobytes if field == "Rss" else 0
    return pss / 1024, rss / 1024


def seconds_until(url: str, marker: str, present: bool, started: float, streak: int = 8) -> float:
    """Seconds from ``started`` until ``streak`` requests in a row agree (both workers answer)."""
    agreed_since, in_a_row = None, 0
    while in_a_row < streak:
        if time.monotonic() - started > 30:
            return float("inf")
        seen = marker in urllib.request.urlopen(url, timeout=10).read().decode()
        if seen == present:
            agreed_since = agreed_since or time.monotonic()
            in_a_row += 1
        else:
            agreed_since, in_a_row = None, 0
            time.sleep(0.05)
    return agreed_since - started


def freshness(base: str) -> dict[str, float]:
    """How long a post, a wrangle and a delete take to show in every worker's listing."""
    import uuid

    from fanarchive.tags.models import Tag, TagType
    from fanarchive.works.models import Work, WorkTag

    label = uuid.uuid4().hex[:8]
    canonical = Tag.objects.create(name=f"Fresh {label}", type=TagType.FREEFORM, canonical=True)
    synonym = Tag.objects.create(name=f"Fresh synonym {label}", type=TagType.FREEFORM)
    url = f"{base}/works/?" + urllib.parse.urlencode({"tag": canonical.name})
    urllib.request.urlopen(url).read()
    results = {}

    started = time.monotonic()
    posted = Work.objects.create(title=f"fresh {label}")
    WorkTag.objects.create(work=posted, tag=canonical)
    results["post"] = seconds_until(url, f'id="work_{posted.pk}"', True, started)

    other = Work.objects.create(title=f"fresh other {label}")
    WorkTag.objects.create(work=other, tag=synonym)
    started = time.monotonic()
    synonym.make_synonym_of(canonical)
    results["wrangle"] = seconds_until(url, f'id="work_{other.pk}"', True, started)

    started = time.monotonic()
    posted.delete()
    results["delete"] = seconds_until(url, f'id="work_{posted.pk}"', False, started)
    other.delete()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=int, default=60, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--redis", action="store_true", help="serve with REDIS_URL=redis://127.0.0.1:6379/1")
    parser.add_argument("--preload", action="store_true", help="serve --preload (index loaded before forking)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    setup(args.db, str(args.works))
    from fanarchive.search.live import index_path
    from fanarchive.works.models import Work

    if not index_path().exists():
        raise SystemExit("no index for this archive: run bench/bench_filters.py with the same --works/--db first")
    work = Work.objects.filter(posted=True, restricted=False, chapter_count=1).order_by("-kudos_count").first()
    from bench_filters import most_used

    listing = "/works/?" + urllib.parse.urlencode(
        {"fandom": most_used("fandom")[0], "rating": "Teen And Up Audiences", "sort": "kudos"}
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, **archive_env(args.db, str(args.works)), "FANARCHIVE_SECURE_COOKIES": "0"}
    if args.redis:
        env["REDIS_URL"] = "redis://127.0.0.1:6379/1"
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/fanarchive"), "serve", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         *(["--preload"] if args.preload else [])],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_up(f"{base}/works/{work.pk}/")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(RANDOM_FLOOR)
        print(
            f"== bench_http: {args.works:,} works on {args.db}, redis {'on' if args.redis else 'off'}, "
            f"{args.connections} connections, {args.duration}s each, 2 gunicorn workers"
            f"{', preloaded' if args.preload else ''} =="
        )
        runs = [
            ("work", f"{base}/works/{work.pk}/", None),
            ("listing", f"{base}{listing}", None),
            ("uncached", f"{base}{listing}", script.name),
        ]
        for label, url, lua in runs:
            print(f"{label:<9} {summary(run_wrk(url, args.connections, args.duration, lua))}", flush=True)
        os.unlink(script.name)
        pss, rss = memory_mb(server.pid)
        print(f"memory    master + 2 workers: PSS {pss:.0f} MB, RSS {rss:.0f} MB")
        delays = ", ".join(f"{event} {seconds:.2f}s" for event, seconds in freshness(base).items())
        print(f"freshness (change -> shown by every worker, 8 requests in a row): {delays}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
