"""Who a pronoun speaker (`he added`, `she said`, `it added`) points back to.

Candidates are the people and organisations an article has just been talking
about: earlier named quote speakers, the entities stage's mentions when there
are any, and otherwise capitalised names that open a sentence (`Devine said
he …`, `Clinton recalled …`), which are the usual antecedents of a later
`he said`; names behind titles and role words count (`Former federal
prosecutor Glen Kopp said …`). Gender, when the text shows it, rules
candidates out: a candidate's own first name or honorific first (`Jane
Sanders` is not `Bernie Sanders`), then what the article shows for the
surname (`spokeswoman`, the pronouns that follow it, Russian surname
endings); the nearest remaining one wins. All word lists come from the lexicon.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .attribution import (GLUED_END, LOWER_CHARS, _is_abbrev, acronym_name, core, cue_ok, is_cap, lower_case_words,
                          naming, np_after, sentence_starts, subject_before, valid_speaker)
from .quote_lexicon import Lexicon
from .quote_marks import find_marked

CAP = r"[^\W\d_a-zа-яёіїєґàâäçéèêëîïôöùûüÿ]"


# after a subject name: an optional parenthesis `(R-Wisc.)` and apposition `, a …, ` then a lower-case word
APPOSITION_THEN_VERB = re.compile(r"\s*(?:\([^()]{1,40}\))?\s*(?:,\s*(?:(?:[\d" + LOWER_CHARS + r"]|\w+['’]s\s)[^.;:!?\"“”«»]{0,200}?(?:,|\s[\"“][^\"“”]{1,40},[\"”])|[^\s,;:!?\"“”«»]+(?:\s[^\s,;:!?\"“”«»]+)?,)\s*)?[" + LOWER_CHARS + "]")
# ", South Carolina director for Sanders, said": an apposition opening on capitals, its role word
# (group 1) checked in code
ROLE_APPOSITION_THEN_VERB = re.compile(r"\s*,\s*(?:" + CAP + r"[\w'’.-]*\s+){1,3}([" + LOWER_CHARS + r"][\w'’-]*)[^.;:!?\"“”«»]{0,200}?,\s*[" + LOWER_CHARS + "]")
CLAUSE_AFTER_COMMA = re.compile(r"(?:[,;]\s+(?:but|and|while|though|although|yet|since|because|when)\s+|[—–]\s*)(?=" + CAP + ")")
DESCRIPTION_THEN_COMMA = re.compile(r"(\w+)(?:\s+[" + LOWER_CHARS + r"][\w'’-]*){1,5},\s+")
ROLE_SUFFIX = re.compile(r"(?:er|or|ist|ian|ant|ent|man|woman|person|ee|ive|ary)$")


@lru_cache(maxsize=None)
def _name_run(particles: frozenset) -> re.Pattern:
    """A run of capitalised words, with name particles (`de`, `van`) allowed inside."""
    alt = "|".join(re.escape(p) for p in sorted(particles))
    return re.compile(CAP + r"[\w'’.-]*(?:\s+(?:(?:" + alt + r")\s+)?" + CAP + r"[\w'’.-]*)*")


@lru_cache(maxsize=None)
def _kin_re(words: frozenset) -> re.Pattern | None:
    """`wife, `, `father, ` … before a capital: a gendered noun and the name set off after it."""
    if not words:
        return None
    return re.compile(r"\b(?i:" + "|".join(sorted(map(re.escape, words))) + r"),\s+(?=" + CAP + ")")  # (CAP is case-bound)


@dataclass
class Referent:
    """Something a pronoun can point back to, at a body offset."""

    pos: int
    name: str
    kind: str  # 'person', 'org', 'plural', 'document' (`it` only: the article, the email)
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
        # word sets asked about in inner loops, joined once
        self._before_name = lex.title_words | lex.person_words | lex.determiners | lex.noun_links
        self._only_role = lex.title_words | lex.subject_stop | lex.org_words
        self._titles_bare = lex.subject_stop | {t.rstrip(".") for t in lex.title_words}
        self._title_person = lex.title_words | lex.person_words
        self._titles_and_stops = lex.title_words | lex.subject_stop
        self._not_a_person_end = lex.place_nouns | lex.org_words
        self.body = body
        self.entities = list(entities)
        self.quoted = _quoted_spans(paras)
        self._surname_cache: set[str] | None = None
        self._lower_words: set[str] | None = None
        self.cands: list[Referent] = []
        # the article's own cues find antecedents best; the entities stage's
        # mentions, when there are any, type them (person or organisation)
        # and link them to an entity
        self.cands.extend(self._sentence_subjects(paras))
        self.cands.extend(self._cue_subjects(paras))
        self.cands.extend(self._named_by_phrase(paras))
        self.cands.extend(self._named_after_kin(paras))
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
        titles = self.lex.subject_stop | self.lex.title_words
        titles = titles | {w.rstrip(".") for w in titles}
        runs = [piece for m in self.name_run.finditer(self.body)
                for line in m.group().split("\n") for piece in self._sentence_pieces(line)]
        for run in runs:
            # (a run is cut where a line or a sentence ends: "… Of Hollywood.\n\nAlready a …" names no Already)
            words = run.split()
            rest = words
            while rest and core(rest[0]).lower().rstrip(".") in titles:
                rest = rest[1:]
            # "Barack Obama", or "President Obama" / "Sen. Cruz": a title before a name
            if len(rest) >= 2 or (rest and len(rest) < len(words) and core(words[0]).lower() not in self.lex.determiners):
                out.add(name_key(" ".join(rest)))
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
            clauses = [m.end() for m in CLAUSE_AFTER_COMMA.finditer(par)]  # "…, but Christie wasn't having it"
            for s in sentence_starts(par, spans, self.lex) + clauses:
                if any(a <= s <= b for a, b in spans):
                    continue
                name = self._subject_at(par, s)
                clean = self.person_name(par[name[0]:name[1]]) if name else None
                if clean and (name_key(clean) in surnames or self._lone_subject(par, *name)):
                    out.append(Referent(pstart + name[0], clean, "person"))
        return out

    def _named_by_phrase(self, paras) -> list[Referent]:
        """People the text introduces by a naming phrase, outside quotations: `The woman who
        started it all identified herself to CNN as a … resident named Caroline.` -> `Caroline`."""
        out = []
        for pstart, par, m in _unquoted_matches(paras, self.lex.naming_re):
            span = naming(par, m.start(), len(par), self.lex)
            clean = self.person_name(par[span[0]:span[1]]) if span else None
            if clean:
                out.append(Referent(pstart + span[0], clean, "person"))
        return out

    def _named_after_kin(self, paras) -> list[Referent]:
        """People named right after a word that shows their gender, set off by a comma, outside
        quotations: `But his wife, Jane, offered a preview` -> `Jane`; `Her father, Brad, 39,`."""
        honorifics = {h for hs in self.lex.honorifics.values() for h in hs}
        kin = _kin_re(frozenset(w for ws in self.lex.gender_titles.values() for w in ws
                                if w not in honorifics and not w.endswith(".")))
        out = []
        for pstart, par, m in _unquoted_matches(paras, kin):
            if not self._opens_clause(par, m.start()):
                continue
            name = self.name_run.match(par, m.end())
            clean = self.person_name(name.group()) if name and re.match(r"\s*,", par[name.end():]) else None
            if clean and self._named(clean):
                out.append(Referent(pstart + m.end() + name.group().rfind(clean), clean, "person"))
        return out

    def _opens_clause(self, par: str, pos: int) -> bool:
        """At most three words, lower case but for the first and no preposition, between the last
        sentence end or comma and pos: `But his wife, Jane, offered`, `On CNN Tuesday, his wife, Jane,
        called`, not `she and her mother, Carmen, live` deep in a sentence, `Bill Clinton and his
        wife, Hillary` or `after his wife, Melania, delivered`."""
        lead = re.split(r"[.!?;:,][\"”»’]?\s+|\n", par[max(0, pos - 80):pos])[-1].split()
        blocked = (self.lex.leading_preps | self.lex.complementizers) - self.lex.subject_leads
        return len(lead) <= 3 and not any(is_cap(w) for w in lead[1:]) \
            and not any(core(w).lower() in blocked for w in lead)  # ("after his wife, Melania, delivered")

    def _lone_subject(self, par: str, a: int, b: int) -> bool:
        """`Cruz openly admitted …`, `Carson defied …`: one capitalised word, then a verb.

        For names the article never gives whole. The verb must show (`-ed`, a
        cue, or `-s` before `that`: `Wimes believes that …`; not `was`, which
        places take: `Michigan was …`), which keeps out openers (`Already a
        …`, `Contacted by …`); capitalised plurals (`Democrats largely
        echoed`) and words the article also writes in lower case are no one's name.
        """
        name = par[a:b]
        if not self._lone_name(name):
            return False
        lc = core(name).lower()
        lex = self.lex
        if lc in lex.inversion_leads or lc in lex.conjunctions or lc in lex.leading_preps or lc in lex.subject_leads:
            return False  # "Как указал эксперт", "Comme l'a dit": a function word before the cue, no one's name
        words = par[b:b + 80].split()[:4]
        for k, w in enumerate(words[:3]):
            lc = core(w).lower()
            if lc != w or not lc:
                return False  # punctuation: an apposition or a clause end, not a verb
            if lc.endswith("ed") or self._is_cue(lc) or lc.endswith("s") and words[k + 1:k + 2] == ["that"]:
                return True
            if not (lc in self.lex.adverbs or lc.endswith("ly")):
                return False
        return False

    def _is_cue(self, word: str) -> bool:
        """A word that is a whole cue (`said`, `admitted`)."""
        m = self.lex.cue_re.match(word)
        return m is not None and m.end() == len(word)

    def _lone_name(self, name: str) -> bool:
        """One capitalised word that can be a surname: no plural (`Democrats`), not written in lower case too."""
        words = name.split()
        return len(words) == 1 and not re.search(r"[a-z]s$", core(words[0])) and not self.not_person(name)

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
                lead = chunk and all(core(w).lower() in self.lex.inversion_leads for w in chunk.split())  # `Как указал X`
                inverted = m.group().lower() not in self.lex.not_inverted and (not chunk or lead or chunk.endswith(","))
                if not inverted:
                    span = subject_before(par, s, m.start(), self.lex)
                else:
                    span = np_after(par, m.end(), len(par), self.lex)
                name = par[span[0]:span[1]] if span else ""
                clean = self.person_name(name) if span else None
                if clean and self._named(clean) and (len(clean.split()) > 1 or name_key(clean) in surnames
                                                     or self._opens_with_subject(par, s, span, m.start(), inverted)):
                    out.append(Referent(pstart + span[0], clean, "person"))
                elif span and self._organisation(name):
                    # "…, the paper said." / "The SARFT said:" / "the article read": what a later "it said" points back to
                    document = core(name.split()[-1]).lower() in self.lex.document_nouns
                    out.append(Referent(pstart + span[0], name, "document" if document else "org"))
        return out

    def _organisation(self, phrase: str) -> bool:
        """A speaker phrase `it` can stand for: an organisation (`the committee`, `the paper`, `GNA`, `the
        SARFT`) or a document (`the article`, `the email`)."""
        words = phrase.split()
        if not words or len(words) > 5:
            return False
        last = core(words[-1]).lower()
        return last in self.lex.org_words or last in self.lex.document_nouns or acronym_name(phrase, self.lex)

    def _opens_with_subject(self, par: str, s: int, span, cue_at: int, inverted: bool) -> bool:
        """`McLenney said Clinton …`, `…, Bob said he …`: a lone name right before a cue is someone.

        The name opens its sentence or follows a comma (a leading phrase).
        Such a name is missed by the surname test when the article never gives
        it whole (or spells it differently); words the article also writes in
        lower case (`Officials said`) are not names.
        """
        if inverted or span is None or par[s:span[0]].strip() and not par[s:span[0]].rstrip().endswith(","):
            return False
        gap = par[span[1]:cue_at].split()
        return all(core(w).lower() in self.lex.adverbs for w in gap) and self._lone_name(par[span[0]:span[1]])

    def person_name(self, text: str) -> str | None:
        """The name in a candidate phrase: its last run of capitalised words.

        `9/11 widow Terry Strada` -> `Terry Strada`; None for phrases that
        end in something else (`Biden rubbished Trump’s`, `The Republican`).
        """
        words = text.split()
        for i, w in enumerate(words[1:], 1):
            if core(w).lower() in self.lex.noun_links and is_cap(words[i - 1]):
                if all(core(x).lower() in self._only_role for x in words[:i]):
                    # "Secretary of State John F. Kerry": the `of` is inside a title, the name follows it
                    return self._name_after_title(words[i + 1:])
                words = words[:i]  # "Jeffrey Lewis of the James Martin Center" -> "Jeffrey Lewis"
                break
        run: list[str] = []
        for w in reversed(words):
            if is_cap(w) or (run and w.lower() in self.lex.name_particles):
                run.append(w)
            else:
                break
        run.reverse()
        while len(run) > 1 and (core(run[0]).lower() in self.lex.leading_preps or core(run[0]).lower() in self.lex.conjunctions):
            run = run[1:]  # "Pour Stéphane Siret, …": a capitalised preposition opening the sentence
        if not run or len(run) < len(words) and not all(
                is_cap(w) or core(w).lower() in self._before_name or re.search(r"\d", w)
                for w in words[:len(words) - len(run)]):
            return None
        if re.search(r"['’]s?$", run[-1]):
            return None
        if all(core(w).lower() in self._only_role for w in run):
            return None
        return " ".join(run)

    def _name_after_title(self, words: list[str]) -> str | None:
        """The name after a title's `of` phrase: `State John F. Kerry` -> `John F. Kerry`.

        The title's object and the name are one run of capitals; a known
        first name inside the run is where the name starts. Without one the
        two cannot be told apart (`Homeland Security Jeh Johnson`, `Joint
        Chiefs`), and no name is better than a wrong one.
        """
        name = self.person_name(" ".join(words)) if words else None
        run = name.split() if name else []
        firsts = self.lex.first_names.get("male", set()) | self.lex.first_names.get("female", set())
        for k, w in enumerate(run[1:-1], 1):
            if core(w).lower() in firsts:
                return " ".join(run[k:])
        return None

    def _named(self, text: str) -> bool:
        """A speaker phrase that names someone: ends on a capitalised word, no verb in it."""
        words = text.split()
        last = core(words[-1]).lower() if words else ""
        if last in self.lex.org_words or last in self.lex.adverbs or last in self.lex.leading_preps:
            return False
        return bool(words) and is_cap(words[-1]) and last not in self.lex.subject_stop \
            and not any(core(w).lower() in self.lex.verbish and (k == 0 or not is_cap(w))
                        for k, w in enumerate(words)) \
            and self.lex.pronoun_type(text) is None and valid_speaker(text, self.lex)

    def _subject_at(self, par: str, s: int) -> tuple[int, int] | None:
        """A name run at offset s (after a short leading phrase and comma), followed by a lower-case word."""
        # "And even Obama tried …", "But Chris Christie, eager …, attacked": a conjunction or an
        # adverb with no comma before the subject
        start = s
        for _ in range(2):
            lead = re.match(r"(\S+)\s+", par[s:s + 40])
            word = core(lead.group(1)).lower() if lead else ""
            if not lead or lead.group(1).endswith(",") or word not in self.lex.subject_leads:
                break
            s += lead.end()
        if not is_cap(par[s:s + 1]):
            s = start  # "And a third, Daniel Traynor, said": the name comes after the comma
        head = par[s:s + 160]
        first = core(head.split()[0]).lower() if head.split() else ""
        # "Ultimately, Mr. Clarke hopes", "Meanwhile, …": an adverb and a comma before the subject
        lead_word = bool(head.split()) and head.split()[0].endswith(",") and (
            first.endswith("ly") or first in self.lex.adverbs or first in self.lex.time_words)
        words = head.split()
        if len(words) > 1 and not words[0].endswith(",") and (first in self.lex.time_words or first in ("meanwhile", "instead")
                                                               or first in ("when", "while", "after", "before", "as", "once")) \
                and is_cap(words[1]):
            # "Meanwhile Rihanna, who was honored …, spoke": an adverb with no comma before the subject
            s = s + head.index(words[1])
        elif first in self.lex.leading_preps or " ".join(core(w).lower() for w in words[:2]) in self.lex.leading_preps \
                or (first.endswith("ing") and is_cap(head)) or lead_word:
            # ("De son côté, Benjamin Cauchy … a salué": a two-word lead too)
            if "," not in head:
                return None
            s = s + head.index(",") + 1
        pos = s + len(par[s:]) - len(par[s:].lstrip())
        # skip a determiner and lower-case titles: "Le président Emmanuel Macron"
        skipped = ""
        for _ in range(3):
            tok = re.match(r"\S+\s+", par[pos:])
            if not tok or self.name_run.match(par, pos) and core(tok.group()).lower() not in self.lex.subject_stop:
                break
            if core(tok.group()).lower() in self.lex.subject_stop or core(tok.group()).lower() in self.lex.person_words:
                pos += tok.end()
                skipped = core(tok.group()).lower()
            else:
                break
        m = self.name_run.match(par, pos)
        if m and skipped in ("the", "a", "an") and not self._only_titles(m.group().split()[0]):
            return None  # "The United States would …", "The Clintons": a person's name takes no article
        if not m:
            return None
        # "Cruz spokeswoman Catherine Frazier", "Republican presidential
        # front-runner Ben Carson": title words between two names
        after_title = self._name_after_descriptor(par, m.end(), self._only_titles(m.group()))
        if after_title:
            m = after_title
        elif len(m.group().split()) == 1 and core(m.group()).lower() in self.lex.determiners:
            m = self._name_after_description(par, pos)
            if not m:
                return None
        words = m.group().split()
        start = m.start()
        titles = self._titles_bare
        while words and (core(words[0]).lower().rstrip(".") in self.lex.subject_stop
                         or len(words) > 1 and core(words[0]).lower().rstrip(".") in titles):
            start += par[start:].index(words[0]) + len(words[0])
            words = words[1:]
        if not words:
            return None
        start = start + len(par[start:]) - len(par[start:].lstrip())
        end = m.end()
        after = par[end:end + 40]
        if re.search(r"['’]s$", par[start:end]) and re.match(r"\s+(?:been|got)\b", after):
            end -= 2  # "Christie's been making the case": the 's is "has", not a possessive
        # the name is the subject when a verb follows, past a parenthesis or an apposition
        elif re.match(r"['’]s?\b", after) or not (APPOSITION_THEN_VERB.match(par[end:end + 240])
                                                   or self._role_apposition(par[end:end + 240])):
            return None
        return (start, end) if valid_speaker(par[start:end], self.lex) else None

    def _role_apposition(self, text: str) -> bool:
        """`, South Carolina director for Sanders, said`: capitals, then a role word, then the verb
        (not `, New Hampshire, Trump went after Bush`)."""
        m = ROLE_APPOSITION_THEN_VERB.match(text)
        if not m:
            return False
        role = m.group(1).lower()
        return role in self._title_person or bool(ROLE_SUFFIX.search(role)) and role not in self.lex.verbish

    def _name_after_description(self, par: str, pos: int):
        """`Another superdelegate, Michael Brown of Washington, D.C., explained`: a short description
        opening the sentence, set off by a comma, then the name."""
        m = DESCRIPTION_THEN_COMMA.match(par, pos)
        if not m or core(m.group(1)).lower() not in self.lex.determiners:
            return None
        name = self.name_run.match(par, m.end())
        if not name or len(name.group().split()) < 2:
            return None  # ("The new rules, Trump argued": a whole name, or no one described)
        return name

    def _only_titles(self, run: str) -> bool:
        """A capitalised run that is only titles: `Former`, `Secretary General`."""
        titles = self._titles_and_stops
        return all(core(w).lower() in titles or core(w).lower() + "." in titles for w in run.split())

    def _name_after_descriptor(self, par: str, pos: int, loose: bool):
        """The name after lower-case title words: `Cruz spokeswoman Catherine Frazier`,
        `Former federal prosecutor Glen Kopp`, `Trump senior communications adviser Jason Miller`.

        Title words always qualify; other lower-case words only when the run
        before was nothing but titles (`loose`) or the last of them names a
        role (`adviser`, `prosecutor`), and never a verb (`Trump attacked Clinton`).
        """
        found = []
        for _ in range(4):
            w = re.match(r"\s+(\S+)", par[pos:])
            if not w or is_cap(w.group(1)):
                break
            lc = core(w.group(1)).lower()
            titled = lc in self._title_person  # "state" is a title here, not a cue
            if lc != w.group(1).lower() or lc in self.lex.verbish or (self.lex.cue_re.match(lc) and not titled) \
                    or lc in self.lex.subject_cut or lc in self.lex.conjunctions or lc in self.lex.leading_preps \
                    or lc in self.lex.determiners or re.search(r"(ed|ly)$", lc):
                break
            found.append(lc)
            pos += w.end()
        if not found:
            return None
        last = found[-1]
        role = last in self._title_person or bool(ROLE_SUFFIX.search(last))
        if not (role or loose or all(x in self._title_person for x in found)):
            return None
        gap = re.match(r"\s+", par[pos:])
        return self.name_run.match(par, pos + gap.end()) if gap else None

    def _genders(self, paras) -> dict[str, str]:
        """name key -> 'male'/'female' from titles, following pronouns and surname endings."""
        votes: dict[str, dict[str, int]] = {}
        words = self.lex.gender_words
        titles = self.lex.gender_titles
        for r in self.cands:
            key = name_key(r.name)
            v = votes.setdefault(key, {"male": 0, "female": 0})
            before = [core(w).lower() for w in self.body[max(0, r.pos - 40):r.pos].split()[-3:]]
            inside = [core(w).lower() for w in r.name.split()[:-1]]  # "Billie Jean King" is no king
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
            own = self.first_name_gender(r.name)
            if own:
                v[own] += 5  # a first name outweighs the pronouns around it
        out = {}
        for key, v in votes.items():
            if v["male"] > v["female"]:
                out[key] = "male"
            elif v["female"] > v["male"]:
                out[key] = "female"
        return out

    def first_name_gender(self, name: str, alone: bool = False) -> str | None:
        """'male'/'female' from a name's own first name (`Jane Sanders` is not `Bernie Sanders`).

        With `alone`, for a name known to be someone's (a speaker or subject, not
        any capitalised word, which may be a place: `Georgia`), a first name on
        its own counts too (`Melanie said`) unless someone in the article has it
        as a surname (`Warren` for Elizabeth Warren).
        """
        caps = [core(w).lower() for w in name.split() if is_cap(w)]
        names = self.lex.first_names
        firsts = caps[:-1]
        if alone and len(caps) == 1 and caps[0] not in self._surnames():
            firsts = caps
        for w in firsts:
            male, female = w in names.get("male", ()), w in names.get("female", ())
            if male != female:
                return "male" if male else "female"
        return None

    def gender_of(self, r: Referent) -> str | None:
        """A candidate's gender: its own first name or honorific first, then what the article shows for the surname."""
        return self.first_name_gender(r.name, alone=True) or self._honorific_gender(r) \
            or self.gender.get(name_key(r.name))

    def _unquoted(self, a: int, b: int) -> str:
        """body[a:b] with quoted text blanked out."""
        b = min(b, len(self.body))
        out, pos = [], a
        for qa, qb in self.quoted:
            if qb >= a and qa < b:
                lo, hi = max(qa, pos), min(qb + 1, b)
                if hi > lo:
                    out.append(self.body[pos:lo])
                    out.append(" " * (hi - lo))
                    pos = hi
        out.append(self.body[pos:b])
        return "".join(out)

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
        if ptype in ("male", "female"):
            # a name that shows the gender (`One local woman, Karen Robison, pulled …`) nearer than
            # the candidate, or when no candidate of that gender came before (`professor Brigid
            # Harrison`), beats the nearest person known to be of the other one
            shown = self._gendered_name_before(ptype, pos, window=600 if found is not None else 2000)
            if shown is not None and (found is None or shown.pos > found.pos and self.gender_of(found) != ptype):
                found = shown
        if found is None and ptype in ("male", "female"):
            found = self._nearest(ptype, pos, check_gender=False)
        return found

    def _gendered_name_before(self, ptype: str, pos: int, window: int = 2000) -> Referent | None:
        """The nearest earlier name whose first name or honorific shows the pronoun's gender.

        The last resort when no subject or speaker came before: `The most
        telling promise Mrs. Clinton has made …` / `former Secretary of State
        Hillary Clinton, drew a contrast` before a `she said`.
        """
        start = max(0, pos - window)
        text = self._unquoted(start, pos)
        best = None
        for m in self.name_run.finditer(text):
            offset = 0
            for piece in self._sentence_pieces(m.group()):  # "Michelle Fields. In" is two sentences
                name = self.person_name(piece)
                at = m.group().find(piece, offset)
                offset = at + len(piece)
                if not name or core(name.split()[-1]).lower() in self._not_a_person_end:
                    continue  # "Madison Square Garden" is no woman
                if name.endswith(".") and not _is_abbrev(name.split()[-1], self.lex):
                    name = name[:-1]  # "… la libraire Sophie Lombard." ends its sentence
                ref = Referent(start + m.start() + at + piece.rfind(name), name, "person")
                if (self.first_name_gender(name) or self._honorific_gender(ref)) == ptype:
                    best = ref
        return best

    def _sentence_pieces(self, run: str) -> list[str]:
        """A name run cut where a sentence ends inside it (not after `Mrs.` or `J.`)."""
        pieces, start = [], 0
        for m in re.finditer(r"\.\s+|" + GLUED_END.pattern, run):  # ("M. Le Maire.Une …": no space after it)
            word = run[:m.start() + 1].split()[-1]
            if not _is_abbrev(word, self.lex):
                pieces.append(run[start:m.start()])
                start = m.end()
        pieces.append(run[start:])
        return pieces

    def _honorific_gender(self, r: Referent) -> str | None:
        """'male'/'female' from an honorific before or opening the name (`Mrs. Clinton`)."""
        before = [core(w).lower() for w in self.body[max(0, r.pos - 12):r.pos].split()[-1:]] + \
            [core(w).lower() for w in r.name.split()[:1]]
        for g in ("male", "female"):
            if any(w in self.lex.honorifics.get(g, ()) for w in before):
                return g
        return None

    def not_person(self, name: str) -> bool:
        """A capitalised phrase the article shows is no person's name.

        A lone word the article also writes in lower case (`Already`,
        `Footage`, `Core`): a sentence opener, not a surname.
        """
        if self._lower_words is None:
            self._lower_words = lower_case_words(self.body)
        words = name.split()
        return len(words) == 1 and core(words[0]).lower() in self._lower_words

    def recent_person(self, pos: int, since: int) -> Referent | None:
        """The nearest named person mentioned between `since` and `pos`, whatever the gender."""
        for r in reversed(self.cands):
            if r.pos >= pos:
                continue
            if r.pos < since:
                return None
            if r.kind == "person" and self._named(r.name) and not self.not_person(r.name):
                return r
        return None

    def _nearest(self, ptype: str, pos: int, check_gender: bool) -> Referent | None:
        for r in reversed(self.cands):
            if r.pos >= pos:
                continue
            if ptype in ("male", "female"):
                if r.kind != "person" or not self._named(r.name) or self.not_person(r.name) \
                        or self.body[max(0, r.pos - 4):r.pos].lower() == "the ":
                    continue  # he/she points back to a named person, not "the official" or "the United States"
                g = self.gender_of(r)
                if check_gender and g and g != ptype:
                    continue
                if not check_gender and (self.first_name_gender(r.name) or self._honorific_gender(r)) not in (None, ptype):
                    continue  # even as a last resort, "he" is no Theresa May and "she" no Mr. Smith
                return r
            if ptype == "org" and r.kind in ("org", "document"):
                return r
            if ptype == "plural" and r.kind in ("org", "plural"):
                return r
        return None


def _unquoted_matches(paras, pattern: re.Pattern | None):
    """(paragraph start, paragraph, match) for each match of `pattern` outside quote marks."""
    if pattern is None:
        return
    for pstart, par in paras:
        spans = None
        for m in pattern.finditer(par):
            if spans is None:  # (most paragraphs have no match: find their quotations only when needed)
                spans = [(q.open_at, q.close_at) for q in find_marked(par)]
            if not any(a <= m.start() <= b for a, b in spans):
                yield pstart, par, m


def _quoted_spans(paras) -> list[tuple[int, int]]:
    """Body spans inside quote marks."""
    out = []
    for pstart, par in paras:
        for m in find_marked(par):
            out.append((pstart + m.open_at, pstart + m.close_at))
    return out
