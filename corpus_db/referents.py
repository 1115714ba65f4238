"""Who a pronoun speaker (`he added`, `she said`, `it added`) points back to.

Candidates are the people and organisations an article has just been talking
about: earlier named quote speakers, the entities stage's mentions when there
are any, and otherwise capitalised names that open a sentence (`Devine said
he …`, `Clinton recalled …`), which are the usual antecedents of a later
`he said`. Gender, when the text shows it (`Mr.`, `Ms.`, `spokeswoman`, the
pronouns that follow a name, Russian surname endings), rules candidates out;
the nearest remaining one wins. All cue words come from the lexicon.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .attribution import core, cue_ok, is_cap, np_after, sentence_starts, subject_before, valid_speaker
from .quote_lexicon import Lexicon
from .quote_marks import find_marked

CAP = r"[^\W\d_a-zа-яёіїєґàâäçéèêëîïôöùûüÿ]"


@lru_cache(maxsize=None)
def _name_run(particles: frozenset) -> re.Pattern:
    """A run of capitalised words, with name particles (`de`, `van`) allowed inside."""
    alt = "|".join(re.escape(p) for p in sorted(particles))
    return re.compile(CAP + r"[\w'’.-]*(?:\s+(?:(?:" + alt + r")\s+)?" + CAP + r"[\w'’.-]*)*")


@dataclass
class Referent:
    """Something a pronoun can point back to, at a body offset."""

    pos: int
    name: str
    kind: str  # 'person', 'org', 'plural'
    entity: int | None = None


def name_key(name: str) -> str:
    """The last capitalised word of a name, lowercased (`Sen. Susan Collins` -> `collins`)."""
    caps = [core(w) for w in name.split() if is_cap(w) and core(w)]
    word = caps[-1] if caps else (name.split() or [""])[-1]
    return re.sub(r"(['’]s|['’])$", "", core(word)).lower()


class Referents:
    """Antecedent candidates for one document, built once and queried per quote."""

    def __init__(self, body: str, paras, lex: Lexicon, mentions=(), entities=()):
        self.lex = lex
        self.name_run = _name_run(frozenset(lex.name_particles))
        self.body = body
        self.entities = list(entities)
        self.quoted = _quoted_spans(paras)
        self._surname_cache: set[str] | None = None
        self.cands: list[Referent] = []
        # the article's own cues find antecedents best; the entities stage's
        # mentions, when there are any, type them (person or organisation)
        # and link them to an entity
        self.cands.extend(self._sentence_subjects(paras))
        self.cands.extend(self._cue_subjects(paras))
        if mentions:
            self._type_by_mentions(mentions)
        self.cands.sort(key=lambda r: r.pos)
        self.gender = self._genders(paras)

    def _type_by_mentions(self, mentions) -> None:
        """Use the entities stage's mentions to drop places and to link candidates to entities.

        Types from NER are not trusted further than that: on PolNeAR,
        retyping people as organisations from NER labels cost more than it gained.
        """
        spans = sorted((m.start, m.end, m) for m in mentions)
        kept = []
        for r in self.cands:
            hit = next((m for s, e, m in spans if s < r.pos + len(r.name) and r.pos < e), None)
            if hit is not None and hit.entity < len(self.entities):
                if (self.entities[hit.entity].type or "").upper() == "PLACE":
                    continue  # "New Hampshire" is nobody's antecedent
                r.entity = hit.entity
            kept.append(r)
        self.cands = kept

    def _surnames(self) -> set[str]:
        """Last words of runs of two or more capitalised words: the article's people's surnames."""
        if getattr(self, "_surname_cache", None) is not None:
            return self._surname_cache
        out = set()
        for m in self.name_run.finditer(self.body):
            words = m.group().split()
            if len(words) >= 2 and core(words[0]).lower() not in self.lex.subject_stop:
                out.add(name_key(m.group()))
        self._surname_cache = out
        return out

    def _sentence_subjects(self, paras) -> list[Referent]:
        """Capitalised names that open a sentence or its main clause, outside quotations.

        Only names that look like people's: their last word ends a run of two
        or more capitalised words somewhere in the article (`Gary Johnson` …
        `Johnson demurred`), which keeps out `Audiences`, `Delaware`, `Asked`.
        """
        surnames = self._surnames()
        out = []
        for pstart, par in paras:
            spans = [(m.open_at, m.close_at) for m in find_marked(par)]
            for s in sentence_starts(par, spans, self.lex):
                if any(a <= s <= b for a, b in spans):
                    continue
                name = self._subject_at(par, s)
                clean = self.person_name(par[name[0]:name[1]]) if name else None
                if clean and name_key(clean) in surnames:
                    out.append(Referent(pstart + name[0], clean, "person"))
        return out

    def _cue_subjects(self, paras) -> list[Referent]:
        """Speakers of reported speech outside quotations: `…, Jones said.`, `said Kunin`."""
        out = []
        surnames = self._surnames()
        for pstart, par in paras:
            spans = [(m.open_at, m.close_at) for m in find_marked(par)]
            starts = sentence_starts(par, spans, self.lex)
            for m in self.lex.cue_re.finditer(par):
                if any(a <= m.start() <= b for a, b in spans) or not cue_ok(par, m, self.lex, 0):
                    continue
                s = max([b for b in starts if b <= m.start()] + [0])
                s = max([s, m.start() - self.lex.numbers["attribution_window"]] + [b + 1 for a, b in spans if b < m.start()])
                span = None
                chunk = par[s:m.start()].strip(" \u00a0")
                inverted = m.group().lower() not in self.lex.not_inverted and (not chunk or chunk.endswith(","))
                if not inverted:
                    span = subject_before(par, s, m.start(), self.lex)
                else:
                    span = np_after(par, m.end(), len(par), self.lex)
                name = par[span[0]:span[1]] if span else ""
                clean = self.person_name(name) if span else None
                if clean and self._named(clean) and (len(clean.split()) > 1 or name_key(clean) in surnames):
                    out.append(Referent(pstart + span[0], clean, "person"))
        return out

    def person_name(self, text: str) -> str | None:
        """The name in a candidate phrase: its last run of capitalised words.

        `9/11 widow Terry Strada` -> `Terry Strada`; None for phrases that
        end in something else (`Biden rubbished Trump’s`, `The Republican`).
        """
        words = text.split()
        run: list[str] = []
        for w in reversed(words):
            if is_cap(w) or (run and w.lower() in self.lex.name_particles):
                run.append(w)
            else:
                break
        run.reverse()
        if not run or len(run) < len(words) and not all(
                is_cap(w) or core(w).lower() in self.lex.title_words | self.lex.person_words | self.lex.determiners
                or re.search(r"\d", w) for w in words[:len(words) - len(run)]):
            return None
        if re.search(r"['’]s?$", run[-1]):
            return None
        if all(core(w).lower() in self.lex.title_words | self.lex.subject_stop | self.lex.org_words for w in run):
            return None
        return " ".join(run)

    def _named(self, text: str) -> bool:
        """A speaker phrase that names someone: ends on a capitalised word, no verb in it."""
        words = text.split()
        last = core(words[-1]).lower() if words else ""
        if last in self.lex.org_words or last in self.lex.adverbs or last in self.lex.leading_preps:
            return False
        return bool(words) and is_cap(words[-1]) and last not in self.lex.subject_stop \
            and not any(core(w).lower() in self.lex.verbish for w in words) \
            and self.lex.pronoun_type(text) is None and valid_speaker(text, self.lex)

    def _subject_at(self, par: str, s: int) -> tuple[int, int] | None:
        """A name run at offset s (after a short leading phrase and comma), followed by a lower-case word."""
        head = par[s:s + 160]
        first = core(head.split()[0]).lower() if head.split() else ""
        if first in self.lex.leading_preps or (first.endswith("ing") and is_cap(head)):
            if "," not in head:
                return None
            s = s + head.index(",") + 1
        pos = s + len(par[s:]) - len(par[s:].lstrip())
        # skip a determiner and lower-case titles: "Le président Emmanuel Macron"
        for _ in range(3):
            tok = re.match(r"\S+\s+", par[pos:])
            if not tok or self.name_run.match(par, pos) and core(tok.group()).lower() not in self.lex.subject_stop:
                break
            if core(tok.group()).lower() in self.lex.subject_stop or core(tok.group()).lower() in self.lex.person_words:
                pos += tok.end()
            else:
                break
        m = self.name_run.match(par, pos)
        if not m:
            return None
        # "Cruz spokeswoman Catherine Frazier", "Republican presidential
        # front-runner Ben Carson": title words between two names
        pos2 = m.end()
        for _ in range(3):
            w = re.match(r"\s+(\S+)", par[pos2:])
            if not w or is_cap(w.group(1)) or core(w.group(1)).lower() not in self.lex.title_words | self.lex.person_words:
                break
            pos2 += w.end()
            m2 = re.match(r"\s+", par[pos2:])
            if m2:
                after_title = self.name_run.match(par, pos2 + m2.end())
                if after_title:
                    m = after_title
                    break
        words = m.group().split()
        start = m.start()
        while words and core(words[0]).lower().rstrip(".") in self.lex.subject_stop:
            start += par[start:].index(words[0]) + len(words[0])
            words = words[1:]
        if not words:
            return None
        start = start + len(par[start:]) - len(par[start:].lstrip())
        end = m.end()
        after = par[end:end + 40]
        if re.match(r"['’]s?\b", after) or not re.match(r"\s*(?:,[^,]{1,120},\s*)?[a-zа-яёіїєґàâçéèêëîïôûù]", par[end:end + 160]):
            return None
        return (start, end) if valid_speaker(par[start:end], self.lex) else None

    def _genders(self, paras) -> dict[str, str]:
        """name key -> 'male'/'female' from titles, following pronouns and surname endings."""
        votes: dict[str, dict[str, int]] = {}
        words = self.lex.gender_words
        titles = self.lex.gender_titles
        for r in self.cands:
            key = name_key(r.name)
            v = votes.setdefault(key, {"male": 0, "female": 0})
            before = [core(w).lower() for w in self.body[max(0, r.pos - 40):r.pos].split()[-3:]]
            inside = [core(w).lower() for w in r.name.split()]
            for g in ("male", "female"):
                if any(w in titles.get(g, ()) or w + "." in titles.get(g, ()) for w in before[-1:] + inside):
                    v[g] += 3
            # the first pronoun after the name in its sentence, outside quotations
            w_start = r.pos + len(r.name)
            window = self._unquoted(w_start, w_start + 80)
            window = re.split(r"(?<=[.!?])\s+(?=" + CAP + r")", window)[0]
            for w in re.findall(r"\w+", window.lower()):
                hit = [g for g in ("male", "female") if w in words.get(g, ())]
                if hit:
                    v[hit[0]] += 1
                    break
            if key.endswith(self.lex.female_suffixes) and not key.isascii():
                v["female"] += 2
            caps = [core(w).lower() for w in r.name.split() if is_cap(w)]
            if len(caps) >= 2:
                for g in ("male", "female"):
                    if caps[-2] in self.lex.first_names.get(g, ()) and caps[-2] not in self.lex.first_names.get(
                            "female" if g == "male" else "male", ()):
                        v[g] += 5  # a first name outweighs the pronouns around it
        out = {}
        for key, v in votes.items():
            if v["male"] > v["female"]:
                out[key] = "male"
            elif v["female"] > v["male"]:
                out[key] = "female"
        return out

    def _unquoted(self, a: int, b: int) -> str:
        """body[a:b] with quoted text blanked out."""
        b = min(b, len(self.body))
        chars = list(self.body[a:b])
        for qa, qb in self.quoted:
            if qb >= a and qa < b:
                for i in range(max(qa, a), min(qb + 1, b)):
                    chars[i - a] = " "
        return "".join(chars)

    def note(self, ref: Referent) -> None:
        """Add a quote's named speaker as a candidate."""
        self.cands.append(ref)
        self.cands.sort(key=lambda r: r.pos)

    def learn(self, name: str, gender: str) -> None:
        """Record a gender shown by a resolved pronoun, unless the text said otherwise."""
        self.gender.setdefault(name_key(name), gender)

    def resolve(self, ptype: str, pos: int) -> Referent | None:
        """The nearest earlier candidate that fits a pronoun type ('male', 'female', 'org', 'plural').

        Gender guesses can be wrong, so when no candidate of the right gender
        is found, the nearest named person is taken rather than none.
        """
        found = self._nearest(ptype, pos, check_gender=True)
        if found is None and ptype in ("male", "female"):
            found = self._nearest(ptype, pos, check_gender=False)
        return found

    def _nearest(self, ptype: str, pos: int, check_gender: bool) -> Referent | None:
        for r in reversed(self.cands):
            if r.pos >= pos:
                continue
            if ptype in ("male", "female"):
                if r.kind != "person" or not self._named(r.name):
                    continue  # he/she points back to a named person, not "the official"
                g = self.gender.get(name_key(r.name))
                if check_gender and g and g != ptype:
                    continue
                return r
            if ptype == "org" and r.kind == "org":
                return r
            if ptype == "plural" and r.kind in ("org", "plural"):
                return r
        return None


def _quoted_spans(paras) -> list[tuple[int, int]]:
    """Body spans inside quote marks."""
    out = []
    for pstart, par in paras:
        for m in find_marked(par):
            out.append((pstart + m.open_at, pstart + m.close_at))
    return out
