"""Tests for the normalise stage (corpus_db.normalize) on real text."""
from __future__ import annotations

from corpus_db import quotes
from corpus_db.normalize import normalize_text
from corpus_db.pipeline import Context, Document


def test_line_endings_spaces_and_blank_lines():
    text = "Title\r\n\r\n\r\n\r\nFirst\u00a0paragraph  of\ttext. \r\nSecond line\u200b.\n"
    assert normalize_text(text) == "Title\n\nFirst paragraph of text.\nSecond line."


def test_composed_characters():
    # "й" written as и + combining breve becomes one character
    assert normalize_text("Сергеи\u0306 Лавров") == "Сергей Лавров"


def test_other_hyphens_become_plain_ones():
    # bsnlp2021_ru: some outlets write U+2011 in names and as the dash of an attribution
    assert normalize_text("в регионе Санкт\u2011Петербурга, возбудитель COVID\u201019") == \
        "в регионе Санкт-Петербурга, возбудитель COVID-19"
    raw = ('"Мне 73 года, \u2011 рассказывает Вячеслав Черняев. \u2011 Считаю, что еще пожить можно. И поэтому '
           'решил побыстрее [прививку] сделать".')
    text = normalize_text(raw)
    assert len(text) == len(raw) and "\u2011" not in text
    doc = Document(path="t.txt", body=text, language="ru")
    quotes.run(doc, Context())
    assert doc.quotes and all(q.speaker == "Вячеслав Черняев" for q in doc.quotes)


def test_a_spaced_minus_sign_is_a_dash():
    # bsnlp2021_uk: the attribution's dash typed as U+2212; a minus bound to a number stays one
    raw = '"Я доведу цю справу (Brexit) до кінця", \u2212 підкреслила Мей відповідаючи на запитання.'
    text = normalize_text(raw)
    assert len(text) == len(raw) and "\u2212" not in text
    doc = Document(path="t.txt", body=text, language="uk")
    quotes.run(doc, Context())
    assert [q.speaker for q in doc.quotes] == ["Мей"]
    assert normalize_text("від \u22125 до \u22123 °C, 7 \u2212 3 = 4") == "від \u22125 до \u22123 °C, 7 \u2212 3 = 4"
