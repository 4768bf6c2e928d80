"""The ``fanarchive`` command: one entry point for running and feeding the archive.

Subcommands are thin: ``read`` calls the pure-Python reader (no Django
needed); the rest set Django up and run the management command that does the
work, so everything is also reachable as ``fanarchive manage <command>``.
"""

from __future__ import annotations

import argparse
import os
import sys

# Subcommands handled by a Django management command of the same purpose.
MANAGEMENT_COMMANDS = {
    "import": "import_works",
    "tags": "tag_graph",
    "index": "filter_index",
}


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def serve(bind: str, workers: int, migrate: bool = True, preload: bool = False) -> None:
    """Run the archive under gunicorn (replaces this process).

    With ``preload``, the master loads Django and the filter index before
    forking, so the workers share the index's memory (copy-on-write).
    """
    if migrate:
        _setup_django()
        _migrate()
    args = [
        sys.executable, "-m", "gunicorn", "fanarchive.wsgi:application",
        "--bind", bind, "--workers", str(workers), "--access-logfile", "-",
        "--timeout", "60", "--max-requests", "5000", "--max-requests-jitter", "500",
    ]  # fmt: skip
    if preload:
        args.append("--preload")
        os.environ["FANARCHIVE_PRELOAD_INDEX"] = "1"
    print(f"fanarchive: serving on http://{bind}/ with {workers} worker(s)", flush=True)
    os.execv(sys.executable, args)


def demo(bind: str, workers: int, works: int, serve_after: bool) -> None:
    """Load the demo content into the archive, then serve it."""
    host = bind.rsplit(":", 1)[0].strip("[]")
    if host in {"127.0.0.1", "localhost", "::1"}:
        # Browsers drop Secure cookies over plain http; a local demo has no TLS.
        os.environ.setdefault("FANARCHIVE_SECURE_COOKIES", "0")
    _setup_django()
    _migrate()
    from django.core.management import call_command

    call_command("load_demo", works=works)
    if serve_after:
        serve(bind, workers, migrate=False)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="fanarchive", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p_serve = sub.add_parser("serve", help="run the web archive (gunicorn)")
    p_serve.add_argument("--bind", default=os.environ.get("FANARCHIVE_BIND", "127.0.0.1:8000"))
    p_serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    p_serve.add_argument(
        "--preload", action="store_true", help="load the filter index once, before forking (workers share it)"
    )

    p_demo = sub.add_parser("demo", help="load the demo works, then serve")
    p_demo.add_argument("--bind", default=os.environ.get("FANARCHIVE_BIND", "127.0.0.1:8000"))
    p_demo.add_argument("--workers", type=int, default=2)
    p_demo.add_argument("--works", type=int, default=0, help="also generate N synthetic works")
    p_demo.add_argument("--no-serve", action="store_true", help="load only, do not start the server")

    sub.add_parser("read", help="read a fan work file and report what it finds", add_help=False)
    sub.add_parser("import", help="import .txt/.md/.html files or folders", add_help=False)
    sub.add_parser("tags", help="load or export the tag wrangling graph", add_help=False)
    sub.add_parser("index", help="rebuild or check the filter index", add_help=False)
    sub.add_parser("manage", help="run any Django management command", add_help=False)

    command, rest = (argv[0], argv[1:]) if argv else (None, [])
    if command == "read":
        from fanarchive.reading.report import main as read_main

        return read_main(rest)
    if command == "manage":
        _setup_django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["fanarchive manage", *rest])
        return 0
    if command in MANAGEMENT_COMMANDS:
        _setup_django()
        _migrate()
        from django.core.management import execute_from_command_line

        execute_from_command_line([f"fanarchive {command}", MANAGEMENT_COMMANDS[command], *rest])
        return 0

    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.bind, args.workers, preload=args.preload)
    elif args.command == "demo":
        demo(args.bind, args.workers, args.works, serve_after=not args.no_serve)
    return 0


if __name__ == "__main__":
    sys.exit(main())
