"""Derive the synthetic corpus's shape from the AO3 reference data.

Reads ``shared/data/ao3_tags`` (never copied into the repository) and writes
the few numbers :mod:`fanarchive.works.synthetic` needs to
``src/fanarchive/works/synthetic_params.json``:

- freeform popularity: a Zipf(-Mandelbrot) exponent and rank offset fitted
  to the 36k canonical freeform tags' work counts;
- meta tags: the share of freeforms that have a meta tag, meta-tag fan-out
  and how deep meta-tag chains go (metatag_pairs.csv);
- rating / warning / category shares: the fixed tags' cached counts
  (datadump tags excerpt: AO3-wide figures);
- per work: tags per work, warnings and categories per work, word counts
  (works excerpt).

The works excerpt holds only complete English works of 5,000+ words from one
week of 2021, so word counts are fitted as a log-normal *truncated at
5,000* (matching the excerpt's deciles), and the complete ratio, languages
and date spread it cannot tell are written under ``assumed`` with the reason.

Usage: .venv/bin/python bench/derive_synthetic_params.py [--data DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fanarchive.testing import shared_data  # noqa: E402

OUT = ROOT / "src" / "fanarchive" / "works" / "synthetic_params.json"
TRUNCATION = 5000  # the works excerpt's smallest word count


def zipf_mandelbrot(counts: list[int]) -> tuple[float, int]:
    """(s, q) of count ∝ (rank + q)^-s best fitting ``counts`` > 0.

    Least squares on log counts at 60 log-spaced ranks, so the head and the
    long tail weigh alike; a plain Zipf (q = 0) overstates the top tags.
    """
    ranked = sorted((c for c in counts if c > 0), reverse=True)
    ranks = sorted({round(math.exp(i * math.log(len(ranked)) / 60)) for i in range(61)})
    ys = [math.log(ranked[k - 1]) for k in ranks]
    best = (math.inf, 0.0, 0)
    for q in range(0, 201, 2):
        for s100 in range(80, 300, 5):
            xs = [-(s100 / 100) * math.log(k + q) for k in ranks]
            offset = statistics.fmean(y - x for x, y in zip(xs, ys))
            error = sum((offset + x - y) ** 2 for x, y in zip(xs, ys))
            best = min(best, (error, s100 / 100, q))
    return best[1], best[2]


def truncated_lognormal(values: list[int], floor: int) -> tuple[float, float]:
    """(mu, sigma) of the log-normal whose part above ``floor`` best matches ``values``' deciles."""
    observed = statistics.quantiles([math.log(v) for v in values], n=10)
    log_floor = math.log(floor)
    best = (math.inf, 0.0, 0.0)
    for mu10 in range(60, 100):  # mu from 6.0 to 9.9
        for sigma10 in range(5, 25):  # sigma from 0.5 to 2.4
            dist = statistics.NormalDist(mu10 / 10, sigma10 / 10)
            below = dist.cdf(log_floor)
            if below > 0.999:
                continue
            model = [dist.inv_cdf(below + (1 - below) * q / 10) for q in range(1, 10)]
            error = sum((m - o) ** 2 for m, o in zip(model, observed))
            best = min(best, (error, mu10 / 10, sigma10 / 10))
    return best[1], best[2]


def meta_shape(pairs: list[tuple[str, str]], freeforms: set[str]) -> dict:
    parents = defaultdict(set)
    children = defaultdict(set)
    for child, meta in pairs:
        parents[child].add(meta)
        children[meta].add(child)

    def depth(tag: str, seen: frozenset = frozenset()) -> int:
        ups = [p for p in parents.get(tag, ()) if p not in seen]
        return 0 if not ups else 1 + max(depth(p, seen | {tag}) for p in ups)

    fan_out = [len(c) for c in children.values()]
    depths = Counter(min(depth(tag), 5) for tag in parents)
    total = sum(depths.values())
    return {
        "freeform_share_with_meta": round(len(freeforms & set(parents)) / len(freeforms), 4),
        "fan_out_mean": round(statistics.fmean(fan_out), 3),
        "fan_out_median": statistics.median(fan_out),
        "fan_out_max": max(fan_out),
        "depth_shares": {str(d): round(n / total, 4) for d, n in sorted(depths.items())},
        "metas_with_meta_share": round(sum(1 for m in children if m in parents) / len(children), 4),
    }


def derive(data: Path) -> dict:
    freeform_counts = json.loads((data / "freeform_tag_counts.json").read_text())
    with open(data / "metatag_pairs.csv", newline="") as f:
        pairs = [(row[0], row[1]) for row in list(csv.reader(f))[1:] if len(row) == 2]
    with open(data / "datadump_2021_tags_excerpt.csv", newline="") as f:
        tags = list(csv.DictReader(f))
    with open(data / "datadump_2021_works_excerpt.csv", newline="") as f:
        works = list(csv.DictReader(f))

    fixed = {"Rating": {}, "ArchiveWarning": {}, "Category": {}}
    type_of = {}
    for tag in tags:
        type_of[tag["id"]] = tag["type"]
        if tag["type"] in fixed:
            fixed[tag["type"]][tag["name"]] = int(tag["cached_count"])

    def shares(counts: dict[str, int]) -> dict[str, float]:
        total = sum(counts.values())
        return {name: round(n / total, 4) for name, n in sorted(counts.items(), key=lambda kv: -kv[1])}

    per_work_total, per_work_other, warnings, categories = Counter(), Counter(), [], []
    for work in works:
        ids = [i for i in work["tags"].split("+") if i]
        kinds = Counter(type_of.get(i, "Other") for i in ids)
        per_work_total[len(ids)] += 1
        per_work_other[len(ids) - kinds["Rating"] - kinds["ArchiveWarning"] - kinds["Category"]] += 1
        warnings.append(kinds["ArchiveWarning"])
        categories.append(kinds["Category"])
    word_counts = [int(w["word_count"]) for w in works if w["word_count"]]
    mu, sigma = truncated_lognormal(word_counts, TRUNCATION)
    ranked = sorted(freeform_counts.values(), reverse=True)
    exponent, offset = zipf_mandelbrot(ranked)

    # The excerpt says "Choose Not To Use"; the archive's tag is AO3's current name.
    warning_shares = shares(fixed["ArchiveWarning"])
    warning_shares = {
        ("Creator Chose Not To Use Archive Warnings" if n.startswith("Choose Not") else n): s
        for n, s in warning_shares.items()
    }
    return {
        "source": "derived by bench/derive_synthetic_params.py from shared/data/ao3_tags",
        "freeforms": {
            "canonical_count": len(freeform_counts),
            "zipf_exponent": exponent,
            "zipf_offset": offset,
            "top_count": ranked[0],
            "median_count": statistics.median(ranked),
            "unused_share": round(sum(1 for c in ranked if c <= 0) / len(ranked), 4),
        },
        "meta_tags": meta_shape(pairs, set(freeform_counts)),
        "ratings": shares(fixed["Rating"]),
        "warnings": warning_shares,
        "categories": shares(fixed["Category"]),
        "per_work": {
            "tags_total_histogram": {str(k): v for k, v in sorted(per_work_total.items())},
            "tags_other_histogram": {str(k): v for k, v in sorted(per_work_other.items())},
            "warnings_mean": round(statistics.fmean(warnings), 3),
            "restricted_share": round(sum(w["restricted"] == "TRUE" for w in works) / len(works), 4),
            "categories_mean": round(statistics.fmean(categories), 3),
        },
        "word_count": {"lognormal_mu": mu, "lognormal_sigma": sigma, "fitted_above": TRUNCATION},
        "assumed": {
            "why": "the works excerpt is complete English works of 5,000+ words from one week of 2021",
            "complete_share": 0.78,
            "languages": {"en": 0.9, "es": 0.02, "zh": 0.02, "ru": 0.015, "fr": 0.015, "de": 0.01,
                          "pt": 0.01, "it": 0.005, "ja": 0.005},
            "first_year": 2009,
            "last_year": 2021,
            "yearly_growth": 1.25,
            "fandoms_per_work": {"1": 0.85, "2": 0.11, "3": 0.04},
            "fandom_zipf_exponent": 1.1,
            "authors_zipf_exponent": 1.0,
            "works_per_fandom": 40,
            "works_per_author": 4,
            "synonym_share": 0.1,
            "synonym_use_share": 0.15,
            "other_tag_shares": {"relationship": 0.18, "character": 0.32, "freeform": 0.50},
            "words_per_chapter": 3500,
            "hits_lognormal": [6.5, 1.4],
            "kudos_per_hit": 0.07,
            "bookmarks_per_kudo": 0.12,
            "comments_per_kudo": 0.15,
        },  # fmt: skip
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=shared_data("ao3_tags"))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"no reference data at {args.data}", file=sys.stderr)
        return 1
    params = derive(args.data)
    args.out.write_text(json.dumps(params, indent=1) + "\n")
    print(f"wrote {args.out}")
    print(json.dumps({k: params[k] for k in ("freeforms", "meta_tags", "word_count")}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
