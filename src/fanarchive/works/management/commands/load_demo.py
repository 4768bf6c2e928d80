"""``load_demo [--works N]``: fill the archive with the demo works (idempotent)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from fanarchive.works.demo import load_demo
from fanarchive.works.synthetic import generate


class Command(BaseCommand):
    help = "Load the demo tag graph, sample works and series; optionally N synthetic works."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--works", type=int, default=0, help="also make sure N synthetic works exist")
        parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic works")

    def handle(self, *args, works: int, seed: int, **options) -> None:
        result = load_demo()
        for failure in result.failures:
            self.stderr.write(str(failure))
        self.stdout.write(f"Demo: {result.summary()}")
        if works > 0:
            with tqdm(total=works, desc="synthetic works", unit="work", file=sys.stderr) as bar:
                made = generate(works, seed=seed, progress=bar.update)
                bar.update(works - bar.n)
            self.stdout.write(f"Synthetic: {made.created} works created, {made.existing} already there")
