"""How fast quotation finding and speaker attribution run on their own.

Repeats the seed work's paragraphs until the text holds about ``--words``
words, builds a cast with :meth:`Cast.from_text`, attributes every quote,
and prints words per second for each step (goal: 1,000,000 words/s for
attribution, well under half of the whole reader's budget).

    .venv/bin/python bench/bench_dialogue_speed.py [--words 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fanarchive.reading.dialogue import Cast, attribute_paragraphs  # noqa: E402
from fanarchive.testing import seed_path  # noqa: E402

GOAL_WPS = 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    seed = seed_path()
    if not seed.is_file():
        sys.exit(f"seed work not found at {seed}")
    paragraphs = [p.strip() for p in seed.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    words = sum(len(p.split()) for p in paragraphs)
    texts = paragraphs * max(1, args.words // words)
    total = words * max(1, args.words // words)
    cast_time = attribution_time = float("inf")
    for _ in range(args.repeat):  # best of several runs: the machine is shared
        began = time.perf_counter()
        cast = Cast.from_text(texts)
        cast_done = time.perf_counter()
        quotes = attribute_paragraphs(texts, cast)
        done = time.perf_counter()
        cast_time = min(cast_time, cast_done - began)
        attribution_time = min(attribution_time, done - cast_done)
    print(f"{total:,} words, {len(texts):,} paragraphs, {len(quotes):,} quotes, best of {args.repeat}")
    print(f"cast from text:  {total / cast_time:>12,.0f} words/s")
    print(f"attribution:     {total / attribution_time:>12,.0f} words/s   (goal {GOAL_WPS:,})")
    print(f"both:            {total / (cast_time + attribution_time):>12,.0f} words/s")


if __name__ == "__main__":
    main()
