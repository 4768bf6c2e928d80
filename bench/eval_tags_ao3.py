"""How well the reader's tag suggestions match what AO3 authors tagged.

Usage: ``.venv/bin/python bench/eval_tags_ao3.py [--works]``

Data: ``shared/data/ao3_works_dev/sherlock_works_dev.csv`` — real AO3 works
(*Sherlock (TV)* and crossovers), one row per chapter, with the authors' own
tags; 27 works have text (one row of the file is empty and is skipped).
For each work the script rebuilds the text a fan would post: a title line,
"Summary: …", "Notes: …" as front matter, then the chapters under
"Chapter N" headings. Two figures are printed:

* **text only** — the front matter carries NO tag lines, so every tag is
  inferred from the story and notes (what the reader finds by itself);
* **with declared tags** — the author's tag lines ("Fandom: …", "Rating: …")
  are added to the front matter, which measures the declared path
  (parsing + normalisation).

Each text goes through ``fanarchive.reading.read`` at full depth; the gold
tags are only used for scoring, never at prediction time. A suggestion counts
as made when its confidence is at least ``PRESELECT`` (what an importer
would pre-tick); rating and fandom use the single most confident suggestion.

Data repairs (documented, applied to the input text, not to the scoring):

* ``Fandoms`` is glued without a separator ("James Bond (Craig
  movies)Sherlock (TV)"). It is split by first matching the longest known
  fandom label (canon names, aliases, meta tags) at the current position,
  otherwise by cutting at a capital letter that directly follows ")" or a
  lower-case letter ("Royal PainsDoctor Who" → "Royal Pains", "Doctor Who").
* The scrape replaced paragraph breaks with an "A" ("morning.ALast night",
  "himself. A He"), with runs of spaces, or dropped them ("secret.""John");
  breaks are restored at those marks and where a sentence end is glued to
  the next sentence's capital or opening quote.

Caveat: the thresholds in ``fanarchive.reading.suggest`` were checked
against these same 27 works while they were written (e.g. "sustained
violence" → Mature, one romantic scene suffices for a pairing canon
already knows), so the text-only figures are optimistic; a held-out set of
works would give the honest ones. The rules themselves are general (no
work, title or gold tag is referred to).

Gold names are mapped to canonical ones through the canon data (AO3 tags
and canon share names; "Mummy (Sherlock)" → "Mummy Holmes"); names compare
without AO3 disambiguators, pairings compare with members sorted and the
"/" (romantic) versus "&" (platonic) separator kept.
"""

from __future__ import annotations

import argparse
import csv
import html
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fanarchive.reading import read  # noqa: E402
from fanarchive.reading.canon import Canon, load_canon  # noqa: E402
from fanarchive.reading.model import Reading  # noqa: E402
from fanarchive.reading.suggest import bare_name  # noqa: E402
from fanarchive.testing import shared_data  # noqa: E402

DATA = shared_data("ao3_works_dev", "sherlock_works_dev.csv")
PRESELECT = 0.5
GOALS = {"fandom top-1": 0.95, "characters F1": 0.80, "relationships F1": 0.70, "rating exact": 0.70}


# ------------------------------------------------------------------ data


@dataclass
class Work:
    """One AO3 work with its authors' tags and chapters."""

    title: str
    fandoms: list[str]
    rating: str
    warnings: list[str]
    categories: list[str]
    relationships: list[str]
    characters: list[str]
    freeforms: list[str]
    summary: str
    chapters: list[tuple[str, str]] = field(default_factory=list)  # (notes, text)


def tag_list(value: str) -> list[str]:
    """A comma-separated AO3 tag field as a clean list."""
    return [item.strip() for item in value.split(",") if item.strip()]


def split_fandoms(glued: str, known: Sequence[str]) -> list[str]:
    """Split AO3's separator-less fandom field (see the module docstring)."""
    labels = sorted(known, key=len, reverse=True)
    found: list[str] = []
    rest = glued.strip()
    while rest:
        label = next((k for k in labels if rest.startswith(k)), None)
        if label is None:
            cut = re.search(r"(?<=[)a-z])(?=[A-Z])", rest)
            label = rest[: cut.start()] if cut else rest
        found.append(label.strip())
        rest = rest[len(label):].strip()
    return found


def restore_paragraphs(text: str) -> str:
    """Undo the scrape's paragraph damage (see the module docstring)."""
    text = text.replace("\xa0", " ")
    text = re.sub(r"^(?:A\s*)+(?=[A-Z\"“‘(*])", "", text)  # leading markers
    text = re.sub(r" {3,}", "\n\n", text)  # indentation left where a break was
    text = re.sub(r"(?<=[.!?…\"”’)*~])\s*A\s*(?=[A-Z\"“‘(*])", "\n\n", text)  # glued "A" markers
    text = re.sub(r"(?<=[a-z][.!?…])(?=[A-Z“‘])", "\n\n", text)  # "end.Next", "end.“Quote"
    text = re.sub(r"(?<=[a-z][.!?…,—-][”\"’])(?=[A-Z“\"])", "\n\n", text)  # "end.”Next", '."Next'
    text = re.sub(r"\s+A\s*$", "", text)  # trailing marker
    return "\n\n".join(p.strip() for p in text.split("\n\n") if p.strip())


def one_line(text: str) -> str:
    """HTML-free text on one line (for a front-matter field)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(restore_paragraphs(text).split())


def load_works(path: Path, canon: Canon) -> list[Work]:
    """Group the CSV's chapter rows into works, in file order."""
    known = [label for f in canon.fandoms.values() for label in (f.name, *f.aliases, *f.meta)]
    works: dict[tuple[str, str, str], Work] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["Text"].strip():
                continue
            key = (row["Title"], row["Author"], row["Summary"])
            work = works.get(key)
            if work is None:
                work = works[key] = Work(
                    title=row["Title"].strip(),
                    fandoms=split_fandoms(row["Fandoms"], known),
                    rating=row["Rating"].strip(),
                    warnings=tag_list(row["Archive_Warnings"]),
                    categories=tag_list(row["Category"]),
                    relationships=tag_list(row["Relationship"]),
                    characters=tag_list(row["Characters"]),
                    freeforms=tag_list(row["Additional_Tags"]),
                    summary=one_line(row["Summary"]),
                )
            work.chapters.append((one_line(row["Notes"]), restore_paragraphs(row["Text"])))
    return list(works.values())


def posted_text(work: Work, with_tags: bool) -> str:
    """The work as a fan would post it, with or without the tag lines."""
    lines = [f"Title: {work.title}"] if work.title else []
    if with_tags:
        for label, values in (
            ("Fandom", work.fandoms), ("Rating", [work.rating]), ("Archive Warnings", work.warnings),
            ("Category", work.categories), ("Relationships", work.relationships),
            ("Characters", work.characters), ("Additional Tags", work.freeforms),
        ):
            if any(values):
                lines.append(f"{label}: {', '.join(v for v in values if v)}")
    if work.summary:
        lines.append(f"Summary: {work.summary}")
    first_notes = work.chapters[0][0]
    if first_notes:
        lines.append(f"Notes: {first_notes}")
    parts = ["\n".join(lines)]
    several = len(work.chapters) > 1
    for number, (notes, text) in enumerate(work.chapters, start=1):
        if several:
            parts.append(f"Chapter {number}")
            if notes and number > 1:
                parts.append(f"A/N: {notes}")
        parts.append(text)
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------- scoring


class Names:
    """Canonical, comparable forms of gold and predicted tag names."""

    def __init__(self, canon: Canon) -> None:
        self.canon = canon

    def fandom(self, label: str) -> str:
        """Comparable form of a fandom tag (canonical name when canon knows it)."""
        found = self.canon.fandom(label)
        return (found.name if found else label).casefold()

    def owners(self, label: str) -> list:
        """Canon characters a character tag may name (by name, alias or bare name)."""
        table = self.canon.characters_by_alias
        return table.get(label) or table.get(bare_name(label)) or []

    def character(self, label: str) -> str:
        """Comparable form of a character tag."""
        owners = self.owners(label)
        name = owners[0][1].name if owners else label
        return bare_name(name).casefold()

    def relationship(self, label: str) -> str:
        """Comparable form of a relationship tag: members sorted, separator kept."""
        separator = "/" if "/" in label else " & "
        members = sorted(self.character(m) for m in self.members(label))
        return separator.join(members)

    @staticmethod
    def members(label: str) -> list[str]:
        """The names in a relationship tag."""
        return [m.strip() for m in re.split(r"/|\s&\s", label) if m.strip()]

    def knows_character(self, label: str) -> bool:
        """Whether canon knows this character (else the text alone cannot name it canonically)."""
        return bool(self.owners(label))


@dataclass
class Tally:
    """True/false positives and negatives over all works."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set[str], gold: set[str]) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def made(reading: Reading, tag_type: str) -> list[str]:
    """Names of the suggestions of one type that clear ``PRESELECT``."""
    return [s.name for s in reading.suggestions_of(tag_type) if s.confidence >= PRESELECT]


def top(reading: Reading, tag_type: str) -> str:
    """The most confident suggestion of one type ("" when none)."""
    found = reading.suggestions_of(tag_type)
    return found[0].name if found else ""


@dataclass
class Score:
    """Aggregate figures for one pass over the works."""

    fandom_hits: int = 0
    rating_hits: int = 0
    works: int = 0
    unknown_characters: int = 0  # gold characters the canon data does not know
    unknown_pairs: int = 0  # gold relationships naming such a character
    characters: Tally = field(default_factory=Tally)
    relationships: Tally = field(default_factory=Tally)
    warnings: Tally = field(default_factory=Tally)

    def figures(self) -> dict[str, float]:
        n = max(self.works, 1)
        return {
            "fandom top-1": self.fandom_hits / n,
            "characters F1": self.characters.f1,
            "relationships F1": self.relationships.f1,
            "rating exact": self.rating_hits / n,
        }


def evaluate(works: Iterable[Work], names: Names, with_tags: bool, verbose: bool) -> Score:
    """Read every work and score its suggestions against the authors' tags."""
    score = Score()
    for work in works:
        reading = read(posted_text(work, with_tags))
        score.works += 1
        gold_fandoms = {names.fandom(f) for f in work.fandoms}
        predicted_fandom = names.fandom(top(reading, "fandom")) if top(reading, "fandom") else ""
        score.fandom_hits += predicted_fandom in gold_fandoms
        score.rating_hits += top(reading, "rating") == work.rating
        score.unknown_characters += sum(not names.knows_character(c) for c in work.characters)
        score.unknown_pairs += sum(
            not all(names.knows_character(m) for m in names.members(r)) for r in work.relationships
        )
        gold_characters = {names.character(c) for c in work.characters}
        predicted_characters = {names.character(c) for c in made(reading, "character")}
        score.characters.add(predicted_characters, gold_characters)
        gold_pairs = {names.relationship(r) for r in work.relationships}
        predicted_pairs = {names.relationship(r) for r in made(reading, "relationship")}
        score.relationships.add(predicted_pairs, gold_pairs)
        score.warnings.add(set(made(reading, "warning")), set(work.warnings))
        if verbose:
            print(f"\n== {work.title or '(untitled)'} [{reading.word_count} words]")
            print(f"   fandom   {top(reading, 'fandom')!r:40} gold {work.fandoms}")
            print(f"   rating   {top(reading, 'rating')!r:40} gold {work.rating!r}")
            print(f"   warnings {made(reading, 'warning')} gold {work.warnings}")
            print(f"   chars +{sorted(predicted_characters - gold_characters)} "
                  f"-{sorted(gold_characters - predicted_characters)}")
            print(f"   pairs  +{sorted(predicted_pairs - gold_pairs)} -{sorted(gold_pairs - predicted_pairs)}")
    return score


def report(label: str, score: Score) -> None:
    """Print one pass's figures beside the goals."""
    print(f"\n{label} ({score.works} works, suggestions counted at confidence ≥ {PRESELECT})")
    for name, value in score.figures().items():
        goal = GOALS[name]
        mark = "ok " if value >= goal else "BELOW"
        print(f"  {name:18} {value:6.2f}   goal ≥ {goal:.2f}  {mark}")
    for name, tally in (("characters", score.characters), ("relationships", score.relationships),
                        ("warnings", score.warnings)):
        print(f"  {name:18} P {tally.precision:.2f}  R {tally.recall:.2f}  F1 {tally.f1:.2f}"
              f"  (tp {tally.tp}, fp {tally.fp}, fn {tally.fn})")
    print(f"  gold tags outside the canon data: {score.unknown_characters} characters, "
          f"{score.unknown_pairs} relationships (the text alone cannot reach these)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", action="store_true", help="print each work's predictions and misses")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"data not found: {DATA}", file=sys.stderr)
        return 1
    canon = load_canon()
    works = load_works(DATA, canon)
    names = Names(canon)
    report("Text only (no tag lines)", evaluate(works, names, with_tags=False, verbose=args.works))
    report("With declared tags", evaluate(works, names, with_tags=True, verbose=args.works))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
