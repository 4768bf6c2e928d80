"""How fast the reader reads, and how much memory a large work takes.

Builds an original ~1M-word work (chapters, author's notes, dialogue, scene
breaks), reads it on one core at depth="structure" and depth="full", and
reads a ~10 MB work to measure peak memory. Prints each figure beside its
goal. ``--quick`` uses inputs ten times smaller for a fast check.

    .venv/bin/python bench/bench_reader_speed.py [--quick]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import subprocess
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fanarchive.reading import read  # noqa: E402
from fanarchive.reading.structure import count_words  # noqa: E402

GOAL_STRUCTURE_WPS = 1_000_000
GOAL_FULL_WPS = 200_000
GOAL_RSS_MB = 500

_FRONT = """Title: The Long Night Shift
Author: benchmark
Rating: T
Pairing: Buffy/Spike, Willow & Xander
Warnings: none
Summary: A patrol that will not end, written only to be read quickly.
Disclaimer: These characters belong to their creators.

A/N: This is set between 2.14 "Innocence" and 2.21 "Becoming, Part I". Slight AU.

"""

_SCENE = [
    'Buffy kicked the crypt door open and waited for the dust to settle. "Spike," she called. "I know you are in here."',
    '"Slayer." Spike stepped out of the shadows, hands raised. "Come to finish the job, have you?"',
    "She did not answer him. The candles along the wall had burned down to stubs, and the smell of wax hung over everything like a held breath.",
    '"Willow found the book," Buffy told him. "The one you said did not exist."',
    'He laughed, a short ugly sound. "Course she did. Red always finds the books." He tilted his head. "And the Watcher?"',
    "Giles had been up for two nights straight, and she did not want to think about what the third would do to him.",
    '"Tell me what it says," Spike asks, quieter now. "Tell me and I will tell you what it costs."',
    "Outside, the wind picked up, rattling the chain on the gate. Xander would be waiting at the car, pretending not to be scared.",
]
_BREAKS = ["* * *", "~~~", "oOo", "xXx"]


def build_work(target_words: int) -> str:
    """An original multi-chapter work of about ``target_words`` words."""
    parts = [_FRONT]
    words, chapter = count_words(_FRONT), 0
    while words < target_words:
        chapter += 1
        parts.append(f"Chapter {chapter}: Night {chapter}\n\n")
        if chapter % 3 == 0:
            parts.append(f"A/N: Chapter {chapter} took a while. Thanks to my beta!\n\n")
        for scene in range(4):
            if scene:
                parts.append(_BREAKS[(chapter + scene) % len(_BREAKS)] + "\n\n")
            for index, paragraph in enumerate(_SCENE):
                parts.append(paragraph.replace("two nights", f"{chapter + index} nights") + "\n\n")
                words += count_words(paragraph)
    parts.append("A/N: Thanks for reading! Please review.\n")
    return "".join(parts)


def words_per_second(data: bytes, depth: str, repeats: int) -> tuple[float, int]:
    """Best words/s of ``repeats`` reads, and the story word count."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        reading = read(data, filename="work.txt", depth=depth)
        best = min(best, time.perf_counter() - start)
    return reading.word_count / best, reading.word_count


def stage_seconds(data: bytes) -> list[tuple[str, float]]:
    """Seconds each analysis stage takes on ``data`` (after one structure read)."""
    from fanarchive.reading.analysis import STAGES
    from fanarchive.reading.canon import load_canon

    canon = load_canon()
    reading = read(data, filename="work.txt", depth="structure")
    timings = []
    for name, stage in STAGES:
        start = time.perf_counter()
        stage(reading, canon)
        timings.append((name, time.perf_counter() - start))
    return timings


def analysis_available() -> bool:
    """True when the analysis stages exist (teammates write them in parallel)."""
    return importlib.util.find_spec("fanarchive.reading.analysis") is not None


def peak_memory(megabytes: float, depth: str) -> tuple[float, float]:
    """Read a work of about ``megabytes`` in a fresh interpreter.

    Returns (input size in MB, that process's max RSS in MB), so earlier
    benchmarks in this process do not inflate the figure.
    """
    script = (
        "import resource, sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2]);"
        "from bench_reader_speed import build_work; from fanarchive.reading import read;"
        "data = build_work(int(float(sys.argv[3]) * 1e6 / 5.6)).encode();"
        "read(data, filename='work.txt', depth=sys.argv[4]);"
        "print(len(data) / 1e6, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3)"
    )
    here = Path(__file__).resolve().parent
    result = subprocess.run(
        [sys.executable, "-c", script, str(here), str(here.parent / "src"), str(megabytes), depth],
        capture_output=True, text=True, check=True,
    )
    size, rss = result.stdout.split()
    return float(size), float(rss)


def pathological(size: int) -> list[tuple[str, float]]:
    """Seconds to read inputs that trip up backtracking regexes."""
    cases = {
        f"one {size / 1e6:.1f} MB line": ("word " * (size // 5)).encode(),
        f"{size // 50:,} quote marks": ('"' * (size // 50)).encode(),
        f"{size // 50:,} alternating quotes": ('"a ' * (size // 150)).encode(),
        f"{size // 500:,} exclamation marks": ("!" * (size // 500) + "a").encode(),
    }
    timings = []
    for name, data in cases.items():
        for depth in ("structure", "full") if analysis_available() else ("structure",):
            start = time.perf_counter()
            read(data, filename="case.txt", depth=depth)
            timings.append((f"{name} ({depth})", time.perf_counter() - start))
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="inputs ten times smaller")
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1

    data = build_work(1_000_000 // scale).encode("utf-8")
    print(f"input: {len(data) / 1e6:.1f} MB of text")
    wps, words = words_per_second(data, "structure", repeats=3)
    verdict = "ok" if wps >= GOAL_STRUCTURE_WPS else "BELOW GOAL"
    print(f"structure: {words:,} words, {wps:,.0f} words/s (goal ≥ {GOAL_STRUCTURE_WPS:,}) {verdict}")
    if analysis_available():
        wps, words = words_per_second(data, "full", repeats=1)
        verdict = "ok" if wps >= GOAL_FULL_WPS else "BELOW GOAL"
        print(f"full:      {words:,} words, {wps:,.0f} words/s (goal ≥ {GOAL_FULL_WPS:,}) {verdict}")
        for name, seconds in stage_seconds(data):
            rate = f"{words / seconds:,.0f} words/s" if seconds >= 0.01 else "too fast to rate"
            print(f"  stage {name}: {seconds:.2f} s ({rate})")
    else:
        print("full:      skipped (fanarchive.reading.analysis not present)")

    depth = "full" if analysis_available() else "structure"
    size, rss = peak_memory(10 / scale, depth)
    verdict = "ok" if rss < GOAL_RSS_MB else "ABOVE GOAL"
    print(f"memory: {size:.1f} MB input at depth={depth}: max RSS {rss:,.0f} MB (goal < {GOAL_RSS_MB} MB for 10 MB) {verdict}")
    for name, seconds in pathological(5_000_000 // scale):
        print(f"pathological {name}: {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
