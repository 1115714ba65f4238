"""The quotes stage: every quotation in the body, its kind and who said it.

How it works, cheapest signal first. There is no dependency parse: on
PolNeAR the stage runs at about 3,000 quotes (380 articles of ~750 words)
a second on one core, some forty times cheaper than parsing every article.
All cue words and thresholds are in data/speech_verbs.json.

1. `quote_marks` pairs the quote marks of each paragraph, whatever their style
   or sloppiness (`“…"`, `"…”`, `“…»`, «…„…“…», ‹…›). A quotation still open
   at the end of its paragraph is continued by the next paragraph when that
   one opens with a mark (the convention for quotations over paragraphs).
   Russian and Ukrainian dialogue needs no marks: a paragraph opened by a
   dash is direct speech (`— Текст, — сказал он. — Ещё.`), each paragraph a
   new turn (`_dash_parts`).
2. `attribution` looks for a cue verb and its speaker next to each quotation:
   after it (`“A,” he said`, `said X`, `«…», — сказал он`, `― Name`, and any
   `-ed` verb after a quotation ending in a comma: `“A,” X retaliated`), before
   it (`X wrote: “A”`, `According to X, “A”`, `selon X`), inside French-style
   incises (`« A, a-t-il dit. B »`), in the sentence before or after, or in a
   neighbouring paragraph (`Cruz continued:` / `- Sanders.`).
3. Each quotation gets a kind: `direct` for someone's words; `partial` for a
   fragment woven into a sentence (`accused Putin of “driving people to the
   brink”`); `term` for scare quotes and short names; `title` for names of
   channels, programmes and the like; `slogan` for placards, banners, chants.
4. Parts of one quotation share a `group`: parts split by the attribution
   (`“A,” he said, “B.”`), a following sentence of the same paragraph with no
   attribution of its own (`“A,” X said. “B.”`), and the paragraphs that
   continue it. Each part is one row whose offsets never cross a quote mark,
   so a quotation over several paragraphs is one row per paragraph sharing a
   group (a single row would have to include the marks that reopen each
   paragraph, and `text` must be the quoted words without marks).
5. Pronouns (`he added`, `it added`, `сказал он`, `a-t-il dit`) are resolved by
   `referents` to the nearest earlier named speaker, reported-speech subject
   or sentence subject of a fitting kind and gender; `speaker` then holds the
   antecedent's name and `speaker_start`/`speaker_end` are None. Descriptions
   (`the group`) keep their words and are linked to the organisation the
   article introduced with that noun. Unnamed speakers (`the women`,
   `Kommersant sources`, `the source`) stay as written, with no entity.
   A quotation with no cue at all takes the speaker of the sentence before
   it when that sentence reports its subject's words (`Greene added that the
   Fed …. “…”`), else of the paragraph's previous quotation, else the person
   named just before it (in its own or the previous paragraph: `Trump spoke
   only in evasive bromides.` / `“…”`).
   Entity links come from the entities stage's mentions when there are any.

Every stored quote satisfies `doc.body[q.start:q.end] == q.text`; `run`
never raises (an unexpected error becomes a warning on the document).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .attribution import (
    EDGE,
    Attribution,
    acronym_name,
    adjacent_before,
    dash_paragraph,
    valid_speaker,
    core,
    find_after,
    find_after_verb,
    find_before,
    find_in_previous,
    find_incise,
    is_cap,
    lower_case_words,
    no_noun,
    sentence_starts,
    tidy_speaker,
    unelided,
)
from .pipeline import Context, Document, Quote
from .quote_lexicon import Lexicon, lexicon
from .quote_marks import find_marked
from .referents import Referent, Referents

WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")


@dataclass
class Part:
    """One quotation between marks in one paragraph, before it becomes a Quote."""

    para: int
    pstart: int  # body offset of the paragraph
    open_at: int  # paragraph offsets of the marks
    close_at: int
    closed: bool
    start: int  # paragraph offsets of the words inside the marks
    end: int
    kind: str = "direct"
    attr: Attribution | None = None
    group: int = -1
    speaker: str | None = None
    sp_start: int | None = None
    sp_end: int | None = None
    entity: int | None = None
    clause_start: bool = False
    starts_para: bool = False
    extra_cut: tuple[int, int] | None = None
    shared_with_prev: bool = False
    cue: str | None = None
    dialogue: bool = False  # a dash-dialogue line, not a quotation in marks


def run(doc: Document, ctx: Context) -> None:
    """Fill doc.quotes from doc.body; never raises on odd input (records a warning instead)."""
    doc.quotes = []
    try:
        doc.quotes = extract(doc.body or "", doc.language or "und", doc)
    except Exception as err:  # a bad article must not stop a corpus build
        doc.warnings.append(f"quotes: {type(err).__name__}: {err}")


def extract(body: str, lang: str, doc: Document | None = None) -> list[Quote]:
    """All quotations of a body, with kinds, groups, speakers and entities."""
    lex = lexicon(lang)
    paras = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", body)]
    parts: list[Part] = []
    for idx, (pstart, par) in enumerate(paras):
        dialogue = _dash_parts(idx, pstart, par, lex, paras, parts) if lex.dash_dialogue else []
        parts.extend(dialogue or _paragraph_parts(idx, pstart, par, lex))
    _drop_common_word_speakers(parts, body, lex)
    _continue_paragraphs(parts, paras, lex)
    _attribute_across_paragraphs(parts, paras, lex)
    _assign_groups(parts, paras, lex)
    _resolve_speakers(parts, paras, body, lex, doc)
    return _to_quotes(parts, body)


# --- 1. quotations and their attributions, one paragraph at a time ----------

def _paragraph_parts(idx: int, pstart: int, par: str, lex: Lexicon) -> list[Part]:
    """Quotations of one paragraph with their own attribution and kind."""
    marked = find_marked(par)
    spans = [(m.open_at, m.close_at) for m in marked]
    starts = sentence_starts(par, spans, lex)
    # a nickname inside a name (`Marcia "Cia" Price`) is part of an attribution, not a neighbour that ends it
    neighbours = [k for k, n in enumerate(marked) if not _nickname(par, n.open_at, n.close_at)]
    parts = []
    for k, m in enumerate(marked):
        s, e = m.open_at + 1, m.close_at
        while s < e and par[s].isspace():
            s += 1
        while e > s and par[e - 1].isspace():
            e -= 1
        if e <= s or MARKUP.search(par, s, e):
            continue  # quote marks around markup (`<tweet tweet-author="…">`) hold no quotation
        part = Part(idx, pstart, m.open_at, m.close_at, m.closed, s, e)
        part.starts_para = not par[:m.open_at].strip()
        before = [j for j in neighbours if j < k]
        after = [j for j in neighbours if j > k]
        prev_close = marked[before[-1]].close_at + 1 if before else 0
        next_open = marked[after[0]].open_at if after else len(par)
        sent_start = max([b for b in starts if b <= m.open_at] or [0])
        # attributions sit close to their quotation; the window keeps long paragraphs linear
        window = lex.numbers["attribution_window"]
        sent_start = max(sent_start, m.open_at - window)
        next_open = min(next_open, m.close_at + window)
        part.attr = _own_attribution(par, part, max(prev_close, sent_start), next_open, starts, sent_start, lex)
        part.clause_start = _starts_clause(par, part, lex)
        part.kind = _kind(par, part, lex, sent_start)
        if part.kind == "partial" and not (part.attr and part.attr.speaker):
            # `Sanders said the talks were “a dead end”`: a fragment's speaker is its sentence's cue's
            att = find_before(par, max(prev_close, sent_start), m.open_at, lex, sent_start, fragment=True)
            if att and att.speaker and _fragment_speaker(att.speaker, lex):
                part.attr = att
        parts.append(part)
    return parts


def _fragment_speaker(speaker: str, lex: Lexicon) -> bool:
    """Can a fragment's speaker be trusted, found further from it than a quotation's may be? Only
    a name, a pronoun, or a phrase headed by a person or an organisation word (`the association of
    rural mayors`); not `tax offices` or `La grille d'un hôtel`."""
    words = [core(w) for w in speaker.split()]
    if lex.pronoun_type(speaker) is not None:
        return True
    heads = [w for w in words if w.lower() not in lex.determiners][:3]
    if any(w.lower() in lex.person_words or w.lower() in lex.org_words for w in heads):
        return True
    return bool(words) and all(is_cap(w) or w.lower() in lex.name_particles for w in words if w.lower() not in lex.determiners)


def _drop_common_word_speakers(parts: list[Part], body: str, lex: Lexicon) -> None:
    """A one-word speaker before a colon (`Вот: «…»`, `Certes, …: «…»`) that
    the article also writes in lower case is a common word, not a name;
    so is, before any cue, a Russian or Ukrainian word that is no noun
    (`Казали колись: «…»`, `Навпаки, каже`, `не згадали`): the quotation keeps
    its cue and loses the speaker, as does a label before a colon (`Пряма мова:`).
    (Pronouns stay: they are resolved later; so do description words such as "Police".)"""
    lower_words: set[str] | None = None

    def written_lower(word: str) -> bool:  # (the article's lower-case words, read once, when first asked)
        nonlocal lower_words
        if lower_words is None:
            lower_words = lower_case_words(body)
        return word in lower_words

    for part in parts:
        att = part.attr
        if att is None or not att.speaker:
            continue
        word = core(att.speaker).lower()
        one_word = " " not in att.speaker.strip()
        colon = att.cue == ":"
        if colon and _labelled(body[part.pstart:part.pstart + part.open_at], lex) or one_word and (
                lex.dash_dialogue and no_noun(word, lex.lang)
                or colon and word != core(att.speaker) and lex.pronoun_type(word) is None
                and word not in lex.person_words and word not in lex.org_words and written_lower(word)):
            part.attr = replace(att, speaker=None, sp_start=None, sp_end=None)


def _labelled(before: str, lex: Lexicon) -> bool:
    """Whether the words before a colon label the quotation instead of naming its speaker:
    `Пряма мова: "…"` (but `Пряма мова Трампа: "…"` names Trump)."""
    label = before.rstrip(" :").lower()
    return any(label.endswith(phrase) and not label[:-len(phrase)][-1:].isalpha() for phrase in lex.quote_labels)


MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][\w-]*(?:\s[^<>]*)?/?>|<\w[\w-]*\s+[\w-]+=|\w/>")
DIALOGUE_DASH = re.compile(r"\s*[—–―-]\s+")
# where the author's words start or end inside a dialogue paragraph: ", — ", "! — ", ". — "
AUTHOR_DASH = re.compile(r"(?<=[,.!?…:])\s+[—–―-]\s+")


def _dash_parts(idx: int, pstart: int, par: str, lex: Lexicon, paras, earlier: list[Part]) -> list[Part]:
    """Russian and Ukrainian dialogue: a paragraph that opens with a dash is direct speech.

    `— Текст, — сказал он. — Ещё текст.`: the speech runs from the opening dash
    to `, —`; the author's words (with the cue) run to `. —`, where the
    speech goes on. A dash paragraph without author's words is speech only
    when the paragraph before introduced it (`Он сказал:`) or was itself
    dialogue; otherwise it may be a list item and is left alone.
    """
    lead = DIALOGUE_DASH.match(par)
    if not lead or find_marked(par[:lead.end() + 1]):
        return []
    pieces, pos = [], lead.end()
    for m in AUTHOR_DASH.finditer(par, pos):
        pieces.append((pos, m.start(), m.start(), m.end()))
        pos = m.end()
    pieces.append((pos, len(par), len(par), len(par)))
    # alternate: speech, author's words, speech, …
    speech = pieces[0::2]
    authors = pieces[1::2]
    found = []
    for a, b, _, _ in authors:
        att = find_after(par, a, b, lex) or find_before(par, a, b, lex)
        found.append(att if att and att.speaker else None)
    if not any(found) and not _introduced(idx, par, paras, earlier, lex):
        return []
    parts = []
    for k, (a, b, dash_at, _) in enumerate(speech):
        # the author's words right after a piece of speech name its speaker; the last piece has the ones before it
        att = found[k] if k < len(found) else (found[k - 1] if k else None)
        s, e = a, b
        while e > s and par[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        part = Part(idx, pstart, a - 1, dash_at, True, s, e, kind="direct", attr=att)
        part.starts_para = k == 0
        part.clause_start = True
        part.dialogue = True
        parts.append(part)
    return parts


def _introduced(idx: int, par: str, paras, earlier: list[Part], lex: Lexicon) -> bool:
    """The paragraph before a dash paragraph announces speech (`… заявил:`) or is dialogue itself."""
    if idx == 0:
        return False
    prev = paras[idx - 1][1].rstrip()
    if prev.endswith(":"):
        # "Лавров заявил журналистам:", not "Бюджет включает:" before a list
        return lex.cue_re.search(prev[-160:]) is not None
    if par.rstrip().endswith((";", ",")):
        return False  # a list item
    return bool(earlier) and earlier[-1].para == idx - 1 and earlier[-1].starts_para and DIALOGUE_DASH.match(prev) is not None


def _own_attribution(par, part, pre_from, next_open, starts, sent_start, lex) -> Attribution | None:
    """The attribution in the quotation's own sentence, or the one just before/after it."""
    if not part.closed:
        return find_before(par, pre_from, part.open_at, lex, sent_start)
    after_from = part.close_at + 1
    ends_sentence = par[part.end - 1:part.end] in ".!?…" or par[part.end - 1:part.end] in "»”" and par[part.end - 2:part.end - 1] in ".!?…"
    rest = par[after_from:next_open]
    lead = after_from + len(rest) - len(rest.lstrip())
    new_sentence = bool(ends_sentence and rest.strip()[:1].isupper())
    tail_end = min([b for b in starts if b > lead] + [next_open])
    if new_sentence:
        # the next sentence attributes only when it is nothing but an attribution
        att = find_after(par, after_from, tail_end, lex, new_sentence=True)
        if att and tail_end == next_open and next_open < len(par) and rest.rstrip().endswith((":", ",")):
            att = None
        if att and (re.match(r"\s+that\b", par[att.cue_end:att.cue_end + 6]) or _reports_clause(par, att, lex)
                    or att.sp_end is not None and att.sp_end <= att.cue_start and re.match(r",\s+[a-z]", par[att.cue_end:att.cue_end + 4])
                    and par[after_from:att.sp_start].strip()):
            # `Greene added that the Fed …`, `Kasich said he would have …`, `South Carolina, he said, was “…”`:
            # a new statement, not the attribution of the quotation before
            att = None
        if att:
            att.where = "next"
    else:
        att = find_after(par, after_from, tail_end, lex)
    before = find_before(par, pre_from, part.open_at, lex, sent_start)
    if before and before.speaker and att and att.speaker and att.where == "after" and not lex.pronoun_type(att.speaker) \
            and _according(before.cue, lex):
        # `…, d’après les sondages, «…», a annoncé le président X`: the cue's own speaker, not the source of the clause
        return att
    if before and before.speaker and adjacent_before(before, par, part.open_at):
        return before
    if before and before.speaker and att and att.speaker and lex.pronoun_type(att.speaker) \
            and not lex.pronoun_type(before.speaker) and before.cue[:1].isalpha() and is_cap(before.speaker.split()[-1]) \
            and not par[before.cue_end:part.open_at].strip():
        return before  # Feinstein said "I don't know …," she said.: the name, not the pronoun repeating it
    if att and att.speaker:
        return att
    if before and (before.speaker or not att):
        return before
    if att:
        return att
    if par[part.end - 1:part.end] in ",!?" and (not new_sentence or par[part.end - 1:part.end] in "!?"):
        # “France will always be France,” an angry Hollande retaliated. / "Grizzly Adams?" Maddow repeated.
        verb = find_after_verb(par, after_from, next_open, lex)
        if verb and new_sentence and not all(is_cap(w) for w in verb.speaker.split()):
            verb = None  # after a question only a name and a verb: "Grizzly Adams?" Maddow repeated.
        if verb:
            return verb
    if not par[sent_start:part.open_at].strip() and sent_start > 0:
        prev = max([b for b in starts if b < sent_start] or [0])
        if any(prev < m.close_at < sent_start for m in find_marked(par)):
            # `“A,” X said at the dinner, where Y also spoke. “B.”`: the sentence before is the
            # attribution of the quotation in it, and B continues that quotation
            return None
        return find_in_previous(par, prev, sent_start, lex)
    return None


def _according(cue: str, lex: Lexicon) -> bool:
    """`selon`, `according to`, `по словам`: a cue that names a source, not a speech verb."""
    m = lex.according_re.match(cue)
    return m is not None and m.end() == len(cue)


def _reports_clause(par: str, att: Attribution, lex: Lexicon) -> bool:
    """`Kasich said he would …`: a subject, its cue, then a pronoun and a verb (indirect speech)."""
    if att.sp_end is None or att.sp_end > att.cue_start:
        return False
    after = re.match(r"\s+(\w+)\s+[a-z]", par[att.cue_end:att.cue_end + 30])
    return after is not None and lex.pronoun_type(after.group(1)) is not None


def _reported(par: str, part: Part, lex: Lexicon) -> bool:
    """Whether the quotation sits in reported speech after its cue: `said that …`, `заявил, что …`."""
    att = part.attr
    if not att or att.where != "before" or att.cue_end > part.open_at:
        return False
    # (`réclamait qu'ils soient «…»`: the complementizer elided onto the pronoun)
    return any(unelided(w) in lex.complementizers for w in par[att.cue_end:part.open_at].split())


def _starts_clause(par: str, part: Part, lex: Lexicon) -> bool:
    """Whether the quotation opens a clause (so it can be someone's words, not a fragment)."""
    before = par[:part.open_at].rstrip()
    if not before:
        return True
    last = before[-1]
    text = par[part.start:part.end]
    if last == "(" or last == "," and text[:1].isupper() and len(_words(text)) >= 4 and text.rstrip("”»\"' ")[-1:] in ".!?":
        return True  # (“I want my dues back,” wrote …) / Barrett’s dictum was, “It’s not a good story if …”
    if last in "”»\"" and before[-2:-1] == "," and len(_words(par[part.start:part.end])) <= 3:
        return False  # a list of quoted words: such as "ambassador," "attack," "Benghazi,"
    if last == ":" and _woven_after(par, part, lex):
        return False  # `… candidatures : « ne pas avoir en 2022 » de parti « populiste » au pouvoir`
    if last in ".!?…:—–-" or last in "”»\"":
        return True
    if part.attr and part.attr.where == "before" and part.attr.cue_end <= part.open_at:
        gap = par[part.attr.cue_end:part.open_at].split()
        if _reported(par, part, lex):
            return False  # `Nord Stream сообщал, что период … «Северного потока»`: inside reported speech
        if not gap or core(gap[-1]).lower() not in lex.partial_before and not _inside_phrase(gap[-1], text):
            return True
    if last == "," and (part.attr is not None):
        return True
    cue = None
    for m in lex.cue_re.finditer(par, max(0, part.open_at - 40), part.open_at):
        cue = m
    if cue is not None and not par[cue.end():part.open_at].strip(" ,:\u00a0"):
        return True  # `said "…"` without a comma
    if last == ",":
        prev_close = max(par.rfind(mark, 0, part.open_at) for mark in "\"”»")
        if prev_close >= 0 and lex.cue_re.search(par, prev_close, part.open_at):
            return True  # `“A,” said X, a …, “but B”`
    return False


def _fragment_of_cue(par: str, part: Part, lex: Lexicon) -> bool:
    """A fragment a few words after its speaker's cue (`Mme Robidou admet être « dégoûtée »`),
    not one further on in the sentence (`зазначає Бі-Бі-Сі, буде націлено на створення "…"`)."""
    att = part.attr
    return att is not None and bool(att.speaker) and att.where == "before" and att.cue_end <= part.open_at \
        and len(par[att.cue_end:part.open_at].split()) <= lex.numbers["max_fragment_gap_words"]


def _inside_phrase(word_before: str, text: str) -> bool:
    """A quotation opening in lower case right after a lower-case word of the sentence: a piece of
    it (`зазначає Бі-Бі-Сі, буде націлено на створення "об'єднаної митної території"`), not the
    cue's words, which follow the cue itself, its speaker or a colon."""
    word = core(word_before)
    return text[:1].islower() and word.islower() and word_before[-1:].isalpha()


def _woven_after(par: str, part: Part, lex: Lexicon) -> bool:
    """Whether a quotation opening in lower case is followed by the rest of its
    sentence in lower case, with no punctuation, conjunction or cue between: a
    piece of the sentence (`… : « ne pas avoir en 2022 » de parti …`), not a
    sentence quoted whole (`saying: “The struggle continues” and vowing …`)."""
    text = par[part.start:part.end].strip()
    if not part.closed or not text[:1].islower() or text[-1:] in ".!?…,;:":
        return False
    m = re.match(r" +(\w[\w'’-]*)", par[part.close_at + 1:part.close_at + 40])
    return m is not None and m.group(1).islower() and m.group(1) not in lex.conjunctions \
        and lex.cue_re.match(par, part.close_at + 1 + m.start(1)) is None


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def _kind(par: str, part: Part, lex: Lexicon, sent_start: int) -> str:
    """direct, partial, term, title or slogan, from the quotation and its context."""
    text = par[part.start:part.end]
    words = _words(text)
    before_words = [core(w).lower() for w in par[max(sent_start, part.open_at - 80):part.open_at].split()][-6:]
    after_words = [core(w).lower() for w in par[part.close_at + 1:part.close_at + 40].split()][:2]
    context = _slogan_or_chant(before_words[-5:], part, lex)
    if context:
        return context
    lead = par[max(sent_start, part.open_at - 40):part.open_at].rstrip(" :\u00a0").lower()
    if any(lead.endswith(phrase) and (len(lead) == len(phrase) or not lead[-len(phrase) - 1].isalnum())
           for phrase in lex.see_also):
        return "title"  # "Lire aussi: «…»", "Read more: “…”": the headline of another article
    aside = re.match(r"\s*\(([^()]{1,80})\)", par[part.close_at + 1:part.close_at + 90])
    if aside and any(core(w).lower() in lex.slogan_context for w in aside.group(1).split()):
        return "slogan"  # “We Swiss are …” (St. Gallen general election poster 2003)
    inner_end = text.rstrip("”»\"' ")[-1:] in ".!?…,"
    caps = sum(1 for w in words if w[:1].isupper())
    titled = words and caps >= max(1, (len(words) + 1) // 2) and words[0][:1].isupper()
    prev = before_words[-1] if before_words else ""
    if after_words and after_words[0] in lex.byline and par[part.close_at + 1:part.close_at + 4].lstrip(" ,")[:1].islower():
        return "title"  # a headline and its byline: “Met accused of whitewashing baby Jesus,” by the Post's …
    if titled and len(words) <= 6 and text.rstrip()[-1:] not in "!?" and _after_possessive(par, part.open_at):
        return "title"  # ABC’s “Good Morning America”, MSNBC’s “Morning Joe.”
    if titled and not inner_end and len(words) <= 8 and (
        prev in lex.title_before or prev in ("the", "la", "le", "les") or (after_words and after_words[0] in lex.title_after)
    ) and not (part.attr and part.attr.where in ("after", "before")):
        return "title"
    short_title = titled and len(words) <= 6 and text.rstrip()[-1:] not in "!?"
    if _nickname(par, part.open_at, part.close_at):
        return "term"  # a nickname inside a name: Gov. C.L. "Butch" Otter
    if len(words) >= 3 and text.isupper() and part.attr is None:
        return "title"  # “EVENTUALLY VOTERS MAKE GOOD DECISIONS”: a heading in capitals
    if len(words) <= 3 and (before_words[-1:] and before_words[-1] in lex.determiners
                            or before_words[-2:-1] and before_words[-2] in lex.determiners and par[part.open_at - 2:part.open_at - 1].isalpha()
                            and is_cap(par[max(0, part.open_at - 40):part.open_at].split()[-1])):
        return "term"  # the “reporter,” / the CNN “reporter,”: a word set off in a noun phrase
    if short_title and prev in lex.title_before and par[part.open_at - 1:part.open_at] in " ,":
        return "title"  # her memoir, "Tough Choices."; the podcast, “So, That Happened.”
    if short_title and not inner_end and after_words and after_words[0] in lex.title_after \
            and par[part.close_at + 1:part.close_at + 2] == " ":
        return "title"  # “Orange is the New Black” star Selenis Leyva
    has_cue = part.attr is not None and part.attr.where in ("after", "before", "next", "incise")
    if not part.clause_start:
        if _reported(par, part, lex) and words and not words[0][:1].isupper():
            return "partial"  # `Trump said that he would wage a “hellish fight”`: his words, however few
        if words and words[0].islower() and _fragment_of_cue(par, part, lex):
            return "partial"  # `ils précisent être « loin du cadrage présidentiel »`: the speaker's words, however few
        if len(words) <= lex.numbers["max_term_words"] and text.rstrip()[-1:] not in "!?":
            return "term"
        return "partial"
    if has_cue and part.attr.where != "next":
        named = caps == len(words) and part.attr.where == "before"  # a name after the cue: `передає "Укрінформ"`
        if len(words) <= 2 and (not inner_end and (not part.attr.speaker or named) or part.attr.cue == ":") \
                and text.rstrip()[-1:] not in "!?":
            return "term"  # resume: “song anthropologist.”
        return "direct"
    if len(words) <= lex.numbers["max_term_words"] and not inner_end:
        return "term"
    if len(words) < lex.numbers["min_direct_words"] and not has_cue:
        return "term" if not inner_end else "direct"
    return "direct"


def _slogan_or_chant(before_words: list[str], part: Part, lex: Lexicon) -> str | None:
    """slogan after a placard or chant word, but direct when named chanters chant it.

    `the protesters chanted “Lock her up!”` is their direct speech, said aloud
    and attributed; words on a sign, or `chants of “…”` with nobody named, stay a slogan.
    """
    for w in reversed(before_words):
        if w in lex.chant_context:
            attr = part.attr
            chanted = attr is not None and attr.speaker and attr.cue.lower() in lex.chant_context
            return "direct" if chanted else "slogan"
        if w in lex.slogan_context:
            return "slogan"
    return None


def _nickname(par: str, open_at: int, close_at: int) -> bool:
    """One or two capitalised words quoted between two names: Gov. C.L. "Butch" Otter."""
    words = _words(par[open_at + 1:close_at])
    return 0 < len(words) <= 2 and words[0][:1].isupper() \
        and re.match(r" [A-Z]", par[close_at + 1:close_at + 3]) is not None \
        and re.search(r"[A-Z][\w.]*\s$", par[max(0, open_at - 12):open_at]) is not None


def _after_possessive(par: str, open_at: int) -> bool:
    """The quotation follows a capitalised possessive: `NBC's "Meet the Press"`."""
    before = par[max(0, open_at - 40):open_at].rstrip().split()
    return bool(before) and is_cap(before[-1]) and re.search(r"[’']s?$", before[-1]) is not None


# --- 2. quotations over several paragraphs --------------------------------

def _continue_paragraphs(parts: list[Part], paras, lex: Lexicon) -> None:
    """Keep a quotation left open at a paragraph end only when it is real.

    It is continued when the next paragraph opens with a quote mark; an open
    quotation that is not continued is kept if it reads as someone's words,
    and dropped as a stray mark otherwise.
    """
    keep = []
    for i, part in enumerate(parts):
        if part.closed:
            keep.append(part)
            continue
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        continued = nxt is not None and nxt.para == part.para + 1 and nxt.starts_para
        text = paras[part.para][1][part.start:part.end]
        if continued or (part.clause_start and len(_words(text)) >= lex.numbers["min_direct_words"]):
            if continued:
                nxt.shared_with_prev = True
            keep.append(part)
    parts[:] = keep


def _attribute_across_paragraphs(parts: list[Part], paras, lex: Lexicon) -> None:
    """Attributions in a neighbouring paragraph.

    `Cruz continued:` alone before a quotation paragraph, and `- Sanders.`
    alone after one.
    """
    for i, part in enumerate(parts):
        if part.attr and part.attr.speaker:
            continue
        if part.starts_para and part.para > 0:
            pstart, prev = paras[part.para - 1]
            if prev.rstrip().endswith(":") and not find_marked(prev[-3:]):
                starts = sentence_starts(prev, [(m.open_at, m.close_at) for m in find_marked(prev)], lex)
                att = find_before(prev, starts[-1], len(prev.rstrip()), lex)
                if att and att.speaker:
                    att.base = pstart
                    part.attr = att
                    part.clause_start = True
                    if part.kind in ("term", "partial") and len(_words(paras[part.para][1][part.start:part.end])) > 1:
                        part.kind = "direct"
                    continue
        last_in_para = i + 1 == len(parts) or parts[i + 1].para != part.para
        attributed_before = any(p.para == part.para and p.attr and p.attr.speaker for p in parts[:i])
        if last_in_para and part.para + 1 < len(paras) and not attributed_before:
            # (“A,” Reid said. “B.” goes on with Reid's quotation, whatever signs the paragraph after it)
            pstart, nxt = paras[part.para + 1]
            att = dash_paragraph(nxt, lex)
            if att:
                att.base = pstart
                part.attr = att
                for p in parts[:i][::-1]:
                    # the whole unattributed run of quotation just before it shares it
                    if p.para < part.para - 3 or (p.attr and p.attr.speaker) or p.kind != "direct":
                        break
                    p.attr = att


# --- 3. groups -----------------------------------------------------------------

def _assign_groups(parts: list[Part], paras, lex: Lexicon) -> None:
    """Give parts of one quotation the same group number (see the module docstring)."""
    group = -1
    prev: Part | None = None  # the last direct part
    for part in parts:
        joined = False
        if prev is not None and part.kind == "direct":
            joined = _joins(prev, part, paras, lex)
        if joined:
            part.group = prev.group
        else:
            group += 1
            part.group = group
        if part.kind == "direct":
            prev = part


def _joins(prev: Part, part: Part, paras, lex: Lexicon) -> bool:
    """Whether `part` continues the quotation `prev` belongs to."""
    own = part.attr
    if part.shared_with_prev:
        return True
    if part.dialogue:
        # pieces of one turn share their author's words; each dialogue paragraph is a new turn
        return part.para == prev.para and own is not None and prev.attr is own
    if part.para == prev.para:
        # “A,” he said, “B.”: the text between them is one shared attribution
        if own is not None and prev.attr is not None and own.cue_start == prev.attr.cue_start:
            return True
        if own is not None and own.where == "before" and prev.attr is not None and prev.close_at < own.cue_start:
            # “A,” X said, adding, “B”: a second cue starts a second quotation, by the same speaker
            if own.speaker is None and prev.attr.speaker:
                part.attr = replace(own, speaker=prev.attr.speaker, sp_start=prev.attr.sp_start,
                                    sp_end=prev.attr.sp_end, base=prev.attr.base)
            return False
        if own is None and prev.attr is not None and prev.attr.speaker and not part.extra_cut:
            # “A,” X said. Another sentence. “B.”: with no cue of its own, B goes on with X's quotation
            return True
        if own is None or own.speaker is None:
            return _only_attribution_between(paras[part.para][1], prev, part, lex)
        return False
    if part.para == prev.para + 1 and part.starts_para and (own is None or own.speaker is None):
        return _whole_or_ends_with(prev, paras, lex)
    return False


def _only_attribution_between(par: str, prev: Part, part: Part, lex: Lexicon) -> bool:
    """Nothing but one attribution sentence between two quotations of a paragraph."""
    between = par[prev.close_at + 1:part.open_at]
    spans = [(m.open_at - prev.close_at - 1, m.close_at - prev.close_at - 1) for m in find_marked(between)]
    starts = sentence_starts(between, spans, lex)
    return all(not between[b:].strip() for b in starts[1:])


def _whole_or_ends_with(prev: Part, paras, lex: Lexicon) -> bool:
    """The previous paragraph ends with the quotation or with its one attribution sentence."""
    par = paras[prev.para][1]
    rest = par[prev.close_at + 1:]
    if not rest.strip(" .,;:!?\u00a0"):
        return True
    if prev.attr is None or prev.attr.cue_start < prev.close_at:
        return False
    spans = [(m.open_at, m.close_at) for m in find_marked(rest)]
    starts = sentence_starts(rest, spans, lex)
    return all(not rest[b:].strip() for b in starts[1:])


# --- 4. speakers -----------------------------------------------------------------

def _resolve_speakers(parts: list[Part], paras, body: str, lex: Lexicon, doc: Document | None) -> None:
    """Give every group its speaker: as written, resolved or linked to an entity."""
    _split_incises(parts, paras, lex)
    groups: dict[int, list[Part]] = {}
    for part in parts:
        groups.setdefault(part.group, []).append(part)
    mentions = sorted(doc.mentions, key=lambda m: m.start) if doc is not None else []
    entities = doc.entities if doc is not None else []
    # antecedents (most of the cost) are only gathered when a pronoun or a quotation with no cue needs
    # them; the named speakers noted before that are handed over then
    noted: list[Referent] = []
    refs: Referents | None = None

    def antecedents() -> Referents:
        nonlocal refs
        if refs is None:
            refs = Referents(body, paras, lex, mentions, entities)
            for ref in noted:
                refs.note(ref)
        return refs

    last: Part | None = None  # the last direct part with a speaker
    cited: Part | None = None  # the last part (direct or a fragment) whose speaker a cue named
    last_of_para = {p.para: p for p in parts}  # (parts are in text order)
    for gid in sorted(groups):
        members = groups[gid]
        att = _group_attribution(members)
        first = members[0]
        pos = first.pstart + first.open_at
        speaker = sp_start = sp_end = entity = None
        cue = att.cue if att else None
        tidy = tidy_speaker(att.speaker, lex) if att and att.speaker else None
        if tidy is not None:
            pstart = att.base if att.base is not None else paras[_part_for(att, members).para][0]
            sp_start, sp_end = pstart + att.sp_start + tidy[0], pstart + att.sp_start + tidy[1]
            written = speaker = att.speaker[tidy[0]:tidy[1]]
            ptype = lex.pronoun_type(written)
            # ("“…,” it reads.": a document, an email or a sign, not an organisation; left as written)
            pronoun = ptype in ("male", "female", "org", "plural") and not (
                ptype == "org" and (cue or "").lower() in lex.document_cues)
            speaker, sp_start, sp_end, entity = _resolve(speaker, sp_start, sp_end, pos, antecedents() if pronoun else None,
                                                         mentions, entities, lex, body)
            if members[0].kind == "direct" and ptype is None and valid_speaker(speaker, lex):
                kind = _speaker_type(speaker, entity, entities, lex)
                if kind != "person" or any(is_cap(w) for w in speaker.split()):
                    ref = Referent(sp_start if sp_start is not None else pos, speaker, kind, entity)
                    if refs is None:
                        noted.append(ref)
                    else:
                        refs.note(ref)
        if att is None and first.kind == "direct" and not first.dialogue and last is not None and last.para == first.para:
            # “A,” X said. Another sentence. “B.”: a quotation with no cue of its own in the same paragraph is X's
            speaker, sp_start, sp_end, entity, cue = last.speaker, last.sp_start, last.sp_end, last.entity, last.cue
        elif att is None and first.kind == "direct" and not first.dialogue and first.starts_para \
                and cited is not None and last_of_para.get(first.para - 1) is cited and _ends_its_paragraph(cited, paras):
            # X said the talks were “a dead end”. ¶ “We will not go back.”: a paragraph that opens with a
            # quotation and names no one goes on with the words the paragraph before ended on
            speaker, sp_start, sp_end, entity, cue = cited.speaker, cited.sp_start, cited.sp_end, cited.entity, cited.cue
        elif att is None and first.kind == "direct" and not first.dialogue and lex.dash_dialogue is False:
            # no cue anywhere near: the person the text was just talking about (`Cruz called them on
            # it:` / `Trump spoke only in evasive bromides.` before a quotation paragraph)
            since = paras[max(0, first.para - 1)][0]
            ante = antecedents().recent_person(pos, since)
            if ante is not None:
                speaker, entity = ante.name, ante.entity
        for p in members:
            if p.kind in ("term", "title"):
                # a name or a scare-quoted word has no speaker
                continue
            p.speaker, p.sp_start, p.sp_end, p.entity = speaker, sp_start, sp_end, entity
            p.cue = cue
            if p.kind == "direct" and speaker:
                last = p
            if p.kind in ("direct", "partial") and speaker and cue and lex.pronoun_type(speaker) is None:
                cited = p


def _ends_its_paragraph(part: Part, paras) -> bool:
    """Is there nothing after `part` in its paragraph but its own attribution and punctuation?"""
    text = paras[part.para][1]
    tail = text[part.close_at + 1:]
    att = part.attr
    if att is not None and att.base is None and att.where == "after" and att.cue_end > part.close_at:
        tail = text[max(att.cue_end, (att.sp_end or 0)):]
    return not tail.strip(" " + EDGE)


def _part_for(att: Attribution, members: list[Part]) -> Part:
    """The part whose paragraph holds the attribution."""
    for p in members:
        if p.attr is att:
            return p
    return members[0]


def _group_attribution(members: list[Part]) -> Attribution | None:
    """The attribution that names the group's speaker (first part's, else any)."""
    named = [p.attr for p in members if p.attr and p.attr.speaker]
    if named:
        return named[0]
    cues = [p.attr for p in members if p.attr]
    return cues[0] if cues else None


def _speaker_type(speaker: str, entity: int | None, entities, lex: Lexicon) -> str:
    """'person', 'org' or 'plural' for a speaker as written."""
    if entity is not None and entity < len(entities):
        t = (entities[entity].type or "").upper()
        if t == "ORG":
            return "org"
        if t == "PERSON":
            return "person"
    words = [core(w).lower() for w in speaker.split()]
    if any(w in lex.org_words for w in words[-2:]):
        return "org"
    if acronym_name(speaker, lex):
        return "org"  # "The SARFT said:", "GNA": an acronym alone is an organisation's name
    if words and words[-1].endswith("s") and not is_cap(speaker.split()[-1]) and words[-1] not in lex.person_words:
        return "plural"
    return "person"


def _resolve(speaker, sp_start, sp_end, pos, refs: Referents | None, mentions, entities, lex, body):
    """Resolve a pronoun to its antecedent and link the speaker to an entity."""
    ptype = lex.pronoun_type(speaker)
    if ptype in ("male", "female", "org", "plural") and refs is not None:
        # a pronoun before the quotation points back from where it stands: "Eight years ago, he
        # supported Barack Obama … and said, “": the names between it and the quotation are not its antecedent
        ante = refs.resolve(ptype, sp_start if sp_start is not None and sp_start < pos else pos)
        if ante:
            if ptype in ("male", "female"):
                refs.learn(ante.name, ptype)
            return ante.name, None, None, ante.entity
        return speaker, sp_start, sp_end, None
    entity = _link(speaker, sp_start, sp_end, pos, mentions, entities, lex, body)
    return speaker, sp_start, sp_end, entity


def _link(speaker, sp_start, sp_end, pos, mentions, entities, lex, body=""):
    """The entity a speaker names: an overlapping mention, a matching name, or a described organisation."""
    if not entities:
        return None
    for m in mentions:
        # the mention must be the speaker's head: "Kommersant sources" are not Kommersant
        if sp_start is not None and m.start < sp_end <= m.end + 1 and sp_start < m.end:
            return m.entity
    caps = [core(w) for w in speaker.split() if is_cap(w) and core(w)]
    if caps and is_cap(speaker.split()[-1]):
        people = [(i, e) for i, e in enumerate(entities) if (e.type or "").upper() in ("PERSON", "ORG")]
        whole = speaker.strip().lower()
        for i, ent in people:  # the full name first: "Alexander" is not "Alexander Shpilevoy"
            if whole in {(n or "").lower() for n in (ent.name, *ent.aliases)}:
                return i
        last = caps[-1].lower()
        for i, ent in people:
            if any(last in {t.lower() for t in re.findall(r"[\w'’-]+", n or "")} for n in (ent.name, *ent.aliases)):
                return i
        return None
    words = [core(w).lower() for w in speaker.split()]
    if any(w in lex.org_words for w in words):
        return _described_org(words, pos, mentions, entities, body)
    return None


def _described_org(words, pos, mentions, entities, body):
    """`the group` -> the organisation it points back to.

    Only an organisation the article introduced with that noun (`Put’
    Domoi (Way Home), a group of …`).
    """
    noun = words[-1]
    for m in reversed(mentions):
        if m.start >= pos or m.entity >= len(entities) or (entities[m.entity].type or "").upper() != "ORG":
            continue
        if re.search(r"\b" + re.escape(noun) + r"\b", body[m.end:m.end + 60].lower()):
            return m.entity
    return None  # no organisation was introduced as one: better no link than a wrong one


def _split_incises(parts: list[Part], paras, lex: Lexicon) -> None:
    """`« A, explique X. B »`: give an unattributed quotation the speaker of its incise.

    An incise also beats a pronoun before the quotation: `он интересуется
    женщинами: «А что, отец, — спросил молодой человек, — …»` names its
    speaker where the pronoun only points back."""
    for part in list(parts):
        if part.kind != "direct":
            continue
        if part.attr and part.attr.speaker and not (part.attr.where == "before" and lex.pronoun_type(part.attr.speaker)):
            continue
        par = paras[part.para][1]
        found = find_incise(par, part.start, part.end, lex)
        if not found:
            continue
        att, cut_start, cut_end = found
        part.attr = att
        part.extra_cut = (cut_start, cut_end)


# --- 5. output -----------------------------------------------------------------

def _to_quotes(parts: list[Part], body: str) -> list[Quote]:
    """Quote records with body offsets; a part with an incise becomes two rows."""
    quotes = []
    for part in parts:
        spans = [(part.start, part.end)]
        if part.extra_cut:
            a, b = part.extra_cut
            spans = [(part.start, a), (b, part.end)]
        for s, e in spans:
            bs, be = _trim(body, part.pstart + s, part.pstart + e)
            if be <= bs:
                continue
            quotes.append(Quote(
                text=body[bs:be], start=bs, end=be, speaker=part.speaker, kind=part.kind,
                cue=part.cue, group=part.group,
                speaker_start=part.sp_start, speaker_end=part.sp_end, entity=part.entity,
            ))
    return quotes


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim whitespace from a span."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
