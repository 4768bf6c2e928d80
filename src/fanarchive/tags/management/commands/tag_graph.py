"""``tag_graph load FILE`` / ``tag_graph export FILE``: the wrangling graph as JSON.

The format is documented in :mod:`fanarchive.tags.graph`. ``-`` as FILE
means standard input/output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fanarchive.tags.graph import TagGraphError, export_graph, load_graph


class Command(BaseCommand):
    help = "Load or export the tag wrangling graph (JSON; see fanarchive.tags.graph)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["load", "export"])
        parser.add_argument("file", help="JSON file, or - for stdin/stdout")

    def handle(self, *args, action: str, file: str, **options) -> None:
        if action == "export":
            graph = export_graph()
            text = json.dumps(graph, ensure_ascii=False, indent=1) + "\n"
            if file == "-":
                self.stdout.write(text, ending="")
            else:
                Path(file).write_text(text, encoding="utf-8")
                self.stdout.write(f"Exported {len(graph['tags'])} tags to {file}")
            return
        try:
            raw = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
            result = load_graph(json.loads(raw))
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{file}: not valid JSON ({error})") from error
        except TagGraphError as error:
            raise CommandError(f"{file}: {error}; nothing was loaded") from error
        self.stdout.write(result.summary())
