"""Add the inflected forms of the Russian, Ukrainian and French speech-verb lemmas to speech_verbs.json.

    .venv/bin/python scripts/expand_speech_verbs.py [--check]

A maintainer's tool, not run at ingest time. Russian and Ukrainian verbs
change with gender, number, person and aspect (`объявил`, `объявила`,
`объявили`, `объявляет`, `объявят`), so listing cue words by hand misses
many: for every lemma under `lemmas` in a language's entry, pymorphy3
(already a dependency, for word-form search) gives the lexeme, and its past
forms and third-person present/future forms are added to `verbs` if they are
not there yet (a form with ё also as written with е). French lemmas
(regular -er verbs) are conjugated by rule, see `french_forms`. The file stays the single place the quote stage reads, and a
reader sees every form it matches. `--check` only reports what would be added
(exit 1 if anything would).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pymorphy3

PATH = Path(__file__).resolve().parent.parent / "corpus_db" / "data" / "speech_verbs.json"


def forms(analyzer: pymorphy3.MorphAnalyzer, lemma: str) -> list[str]:
    """The past and third-person present/future forms of a verb lemma, in lexeme order."""
    parses = [p for p in analyzer.parse(lemma) if p.normal_form == lemma and p.tag.POS in ("INFN", "VERB")]
    # the infinitive's own parse when the dictionary marks it (Ukrainian: VERB,infn), else any of the verb's
    parse = next((p for p in parses if p.tag.POS == "INFN" or "infn" in str(p.tag)), parses[0] if parses else None)
    if parse is None:
        raise SystemExit(f"not a verb infinitive in the {analyzer.lang} dictionary: {lemma}")
    out = []
    for f in parse.lexeme:
        tag = f.tag
        if tag.POS != "VERB" or "infn" in str(tag) or "impr" in str(tag):
            continue  # (the Ukrainian dictionary tags infinitives VERB,infn)
        if tag.tense == "past" or tag.person == "3per":
            out.append(f.word)
            if "ё" in f.word:
                out.append(f.word.replace("ё", "е"))  # most texts write е for ё
    return list(dict.fromkeys(out))


def french_forms(lemma: str) -> list[str]:
    """The third-person forms of a regular French -er verb a news text attributes speech with.

    Present, imperfect and past historic (`déplore`, `déplorent`, `déplorait`,
    `déplora`), compound past and pluperfect (`a déploré`, `avait déploré`),
    and the bare participle, which is the cue when an adverb splits the
    compound (`a encore souligné`, `a aussi déclaré`). Spelling changes before
    a and o (`lancer` -> `lança`, `juger` -> `jugeait`) and `-eler`/`-eter`
    stems (`rappelle`) are handled; other irregular verbs go in `verbs` by hand.
    """
    if not lemma.endswith("er"):
        raise SystemExit(f"not a regular -er verb: {lemma} (add its forms to verbs by hand)")
    stem = lemma[:-2]
    soft = stem[:-1] + "ç" if stem.endswith("c") else stem + "e" if stem.endswith("g") else stem
    strong = stem
    if stem.endswith(("el", "et")) and lemma in DOUBLING:
        strong = stem + stem[-1]  # rappeler -> rappelle
    elif len(stem) > 2 and stem[-2] == "e" and stem.endswith(("el", "et", "en", "ev", "em")):
        strong = stem[:-2] + "è" + stem[-1]  # lever -> lève (not needed by most cue verbs)
    elif len(stem) > 2 and stem[-2] == "é" and stem[-1] not in "aeiou":
        strong = stem[:-2] + "è" + stem[-1]  # répéter -> répète
    participle = stem + "é"
    return [strong + "e", strong + "ent", soft + "ait", soft + "aient", soft + "a", stem + "èrent",
            "a " + participle, "ont " + participle, "avait " + participle, "avaient " + participle, participle]


DOUBLING = {"rappeler", "appeler", "épeler", "renouveler", "interpeller", "jeter", "rejeter"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="report what would be added, change nothing")
    a = ap.parse_args()
    text = PATH.read_text(encoding="utf-8")
    data = json.loads(text)
    lines = text.split("\n")
    added_any = False
    for lang in ("ru", "uk", "fr"):
        entry = data[lang]
        have = set(entry["verbs"])
        if lang == "fr":
            new = [w for lemma in entry.get("lemmas", []) for w in french_forms(lemma) if w not in have]
        else:
            analyzer = pymorphy3.MorphAnalyzer(lang=lang)
            new = [w for lemma in entry.get("lemmas", []) for w in forms(analyzer, lemma) if w not in have]
        new = list(dict.fromkeys(new))
        print(f"{lang}: {len(new)} forms to add", file=sys.stderr)
        if not new:
            continue
        added_any = True
        # the file keeps one list per line: rewrite only the language's "verbs" line
        start = next(i for i, line in enumerate(lines) if line.startswith(f' "{lang}": {{'))
        at = next(i for i in range(start, len(lines)) if lines[i].startswith('  "verbs": ['))
        merged = entry["verbs"] + new
        lines[at] = '  "verbs": ' + json.dumps(merged, ensure_ascii=False) + ","
    if added_any and not a.check:
        PATH.write_text("\n".join(lines), encoding="utf-8")
        json.loads(PATH.read_text(encoding="utf-8"))  # still valid JSON
    return 1 if added_any and a.check else 0


if __name__ == "__main__":
    sys.exit(main())
