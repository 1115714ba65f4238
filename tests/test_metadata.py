"""Tests of the metadata stage: dates, titles and site affixes, outlets, authors."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus_db import clean, metadata, normalize
from corpus_db.pipeline import Context, Document, Removed

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.mark.parametrize("text,want", [
    ("2023-11-20", "2023-11-20"),
    ("date 2023-11-20 Yuri Kobzar19:25, 20.11.23", "2023-11-20"),
    ("19:25, 20.11.23", "2023-11-20"),
    ("Nov. 20, 2023", "2023-11-20"),
    ("Published November 20th, 2023 at 5:00 pm", "2023-11-20"),
    ("Monday, Nov 20, 2023", "2023-11-20"),
    ("20 ноября 2023", "2023-11-20"),
    ("20 ноября 2023 г., 14:05", "2023-11-20"),
    ("20 листопада 2023 р.", "2023-11-20"),
    ("le 20 novembre 2023 à 10h", "2023-11-20"),
    ("1er décembre 2023", "2023-12-01"),
    ("20. November 2023", "2023-11-20"),
    ("Veröffentlicht am 3. März 2021", "2021-03-03"),
    ("20.11.2023", "2023-11-20"),
    ("11/20/2023", "2023-11-20"),
    ("2023-11-20T19:25:00Z", "2023-11-20T19:25:00+00:00"),
    ("no date here", None),
    ("31.02.2023", None),
])
def test_parse_date(text, want):
    assert metadata.parse_date(text) == want


@pytest.mark.parametrize("text,title,site", [
    ("Apple unveils new iPhone - The Verge", "Apple unveils new iPhone", "The Verge"),
    ("Oil prices fall as demand weakens | Reuters", "Oil prices fall as demand weakens", "Reuters"),
    ("Forbes.com: AMD More Fleet-Footed Than Intel", "AMD More Fleet-Footed Than Intel", "Forbes"),
    ("Путин выступил с обращением — Коммерсантъ", "Путин выступил с обращением", "Kommersant"),
    ("Families of soldiers in Russia are begging the authorities",
     "Families of soldiers in Russia are begging the authorities", None),
    ("Spider-Man - a review of the new film", "Spider-Man - a review of the new film", None),
])
def test_split_title(text, title, site):
    assert metadata.split_title(text) == (title, site)


@pytest.mark.parametrize("text,want", [
    ("(C)UNIAN 2023", "UNIAN"),
    ("© 2017 BBC. All rights reserved.", "BBC"),
    ("Copyright 2005 Forbes.com Inc.", "Forbes"),
    ("© 2023 Коммерсантъ. Все права защищены.", "Kommersant"),
    ("© 2024 Example Daily News Ltd", "Example Daily News"),
])
def test_copyright_holder(text, want):
    assert metadata.copyright_holder(text) == want


@pytest.mark.parametrize("text,want", [
    ("date 2023-11-20 Yuri Kobzar19:25, 20.11.23", "Yuri Kobzar"),
    ("By Jane Doe", "Jane Doe"),
    ("By Jane Doe and John Roe, Reuters", "Jane Doe, John Roe"),
    ("Автор: Иван Петров", "Иван Петров"),
    ("Von Anna Müller", "Anna Müller"),
    ("Updated 3 hours ago", None),
])
def test_parse_author(text, want):
    assert metadata.parse_author(text) == want


def meta(text: str, known: dict | None = None) -> Document:
    doc = Document(path="t.txt", text=normalize.normalize_text(text), known=known or {})
    ctx = Context()
    clean.run(doc, ctx)
    metadata.run(doc, ctx)
    return doc


BODY = ("A group of women staged a rare protest outside the Russian Defense Ministry building in Moscow on Monday, "
        "demanding the return of their loved ones.\n\nAround 15 women, some with small children, gathered outside "
        "the building holding up hand-written placards and posting images of themselves on social media.")


def test_title_suffix_gives_source():
    doc = meta("Relatives of Soldiers Protest Outside Defense Ministry | Reuters\n\n" + BODY)
    assert doc.title == "Relatives of Soldiers Protest Outside Defense Ministry"
    assert doc.source == "Reuters"
    assert doc.field_sources["title"] == "text:title_line"
    assert doc.field_sources["source"] == "text:title_affix"


def test_known_values_win():
    doc = meta("Some Headline Here\n\n" + BODY, known={"title": "Known title", "source": "meduza.io",
                                                       "published": "2024-01-02", "author": ["A B", "C D"]})
    assert doc.title == "Known title" and doc.field_sources["title"] == "input:title"
    assert doc.source == "Meduza"
    assert doc.published == "2024-01-02"
    assert doc.author == "A B, C D"


def test_known_url_gives_source():
    doc = meta(BODY, known={"url": "https://www.themoscowtimes.com/2024/01/01/x"})
    assert doc.source == "The Moscow Times" and doc.field_sources["source"] == "input:url"


def test_nothing_guessed_from_body():
    # The body names outlets and dates; none of it is the page's metadata.
    doc = meta("According to Kommersant and Reuters, on 20 November 2023 the talks failed and nothing "
               "changed, officials said on Monday in Moscow.\n\n" + BODY)
    assert doc.source is None and doc.published is None and doc.author is None and doc.title is None


def test_russian_byline_and_dateline():
    doc = meta("Жены мобилизованных вышли к Минобороны\n\nАвтор: Иван Петров\n20 ноября 2023\n\n"
               "Кремль обеспокоен угрозой со стороны движения жен мобилизованных и опасается, что их активность "
               "может создать негативный фон для выборов.\n\nТолько в Новосибирске власти согласовали проведение "
               "акции, но с условием, что митинг пройдет в помещении.\n\n© 2023 Коммерсантъ")
    assert doc.title == "Жены мобилизованных вышли к Минобороны"
    assert doc.author == "Иван Петров"
    assert doc.published == "2023-11-20"
    assert doc.source == "Kommersant"


SEED_META = {
    "000": (None, None, None, None),
    "001": ("Families of Mobilized Russian Soldiers Call On Putin to End War in Ukraine", "The Moscow Times", None, None),
    "002": ("Families of soldiers in Russia are begging the authorities", None, None, None),
    "003": ("Relatives of Mobilized Russian Soldiers Protest Outside Defense Ministry", "The Moscow Times", None, None),
    "004": (None, "UNIAN", "2023-11-20", "Yuri Kobzar"),
}


@pytest.mark.parametrize("seed", sorted(SEED_META))
def test_seed_metadata(seed):
    path = next(SEEDS.glob(f"{seed}_*.txt"))
    doc = meta(path.read_text(encoding="utf8"))
    title, source, published, author = SEED_META[seed]
    assert (doc.title, doc.source, doc.author) == (title, source, author)
    assert (doc.published or "").startswith(published or "") and (published is not None) == (doc.published is not None)
