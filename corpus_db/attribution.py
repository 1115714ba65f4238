"""Find who said a quotation: the cue verb and the speaker around the quote marks.

Cheap, rule-based and per paragraph: a quotation's attribution sits in the
same sentence (`“A,” he said`, `said X`, `X told AFP:`, `according to X`,
`«…», — сказал он`, `», a-t-il dit`), or in the sentence right before or
after it (`Nobody gets over it, the woman said. “…”`). The cue words come
from data/speech_verbs.json through `quote_lexicon`; the speaker is the noun
phrase next to the cue, cut at appositions (`Maria, a 47-year-old sales
manager, … told AFP` -> `Maria`) and relative clauses (`Kommersant sources
who attended … said` -> `Kommersant sources`).

All offsets here are into the paragraph string the functions are given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .quote_lexicon import Lexicon

TOKEN = re.compile(r"\S+")
EDGE = "\"'“”„«»‹›‘’()[]{},;:.!?…—–-"
QUOTE_MARKS = "\"“”„«»‹›"
SENT_END = ".!?…"


@dataclass
class Attribution:
    """A cue and its speaker, with offsets into the paragraph."""

    speaker: str | None
    sp_start: int | None
    sp_end: int | None
    cue: str
    cue_start: int
    cue_end: int
    where: str  # 'after', 'before', 'next', 'previous', 'incise'
    base: int | None = None  # body offset of the paragraph it is in, when not the quote's own


def tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Whitespace tokens of text[start:end] with their offsets."""
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text, start, end)]


def core(tok: str) -> str:
    """A token without surrounding punctuation and quote marks."""
    return tok.strip(EDGE)


def unelided(tok: str) -> str:
    """A token's core, lower-cased, cut at an elision: `qu'ils` -> `qu`, `l’homme` -> `l`."""
    return re.split(r"['’]", core(tok).lower())[0]


def is_cap(word: str) -> bool:
    """Starts with a capital letter (any script)."""
    w = word.lstrip(EDGE)
    return bool(w) and w[0].isupper()


def acronym_name(phrase: str, lex: Lexicon) -> bool:
    """An organisation named by an acronym alone, after a determiner at most: `GNA`, `the SARFT`."""
    words = phrase.split()
    last = core(words[-1]) if words else ""
    return len(last) >= 2 and last.isupper() and last.isalpha() and all(core(w).lower() in lex.determiners for w in words[:-1])


def _is_abbrev(tok: str, lex: Lexicon) -> bool:
    """A token whose final period does not end a sentence (Sen., U.S., J.)."""
    base = tok.lstrip(EDGE).rstrip(".").lower()
    return base in lex.abbreviations or (len(base) == 1 and base.isalpha()) or bool(re.fullmatch(r"(\w\.)+\w", base))


LOWER_CHARS = "a-zà-ÿа-яёіїєґ"
UPPER_CHARS = "A-ZÀ-ÝА-ЯЁІЇЄҐ"
# a sentence end, and what may follow it: a space, or (in sources that lost the space or the paragraph
# break between two sentences: "… à Lyon.L’allocution …", "Reuters.The") a capitalised word right after it
SENTENCE_END = re.compile(r"[.!?…]+(?:[\"'”»’)\]]*\s+(?=[\"“„«‹(\[]?[^\W\d_]|\d)"
                          r"|(?<=[" + LOWER_CHARS + r"]{2}[.!?])[»”\"]?(?=[" + UPPER_CHARS + r"][" + LOWER_CHARS + r"’']))")
# ("d’ailleurs", "l’autre": an elided article or preposition is part of the word)
LOWER_WORD = re.compile(r"(?<![\w'’-])[" + LOWER_CHARS + r"]+(?:['’][" + LOWER_CHARS + r"]+)*(?![\w'’-])")


def lower_case_words(body: str) -> set[str]:
    """The words a text writes in lower case: a capitalised word among them
    (`Already`, `Вот`) opens a sentence, it is not a name."""
    return set(LOWER_WORD.findall(body))


GLUED_END = re.compile(r"(?<=[" + LOWER_CHARS + r"]{2})\.(?=[" + UPPER_CHARS + r"][" + LOWER_CHARS + r"’'])")


def sentence_starts(par: str, spans: list[tuple[int, int]], lex: Lexicon) -> list[int]:
    """Offsets where sentences begin in a paragraph, ignoring ends inside quotations."""
    starts = [0]
    for m in SENTENCE_END.finditer(par):
        pos = m.end()
        if any(a < m.start() < b and a < pos < b for a, b in spans):
            continue
        nxt = par[pos:pos + 1]
        if nxt.isalpha() and not nxt.isupper():
            continue
        tok_start = par.rfind(" ", 0, m.start()) + 1
        next_word = re.match(r"\w+", par[pos:pos + 20])
        pronoun_next = next_word is not None and lex.pronoun_type(next_word.group()) in ("male", "female", "plural")
        if par[m.start()] == "." and _is_abbrev(par[tok_start:m.start() + 1], lex) and not pronoun_next:
            continue  # "Sen. Collins", "U.S. officials"; but "at 7 p.m. He says" ends a sentence
        starts.append(pos)
    return starts


INITIAL = re.compile(r"[" + UPPER_CHARS + r"]\.")


def initial(tok: str) -> bool:
    """A name's initial (`С.` in `С. Сквернялис`, `A.`), not the one-letter word `с`, `а`, `в`."""
    return INITIAL.fullmatch(tok) is not None


def np_after(par: str, start: int, end: int, lex: Lexicon) -> tuple[int, int] | None:
    """The noun phrase that follows a cue: `said Sen. Susan Collins, who …` -> `Sen. Susan Collins`."""
    skip = lex.adverbial_re.match(par, start, end)
    skipped = False
    while skip and skip.end() > start:  # "commente, à raison, le philosophe …", "avait clamé en janvier Matteo Salvini"
        start, skipped = skip.end(), True
        skip = lex.adverbial_re.match(par, start, end)
    toks = tokens(par, start, end)
    if skipped and lex.dash_dialogue and len(toks) > 1 and _outlet(toks[0][2]) and not toks[0][2].endswith(",") \
            and core(toks[1][2])[:1].islower():
        # "— сказал в интервью РБК министр финансов …": the outlet in the dative, then the speaker
        return np_after(par, toks[1][0], end, lex)
    limit = lex.numbers["max_speaker_words"]
    i = 0
    while i < len(toks) and (core(toks[i][2]).lower() in lex.adverbs or core(toks[i][2]).lower() in lex.time_words) \
            and not is_cap(toks[i][2]):
        i += 1  # "confiait mardi un manifestant", "said again Sen. …": the speaker after the adverb
    if lex.dash_dialogue:
        i = _skip_adjuncts(toks, i, lex)
    if i >= len(toks):
        return None
    first = core(toks[i][2])
    low = first.lower()
    if low in lex.object_preps and first == low and i + 2 < len(toks) and _outlet(toks[i + 1][2]):
        # "a dit à l'AFP Robert Walter", "a dénoncé sur Facebook M. Di Maio", "a déclaré sur France 2 le
        # Premier ministre": the outlet or medium the cue names, then its subject
        k = i + 2
        while k < len(toks) and re.fullmatch(r"\d+|[A-Z]{2,}", core(toks[k][2])):
            k += 1
        nxt = core(toks[k][2]) if k < len(toks) else ""
        if nxt and not toks[k - 1][2].endswith((",", ".", ";", ":")) and (
                is_cap(nxt) or nxt.lower() in lex.determiners or re.match(r"[lL]['’]\w", nxt) or lex.dash_dialogue):
            # (Russian and Ukrainian have no articles: "- комментирует для DW украинский инфекционист …")
            return np_after(par, toks[k][0], end, lex)
    if not first or not initial(toks[i][2]) and (low in lex.partial_before and low not in lex.determiners
                                     or low in lex.leading_preps or low in lex.subject_cut):
        return None
    out_start = toks[i][0] + (len(toks[i][2]) - len(toks[i][2].lstrip(EDGE)))
    out_end = None
    depth = 0
    for j in range(i, min(len(toks), i + limit)):
        s, e, tok = toks[j]
        c = core(tok)
        if depth or tok.startswith("("):
            # "(D-Conn.)" belongs to the name before it
            depth += tok.count("(") - tok.count(")")
            out_end = s + len(tok.rstrip(",;:."))
            if depth <= 0:
                depth = 0
                if tok.rstrip(")").endswith((",", ";", ":")) or tok.endswith((",", ";", ":")) or tok.endswith(".") and not tok.endswith(".)"):
                    break
            continue
        if not c:
            break
        lc = c.lower()
        nxt = toks[j + 1][2] if j + 1 < len(toks) else ""
        if j > i and (lc in lex.subject_cut or lc in lex.subordinators and tok == c and (
                lc not in lex.conjunctions or nxt[:1].islower())
                      or (lc in lex.leading_preps or lc in lex.noun_links) and not is_cap(nxt)):
            if not _extends(toks, i, j, lex):
                break
        if j > i and lc in lex.speaker_tails and (tok == c or lc in lex.time_words) and is_cap(toks[j - 1][2]):
            # "le Premier ministre Édouard Philippe devant l'Assemblée": a place after the name
            # ("a dit Priscillia Ludosky samedi.": a day, even where the sentence ends)
            break
        if j > i and lex.dash_dialogue and _name_tail(toks[j - 1][2], tok, lex):
            break
        if j > i and tok[0] in QUOTE_MARKS:
            break
        out_end = s + tok.find(c) + len(c) if c in tok else e
        if tok[-1] in ",;:!?)" + QUOTE_MARKS or tok.endswith("—"):
            break
        if tok.endswith(".") and not _is_abbrev(tok, lex):
            break
        if tok.endswith(".") and j + 1 < len(toks) and not is_cap(nxt):
            out_end = e
            break
    if out_end is None or out_end <= out_start:
        return None
    return out_start, out_end


def _skip_adjuncts(toks, i: int, lex: Lexicon) -> int:
    """Past what stands between a Russian or Ukrainian cue and its inverted subject: adverbs
    (`напередодні`), a day (`во вторник`), the listener in the dative (`журналистам`), a place
    in the locative (`у соцмережах`) and an object opened by a reflexive possessive (`свій
    крок`): `— сказал журналистам во вторник представитель ЕС` -> `представитель ЕС`."""
    morph = _analyser(lex.lang)
    if morph is None:
        return i
    start = i
    while i < len(toks):
        word = core(toks[i][2])
        low = word.lower()
        # (a pair is skipped whole only inside the clause: `— йдеться в документі, витяги з якого …`)
        nxt = core(toks[i + 1][2]).lower() if i + 1 < len(toks) and toks[i + 1][2][-1:] not in ",.;:!?" else ""
        if not word or is_cap(word) or toks[i][2][-1:] in ",.;:!?":
            return i
        if f"{low} {nxt}" in lex.time_words:
            i += 2
        elif _cue_adverb(word, lex) or _only_cases(low, morph, {"datv", "loct", "loc2"}):
            i += 1  # (a bare noun read only as dative or locative is a dative: no preposition)
        elif low in lex.reflexive_possessives and nxt and not is_cap(toks[i + 1][2]):
            i += 2
        elif nxt and not is_cap(toks[i + 1][2]) and any(p.tag.POS == "PREP" for p in morph.parse(low)[:1]) \
                and _only_cases(nxt, morph, {"loct", "loc2"}):
            i += 2
        else:
            break
    if i > start and i < len(toks) and not is_cap(toks[i][2]) \
            and not any(p.tag.case == "nomn" for p in morph.parse(core(toks[i][2]).lower())):
        # (`— говорится в заявлении офиса премьер-министра`: no subject follows, so the
        # phrase is the source, kept as written)
        return start
    return i


PROPER_TAGS = {"Surn", "Name", "Patr", "Geox", "Orgn", "Abbr", "LATN"}


def _name_tail(prev: str, tok: str, lex: Lexicon) -> bool:
    """Whether a Russian or Ukrainian lower-case word after a proper name ends the speaker: a
    preposition or a word with no nominative reading (`— заявила Мей журналістам`, `— заявив
    Байден каналу CNN`, `— заявив Трамп перед натовпом`, `— сказал Песков вечером`); an
    apposition after a name is nominative, and a name's own particles (`фон дер`) are kept."""
    morph = _analyser(lex.lang)
    word, name = core(tok), core(prev)
    if morph is None or not word or is_cap(word) or not is_cap(name) or word.lower() in lex.name_particles:
        return False
    first = morph.parse(name.lower())[0]
    if first.is_known and (first.tag.POS not in (None, "NOUN") or not PROPER_TAGS & set(first.tag.grammemes)):
        return False  # `Президент страны`, `профессор Чикагского университета`: no name ends there
    low = word.lower()
    return _is_preposition(low, lex.lang) or not any(p.tag.case == "nomn" for p in morph.parse(low))


def _only_cases(word: str, morph, cases: set[str]) -> bool:
    """Whether every reading of a word is a noun in one of `cases` (and it has one)."""
    parses = morph.parse(word)
    return bool(parses) and all(p.tag.POS == "NOUN" and p.tag.case in cases for p in parses)


def _source_phrase(par: str, start: int, end: int, lex: Lexicon) -> tuple[int, int] | None:
    """`— пояснили в авиакомпании`, `— говорится в заявлении`: the place a Russian or Ukrainian
    impersonal cue names as the source, kept as written with its preposition."""
    toks = tokens(par, start, end)
    while len(toks) > 2 and core(toks[0][2]).lower() in lex.adverbs:
        toks = toks[1:]  # "— сообщили также в канцелярии премьера"
    if len(toks) < 2 or core(toks[0][2]).lower() not in lex.source_preps:
        return None
    span = np_after(par, toks[1][0], end, lex)
    if span is None:
        return None
    rest = par[span[1]:end].strip(" .;)\u00a0")
    if rest[:1] not in ("", ",") and (rest.split() or [""])[0].lower() not in lex.source_preps:
        return None  # the phrase ends the sentence or the clause (or goes on with `в Telegram`)
    return toks[0][0], span[1]


def _outlet(tok: str) -> bool:
    """A word that can name an outlet or a medium: `l'AFP`, `BFMTV`, `Facebook` (a capital, after an elided article or not)."""
    word = re.sub(r"^[lL]['’]", "", tok.strip(EDGE))
    return len(word) > 1 and word[:1].isupper()


def _extends(toks, i: int, j: int, lex: Lexicon) -> bool:
    """Whether a described speaker goes on over a prepositional phrase.

    `a person close to the Clintons`, `a source involved in the super-PAC’s
    creation`: only after a determiner and a common noun, and not over
    circumstances (`the official in a statement`, `the aide on Monday`).
    """
    first = core(toks[i][2]).lower()
    if first not in lex.determiners or core(toks[j][2]).lower() not in lex.np_extend:
        return False
    if is_cap(toks[j - 1][2]):
        return False  # a name ends the phrase: "said the Democrat Joe Smith of Ohio" is cut as before
    for s, e, tok in toks[j + 1:j + 7]:
        c = core(tok).lower()
        if c in lex.np_extend_stop or c in lex.time_words:
            return False
        if tok[-1] in ",;:.!?" or c in lex.subject_cut:
            break
    return True


def clause_subject(par: str, start: int, end: int, lex: Lexicon, stop_after_name: bool = False) -> tuple[int, int] | None:
    """The subject a long clause opens with, up to its first verb-like word.

    `The spokesman refused to answer …` -> `The spokesman`;
    `super PAC spokeswoman Kellyanne Conway` stays whole.
    """
    toks = tokens(par, start, end)
    keep = []
    for s, e, tok in toks:
        c = core(tok)
        lc = c.lower()
        if not c or lc in lex.verbish or lc in lex.subject_cut or lc in lex.conjunctions:
            break
        if not is_cap(tok) and lc not in lex.determiners and re.search(r"(ed|ing)$", lc) and len(lc) >= 4:
            break
        if keep and _adverb(tok, lex) and lc not in lex.determiners:
            break  # "Her campaign quickly sent …"
        if stop_after_name and keep and is_cap(keep[-1][2]) and not is_cap(tok) and lc not in lex.noun_links | lex.name_particles \
                and lc not in lex.title_words and core(keep[-1][2]).lower() not in lex.determiners | lex.subject_stop:
            break  # "Blige sings to …": a verb follows the name
        keep.append((s, e, tok))
        if tok[-1] in ",;:":
            break
        if len(keep) == 1 and lex.pronoun_type(c) in ("male", "female", "plural", "self") and lc not in lex.determiners:
            break  # "She became so upset": a pronoun is the whole subject ("Her campaign" is not one)
        if len(keep) >= 8:
            break
    # end on a name or a noun, not on a determiner or an adverb ("Her campaign quickly")
    while keep and (core(keep[-1][2]).lower() in lex.determiners | {"of"} or len(keep) > 1 and _adverb(keep[-1][2], lex)):
        keep.pop()
    if not keep:
        return None
    a = keep[0][0] + (len(keep[0][2]) - len(keep[0][2].lstrip(EDGE)))
    b = keep[-1][0] + len(keep[-1][2].rstrip(EDGE))
    if keep[-1][2][-1:] not in ",;:" and not keep[-1][2].endswith("’s"):
        # "the al Qaeda-linked Islamic extremist cleric Anwar al-Awlaki, who …": role words lead on to a name
        m = ROLE_WORDS_THEN_NAME.match(par, b, end)
        if m and not any(core(w).lower() in lex.verbish or lex.cue_re.match(core(w).lower()) or core(w).lower() in lex.leading_preps
                         or core(w).lower() in lex.subject_cut or re.search(r"(ed|ly)$", core(w).lower()) for w in m.group(1).split()):
            b = m.end(2)
    return (a, b) if b > a else None


ROLE_WORDS_THEN_NAME = re.compile(
    r"((?:\s+[a-z][\w-]*){1,3})(\s+[A-Z][\w'’.-]*(?:\s+(?:[A-Z]|al-|el-|bin\s|de\s|van\s|von\s)[\w'’.-]*){0,3})(?=\s*[,;:(]|\s*$)")


def _segments(par: str, start: int, end: int) -> list[tuple[int, int]]:
    """Comma-separated segments of par[start:end], outside parentheses."""
    segs, depth, seg_start = [], 0, start
    for i in range(start, end):
        ch = par[i]
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif ch in ",;—–―" and depth == 0 and (ch in ",;" or (i > 0 and par[i - 1] == " ")):
            segs.append((seg_start, i))
            seg_start = i + 1
    segs.append((seg_start, end))
    return [(s, e) for s, e in segs if par[s:e].strip()]


def _strip_span(par: str, s: int, e: int) -> tuple[int, int]:
    """Shrink a span past whitespace and edge punctuation."""
    while s < e and (par[s].isspace() or par[s] in EDGE):
        s += 1
    while e > s and (par[e - 1].isspace() or par[e - 1] in EDGE):
        e -= 1
    return s, e


def naming(par: str, s: int, e: int, lex: Lexicon) -> tuple[int, int] | None:
    """`One of the women, who identified herself as Paulina` -> `Paulina`."""
    if lex.naming_re is None:
        return None
    m = lex.naming_re.search(par, s, e)
    if not m:
        return None
    span = np_after(par, m.end(), e, lex)
    if span and is_cap(par[span[0]:span[1]]):
        return span
    return None


def subject_before(par: str, start: int, end: int, lex: Lexicon, participle: bool = False,
                   after_quote: bool = False) -> tuple[int, int] | None:
    """The subject of a cue from the text before it in its clause.

    A finite cue's subject is the phrase right before it, past appositions:
    `In a post on Telegram, Boris Nadezhdin` -> `Boris Nadezhdin`;
    `Maria, a 47-year-old sales manager, whose husband …,` -> `Maria`;
    `Sanders's campaign manager, Jeff Weaver,` -> `Jeff Weaver`;
    `… was worded beautifully when she` -> `she`.
    A participle (`…, saying:`) or a coordinated cue (`… and said:`) takes
    the subject the clause opens with: `One woman pointed to … and` -> `One woman`.
    """
    s, e = _strip_span(par, start, end)
    dateline = DATELINE.match(par, s, e)
    if dateline and (s == 0 or par[s - 1] == "\n"):
        s = dateline.end()  # "WASHINGTON — In response to …, Clinton's aide rallied supporters, saying:"
    if e <= s:
        return None
    # drop trailing adverbs and auxiliaries: "Trump also", "Clinton has", "і тихо"
    toks = tokens(par, s, e)
    while toks and (_adverb(toks[-1][2], lex) or _cue_adverb(toks[-1][2], lex)):
        toks.pop()
    if not toks:
        return None
    e = toks[-1][1]
    if lex.dash_dialogue and not participle and len(toks) > 1 and lex.pronoun_type(core(toks[-1][2])) in ("male", "female", "plural"):
        # "В обращении к своему преемнику … Саджиду Джавиду он написал:": a pronoun right before the
        # cue is its subject (the Russian and Ukrainian lists hold only nominative forms)
        return toks[-1][0], toks[-1][0] + len(core(toks[-1][2]))
    if core(toks[-1][2]).lower() in lex.conjunctions:
        participle = True
        e = toks[-1][0]
    elif not participle and _subjectless_verb_phrase(par, s, e, lex):
        # "Trump joked that Brooklyn was his answer, but went on to say": the clause's subject is the sentence's
        participle = True
    named = naming(par, s, e, lex)
    if named:
        return named
    rel = None
    for rel in PREP_RELATIVE.finditer(par, s, e):
        pass
    if rel is not None:
        s = rel.end()  # "…, to which O'Malley interjected": the relative clause's subject
    all_segs = _segments(par, s, e)
    segs = []
    lead = False
    for seg in all_segs:
        if _is_lead(par, *seg, lex) or (segs and _is_aside(par, *seg, lex)) or _between_dashes(par, *seg) \
                or lead and not segs and seg != all_segs[-1] and re.fullmatch(r"\s*[A-Z][a-z]{1,4}\.\s*", par[seg[0]:seg[1]]):
            lead = lead or not segs  # ("At a conference in Aspen, Colo., the graduate": the state goes with the lead)
            continue
        segs.append(seg)
    if not segs:
        return None
    last = _strip_span(par, *all_segs[-1])
    touching = par[start:end].rstrip()[-1:] not in ",—–―"
    if not participle and len(all_segs) > 1 and (_is_name(par[last[0]:last[1]], lex) or lex.pronoun_type(par[last[0]:last[1]])):
        # `…, which he's expected to win, Jones said`: the name right before the cue
        span = last
    elif not participle and len(all_segs) > 1 and touching and _described(par, *last, lex) \
            and not _is_name(par[slice(*_strip_span(par, *all_segs[-2]))], lex):
        # `… said it was great to be home, a man yelled`: no comma sets it off, so it is no apposition
        span = _trailing_subject(par, *last, lex)
    elif not participle and len(all_segs) > 1 and touching and not _is_aside(par, *last, lex) \
            and not (core(par[last[0]:last[1]].split()[0]).lower() in lex.determiners
                     and _is_name(par[slice(*_strip_span(par, *all_segs[-2]))], lex)) \
            and _named_subject(par, *last, lex):
        # `…, money and a six-pointed star …, Speaker of the House Rep. Paul Ryan (R-WI) said`:
        # no comma sets the last segment off, so the cue's subject is in it
        span = _named_subject(par, *last, lex)
    elif not participle and len(all_segs) > 1 and _conjoined_name(par, *last, lex):
        # `The crowd cheers, and then Wallnau continues:`: the clause after the conjunction has its own subject
        span = _conjoined_name(par, *last, lex)
    elif not participle:
        # `”, X, a 47-year-old …, whose …, told AFP`: the name opens the tail
        span = None
        for k, seg in enumerate(segs):
            a, b = _strip_span(par, *seg)
            if lex.dash_dialogue:
                toks = tokens(par, a, b)
                a = toks[openers(toks, lex)][0] if toks else a
            named = _apposition_name(par, *segs[k + 1], lex) if k + 1 < len(segs) else None
            if named and not any(is_cap(w) for w in par[a:b].split()[-1:]):
                a, b = named  # "the campaign manager, Jeff Weaver, said"
            span = _trailing_subject(par, a, b, lex)
            if span is not None:
                span = cut_parenthesis(par, *span)
            if span is not None and valid_speaker(par[span[0]:span[1]], lex):
                break
            span = None
    elif participle and touching and _absolute_subject(par, s, end, lex):
        # `with Trump reportedly yelling:`, `footage of Trump saying`: the name the participle follows
        span = _absolute_subject(par, s, end, lex)
    elif participle and _cue_clause_subject(par, all_segs, lex):
        # `…, Spicer said, adding, “`: the participle goes with the cue before it
        span = _cue_clause_subject(par, all_segs, lex)
    elif participle and (clause := _adverbial_clause_subject(par, *all_segs[-1], lex)):
        # "… tweeted when Clinton ended a debate …, remarking, “": the nearest clause's subject
        span = clause
    elif participle:
        a, b = _strip_span(par, *segs[0])
        a = _skip_leading_words(par, a, b, lex)
        span = clause_subject(par, a, b, lex, stop_after_name=True)
    if span is not None:
        span = cut_parenthesis(par, *span)
    if (span is None or not valid_speaker(par[span[0]:span[1]], lex)) and not participle:
        # "In a Bloomberg interview Trump declared": the name right before the cue
        span = _name_before(par, s, e, lex)
        if span is not None and not _is_name(par[span[0]:span[1]], lex):
            span = None
    if span is None or not valid_speaker(par[span[0]:span[1]], lex):
        return None
    return span


# A dateline opening a paragraph: "WASHINGTON —", "DES MOINES, Iowa (AP) —", "WASHINGTON, Dec. 8 (UPI) —"
DATELINE = re.compile(r"(?:[A-Z][A-Z.'’-]+\s+){0,3}[A-Z][A-Z.'’-]+(?:,(?:\s+[\w.]+){1,3})?"
                      r"\s*(?:\([^)]*\)\s*)?[—–―-]+\s+")


def _adverbial_clause_subject(par: str, a: int, b: int, lex: Lexicon) -> tuple[int, int] | None:
    """The named subject of an adverbial clause in the segment before a participle cue:
    `… when Sanders protesters interrupted her speech` -> `Sanders protesters`."""
    toks = tokens(par, a, b)
    for i in range(len(toks) - 2, -1, -1):
        lc = core(toks[i][2]).lower()
        if toks[i][2] != core(toks[i][2]) or lc not in lex.subordinators or lc in lex.relatives or lc in lex.complementizers:
            continue  # (a word with punctuation attached ends a clause, it opens none)
        if i > 0 and core(toks[i - 1][2]).lower() in ("such", "as", "so", "even"):
            continue  # "such as", "as well as"
        span = clause_subject(par, toks[i + 1][0], b, lex, stop_after_name=True)
        if span is None:
            return None
        verb = par[span[1]:b].split()[:1]
        text = par[span[0]:span[1]]
        if not verb or not verb[0][:1].islower() or core(verb[0]).lower() in lex.conjunctions \
                or core(verb[0]).lower() in lex.leading_preps:
            return None  # no verb after it: no clause ("addressing her as “Hillary” and telling her")
        if not _is_name(text, lex) or lex.pronoun_type(text) or not valid_speaker(text, lex):
            return None  # ("… after they came out, saying": a pronoun here is most often a thing)
        return span
    return None


def _subjectless_verb_phrase(par: str, s: int, e: int, lex: Lexicon) -> bool:
    """Whether the text before a cue ends in `, but went on to` / `, and then turned to`: a second
    verb phrase of the sentence's subject, with no subject of its own."""
    cut = max(par.rfind(",", s, e), par.rfind(";", s, e))
    if cut < 0:
        return False
    words = [core(w).lower() for w in par[cut + 1:e].split()]
    if len(words) < 2 or words[0] not in lex.conjunctions or words[0] in lex.subordinators:
        return False
    verb = next((w for w in words[1:] if w not in lex.adverbs and w not in lex.time_words), "")
    return verb.endswith("ed") or verb in lex.verbish and verb not in lex.relatives and verb not in lex.conjunctions \
        and not par[cut + 1:e].split()[1][:1].isupper()


def _apposition_name(par: str, a: int, b: int, lex: Lexicon) -> tuple[int, int] | None:
    """The name a segment holds: `Jeff Weaver`, `state Del. Marcia "Cia" Price (D-Newport News)` -> `Del. Marcia "Cia" Price`.

    Lower-case title words before it and a parenthesis after it are not part of it.
    """
    span = cut_parenthesis(par, *_strip_span(par, a, b))
    if span is None:
        return None
    toks = tokens(par, *span)
    while len(toks) > 1 and not is_cap(toks[0][2]) and core(toks[0][2]).lower() in lex.title_words:
        toks = toks[1:]
    a, b = _strip_span(par, toks[0][0], span[1])
    return (a, b) if b > a and _is_name(par[a:b], lex) else None


# "…, to which O'Malley interjected", "To which she said,": the relative clause's subject speaks
PREP_RELATIVE = re.compile(r"(?:^|(?<=[.!?\"”\n]\s)|(?<=\n)|,\s*)(?i:to|at|in|on|with|for|after|upon)\s+(?i:which|whom)\s+"
                           r"(?=[A-Z]|(?:he|she|they|we|it|I)\b)")


def _cue_clause_subject(par: str, all_segs, lex: Lexicon) -> tuple[int, int] | None:
    """The speaker of a short `X said` / `said X` segment right before a participle cue."""
    if len(all_segs) < 2:
        return None
    a, b = _strip_span(par, *all_segs[-1])
    words = par[a:b].split()
    if not 1 < len(words) <= 6 or any(ch in QUOTE_MARKS for ch in par[a:b]):
        return None
    m = None
    for m in lex.cue_re.finditer(par, a, b):
        pass
    if m is not None and m.end() == b and m.start() > a and cue_ok(par, m, lex, a):
        span = _name_before(par, a, m.start(), lex)  # "Spicer said"
        return span if span is not None and _is_name(par[span[0]:span[1]], lex) else None
    m = lex.cue_re.match(par, a)
    if m is not None and m.end() < b and par[m.end()].isspace():
        span = np_after(par, m.end(), b, lex)  # "said Spicer"
        return span if span is not None and _is_name(par[span[0]:span[1]], lex) else None
    return None


def _conjoined_name(par: str, a: int, b: int, lex: Lexicon) -> tuple[int, int] | None:
    """`and then Wallnau` -> `Wallnau`: a name after a conjunction and time words, ending the segment."""
    toks = tokens(par, a, b)
    if len(toks) < 2 or core(toks[0][2]).lower() not in lex.conjunctions:
        return None
    i = 1
    while i < len(toks) and not is_cap(toks[i][2]) and (core(toks[i][2]).lower() in lex.time_words or _adverb(toks[i][2], lex)):
        i += 1
    if i >= len(toks):
        return None
    span = _strip_span(par, toks[i][0], b)
    name = par[span[0]:span[1]]
    return span if _is_name(name, lex) and valid_speaker(name, lex) and lex.pronoun_type(name) is None else None


def _absolute_subject(par: str, s: int, end: int, lex: Lexicon) -> tuple[int, int] | None:
    """The name right before a participle after `with` or `of`: `with Trump reportedly yelling`."""
    toks = tokens(par, s, end)
    while toks and _adverb(toks[-1][2], lex):
        toks.pop()
    if not toks or core(toks[-1][2]).lower() in lex.conjunctions or toks[-1][2][-1:] in EDGE:
        return None  # `titled “The Tragedy of Lyndon Johnson,” explaining`: no name touches the participle
    span = _name_before(par, s, toks[-1][1], lex)
    if span is None:
        return None
    before = par[s:span[0]].split()
    return span if before and before[-1].lower() in ("with", "of") else None


def _named_subject(par: str, a: int, b: int, lex: Lexicon) -> tuple[int, int] | None:
    """The subject at the end of a segment when it holds a capitalised name, else None."""
    span = _trailing_subject(par, *_strip_span(par, a, b), lex)
    if span is not None:
        span = cut_parenthesis(par, *span)
    if span is None or not valid_speaker(par[span[0]:span[1]], lex):
        return None
    words = par[span[0]:span[1]].split()
    if not any(is_cap(w) and core(w).lower() not in lex.subject_stop for w in words) or not is_cap(words[-1]):
        return None
    return span


def _described(par: str, a: int, b: int, lex: Lexicon) -> bool:
    """A short phrase opening with a determiner: `a man`, `the 34-year-old mother of three`."""
    words = par[a:b].split()
    if words and core(words[0]).lower() in lex.conjunctions:
        words = words[1:]  # "…, and a man yelled"
    return 1 < len(words) <= 6 and core(words[0]).lower() in lex.determiners and not is_cap(words[0]) \
        and not any(w[-1:] in SENT_END for w in words[:-1])


def cut_parenthesis(par: str, a: int, b: int) -> tuple[int, int] | None:
    """Drop a trailing parenthesis from a speaker: `Sen. Chuck Schumer (D-N.Y.)` -> `Sen. Chuck Schumer`."""
    paren = par.find("(", a, b)
    if paren > a:
        b = paren
        while b > a and par[b - 1].isspace():
            b -= 1
    return (a, b) if b > a else None


def _is_aside(par: str, a: int, b: int, lex: Lexicon) -> bool:
    """A segment that cannot hold the subject: an apposition, a leading phrase, an age.

    `a 47-year-old sales manager`, `whose husband was mobilised …`, `49`,
    `In a post on Telegram`, `speaking in Iowa`.
    """
    words = par[a:b].split()
    if not words:
        return True
    first = core(words[0]).lower()
    two = " ".join(core(w).lower() for w in words[:2])
    if first in lex.leading_preps or two in lex.leading_preps or first in lex.relatives or first in lex.subject_cut:
        return True
    if re.fullmatch(r"[\d\W]+", par[a:b].strip()):
        return True
    if first in ("a", "an") and len(words) > 1:
        return True
    if len(words) > 1 and not is_cap(words[0]) and re.fullmatch(r"[a-z]{3,}ing", first):
        return True  # "Sen. Richard J. Durbin (D-Ill.), noting the size of Sanders's following, said"

    if first == "the" and len(words) > 1 and not any(is_cap(w) for w in words[1:]) and len(words) > 3:
        return True
    return False


def _between_dashes(par: str, a: int, b: int) -> bool:
    """A segment set off by dashes on both sides (` — especially where … — `): an aside."""
    return a > 0 and par[a - 1] in "—–―" and b < len(par) and par[b] in "—–―"


def _is_lead(par: str, a: int, b: int, lex: Lexicon) -> bool:
    """A leading phrase (`In a post on Telegram`, `Speaking in Iowa`) that is not the subject."""
    words = par[a:b].split()
    if not words:
        return True
    first = core(words[0]).lower()
    if first in lex.conjunctions and len(words) > 1 and is_cap(words[1]) and core(words[1]).lower() not in lex.leading_preps \
            and (first not in lex.subordinators or lex.cue_re.search(par, a, b) is not None
                 or all(is_cap(w) or w.lower() in lex.name_particles for w in words[1:])):
        # "But Sen. Richard J. Durbin (D-Ill.), noting …, said", "As Joel Pollak … noted,", "As John
        # Cornyn, …, put it:": the subject after a conjunction ("As Mitchell tried to …, Sanders
        # responded": a clause of its own, with no cue)
        return False
    two = " ".join(core(w).lower() for w in words[:2])
    # "Speaking in Iowa", "Évoquant le retour de …": a participle and its object
    participle_lead = first.endswith(lex.participle_leads) and is_cap(words[0]) \
        and len(words) > 1 and not is_cap(words[1]) and lex.cue_re.match(par, a + par[a:b].index(words[1])) is None
    lead = first in lex.leading_preps or two in lex.leading_preps or participle_lead \
        or (first in lex.subordinators and first not in lex.relatives and len(words) > 2) \
        or (len(words) <= 3 and core(words[-1]).lower() in lex.time_words)
    return lead and b < len(par) and par[b:b + 1] in (",", "—", "–", "―")


def _trailing_subject(par: str, a: int, b: int, lex: Lexicon) -> tuple[int, int] | None:
    """The subject right before a finite cue: cut after a subordinator, before a relative clause."""
    toks = tokens(par, a, b)
    # "Priebus later Thursday", "Her campaign quickly": time words and adverbs are not the subject
    while len(toks) > 1 and (core(toks[-1][2]).lower() in lex.time_words or
                             (not is_cap(toks[-1][2]) and core(toks[-1][2]).lower().endswith("ly"))):
        toks.pop()
    if len(toks) > 2 and toks[-1][2] == core(toks[-1][2]) and core(toks[-1][2]).lower() in lex.relatives \
            and is_cap(toks[-2][2]):
        # "… was this tweet from Rikkie Wells who tweeted": the name the relative pronoun stands for
        run = len(toks) - 1
        while run > 0 and is_cap(toks[run - 1][2]):
            run -= 1
        before = core(toks[run - 1][2]).lower() if run else ""
        if before in lex.author_preps or before not in lex.place_nouns | lex.name_particles | lex.noun_links:
            # (not "… en région Alpes-Côte-d'Azur qui", "le chef de groupe du MR qui", "a spokesman for
            # X who": there the relative may stand for the noun before; a tweet from X is X's)
            return toks[run][0], toks[-2][1]
    start_i = 0
    seen_verb = False
    for i, (_, _, tok) in enumerate(toks):
        lc = core(tok).lower()
        # "… so odd that a spokesman for Bernie Sanders could only quip:" (after "said that the …" the
        # subject is the reporter's, so a determiner opens a clause only after "so" or "such")
        that_clause = lc in lex.relatives and seen_verb and i + 1 < len(toks) \
            and (is_cap(toks[i + 1][2]) or core(toks[i + 1][2]).lower() in lex.determiners
                 and any(core(t[2]).lower() in lex.result_leads for t in toks[:i]))
        if i + 1 < len(toks) and (i > 0 or lc in lex.conjunctions) and lc in lex.subordinators | lex.conjunctions \
                and (lc not in lex.relatives or that_clause) and (lc not in lex.conjunctions or seen_verb or i == 0):
            start_i = i + 1
        if not is_cap(tok) and (lc in lex.verbish or re.search(r"ed$", lc)):
            seen_verb = True
    toks = toks[start_i:]
    for i, (_, _, tok) in enumerate(toks):
        lc = core(tok).lower()
        if lc == "and" and 0 < i < len(toks) - 1 and is_cap(toks[i - 1][2]) and is_cap(toks[i + 1][2]) \
                and toks[i - 1][2][-1:].isalpha() and not any(_adverb(t[2], lex) for t in toks[i + 1:]):
            continue  # "Edward-Isaac Dovere and Gabriel Debenedetti wrote": two names, one subject
        if i > 0 and (lc in lex.relatives | lex.subject_cut or (lc in lex.verbish and not is_cap(tok))):
            toks = toks[:i]  # "She went on to say", "the man who was there said"
            break
    while len(toks) > 1 and _adverb(toks[-1][2], lex):
        toks.pop()
    if not toks:
        return None
    a = toks[0][0]
    b = toks[-1][1]
    a = _skip_leading_words(par, a, b, lex)
    a, b = _strip_span(par, a, b)
    if b <= a:
        return None
    if len(par[a:b].split()) > 6:
        return clause_subject(par, a, b, lex)
    return a, b


def _is_name(text: str, lex: Lexicon) -> bool:
    """A short run of capitalised words: `Jeff Weaver` (not a state label like `R-Ky.`)."""
    words = text.split()
    if re.fullmatch(r"[A-Z]\.?-[A-Z][\w.]*", text.strip()):
        return False
    return 0 < len(words) <= 4 and all(is_cap(w) or w.lower() in lex.name_particles for w in words)


def openers(toks, lex: Lexicon) -> int:
    """How many tokens open a Russian or Ukrainian clause before its subject, with no comma: a
    sentence adverb (`Наразі Трамп`, `Также глава МИД`, `Между тем Песков`) or a day (`В среду
    глава МИД`). At least the last token is left."""
    i = 0
    while i + 1 < len(toks) and not toks[i][2].endswith(",") and not initial(toks[i][2]):  # (`А. Воробьев`)
        low, nxt = core(toks[i][2]).lower(), core(toks[i + 1][2]).lower()
        if i + 2 < len(toks) and not toks[i + 1][2].endswith(",") and (
                f"{low} {nxt}" in lex.adverbs or f"{low} {nxt}" in lex.time_words):
            i += 2
        elif low in lex.adverbs or _morph_adverb(low, lex.lang) or lex.pronoun_type(nxt) is None and no_noun(low, lex.lang) \
                and not no_noun(nxt, lex.lang) and not _is_preposition(low, lex.lang):
            i += 1
        else:
            break
    return i


@lru_cache(maxsize=1 << 14)
def _is_preposition(word: str, lang: str | None) -> bool:
    """Whether pymorphy has a preposition among a Russian or Ukrainian word's readings (cached,
    as `no_noun` and `_morph_adverb` are: the same words come back at every speaker)."""
    morph = _analyser(lang)
    return morph is not None and any(p.tag.POS == "PREP" for p in morph.parse(word))


def _skip_leading_words(par: str, a: int, b: int, lex: Lexicon) -> int:
    """Skip `As`, `But`, `And` before a name: `As RealClearPolitics’ David Byler` -> the name."""
    toks = tokens(par, a, b)
    i = 0
    while i + 1 < len(toks) and (core(toks[i][2]).lower() in lex.leading_preps or core(toks[i][2]).lower() in lex.conjunctions) \
            and is_cap(toks[i + 1][2]) and not initial(toks[i][2]):
        i += 1
    if lex.dash_dialogue and i == 0 and len(toks) > 3 and " ".join(core(t[2]).lower() for t in toks[:2]) in lex.leading_preps:
        # "Під час перерви Шухевич підійшов …", "Во время встречи Путин …": a leading phrase with no
        # comma, then the name
        j = next((k for k in range(2, min(len(toks), 5)) if is_cap(toks[k][2])), None)
        if j is not None:
            i = j
    return toks[i][0] if toks else a


def valid_speaker(text: str, lex: Lexicon, max_words: int = 8) -> bool:
    """Whether a phrase can be a speaker as written (not a clause or a fragment)."""
    words = text.split()
    if not words or len(words) > max_words:
        return False
    first = core(words[0]).lower()
    if initial(words[0]):
        first = ""  # "А. Воробьев": an initial, not the conjunction "а"
    if first in lex.leading_preps and len(words) > 1 and not is_cap(words[1]) and first not in lex.determiners:
        return False
    if first in lex.subject_cut or first in lex.conjunctions:
        return False
    if first in lex.partial_before and first not in lex.determiners and not is_cap(words[0]):
        return False
    if any(w[-1] in ".!?" and not _is_abbrev(w, lex) for w in words[:-1]):
        return False
    has_cap = any(is_cap(w) for w in words)
    if not has_cap and first not in lex.determiners and lex.pronoun_type(first) is None and len(words) > 3:
        return False
    return True


NOUN_LIKE = {"NOUN", "NPRO", "ADJF", "NUMR"}


@lru_cache(maxsize=1 << 14)
def no_noun(word: str, lang: str | None) -> bool:
    """Whether pymorphy reads a Russian or Ukrainian word as anything but a noun, pronoun,
    adjective or numeral, and knows the word: a verb, an adverb, a particle (`казали`,
    `очевидно`, `не`). False for other languages."""
    morph = _analyser(lang)
    if morph is None or not word:
        return False
    parses = morph.parse(word)
    return bool(parses) and parses[0].is_known \
        and all(p.tag.POS not in NOUN_LIKE and p.tag.POS is not None for p in parses)


def cue_ok(par: str, m: re.Match, lex: Lexicon, clause_start: int) -> bool:
    """A cue match that is a verb: lower case (unless it opens the clause), not after `a`/`the`/`his`."""
    word = m.group()
    if word[:1].isupper():
        # "State spokesman …", "Ian Read", "Asked about …,": not a cue; "Said Comey, “…”" is
        return word.lower() in lex.openers and not par[clause_start:m.start()].strip(" \u00a0\"“”«»")
    nxt = lex.cue_re.match(par, m.end() + 1) if par[m.end():m.end() + 1] == " " else None
    if nxt is not None and nxt.group().lower() in lex.openers:
        return False  # "the congressional report said": a noun before the verb
    after = re.match(r"\s+([^\W\d_]\w*)", par[m.end():m.end() + 30])
    abbrev_title = after is not None and is_cap(after.group(1)) and par[m.end() + after.end():m.end() + after.end() + 1] == "."
    if word.lower() in lex.noun_cues and after and (abbrev_title or not is_cap(after.group(1))
                                                    and after.group(1).lower() in lex.title_words | lex.person_words):
        return False  # "Clinton's Colorado state director", "state senator": a modifier, not a verb
    if word.lower() in lex.participles and not _after_auxiliary(par, m.start(), lex):
        return False  # "le débat national lancé par …": a participle is the cue only in "a encore souligné"
    if _cue_speaker_inside(par, m):
        return True  # "leur dit-il": an inverted verb, whatever the word before ("leur" is also a determiner)
    before = par[max(0, m.start() - 12):m.start()].split()
    if before and before[-1][-1:].isalpha() and par[m.start() - 1:m.start()].isspace() \
            and before[-1].lower() in lex.determiners and before[-1].lower() not in ("that", "one") \
            and not _ends_noun_phrase(before, lex):
        return False  # "a written statement", "his post": a noun, not a verb
    return True


def _after_auxiliary(par: str, pos: int, lex: Lexicon) -> bool:
    """An auxiliary before pos, past adverbs only: `a encore`, `a-t-il aussi`, `avait déjà`."""
    for tok in reversed(par[max(0, pos - 60):pos].split()[-4:]):
        word = core(tok).lower()
        if word in lex.auxiliaries or lex.inverted_auxiliary.fullmatch(word) \
                or re.split(r"['’]", word)[-1] in lex.auxiliaries:
            return True  # (`comme l'a souligné`: the auxiliary after an elided object pronoun)
        if word not in lex.adverbs or tok[-1:] in ",.;:":
            return False
    return False


def _ends_noun_phrase(before: list[str], lex: Lexicon) -> bool:
    """`the mother of three replied`: a determiner that stands alone after `of` ends a noun phrase.

    Only those that can stand alone (`three`, `both`, `several`), not `his`
    or `the`, which always take a noun (`of his post` is no cue).
    """
    det = before[-1].lower()
    return len(before) > 1 and before[-2].lower() == "of" and det not in lex.partial_before


def _cue_speaker_inside(par: str, m: re.Match) -> tuple[int, int] | None:
    """French inverted cues carry their subject: `a-t-il dit`, `explique-t-elle`."""
    text = m.group()
    hit = re.search(r"-(?:t-)?(il|elle|ils|elles|on)\b", text)
    if hit:
        return m.start() + hit.start(1), m.start() + hit.end(1)
    return None


def _adverb(tok: str, lex: Lexicon) -> bool:
    """A lower-case adverb (`also`, `quickly`) that is not part of a speaker."""
    c = core(tok).lower()
    return not is_cap(tok) and (c in lex.adverbs or (len(c) > 4 and c.endswith("ly") and c not in lex.ly_nouns))


def _cue_adverb(tok: str, lex: Lexicon) -> bool:
    """A lower-case adverb next to a cue, which is no speaker (`», — захоплено мовить Володимир`,
    `Трамп часто подчеркивает`): from the lexicon's list, or in Russian and Ukrainian by its
    morphology (adverbs there are open-ended: тихо, уверенно, впевнено). Unlike `_adverb`, no
    English -ly rule: `gently mocked the new president with …, “…”` would make the object a speaker."""
    c = core(tok).lower()
    return not is_cap(tok) and bool(c) and (c in lex.adverbs or lex.dash_dialogue and _morph_adverb(c, lex.lang))


@lru_cache(maxsize=1 << 16)
def _morph_adverb(word: str, lang: str | None) -> bool:
    """Whether pymorphy reads a Russian or Ukrainian word first as an adverb, and never as a noun
    (cached: the same words come back at every cue)."""
    morph = _analyser(lang)
    if morph is None:
        return False
    parses = morph.parse(word)
    return bool(parses) and parses[0].tag.POS == "ADVB" and not any(p.tag.POS == "NOUN" for p in parses)


def _participle(cue: str) -> bool:
    """`saying`, `adding`: a cue with no subject of its own after the quote."""
    return cue.lower().endswith("ing")


def find_after(par: str, start: int, end: int, lex: Lexicon, new_sentence: bool = False) -> Attribution | None:
    """An attribution in the text right after a closing mark: `, he said`, `said X`, `, — сказал он`, `― Name`."""
    s = start
    while s < end and (par[s].isspace() or par[s] in ",;:"):
        s += 1
    if s >= end:
        return None
    if lex.dash_dialogue and not par[start:s].strip() and par[s] not in "—―–-":
        return None  # Russian sets an attribution off with a dash or a comma: `«Газпром» сообщил итоги` names a subject
    if par[s] in "—―–-" and not new_sentence:
        dash = _dash_name(par, s, end, lex)
        if dash:
            return dash
        while s < end and (par[s].isspace() or par[s] in "—―–-"):
            s += 1
    acc = lex.according_re.match(par, s)
    if acc:
        span = np_after(par, acc.end(), end, lex)
        if span:
            return Attribution(par[span[0]:span[1]], *span, acc.group(), acc.start(), acc.end(), "after")
    max_words = lex.numbers["max_tail_words_to_cue"]
    for m in lex.cue_re.finditer(par, s, end):
        # ("…», a pour sa part dit X": an adverbial phrase between auxiliary and participle)
        pre_words = lex.adverbial_re.sub(" ", par[s:m.start()]).split()
        if len(pre_words) > max_words:
            return None
        if any(w[-1:] in SENT_END and not _is_abbrev(w, lex) for w in pre_words):
            return None
        head_end = par.find(",", s, m.start())
        if any(ch in QUOTE_MARKS for ch in par[s:head_end if head_end > 0 else m.start()]):
            return None  # (quote marks inside an apposition are fine: `X, wearing “Ted Cruz” pins, said`)
        if not cue_ok(par, m, lex, s):
            continue
        if m.group().lower() in lex.citing_cues and not pre_words:
            return cited_person(par, m, end, lex)  # (no person cited: no speaker; the outlet is none)
        if lex.dash_dialogue and pre_words and core(pre_words[-1]).lower() in lex.relatives:
            # "…», хоча вони не навели фактів, які підтверджували б …": a relative clause's verb (in French
            # and English the relative often is the speaker's: "pointe X, qui souligne …")
            continue
        inside = _cue_speaker_inside(par, m)
        if inside:
            return Attribution(par[inside[0]:inside[1]], *inside, m.group(), m.start(), m.end(), "after")
        pre = par[s:m.start()]
        inverted = lex.inverted_auxiliary.fullmatch(pre_words[0]) if pre_words else None
        if inverted and all(core(w).lower() in lex.adverbs for w in pre_words[1:]):
            # "…», a-t-il enfin déclaré": the pronoun inside the auxiliary is the speaker
            at = s + par[s:m.start()].index(pre_words[0]) + inverted.start(1)
            return Attribution(inverted.group(1), at, at + len(inverted.group(1)), m.group(), m.start(), m.end(), "after")
        # ("…», nous explique Yves Lefebvre": an object pronoun before the cue, its subject after it)
        if not pre.strip() or all(_cue_adverb(w, lex) or core(w).lower() in lex.object_clitics for w in pre_words):
            if new_sentence or _participle(m.group()):
                return None
            span = np_after(par, m.end(), end, lex)
            if span is not None and m.group().lower() in lex.not_inverted and not _ends_phrase(par, span[1], end):
                continue  # "“…,” told reporters that …", "state Sen. X said": an object or a noun, not the speaker
            span = _named_apposition(par, span, end, lex) or span
            span = _name_after_role(par, span, end, lex) or span
            source = _source_phrase(par, m.end(), end, lex) if span is None else None
            if source is not None:
                return Attribution(par[source[0]:source[1]], *source, m.group(), m.start(), m.end(), "after")
            if span is None or not valid_speaker(par[span[0]:span[1]], lex, lex.numbers["max_speaker_words"]):
                return None
            return Attribution(par[span[0]:span[1]], *span, m.group(), m.start(), m.end(), "after")
        span = subject_before(par, s, m.start(), lex, _participle(m.group()), after_quote=True)
        if span is None:
            return None
        if not _plausible_after_subject(par, s, m.start(), span, lex, new_sentence):
            return None
        return Attribution(par[span[0]:span[1]], *span, m.group(), m.start(), m.end(), "after")
    return None


def cited_person(par: str, m: re.Match, end: int, lex: Lexicon) -> Attribution:
    """`«…», — цитирует РБК Дмитрия Пескова`, `— цитирует его ТАСС`, `— приводит слова главы МИДа
    издание`: an outlet cites someone; the speaker is the person cited (the object, in the accusative
    or genitive), not the outlet (the subject, in the nominative). Russian and Ukrainian word order
    puts either first, so the case decides (pymorphy). No person: no speaker, rather than the outlet."""
    cue = m.group()
    for w in cue.split()[1:]:
        if w.lower() in lex.object_pronouns:  # "приводит его слова"
            at = m.start() + cue.index(w)
            return Attribution(lex.object_pronouns[w.lower()], at, at + len(w), cue, m.start(), m.end(), "after")
    toks = []
    for t in tokens(par, m.end(), end)[:9]:
        toks.append(t)
        if t[2][-1] in ",.;:!?)":
            break
    morph = _analyser(lex.lang)
    # a word read first as an object wins over one that only may be (`цитирует Песков Путина`)
    span = None if morph is None else _cited_span(toks, morph, lex, strict=True) or _cited_span(toks, morph, lex)
    if span is None:
        return Attribution(None, None, None, cue, m.start(), m.end(), "after")
    text = par[span[0]:span[1]]
    if text.lower() in lex.object_pronouns:
        text = lex.object_pronouns[text.lower()]  # "цитирует его ТАСС": the resolver reads "он"
    return Attribution(text, *span, cue, m.start(), m.end(), "after")


def _cited_span(toks, morph, lex: Lexicon, strict: bool = False) -> tuple[int, int] | None:
    """The first object pronoun or oblique person among tokens after a citing cue, with the
    capitalised or oblique words after it (`Дмитрия Пескова`, `главы МИДа`). `strict`: the
    person's first reading must be oblique."""
    words = [core(tok) for _, _, tok in toks]
    nouns = [_noun_parses(w, morph) if len(w) >= 3 else [] for w in words]  # one parse per word
    case = [n[0].tag.case if n else None for n in nouns]
    after_subject = False  # the last word was a noun in the nominative: a genitive after it is its attribute
    for i, (s, e, tok) in enumerate(toks):
        if words[i].lower() in lex.object_pronouns:
            return s, s + len(words[i])
        if tok[0] in QUOTE_MARKS or len(words[i]) < 3:
            continue
        if nouns[i] and nouns[i][0].normal_form in lex.cited_nouns and words[i].islower():
            after_subject = False  # "цитирует Лента.ру обращение председателя КНР …": what is cited, then whose
            continue
        if case[i] == "nomn" and words[i].islower() or after_subject and case[i] == "gent":
            after_subject = True  # "цитує прес-служба Міністерства охорони здоров'я": the outlet's own name
            continue
        after_subject = False
        if strict and case[i] not in OBLIQUE or not _cited(words[i], nouns[i], lex):
            continue
        last = i
        while last + 1 < len(toks) and toks[last][2][-1] not in ",.;:!?" and (nouns[last + 1] and (
                case[last + 1] in OBLIQUE or is_cap(toks[last + 1][2]) and _cited(words[last + 1], nouns[last + 1], lex))
                or _short_name_part(toks, words, nouns, case, last + 1)):
            last += 1  # "Дмитрия Пескова", "главы МИДа", "Сергея Нарышкина", "председателя КНР Си Цзиньпина"
        return _core_start(s, tok), _core_start(toks[last][0], toks[last][2]) + len(words[last])
    return None


def _short_name_part(toks, words, nouns, case, k: int) -> bool:
    """A capitalised word too short to parse inside a cited name (`Си` of `Си Цзиньпина`): an
    oblique capitalised word follows it."""
    return len(words[k]) < 3 and is_cap(toks[k][2]) and toks[k][2][-1] not in ",.;:!?" and k + 1 < len(toks) \
        and bool(nouns[k + 1]) and case[k + 1] in OBLIQUE and is_cap(toks[k + 1][2])


def _core_start(at: int, tok: str) -> int:
    """Where a token's core (`core`) starts, past leading marks."""
    return at + len(tok) - len(tok.lstrip(EDGE))


def _analyser(lang: str | None):
    """The morphological analyser of a language (Russian or Ukrainian), or None."""
    from . import ner

    if lang == "uk":
        return ner.ukrainian_morph()
    if lang != "ru":
        return None
    try:
        return ner.russian_morph()
    except Exception:  # natasha or pymorphy2 missing: no case, no speaker
        return None


OBLIQUE = {"accs", "gent"}


NAME_TAGS = {"Name", "Surn", "Patr"}


def _noun_parses(word: str, morph) -> list:
    """A word's noun readings; for a capitalised word, its name readings when it has any
    ("Песков" is a surname, not the genitive plural of "песок")."""
    if not word or not word[0].isalpha():
        return []
    nouns = [p for p in morph.parse(word) if p.tag.POS == "NOUN"]
    names = [p for p in nouns if NAME_TAGS & p.tag.grammemes]
    return names if word[0].isupper() and names else nouns


def _cited(word: str, nouns: list, lex: Lexicon) -> bool:
    """`Пескова`, `дипломата`, `главы`, `пресс-службу` (`nouns`: the word's _noun_parses): a
    person (any animate reading in the accusative or genitive: `Нарышкина`, `Грушко` read as
    nominatives too, but the outlet is no person), or a capitalised name or organisation noun
    whose first reading is oblique."""
    if not nouns or nouns[0].normal_form in lex.outlet_nouns:
        return False
    if any("anim" in p.tag and p.tag.case in OBLIQUE for p in nouns):
        return True
    return nouns[0].tag.case in OBLIQUE and (word[0].isupper() and word[1:2].islower()
                                             or nouns[0].normal_form in lex.org_words)


PAST_VERB = re.compile(r"[a-z]{3,}ed\b")


def find_after_verb(par: str, start: int, end: int, lex: Lexicon) -> Attribution | None:
    """`“France will always be France,” an angry Hollande retaliated.`: any past-tense verb as the cue.

    Only for a quotation that ends with a comma, whose sentence then holds
    nothing but a subject and one `-ed` verb (or the verb and its subject):
    that position is a speech verb's whatever the verb is.
    """
    s = start
    while s < end and (par[s].isspace() or par[s] in ","):
        s += 1
    stop = s
    while stop < end and par[stop] not in ".;:!?\"“”«»" + "\n":
        stop += 1
    if stop == s or len(par[s:stop].split()) > 8:
        return None
    for m in PAST_VERB.finditer(par, s, stop):
        if m.start() > s and not par[m.start() - 1].isspace():
            continue
        rest = par[m.end():stop]
        if not rest.strip(" ,\u00a0"):
            # subject then verb: "an angry Hollande retaliated."
            span = subject_before(par, s, m.start(), lex)
        elif m.start() == s:
            # verb then subject: "exhorted Clinton's introducer, actress Jamie Lee Curtis."
            span = np_after(par, m.end(), stop, lex)
            if span and par[span[1]:stop].strip(" ,\u00a0") and not par[span[1]:stop].lstrip().startswith(","):
                span = None
        else:
            continue
        if span and valid_speaker(par[span[0]:span[1]], lex) and not any(
                core(w).lower() in lex.verbish for w in par[span[0]:span[1]].split()):
            return Attribution(par[span[0]:span[1]], *span, m.group(), m.start(), m.end(), "after")
        return None
    return None


def _named_apposition(par: str, span, end: int, lex: Lexicon):
    """`said the campaign manager, Jeff Weaver.` -> `Jeff Weaver`: the name set off after a description."""
    if span is None or any(is_cap(w) and not re.search(r"[’']s?$", w) for w in par[span[0]:span[1]].split()):
        return None
    if par[span[1]:span[1] + 1] != ",":
        return None
    nxt = np_after(par, span[1] + 1, end, lex)
    if nxt is None or not _ends_phrase(par, nxt[1], end):
        return None
    words = par[nxt[0]:nxt[1]].split()
    name = [w for w in words if is_cap(w)]
    if len(words) > 5 or len(name) < 2 or not is_cap(words[-1]):
        return None
    return nxt


ROLE_THEN_NAME = re.compile(r"(?:\s+[a-z][\w-]*){1,5}((?:\s+[A-Z][\w'’.-]*){2,4})(?=\s*(?:[,.;]|$))")


def _name_after_role(par: str, span, end: int, lex: Lexicon):
    """`said master of ceremonies Asab Al-Tabchi, a …` -> the whole phrase, not `master`.

    Only when the phrase was cut inside a role (`master`, `former secretary`)
    and lower-case words then lead to a name that ends the phrase.
    """
    if span is None or par[span[1]:span[1] + 1] != " ":
        return None
    words = par[span[0]:span[1]].split()
    if is_cap(words[-1]) and core(words[-1]).lower() not in lex.title_words:
        return None
    m = ROLE_THEN_NAME.match(par, span[1], end)
    if m is None or any(core(w).lower() in lex.verbish or core(w).lower() in lex.subject_cut
                        for w in par[span[1]:m.start(1)].split()):
        return None
    out = (span[0], m.end(1))
    return out if valid_speaker(par[out[0]:out[1]], lex, lex.numbers["max_speaker_words"]) else None


def _ends_phrase(par: str, pos: int, end: int) -> bool:
    """Nothing but a sentence end or a comma follows a phrase: `warned Clinton.`, `read the statement, which …`."""
    rest = par[pos:end].lstrip(" \u00a0")
    return not rest or rest[0] in ".,;!?"


def _dash_name(par: str, s: int, end: int, lex: Lexicon) -> Attribution | None:
    """`”― Carla Sanchez.` / `" - Sanders`: a dash and a name ending the sentence."""
    m = re.match(r"[—―–-]\s*", par[s:end])
    if not m:
        return None
    span = np_after(par, s + m.end(), end, lex)
    if not span:
        return None
    rest = par[span[1]:end].strip(" .;)\u00a0")
    name = par[span[0]:span[1]]
    if (rest and not rest.startswith(",")) or not is_cap(name) or not valid_speaker(name, lex):
        return None
    return Attribution(name, *span, par[s], s, s + 1, "after")


def dash_paragraph(par: str, lex: Lexicon) -> Attribution | None:
    """A paragraph that is only `- Sanders.`: it attributes the quotation before it."""
    s = len(par) - len(par.lstrip())
    if s >= len(par) or par[s] not in "—―–-":
        return None
    return _dash_name(par, s, len(par), lex)


def _plausible_after_subject(par: str, s: int, cue_at: int, span, lex: Lexicon, new_sentence: bool) -> bool:
    """Reject a 'subject' that is really a clause: too many words not set off by commas."""
    pre = par[s:cue_at].strip()
    words = pre.split()
    if "," in pre:
        return span[0] >= s
    limit = 8 if not new_sentence else 7
    return len(words) <= limit


def find_before(par: str, start: int, end: int, lex: Lexicon, sent_start: int | None = None,
                fragment: bool = False) -> Attribution | None:
    """An attribution in the text before an opening mark: `X said:`, `He added, "`, `According to X, “`.

    `sent_start` is where the sentence begins when an earlier quotation in it
    cut the text short: a participle cue (`…, saying, “`) looks back to it.
    `fragment`: the quotation is a fragment woven into the sentence (`Sanders
    said the talks were “a dead end”`): the cue may stand further from it.
    """
    pre = par[start:end]
    if not pre.strip():
        return None
    for acc in lex.according_re.finditer(par, start, end):
        span = np_after(par, acc.end(), end, lex)
        if span and not par[span[1]:end].strip(" ,:—–-\u00a0"):
            return Attribution(par[span[0]:span[1]], *span, acc.group(), acc.start(), acc.end(), "before")
    cues = [m for m in lex.cue_re.finditer(par, start, end) if cue_ok(par, m, lex, start)]
    for m in reversed(cues):
        gap = par[m.end():end]
        if DASH_AUTHOR.search(gap):
            continue  # "Pollsters agree - Carl Bialik: “": a digest's headline, then who wrote the excerpt
        gap_words = gap.split()
        opener = m.group()[:1].isupper()  # "Said Dorothy Poynter, who grew up with Ali …, “"
        # "Bolton told Breitbart News Daily SiriusXM host Matt Boyle, “Hillary’s …": a longer
        # object or circumstance, set off by a comma before a quotation that opens a sentence
        comma_led = gap.rstrip().endswith(",") and par[end + 1:end + 2].isupper()
        if len(gap_words) > (30 if opener else 20 if comma_led or fragment else 6) or any(ch in QUOTE_MARKS for ch in gap):
            continue
        if gap_words and core(gap_words[-1]).lower() in lex.partial_before and core(gap_words[-1]).lower() not in lex.determiners \
                and not gap.rstrip().endswith((",", ":")) and not fragment:
            return None  # (`responds to Mills with, “Why now?”` is set off by its comma)
        if any(w[-1:] in SENT_END and not _is_abbrev(w, lex) for w in gap_words[:-1]):
            continue
        inside = _cue_speaker_inside(par, m)
        if inside:
            return Attribution(par[inside[0]:inside[1]], *inside, m.group(), m.start(), m.end(), "before")
        if m.group().lower() in lex.citing_cues:
            att = cited_person(par, m, end, lex)  # "Газета Die Welt приводит слова представителя Missio: «…»"
            if att.speaker:
                att.where = "before"
                return att
            # ("X процитував шотландську приказку: «…»": X quotes a saying; X is the speaker)
        if ")" not in par[m.end():end]:
            start = _open_parenthesis(par, start, m.start())
        chunk = par[start:m.start()]
        if not chunk.strip() or all(core(w).lower() in lex.adverbs or core(w).lower() in lex.inversion_leads
                                    or _cue_adverb(w, lex) or is_cap(w) and core(w).lower() in lex.conjunctions
                                    for w in chunk.split()) or _inversion_lead_before(chunk, lex, par[m.end():end]):
            # (`И сказал Путин: «…»`: a conjunction opening the sentence, then the cue, then its speaker)
            # (`Как пишет «Би-би-си»`: the speaker follows the cue)
            span = np_after(par, m.end(), end, lex)
            if span and not valid_speaker(par[span[0]:span[1]], lex):
                span = None
            # (`Как говорится в заявлении МИД, «…»`: the document, kept with its preposition)
            span = span or _source_phrase(par, m.end(), end, lex)
        else:
            span = _inverted_before(par, m, end, lex) or subject_before(par, start, m.start(), lex, _participle(m.group()))
        if span is None and _participle(m.group()) and sent_start is not None and sent_start < start \
                and par[sent_start:start].lstrip()[:1] not in QUOTE_MARKS:
            # `X said …“a title,” explaining, “`: the subject the sentence opens with
            # (`“A,” said X, speaking of …, “B”`: a sentence that opens with a quotation has its speaker elsewhere)
            span = subject_before(par, sent_start, m.start(), lex, True)
        if span is None:
            return Attribution(None, None, None, m.group(), m.start(), m.end(), "before")
        return Attribution(par[span[0]:span[1]], *span, m.group(), m.start(), m.end(), "before")
    if pre.rstrip().endswith(":"):
        # "Nadezhdin on Telegram: “…”", "Rep. Trey Gowdy (R-S.C.):": the clause's subject speaks
        colon = start + len(pre.rstrip()) - 1
        # the sentence the colon ends (sentence_starts: "в с. Слобода на …", an abbreviation ends none)
        sent = max([b for b in sentence_starts(par, [], lex) if start <= b < colon] + [start])
        span = _topic_speaker(par, sent, colon, lex) or _headline_subject(par, sent, colon, lex) \
            or _name_before(par, start, colon, lex)
        if span is not None and _listener(par, start, span[0], lex):
            # "McConnell delivered a blunt message to Trump:": the name is the listener; the subject
            # speaks when it is a name ("Près de 400 gilets jaunes ont manifesté à Mons:" has none)
            span = subject_before(par, start, colon, lex, participle=True)
            words = par[span[0]:span[1]].split() if span else []
            if len(words) < 2 or not all(is_cap(w) or w.lower() in lex.name_particles for w in words):
                return Attribution(None, None, None, ":", colon, colon + 1, "before")
        elif span is None:
            span = subject_before(par, start, colon, lex, participle=True)
        if span:
            return Attribution(par[span[0]:span[1]], *span, ":", colon, colon + 1, "before")
    return None


def _inversion_lead_before(chunk: str, lex: Lexicon, after: str) -> bool:
    """Whether the text before a cue ends with an inversion lead set off by a comma:
    `…, однако, как отметил X, «…»`, `…, mais, comme l'a souligné X, « … »` (past adverbs
    and an elided object pronoun with its auxiliary). `after`, the text from the cue to the
    quotation, must end on a comma or colon: in `как заявлял глава разработчиков «Спутника V»
    академик …` the quotation is inside the subject."""
    if not after.rstrip().endswith((",", ":")):
        return False
    words = chunk.split()
    k = len(words)
    while k and (_cue_adverb(words[k - 1], lex) or re.fullmatch(r"l['’]\w*", core(words[k - 1]).lower())):
        k -= 1
    return k > 1 and core(words[k - 1]).lower() in lex.inversion_leads and words[k - 2].endswith(",")


def _inverted_before(par: str, m: re.Match, end: int, lex: Lexicon) -> tuple[int, int] | None:
    """`…, отметил Чистов: «…»`, `…, said Smith: “…”`: a cue after a comma with a name after it,
    running up to the quotation, names the speaker (not the subject of the clause before)."""
    before = par[:m.start()].rstrip()
    if not before.endswith(",") or _participle(m.group()) or m.group().lower() in lex.not_inverted:
        return None
    if not par[:end].rstrip().endswith(":"):
        return None  # (`…, said Iran's application “must …”`: a cue before a fragment is not inverted)
    sentence = re.split(r"[.!?…]\s+", before[:-1])[-1].split()
    if any(is_cap(w) for w in sentence[1:]) or sentence and sentence[0].endswith(","):
        return None  # "A lawyer, Eduardo Contreras, told Reuters:": a name before the comma is the subject
    span = np_after(par, m.end(), end, lex)
    if span is None or par[span[1]:end].strip(" ,:—–-\u00a0"):
        return None
    text = par[span[0]:span[1]]
    return span if valid_speaker(text, lex) and any(is_cap(w) for w in text.split()) else None


def _topic_speaker(par: str, sent: int, colon: int, lex: Lexicon) -> tuple[int, int] | None:
    """The name a headline-like clause with no verb opens with, before a word of `topic_preps`:
    `Nadezhdin on Telegram:`, `Putin to Biden:`, `Gillibrand on Hillary Releasing Her … Transcripts:`
    (the names after the preposition are the topic, the medium or the listener). `sent`: where the
    sentence the colon ends starts."""
    toks = tokens(par, sent, colon)
    if len(toks) > 15:
        return None
    name = []
    for s_, e_, tok in toks:
        if not is_cap(tok):
            break
        name.append((s_, e_, tok))
    if not name or len(name) > 4 or len(name) == len(toks) or name[-1][2][-1:] in ",;:":
        return None
    rest = par[name[-1][1]:colon].lower()
    if "," in rest or not any(rest.startswith(f" {p} ") for p in lex.topic_preps):
        return None
    a, b = _strip_span(par, name[0][0], name[-1][1])
    return (a, b) if b > a and valid_speaker(par[a:b], lex) else None


def _open_parenthesis(par: str, start: int, end: int) -> int:
    """`start`, or just after a parenthesis opened before `end` and not closed: its clause is
    the cue's ("… calamity (Raphael Lemkin, who coined the word, once said, “…”)"), when the
    parenthesis is still open at the quotation."""
    depth = 0
    for i in range(end - 1, start - 1, -1):
        ch = par[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                return i + 1
            depth -= 1
    return start


# A dash, then capitalised words (a name or two) and a colon, right before the quotation.
DASH_AUTHOR = re.compile(r"\s[-–—―]\s+[A-ZА-ЯЁІЇЄ][^\s:]*(?:\s+(?:and|et|и|і|[A-ZА-ЯЁІЇЄ])[^\s:]*){0,5}:\s*$")


def _headline_subject(par: str, sent: int, colon: int, lex: Lexicon) -> tuple[int, int] | None:
    """A short noun phrase alone before a colon that names a person or a body by a description:
    `Рівненський лікар: «…»`, `Адвокат Навального: «…»`, `Trump adviser: “…”` (the whole phrase,
    not its capitalised words). `sent`: where the sentence the colon ends starts."""
    a, b = _strip_span(par, sent, colon)
    words = par[a:b].split()
    if not 1 < len(words) <= 4 or not is_cap(words[0]) or any(w[-1:] in ",;—–" for w in words):
        return None
    if not any(core(w).lower() in lex.person_words or core(w).lower() in lex.org_words for w in words):
        return None
    return (a, b) if valid_speaker(par[a:b], lex) else None


def _listener(par: str, start: int, at: int, lex: Lexicon) -> bool:
    """Whether the name at `at` follows a word of `topic_preps` inside a clause: the listener,
    the place or the topic (`delivered a blunt message to Trump:`), not the speaker."""
    before = par[start:at].split()
    return len(before) > 1 and before[-1].lower() in lex.topic_preps


def _name_before(par: str, start: int, end: int, lex: Lexicon) -> tuple[int, int] | None:
    """The run of capitalised words right before `end`: `… pollster Daron Shaw:` -> `Daron Shaw`."""
    e = end
    text = par[start:e]
    if text.rstrip().endswith(")"):
        paren = text.rfind("(")
        if paren >= 0:
            e = start + paren
    toks = tokens(par, start, e)
    run = []
    for s_, e_, tok in reversed(toks):
        if not is_cap(tok) or tok[-1:] in ",;:" and run:
            break
        run.append((s_, e_, tok))
        if len(run) >= 4:
            break
    run.reverse()
    while run and core(run[0][2]).lower() in lex.subject_stop:
        run = run[1:]
    if not run:
        return None
    a, b = _strip_span(par, run[0][0], run[-1][1])
    return (a, b) if b > a and valid_speaker(par[a:b], lex) else None


def adjacent_before(att: Attribution | None, par: str, open_at: int) -> bool:
    """A before-attribution that runs right up to the quote: `X said, “` or `X said: “`."""
    if att is None or att.where != "before":
        return False
    gap = par[att.cue_end:open_at]
    return len(gap.split()) <= 6 and gap.rstrip()[-1:] in (":", ",")


def find_in_previous(par: str, start: int, end: int, lex: Lexicon) -> Attribution | None:
    """`Nobody gets over it, the woman said.` or `Dianne Bystrom agreed.` before a quotation."""
    sent = par[start:end].rstrip()
    if not sent or sent[-1] not in ".:":
        return None
    reported = _reporting_subject(par, start, start + len(sent), lex)
    if reported is not None:
        return reported
    comma = max(sent.rfind(", "), sent.rfind(" — "))
    if comma < 0:
        words = sent.split()
        last = lex.cue_re.search(par, start + len(sent) - len(words[-1]) - 1, start + len(sent)) if words else None
        if last is None or len(words) > 8 or not cue_ok(par, last, lex, start):
            return None
        span = subject_before(par, start, last.start(), lex)
        if span is None:
            return None
        return Attribution(par[span[0]:span[1]], *span, last.group(), last.start(), last.end(), "previous")
    att = find_after(par, start + comma + 1, start + len(sent), lex)
    if att is None or att.speaker is None:
        return None
    head = _strip_span(par, start, start + comma)
    if core(att.speaker.split()[0]).lower() in lex.determiners and _is_name(par[head[0]:head[1]], lex) \
            and att.sp_start == _strip_span(par, start + comma + 1, att.sp_end)[0]:
        # "Sam Lau, the communications director for the Iowa Democratic Party said …": the name, not its apposition
        att.speaker, att.sp_start, att.sp_end = par[head[0]:head[1]], head[0], head[1]
    rest = par[att.cue_end:start + len(sent)].split()
    if att.sp_end is not None and att.sp_end > att.cue_end:
        rest = par[att.sp_end:start + len(sent)].split()
    if len(rest) > 3:
        return None
    att.where = "previous"
    return att


def _reporting_subject(par: str, start: int, end: int, lex: Lexicon) -> Attribution | None:
    """`Lundi, l'acteur a expliqué qu'à ce moment-là il était fatigué.` before a quotation with no
    cue of its own: the sentence reports its subject's words, and the quotation goes on with them.

    Only a sentence that opens with its subject (past a leading phrase and a
    comma) and whose first cue introduces a `that` clause.
    """
    for m in lex.cue_re.finditer(par, start, end):
        if not cue_ok(par, m, lex, start):
            continue
        after = par[m.end():m.end() + 12].split()
        first = unelided(after[0]) if after else ""
        if first not in lex.complementizers:
            return None
        span = subject_before(par, start, m.start(), lex)
        if span is None:
            return None
        lead = par[start:span[0]].strip()
        if lead and (not lead.endswith(",") or len(lead.split()) > 6):
            return None
        return Attribution(par[span[0]:span[1]], *span, m.group(), m.start(), m.end(), "previous")
    return None


DASHED_INCISE = re.compile(r"[,.!?…]\s*[—–-]\s*(?:[" + LOWER_CHARS + r"]+\s+)?$")  # ", — (adverb) " before a cue
INCISE_CLOSE = re.compile(r"[,.!?…]?\s+[—–-]\s+")  # the dash that reopens the quotation


def find_incise(par: str, start: int, end: int, lex: Lexicon) -> tuple[Attribution, int, int] | None:
    """An attribution inside the quote marks, French style: `« A, explique X. B »`.

    Returns the attribution and the span (paragraph offsets) to cut out of the
    quotation, or None.
    """
    for m in lex.cue_re.finditer(par, start, end):
        window = max(start, m.start() - 30)
        # «A, — пояснила Алла Бут. — B», «A, — задоволено жартує знайомий. — B» (an adverb before the cue)
        dashed = DASHED_INCISE.search(par, window, m.start())
        before = par[max(start, m.start() - 6):m.start()]
        if not dashed and not re.search(r",\s*(?:to\s+)?$", before) and not re.search(r",\s*\w+\s+$", before):
            continue
        # (after a dash the quotation's first part keeps its own "." or "!")
        cut_start = dashed.start() + 1 if dashed else par.rfind(",", start, m.start())
        if dashed and m.group().lower() in lex.citing_cues:
            # «A, — приводит его слова газета. — B»
            close = INCISE_CLOSE.search(par, m.end(), min(end, m.end() + 120))
            if close:
                att = cited_person(par, m, close.start(), lex)
                att.where = "incise"
                return att, cut_start, close.end()
        inside = _cue_speaker_inside(par, m)
        if inside and _ends_clause(par, m.end(), end):
            # « A, a-t-il dit. B »
            return (Attribution(par[inside[0]:inside[1]], *inside, m.group(), m.start(), m.end(), "incise"),
                    cut_start, _incise_end(par, m.end(), end))
        span = np_after(par, m.end(), end, lex)
        if span is None:
            continue
        spk = par[span[0]:span[1]]
        # a pronoun or a description only between dashes, where the incise cannot be the quotation's own words
        named = any(is_cap(w) for w in spk.split()) or dashed and valid_speaker(spk, lex)
        if not named or not _ends_clause(par, span[1], end):
            continue
        resume = _incise_end(par, span[1], end)
        if dashed:
            # the incise runs to the dash that reopens the quotation: "— жартує знайомий, що живе у США. —"
            close = INCISE_CLOSE.search(par, span[1], min(end, span[1] + 120))
            resume = close.end() if close else resume
        return Attribution(spk, *span, m.group(), m.start(), m.end(), "incise"), cut_start, resume
    return None


def _incise_end(par: str, pos: int, end: int) -> int:
    """Where the quotation resumes after an incise: past its `.`/`,` and a dash that reopens it."""
    while pos < end and par[pos] in ".,;":
        pos += 1
    dash = re.match(r"\s*[—–](?:\s|(?=\w))|\s*-(?=\s)", par[pos:end])  # ("– сказал он, –направленной")
    return pos + dash.end() if dash else pos


def _ends_clause(par: str, pos: int, end: int) -> bool:
    """The speaker is followed by a clause end (`.` or `,`) inside the quotation."""
    rest = par[pos:end]
    return bool(re.match(r"\s*[.,;]", rest))


def tidy_speaker(text: str, lex: Lexicon) -> tuple[int, int] | None:
    """The speaker inside a phrase found around a cue, as offsets into `text`; None if there is none.

    The phrase before or after a cue can run past the speaker:
    `The Florida senator sought to calm his supporters` (a clause of its own),
    `Gov. Mike Pence on Thursday`, `a Democratic staffer in the room`, `Sanders
    as he closed out` (an adjunct after the name), `Monday he`, `Recently she`
    (a time word before a pronoun); or hold no one at all (`when`, `before`,
    `came`). A verb cuts the phrase only after a name, a pronoun or a person
    word, so `the retired neurosurgeon` and `a source involved in …` stay whole.
    """
    toks = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    if not toks:
        return None
    lower = [core(t).lower() for _, _, t in toks]
    # "Monday he", "Recently she": a time word or an adverb before the subject
    while len(toks) > 1 and (lex.pronoun_type(lower[1]) is not None and (lower[0].endswith("ly") or lower[0] in lex.adverbs)
                             or lower[0] in lex.time_words and (lex.pronoun_type(lower[1]) is not None or is_cap(toks[1][2]))
                             or lower[0] in lex.subordinators and lower[0] not in lex.relatives):
        toks, lower = toks[1:], lower[1:]  # "Quand il", "When he": the subject after the subordinator
    if lex.dash_dialogue:
        skip = openers(toks, lex)  # `Наразі Трамп`, `Между тем Песков`
        toks, lower = toks[skip:], lower[skip:]
    if len(toks) > 1 and lower[0] in lex.adverbs | lex.leading_preps | lex.subordinators \
            and re.match(r"qu['’]\w", toks[1][2], re.IGNORECASE):
        toks, lower = toks[1:], lower[1:]  # "bien qu’elle", "alors qu’il": the word before the elided que
    according = lex.according_re.match(text, toks[0][0])
    if according and len(toks) > 1 and is_cap(text[according.end():].lstrip()):
        # "Selon Fabien Cros, élu CGT, …" taken whole as an antecedent: the name after the cue
        toks = [t for t in toks if t[0] >= according.end()]
        lower = lower[len(lower) - len(toks):]
    elided = re.match(r"(?:lorsqu|puisqu|qu)['’](?=\w)", toks[0][2], re.IGNORECASE)
    if elided and (len(toks) > 1 or lex.pronoun_type(toks[0][2][elided.end():])):
        # "Tandis qu’un homme lance": the elided conjunction is no part of the speaker
        toks[0] = (toks[0][0] + elided.end(), toks[0][1], toks[0][2][elided.end():])
        lower[0] = core(toks[0][2]).lower()
    for i in range(1, len(toks)):
        word, raw = lower[i], core(toks[i][2])
        if not word or raw != word or not _speaker_head(toks[i - 1][2], lower[i - 1], lex):
            continue
        if _finite_verb(word, lower[i + 1] if i + 1 < len(lower) else "", lex) or (
                word in lex.speaker_tails and i + 1 < len(lower)
                and _adjunct(lower[i + 1:], [t for _, _, t in toks[i + 1:]], lex)):
            toks, lower = toks[:i], lower[:i]
            break
    if len(toks) == 1 and not is_cap(toks[0][2]) and lex.pronoun_type(lower[0]) is None and (
            lower[0] in lex.verbish or lower[0] in lex.subordinators
            or lower[0] in lex.leading_preps or lower[0].endswith("ing")):
        return None  # "when", "before", "came", "taking": no one
    a, b = toks[0][0], toks[-1][1]
    while b > a and text[b - 1] in ",;:":
        b -= 1
    return a, b


def _speaker_head(tok: str, word: str, lex: Lexicon) -> bool:
    """A word a speaker phrase can end on: a name, a pronoun, a person or organisation word."""
    if word in lex.determiners or word in lex.subject_stop and lex.pronoun_type(word) is None:
        return False  # "A flabbergasted Noah", "No wonder Trump": not the end of a speaker
    return (is_cap(tok) and not tok.rstrip().endswith(",")) or lex.pronoun_type(word) is not None \
        or word in lex.person_words or word in lex.org_words or word in lex.title_words


def _finite_verb(word: str, nxt: str, lex: Lexicon) -> bool:
    """A verb that starts a clause of its own after the speaker (`sought to`, `lost her`).

    A participle that qualifies the noun (`involved in`, `known as`, `based
    at`) is followed by a preposition and is not one.
    """
    if word in lex.noun_cues:
        return False  # "Trump’s Virginia state director"
    cue = lex.cue_re.match(word)
    if cue is not None and cue.end() == len(word):
        return True
    # (`verbish` also lists words that only show a verb is near: `and`, `who`, `then`, `also`;
    # auxiliaries such as `was`, `has` do start a clause: "The senator was asked")
    if word in lex.verbish and word not in lex.conjunctions and word not in lex.relatives \
            and word not in lex.time_words and word != "also":
        return True
    return len(word) > 4 and word.endswith("ed") and nxt not in lex.leading_preps and nxt not in lex.noun_links \
        and nxt not in ("as", "by", "with", "to")


def _adjunct(words: list[str], raw: list[str], lex: Lexicon) -> bool:
    """`on Thursday`, `at the debate`, `in the room`, `as he closed out`: a time, place or clause after the speaker."""
    if not words:
        return False
    if lex.pronoun_type(words[0]) is not None:
        return True  # "as he closed out"
    return words[0] in lex.time_words or words[0] in lex.determiners or is_cap(raw[0]) and len(words) <= 3
