"""Word-form search: snippets mark every form of the query's words."""
from pathlib import Path

import pytest

from corpus_db import stemming
from corpus_db.stemming import MARK_CLOSE, MARK_OPEN, WORD

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Real text of several paragraphs in each language the search is tuned for
# (the Russian and Ukrainian from the fixtures of the other tests).
RUSSIAN = (
    "Кремль обеспокоен угрозой со стороны движения жен мобилизованных и опасается, что их активность может "
    "создать негативный фон для президентских выборов.\n\n"
    "По данным издания «Коммерсантъ», на выходных прошел закрытый семинар для региональных чиновников по "
    "подготовке к выборам, где обсуждали настроения родственников.\n\n"
    "Только в Новосибирске власти согласовали проведение акции, но с условием, что митинг пройдет в "
    "помещении и участников пустят по предъявлении сертификата.\n\n"
    "Жёны мобилизованных пытались получить разрешение на митинги ещё в нескольких городах России, но "
    "везде получили отказ со ссылкой на ограничения. «Верните наших мужей домой», — сказала одна из "
    "участниц акции. До выборов осталось три месяца."
)
UKRAINIAN = (
    "Дружини мобілізованих вимагають повернення чоловіків додому, заявила організаторка акції. "
    "Дружини мобілізованих вимагають демобілізації до виборів у Києві.\n\n"
    "Торік Петро Порошенко відвідав Київ. Проте Порошенко не коментує. Зеленський відвідав Київ, а УНІАН "
    "повідомляє про протести у Москві.\n\n"
    "Лікар Олена Марченко працює в лікарні двадцять років.\n\n"
    "— Пацієнтів стало більше, ніж торік, — каже вона. — Але ліків вистачає. Пам'ять про тих, хто був "
    "поруч, є з нами, і бути разом — це головне.\n\n"
    "«Ми не здамося», — зазначив президент Володимир Зеленський. Голова ОВА Олег Синєгубов сказав: "
    "«Ситуація під контролем». Під час виборів у Києві черги були довгими, а вибори в області минули спокійно."
)
ENGLISH = (SEEDS / "000_0add55cb8393ee8c.txt").read_text(encoding="utf-8")
QUERIES = {
    "ru": ["выборы", "жены мобилизованных", "выбор", "митинг Новосибирск", "Коммерсантъ", "еще", "зарплата"],
    "uk": ["вибори", "Київ", "лікарня", "мобілізовані дружини", "пам’ять", "бути", "є", "Порошенко", "зарплата"],
    "en": ["mobilisation", "wives", "husband", "Nadezhdin Moscow", "mobili", "election", "country's", "zebra"],
}


def marked(word):
    return MARK_OPEN + word + MARK_CLOSE


def reference_snippet(text, query, language, words=24):
    """stem_snippet the plain way: every word listed and its first letters
    compared, and every word stemmed when none of those is a hit."""
    if not text:
        return ""
    wanted = {s for w in WORD.findall(query or "") for s in stemming.query_word_stems(w)}
    prefixes = {stem[:2] for stem in wanted}
    tokens = list(WORD.finditer(text))
    language = (language or "und").lower()

    def hit(m):
        return bool(wanted.intersection(stemming.word_stems(m.group(), language)))

    hits = [i for i, m in enumerate(tokens) if stemming._prefix(m.group()) in prefixes and hit(m)]
    hits = hits or [i for i, m in enumerate(tokens) if hit(m)]
    if not tokens:
        return text[:200]
    best, best_count = (hits or [0])[0], 0
    for first in hits:
        count = sum(1 for h in hits if first <= h < first + words)
        if count > best_count:
            best, best_count = first, count
    start = max(0, best - 3)
    end = min(len(tokens), start + words)
    pieces, cursor = [], tokens[start].start()
    for i in range(start, end):
        pieces.append(text[cursor:tokens[i].start()])
        pieces.append(marked(tokens[i].group()) if i in hits else tokens[i].group())
        cursor = tokens[i].end()
    if end == len(tokens):
        pieces.append(text[cursor:].rstrip())
    return ("…" if start > 0 else "") + "".join(pieces) + ("…" if end < len(tokens) else "")


def test_snippet_marks_other_forms_in_russian_and_ukrainian():
    ru = "Кандидат заявил о выборах. Итоги выборов в Москве оспаривают. Выборы прошли в марте."
    snippet = stemming.stem_snippet(ru, "выборы", "ru")
    assert marked("выборах") in snippet and marked("выборов") in snippet and marked("Выборы") in snippet
    uk = "Під час виборів у Києві черги були довгими, а вибори в області минули спокійно."
    snippet = stemming.stem_snippet(uk, "вибори", "uk")
    assert marked("виборів") in snippet and marked("вибори") in snippet


@pytest.mark.parametrize("language,text", [("ru", RUSSIAN), ("uk", UKRAINIAN), ("en", ENGLISH)])
@pytest.mark.parametrize("words", [24, 6])
def test_snippet_is_the_reference_snippet(language, text, words):
    snippets = {query: stemming.stem_snippet(text, query, language, words) for query in QUERIES[language]}
    assert snippets == {query: reference_snippet(text, query, language, words) for query in QUERIES[language]}
    assert any(MARK_OPEN in snippet for snippet in snippets.values())


def test_snippet_edge_cases_are_the_reference_snippet():
    cases = [
        ("", "выборы", "ru"), ("…!? " * 80, "выборы", "ru"), ("Выборы.", "", "ru"), ("Выборы.", None, None),
        ("a b c d e f g h выборы!", "выборы", "ru"),  # windows that reach the end, or just do not
        ("Є проблема. Він був там. Бути чи не бути.", "бути", "uk"),  # `є`: only when nothing else is found
        ("Є проблема, є рішення.", "бути", "uk"),
        ("I said İ and i̇ and ΑΣ, ας and σοφία.", "İ ας σοφία", "el"),
        ("Don’t stop: don't, dont.", "don't", "en"),
    ]
    for text, query, language in cases:
        for words in (24, 5, 4, 3, 0, -1):
            expected = reference_snippet(text, query, language, words)
            assert stemming.stem_snippet(text, query, language, words) == expected, (text, query, words)


def test_candidate_words_are_every_word_starting_like_a_prefix():
    # Every word's own first letters as prefixes: the case-folded search must
    # find each word, whatever its case, ё, final sigma, apostrophe or İ.
    text = ("Ёлка, ёж и ЕЛЬ. Пам’ять, пам'ять ПАМʼЯТЬ; d’Artagnan o'clock. ΟΣΟΣ ΑΣ ας Σοφία σοφός. "
            "İstanbul İ i̇ ı KELVIN kelvin. Straße STRASSE ﬁne. " + RUSSIAN + UKRAINIAN)
    tokens = list(WORD.finditer(text))
    prefixes = frozenset(stemming._prefix(m.group()) for m in tokens)
    found = [m.span() for m in stemming._candidates(text, prefixes) if stemming._prefix(m.group()) in prefixes]
    assert found == [m.span() for m in tokens]
    some = frozenset({"ел", "па", "ασ", "i\u0307"})
    found = [m.span() for m in stemming._candidates(text, some) if stemming._prefix(m.group()) in some]
    assert found == [m.span() for m in tokens if stemming._prefix(m.group()) in some] and len(found) > 5


def test_candidates_fall_back_to_every_word_when_lowering_changes_length(monkeypatch):
    text = "Выборы, выборов и выборах."
    expected = stemming.stem_snippet(text, "выборы", "ru")
    monkeypatch.setattr(stemming, "_folded", lambda t: t + "x")  # offsets there no longer fit
    candidates = stemming._candidates(text, frozenset({"вы"}))
    assert [m.span() for m in candidates] == [m.span() for m in WORD.finditer(text)]
    assert stemming.stem_snippet(text, "выборы", "ru") == expected and expected.count(MARK_OPEN) == 3


def test_snippet_prefilter_finds_what_a_full_scan_finds():
    text = ("Mobilised men and their wives: the mobilisation of 2022 still divides families. "
            "Wives of the mobilized asked for rotation; mobilising more men was ruled out.")
    wanted = set(stemming.query_word_stems("mobilisation")) | set(stemming.query_word_stems("wives"))
    fast = stemming._prefiltered_hits(text, wanted, "en", frozenset(stem[:2] for stem in wanted))
    full = stemming._all_hits(text, wanted, "en")
    assert fast == full and len(fast) == 5


def test_window_counts_words_between_distant_hits_only_as_far_as_it_needs():
    # Hits far apart are counted up to the cap, and the best window is still
    # the earliest one holding the most hits.
    text = "выборы " + "слово " * 100 + "выборы выборах " + "слово " * 30 + "выборов"
    hits = stemming._all_hits(text, set(stemming.query_word_stems("выборы")), "ru")
    indexes = stemming._token_indexes(text, hits, 24)
    assert indexes == [0, 24, 25, 49]
    assert stemming._best_window(indexes, 24) == 1
    assert stemming.stem_snippet(text, "выборы", "ru") == reference_snippet(text, "выборы", "ru")


def test_words_with_apostrophes_search_the_word_form_index(tmp_path):
    """"пам'ять" and "don't" are two tokens each for FTS5; quoted whole they were a
    phrase, which the word-form index (no positions) refused with an error."""
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING FTS5 (body, content='', detail=column)")
    bodies = {1: ("Вічна пам'ять загиблим, сказала вона.", "uk"), 2: ("We don't know yet, he said.", "en"),
              3: ("Пам'ятник відкрили у вересні.", "uk")}
    for rowid, (body, language) in bodies.items():
        conn.execute("INSERT INTO t (rowid, body) VALUES (?, ?)", (rowid, stemming.stem_text(body, language)))
    found = {q: [r for (r,) in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (stemming.stem_query(q),))]
             for q in ("пам'яті", "пам’ять", "don't")}
    assert found == {"пам'яті": [1], "пам’ять": [1], "don't": [2]}
