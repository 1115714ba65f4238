"""Word-form search: snippets mark every form of the query's words."""
from corpus_db import stemming
from corpus_db.stemming import MARK_CLOSE, MARK_OPEN


def marked(word):
    return MARK_OPEN + word + MARK_CLOSE


def test_snippet_marks_other_forms_in_russian_and_ukrainian():
    ru = "Кандидат заявил о выборах. Итоги выборов в Москве оспаривают. Выборы прошли в марте."
    snippet = stemming.stem_snippet(ru, "выборы", "ru")
    assert marked("выборах") in snippet and marked("выборов") in snippet and marked("Выборы") in snippet
    uk = "Під час виборів у Києві черги були довгими, а вибори в області минули спокійно."
    snippet = stemming.stem_snippet(uk, "вибори", "uk")
    assert marked("виборів") in snippet and marked("вибори") in snippet


def test_snippet_prefilter_finds_what_a_full_scan_finds():
    text = ("Mobilised men and their wives: the mobilisation of 2022 still divides families. "
            "Wives of the mobilized asked for rotation; mobilising more men was ruled out.")
    tokens = list(stemming.WORD.finditer(text))
    wanted = set(stemming.query_word_stems("mobilisation")) | set(stemming.query_word_stems("wives"))
    fast = stemming._hits(tokens, wanted, "en", {stem[:2] for stem in wanted})
    full = stemming._hits(tokens, wanted, "en", None)
    assert fast == full and fast
