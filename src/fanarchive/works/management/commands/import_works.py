"""``import_works PATH...``: import fan work files and folders into the archive."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from fanarchive.works.importer import ImportFailure, ImportResult, import_path


class Command(BaseCommand):
    help = "Import .txt, .md and .html fan works (files or folders, recursively)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--apply-suggestions", type=float, metavar="T", default=None,
            help="also apply the reader's suggested tags with confidence >= T (0-1)",
        )  # fmt: skip
        parser.add_argument("--quiet", action="store_true", help="no progress bar, errors and summary only")

    def handle(self, *args, paths: list[Path], apply_suggestions: float | None, quiet: bool, **options) -> None:
        if apply_suggestions is not None and not 0 <= apply_suggestions <= 1:
            raise CommandError("--apply-suggestions takes a confidence between 0 and 1")
        total = ImportResult()
        for path in paths:
            if not path.exists():
                total.failures.append(ImportFailure(path, "no such file or folder"))
                self.stderr.write(str(total.failures[-1]))
                continue
            progress = None
            if path.is_dir() and not quiet:
                progress = functools.partial(tqdm, desc=path.name, unit="work", file=sys.stderr)
            result = import_path(path, apply_suggestions=apply_suggestions, progress=progress)
            for failure in result.failures:
                self.stderr.write(str(failure))
            total.created += result.created
            total.updated += result.updated
            total.failures += result.failures
        self.stdout.write(total.summary())
        if total.imported == 0:
            raise CommandError("nothing could be imported")
