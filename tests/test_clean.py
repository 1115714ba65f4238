"""Tests of the cleaning stage: boilerplate kinds, seeds, invariants, LineStats."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_db import clean, normalize
from corpus_db.pipeline import Context, Document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Article paragraphs the boilerplate is wrapped around (real news prose).
EN_BODY = [
    "A Russian presidential candidate has voiced support for a plea from mobilized soldiers' wives to return "
    "their loved ones, and publicly advocated an end to the fighting.",
    "Nadezhdin invited relatives of the mobilized to a meeting in Moscow on Thursday, Jan. 11 to discuss "
    "specific issues and develop a collaborative action plan.",
    "Anger has been growing for months among relatives of reservists whom President Vladimir Putin mobilised "
    "in September 2022, seven months after the initial invasion of Ukraine.",
    "The mobilisation is a sensitive subject for authorities, who have so far refrained from repressing what "
    "has become growing discord.",
]
RU_BODY = [
    "Кремль обеспокоен угрозой со стороны движения жен мобилизованных и опасается, что их активность может "
    "создать негативный фон для президентских выборов.",
    "По данным издания «Коммерсантъ», на выходных прошел закрытый семинар для региональных чиновников по "
    "подготовке к выборам, где обсуждали настроения родственников.",
    "Только в Новосибирске власти согласовали проведение акции, но с условием, что митинг пройдет в "
    "помещении и участников пустят по предъявлении сертификата.",
    "Жены мобилизованных пытались получить разрешение на митинги еще в нескольких городах России, но "
    "везде получили отказ со ссылкой на ограничения.",
]


def clean_text(text: str, stats=None) -> Document:
    doc = Document(path="t.txt", text=normalize.normalize_text(text))
    clean.run(doc, Context(stats))
    return doc


def paragraphs(doc: Document) -> list[str]:
    return doc.body.split("\n\n") if doc.body else []


def around(body: list[str], boiler: list[str], where: str = "end") -> str:
    """A page: boilerplate lines before or after (or inside) article paragraphs."""
    block = "\n".join(boiler)
    if where == "start":
        return block + "\n\n" + "\n\n".join(body)
    if where == "middle":
        return "\n\n".join(body[:2]) + "\n\n" + block + "\n\n" + "\n\n".join(body[2:])
    return "\n\n".join(body) + "\n\n" + block


CASES = [
    # (language, body, boilerplate lines, where, acceptable reasons)
    ("en", EN_BODY, ["Leave a Reply", "Your email address will not be published. Required fields are marked *"], "end",
     {"comment_form"}),
    ("en", EN_BODY, ["Enjoying ad-free content?", "Support us",
                     "Our journalism is banned in Russia. We need your help to keep providing you with the truth."],
     "start", {"donation_appeal"}),
    ("en", EN_BODY, ["To suggest a correction or clarification, write to us here",
                     "You can also highlight the text and press Ctrl + Enter"], "end", {"correction_note"}),
    ("en", EN_BODY, ["Like this: Like Loading..."], "end", {"share_widget"}),
    ("en", EN_BODY, ["(C)UNIAN 2023"], "end", {"copyright"}),
    ("en", EN_BODY, ["Read more"], "end", {"read_more"}),
    ("en", EN_BODY, ["We use cookies to improve your experience. By continuing to use this site you agree."], "end",
     {"cookie_notice"}),
    ("en", EN_BODY, ["Sign up for our daily newsletter and get the headlines in your inbox."], "end", {"newsletter"}),
    ("en", EN_BODY, ["Mobilized Russian men say goodbye to family members. Sergei Kiselev / Moskva News Agency"],
     "middle", {"photo_caption"}),
    ("en", EN_BODY, ["N Korea, Russia Sign Mutual Defence Deal as Kim Pledges Support on Ukraine",
                     "Other Topics of Interest"], "middle", {"related_link"}),
    # phrases found on the trafeval and msv pages (24 November)
    ("en", EN_BODY, ["Get the latest news straight to your phone with the VI Consortium app."], "end",
     {"share_widget"}),
    ("en", EN_BODY, ["Immediate online access to all issues from 2019. Subscription will auto renew annually."], "end",
     {"paywall"}),
    ("en", EN_BODY, ["We welcome reader comments on the top stories of the day. Some comments may be republished on the "
                     "website or in the newspaper; email addresses will not be published."], "end", {"comment_form"}),
    ("de", EN_BODY, ["Externer Inhalt", "Um Deine persönlichen Daten zu schützen, haben wir das automatische Laden der "
                     "Inhalte von twitter.com blockiert."], "middle", {"cookie_notice"}),
    # trafeval pages (ninth session)
    ("en", EN_BODY, ["To view the full story, please subscribe to The Haitian Times. You can choose a $60 Annual "
                     "Subscription or a $5 Weekly Pass."], "end", {"paywall"}),
    ("de", EN_BODY, ["Erstellt am Dienstag 6. Mai 2014 um 23:30 und abgelegt unter debianforum, Linux, Tutorials, "
                     "Ubuntu, ubuntuusers.de."], "end", {"read_more"}),
    ("ru", RU_BODY, ["Нашли ошибку? Выделите ее и нажмите Ctrl+Enter"], "end", {"correction_note"}),
    ("ru", RU_BODY, ["Поддержите независимую журналистику", "Нам нужна ваша помощь, чтобы продолжать работу."],
     "end", {"donation_appeal"}),
    ("ru", RU_BODY, ["Читайте также:"], "end", {"read_more", "related_link"}),
    ("ru", RU_BODY, ["© 2023 Коммерсантъ. Все права защищены."], "end", {"copyright"}),
    ("ru", RU_BODY, ["Ваш адрес email не будет опубликован. Обязательные поля помечены *"], "end", {"comment_form"}),
    ("ru", RU_BODY, ["Подпишитесь на нашу рассылку"], "end", {"newsletter"}),
    ("ru", RU_BODY, ["Поделиться"], "end", {"share_widget"}),
    # comment and share buttons on trafeval pages (fifteenth session)
    ("en", EN_BODY, ["Write a comment", "Share this article:"], "middle", {"comment_form", "share_widget"}),
    ("de", EN_BODY, ["Der Artikel gefällt dir?", "Mit Freunden teilen"], "middle", {"share_widget", "related_link"}),
    ("de", EN_BODY, ["Schreib einen Kommentar", "Kommentar hinzufügen"], "end", {"comment_form"}),
    ("ru", RU_BODY, ["Написать комментарий"], "end", {"comment_form"}),
]


@pytest.mark.parametrize("lang,body,boiler,where,reasons", CASES, ids=[f"{c[0]}-{sorted(c[4])[0]}" for c in CASES])
def test_boilerplate_kinds(lang, body, boiler, where, reasons):
    doc = clean_text(around(body, boiler, where))
    paras = paragraphs(doc)
    for line in boiler:
        assert line not in paras, f"kept {line!r}"
        got = [r.reason for r in doc.removed if r.text == line]
        assert got and got[0] in reasons, f"{line!r}: {got}"
    for para in body:
        assert para in paras, f"lost {para[:40]!r}"


def test_heading_inside_article_stays():
    text = "\n\n".join(EN_BODY[:2] + ["Beg at the border"] + EN_BODY[2:])
    assert "Beg at the border" in paragraphs(clean_text(text))


def test_title_line_is_recorded():
    text = "Families of soldiers in Russia are begging the authorities\n\n" + "\n\n".join(EN_BODY)
    doc = clean_text(text)
    titles = [r.text for r in doc.removed if r.reason == "title"]
    assert titles == ["Families of soldiers in Russia are begging the authorities"]
    assert not doc.body.startswith("Families")


def test_no_title_when_text_starts_with_prose():
    doc = clean_text("\n\n".join(EN_BODY))
    assert not [r for r in doc.removed if r.reason == "title"]


# ---------------------------------------------------------------- seeds

SEED_CHECKS = {
    "000": (["N Korea, Russia Sign Mutual Defence Deal as Kim Pledges Support on Ukraine", "Other Topics of Interest",
             "The two countries have been allies since North Korea's founding",
             "To suggest a correction or clarification, write to us here",
             "You can also highlight the text and press Ctrl + Enter"],
            ["A Russian presidential candidate has voiced support for a plea",
             "According to Putin, 244,000 Russians have been mobilised"]),
    "001": (["Enjoying ad-free content?", "Support us", "we have a small favor to ask", "Not ready to support today?",
             "Remind me later.", "Read more", "Sergei Kiselev / Moskva News Agency"],
            ["A group of mobilized Russian soldiers", "Will you be having a good time ringing in the New Year"]),
    "002": (["Leave a Reply", "Your email address will not be published"],
            ["In the video, a female voice speaks to Mikhail Gorbunov", "Beg at the border",
             "The Russian Ministry of Defense, in turn, denies the facts"]),
    "003": (["Support The Moscow Times!", "we have a small favor to ask", "paiment methods"],
            ["A group of women staged a rare protest", 'But its branding of Put Domoy as a "foreign agent"']),
    "004": (["date 2023-11-20 Yuri Kobzar", "(C)UNIAN 2023", "Like this: Like Loading..."],
            ["Putin is afraid that rallies", "Movement of wives mobilized in Russia",
             "Only in Novosibirsk did the authorities approve"]),
}


def fold(s: str) -> str:
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        s = s.replace(a, b)
    return " ".join(s.lower().split())


@pytest.mark.parametrize("seed", sorted(SEED_CHECKS))
def test_seed(seed):
    path = next(SEEDS.glob(f"{seed}_*.txt"))
    doc = clean_text(path.read_text(encoding="utf8"))
    paras = [fold(p) for p in paragraphs(doc)]
    boiler, keeps = SEED_CHECKS[seed]
    for s in boiler:
        assert not any(fold(s) in p for p in paras), f"kept {s!r}"
    for s in keeps:
        assert fold(s) in fold(doc.body), f"lost {s!r}"


# ---------------------------------------------------------------- invariants

def check_accounted(doc: Document) -> None:
    """Every non-space character of the text is in the body or a removed piece."""
    for r in doc.removed:
        assert doc.text[r.start:r.end] == r.text
    got = sorted("".join(doc.body.split()) + "".join("".join(r.text.split()) for r in doc.removed))
    assert got == sorted("".join(doc.text.split()))
    assert "\n\n\n" not in doc.body


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_is_accounted_for(text):
    check_accounted(clean_text(text))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(EN_BODY + RU_BODY + ["Read more", "Support us", "Share", "", "©", "1", "Menu"]),
                max_size=30))
def test_page_like_text_is_accounted_for(lines):
    check_accounted(clean_text("\n".join(lines)))


def test_empty_text():
    doc = clean_text("")
    assert doc.body == "" and doc.removed == []


def test_seeds_accounted_for():
    for path in SEEDS.glob("*.txt"):
        check_accounted(clean_text(path.read_text(encoding="utf8")))


# ---------------------------------------------------------------- LineStats

MENU = "Home\nWorld\nBusiness\nSubscribe to our newsletter\n© 2024 Example News"


def page(body: list[str]) -> str:
    return MENU + "\n\n" + "\n\n".join(body)


def test_line_keys_fold_digits_and_case():
    assert clean.line_keys("Updated 3 hours ago") == clean.line_keys("updated 5 HOURS ago!")
    assert clean.line_keys("") == set()


def test_stats_count_documents_and_round_trip():
    stats = clean.LineStats.build([page(EN_BODY[:2]), page(EN_BODY[2:]), page(RU_BODY[:2])])
    assert stats.documents == 3
    assert stats.count(clean.line_key("Home")) == 3
    assert stats.count(clean.line_key(EN_BODY[0])) == 1
    again = clean.LineStats.from_items(stats.items())
    assert again.counts == stats.counts


def test_near_duplicates_do_not_make_article_lines_repeated():
    stats = clean.LineStats()
    assert stats.add_text(page(EN_BODY))
    # the same article saved again, and syndicated with other chrome
    assert not stats.add_text(page(EN_BODY))
    assert not stats.add_text("Other site menu\n\n" + "\n\n".join(EN_BODY) + "\n\nOther footer")
    assert stats.count(clean.line_key(EN_BODY[0])) == 1
    assert stats.count(clean.line_key("Other footer")) == 1
    # a different article on the same site still counts its menu
    assert stats.add_text(page(RU_BODY))
    assert stats.count(clean.line_key("Home")) == 2


def test_merge_adds_counts():
    a = clean.LineStats.build([page(EN_BODY[:2])])
    b = clean.LineStats.build([page(RU_BODY[:2])])
    a.merge(b)
    assert a.documents == 2 and a.count(clean.line_key("World")) == 2


def test_per_site_counts():
    stats = clean.LineStats()
    stats.add_text(page(EN_BODY[:2]), site="example.com")
    stats.add_text(page(RU_BODY[:2]), site="other.org")
    assert stats.count(clean.line_key("Home"), site="example.com") == 1
    assert stats.count(clean.line_key("Home")) == 2


def test_repeated_menu_lines_are_removed_with_stats():
    pages = [page([p]) + "\n\nUnique trailing teaser about something else entirely" for p in EN_BODY + RU_BODY]
    stats = clean.LineStats.build(normalize.normalize_text(p) for p in pages)
    doc = clean_text(pages[0], stats)
    assert "Business" not in paragraphs(doc)
    assert EN_BODY[0] in paragraphs(doc)


def test_line_key_format_is_what_the_store_packs():
    # store.py packs keys into (signed 64-bit int, long flag): keep "L"/"S" + 16 hex digits.
    import re
    for line in ("Home", "x" * 200, "Новости"):
        assert re.fullmatch(r"[LS][0-9a-f]{16}", clean.line_key(line))
    assert clean.line_key("x" * 200)[0] == "L" and clean.line_key("Home")[0] == "S"


def test_small_runs_far_below_the_article_are_dropped():
    lines = [clean.Line(0, 0, t) for t in ["x" * 400] * 5 + ["nav"] * 7 + ["teaser " * 10] + ["nav"] * 2]
    keep = [True] * 5 + [False] * 7 + [True] + [False] * 2
    clean.drop_far_runs(lines, keep)
    assert keep[:5] == [True] * 5 and not keep[12]
    # A run after a short gap stays, and so does text before the article.
    keep = [True] * 5 + [False, False, True] + [False] * 7
    clean.drop_far_runs(lines, keep)
    assert keep[7]
    lines = lines[12:13] + [clean.Line(0, 0, "nav")] * 7 + [clean.Line(0, 0, "x" * 400)] * 5
    keep = [True] + [False] * 7 + [True] * 5
    clean.drop_far_runs(lines, keep)
    assert all(keep[:1] + keep[8:])


# Excerpts of two page dumps from the msv set (MSVCode/ir-research-data):
# the HTML <title> first, menus and teaser lists, then the headline again
# and the article.
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def page_lines(name: str) -> list[clean.Line]:
    return clean.split_lines((FIXTURES / name).read_text(encoding="utf8"))


def test_headline_is_the_title_repeat_with_prose_below():
    lines = page_lines("page_geekwire.txt")
    headline = "Microsoft debuts new smart thermostat powered by Cortana, Windows 10, and Azure"
    repeats = [i for i, line in enumerate(lines) if line.text == headline]
    assert len(repeats) == 2  # once above a list of teasers, once above the article
    assert clean.title_anchor(lines) == repeats[1]


def test_headline_may_be_worded_a_little_differently_from_the_title():
    lines = page_lines("page_atlantic.txt")
    assert lines[0].text == "Stock Market's Biggest Decline Since Trump Election - The Atlantic"
    i = clean.title_anchor(lines)
    assert lines[i].text == "The Stock Market’s Biggest Decline Since Trump’s Election"
    doc = clean_text((FIXTURES / "page_atlantic.txt").read_text(encoding="utf8"))
    assert [r.text for r in doc.removed if r.reason == "title"] == [lines[i].text]


def test_title_repeat_without_prose_below_is_no_headline():
    lines = [clean.Line(0, 0, t) for t in ["Hol dir die App!", "Startseite", "News", "Hol dir die App!", "Sport"]]
    assert clean.title_anchor(lines) is None
    # nor is the site's name, however often the title holds it
    lines = page_lines("page_atlantic.txt")
    assert clean.title_anchor(lines) != 2 and lines[2].text == "The Atlantic"


def test_headline_repeats_the_headline_part_of_the_title_not_the_site():
    # An msv page (Fox News, 2013): no line repeats its <title> word for word
    # ("Irans"), and the site's name further down is no headline.
    text = ("Ahmadinejad unveils Irans newest combat jet | Fox News\n\n"
            "Fox News Digital Network\n\nFox News\n\nFox News Radio\n\n"
            "Ahmadinejad unveils Iran's newest combat jet\n\n"
            "TEHRAN, Iran Iran unveiled on Saturday its newest combat jet, a domestically manufactured "
            "fighter-bomber that military officials claim can evade radar.\n\n"
            "President Mahmoud Ahmadinejad said in a ceremony broadcast on state TV that building the Qaher-313, "
            "or Dominant-313, shows Iran's will to \"conquer scientific peaks.\"")
    doc = clean_text(text)
    assert [r.text for r in doc.removed if r.reason == "title"] == ["Ahmadinejad unveils Iran's newest combat jet"]


def test_kept_lines_above_the_headline_are_dropped():
    lines = page_lines("page_geekwire.txt")
    anchor = clean.title_anchor(lines)
    keep = [True] * len(lines)
    clean.drop_above_headline(lines, keep, anchor)
    assert not any(keep[1:anchor]) and all(keep[anchor:]) and keep[0]
    # unless no prose is kept below it
    keep = [True] * (anchor + 1) + [False] * (len(lines) - anchor - 1)
    clean.drop_above_headline(lines, keep, anchor)
    assert all(keep[:anchor + 1])


def test_page_dump_keeps_the_article_below_the_headline():
    doc = clean_text((FIXTURES / "page_geekwire.txt").read_text(encoding="utf8"))
    body = paragraphs(doc)
    assert [r.text for r in doc.removed if r.reason == "title"] == [
        "Microsoft debuts new smart thermostat powered by Cortana, Windows 10, and Azure"]
    for start in ("Microsoft unveiled a new smart thermostat on Wednesday",
                  "Microsoft is reportedly working on a new feature"):
        assert any(p.startswith(start) for p in body)
    assert not any("Arzeda raises $12M" in p or p == "Startups" for p in body)


# From a page on cnn.com (msv): the article, then (after a video box) more
# of it, and a teaser paragraph of another story (theatlantic.com, msv).
CNN_ARTICLE = [
    "From Afghanistan to Libya, US Pentagon officials are increasingly concerned by mounting Russian military and "
    "diplomatic activity they believed is aimed at undermining the US and NATO.",
    "Some of the actions Moscow is accused of participating in include sending operatives to support an armed "
    "faction in Libya and providing political legitimacy -- and maybe even supplies -- to the Taliban in "
    "Afghanistan.",
    "Military commanders and analysts see Moscow's efforts as aimed at taking advantage of the geopolitical "
    "turbulence in the Middle East to re-establish Russia as a major player in the region and by extension the "
    "world stage.",
    "The Soviet Union maintained a substantial military presence there during the Cold War, propping up an array "
    "of anti-Western regimes to counterbalance American partners and extend its geopolitical sphere of influence.",
    "\"Russia is certainly expanding its influence and trying to reestablish itself as a superpower,\" Bill Roggio "
    "of the Washington-based Foundation for the Defense of Democracies told CNN.",
    "In Afghanistan, US intelligence agencies once backed an insurgency aimed at ejecting Soviet troops in order "
    "to weaken an overextended Moscow.",
]
CNN_AFTER_VIDEO = ("America's top military officer in Europe, Gen. Curtis Scaparrotti, said Thursday that Russia "
                   "had increased its support to the Afghan Taliban, including potentially the provision of supplies.")
OTHER_STORY = ("THE HISTORY Of computers is often told as a history of objects, from the abacus to the Babbage "
               "engine up through the code-breaking machines of World War II.")


def test_cohesion_tells_the_article_from_other_stories():
    texts = CNN_ARTICLE + ["JUST WATCHED", "Russians see parallels between Syria and Afghanistan", CNN_AFTER_VIDEO,
                           "Most Popular", OTHER_STORY]
    infos = [clean.line_info(t) for t in texts]
    coh = clean.cohesion(infos, (0, len(CNN_ARTICLE) - 1))
    after, other = coh[texts.index(CNN_AFTER_VIDEO)], coh[texts.index(OTHER_STORY)]
    assert after >= 0.3 and other <= 0.1
    # A headline-like line gets none, however many of its words the article
    # uses; a main-run line does not count its own words.
    assert coh[texts.index("Russians see parallels between Syria and Afghanistan")] == 0
    assert clean.cohesion(infos[:1], (0, 0))[0] == 0


@pytest.mark.parametrize("line, reason", [
    # news-ticker items: a time stamp, then another story's headline (msv, trafeval, bsnlp2021_ru)
    ("4/7/2017 at 4:33 p.m. What We Know About the U.S. Military Strike Against Syria", "navigation"),
    ("Yesterday at 9:59 p.m. Reports: Fragile Peace Accord Reached in Bannon-Kushner War", "navigation"),
    ("19:00 Concurso “Mi cuento Fantástico” que promueve la lectura regresa 100% presencial", "navigation"),
    ("11:35 В Пакистане оправдали приговоренную к казни за богохульство женщину", "navigation"),
    # a time alone, a dateline, a sentence with a time in it: not ticker items
    ("17:42 Uhr", None),
    ("3:45 PM PDT, August 30, 2005", None),
    ("The meeting starts at 10:30 with a speech by the mayor.", None),
])
def test_news_ticker_items_are_navigation(line, reason):
    assert clean.line_info(line).whole == reason


def test_teasers_under_news_ticker_items_are_dropped():
    # msv (nymag.com's feed beside an article): item, teaser, item, teaser
    texts = ["The attack is the latest in a string of vehicle assaults in European cities.",
             "4/7/2017 at 12:50 p.m. Trump’s Syria Strike Is Latest Sign of Steve Bannon’s Waning Influence",
             "Two sources close to Bannon say he argued against the strike.",
             "4/7/2017 at 1:07 p.m. Senate Confirms Gorsuch",
             "Big questions now include Gorsuch’s impact on the Court, the fight’s impact on the Senate.",
             "Most Viewed Stories"]
    lines = clean.split_lines("\n".join(texts))
    clean.annotate(lines, None)
    # the article's own line and what follows the ticker stay
    assert clean.ticker_teasers(lines) == {2: "related_link", 4: "related_link"}


def test_function_word_rate_tells_prose_from_page_furniture():
    # prose in four languages (seeds, msv, trafeval) against a menu, a headline and a share widget
    prose = [CNN_ARTICLE[1],
             "Die Bundesregierung will die Zahl der Anträge in diesem Jahr deutlich senken, wie ein Sprecher am "
             "Montag in Berlin sagte.",
             "Les femmes des soldats mobilisés demandent depuis des mois le retour de leurs maris à la maison.",
             "Жены мобилизованных требуют вернуть их мужей домой, но в Кремле на их обращения не отвечают."]
    furniture = ["Home | News | Sport | Weather | iPlayer", "Russians see parallels between Syria and Afghanistan",
                 "Share on Facebook Share on Twitter Email"]
    rate = lambda t: clean.line_info(t).function_rate  # noqa: E731
    assert min(map(rate, prose)) >= 0.35 and max(map(rate, furniture)) <= 0.3  # a soft signal, for the model
    words = json.loads((clean.DATA / "function_words.json").read_text(encoding="utf8"))
    assert {"en", "de", "fr", "ru", "uk"} <= set(words)


def test_runs_closed_by_continue_reading_below_the_article_are_dropped():
    # theatlantic.com (msv): under the article, "Most Popular" excerpts of
    # other stories, each closed by "Continue Reading".
    furniture = ["Share", "Tweet", "Comments", "Most Popular"]
    texts = CNN_ARTICLE + furniture + [OTHER_STORY, "Continue Reading", "Chris Dixon", "Mar 20, 2017",
                                       CNN_AFTER_VIDEO]
    lines = [clean.Line(0, 0, t) for t in texts]
    clean.annotate(lines, None)
    keep = [True] * 6 + [False] * 4 + [True, False, False, False, True]
    clean.drop_teasers(lines, keep)
    assert keep == [True] * 6 + [False] * 8 + [True]
    # Above the article, a run closed that way stays: a paywalled intro.
    texts = [OTHER_STORY, "Continue reading", "Menu"] + CNN_ARTICLE
    lines = [clean.Line(0, 0, t) for t in texts]
    keep = [True, False, False] + [True] * 6
    clean.drop_teasers(lines, keep)
    assert keep[0]


@pytest.mark.parametrize("caption", [
    # msv pages: AP and Reuters captions with no credit line of their own.
    "In this photo released by the Syrian official news agency SANA, damaged and blocked street where clashes "
    "erupted between the Syrian government forces and militants.",
    "Dive Instructor James Dunningham (right) leads a group of certified divers on Saxon Reef.",
    "Researchers have detected an atmosphere around a near-Earth-size planet, GJ 1132b, depicted here in an "
    "artist's impression.",
    # Gallery captions the page cut short.
    "Opponents of Egypt's Islamist President Mohammed Morsi protest outside the presidential palace in Ca …",
    # An AP caption's date, Ars Technica's "Enlarge /" (msv pages).
    "Najibullah Zazi arrives at the offices of the FBI in Denver for questioning on Thursday, Sept. 17, 2009.",
    "Enlarge / A man Group-IB identifies as \"Paunch\" standing in front of a Porsche Cayenne.",
    # BBC and LA Times caption labels (msv), a Guardian credit after the caption (msv).
    "Image caption Fearless Girl is very popular with New Yorkers as well as tourists",
    "Media captionJared Kushner is married to Donald Trump's daughter, Ivanka.",
    "Caption Judge Neil M. Gorsuch accepts Supreme Court nomination",
    "A boy stands behind a fence at Zaatari camp in Jordan, currently home to 80,000 Syrian refugees. "
    "Photograph: Sally Hayden",
])
def test_photo_captions_without_credit(caption):
    doc = clean_text(around(EN_BODY, [caption], "middle"))
    assert caption not in doc.body
    assert [r.reason for r in doc.removed if r.text == caption] == ["photo_caption"]


# Irish Times pages as scraped for the gilets jaunes corpus: caption, credit
# and the article's first paragraph on one line, the credit glued to the
# article ("…/AFPThe turn …") or not ("…/EPA Historically …").
GLUED_CREDITS = [
    ("Members of the European Parliament: it is a genuine co-legislator in many areas of EU policy and "
     "budgeting. Photograph: Frederick Florin/AFP",
     "The turn of the new year has ushered in the EU’s election season. In five months, voters across the "
     "union will cast ballots in a vote that is an important test of the ability of the EU’s mainstream "
     "political families to resist the tide of populism that has swept the continent."),
    ("Italian deputy prime minister Matteo Salvini, who met leaders of the ‘yellow vest’ movement earlier "
     "this month. Photograph: Riccardo Antimiani/EPA",
     "Historically and culturally, and are extremely close, and the ambassador’s recall marks a low point "
     "in relations between the two founding members of the union."),
    ("‘Yellow vest’ protesters walk past the Louvre in Paris, France, on Saturday. Photograph: AP "
     "Photo/Kamil Zihnioglu",
     "A driver died in southern on Friday when his car hit a truck at a roadblock erected by “yellow vest” "
     "protesters, raising the death toll linked to the anti-government demonstrations to 10."),
]


@pytest.mark.parametrize("caption, article", GLUED_CREDITS)
def test_article_glued_to_a_photo_credit_is_kept(caption, article):
    glue = "" if article[0] in "TA" else " "
    doc = clean_text(around(EN_BODY, [caption + glue + article], "start"))
    assert paragraphs(doc)[0] == article
    assert [r.reason for r in doc.removed if r.text == caption] == ["photo_caption"]


@pytest.mark.parametrize("line", [
    # a credit that ends its caption line; a name with a capital inside (and
    # no agency to end the credit); a brand in a teaser (msv); a closing
    # quote after a credit (trafeval)
    "Thousands of protesters marched through Paris on Sunday. Photograph: Alain Jocard/AFP/Getty Images",
    "Police officers in Lyon on Saturday. Photograph: Mark McCoy Protesters marched through the city centre "
    "on Saturday, chanting against the fuel tax, and the police let them pass without a word.",
    "Photos: Historic SpaceX first stage arrives at Port Canaveral",
    'Verwendung nur bei Nennung "Bild: SWR/Hugo Jehle" (S2). SWR Presse/Bildkommunikation, Baden-Baden, '
    "Tel. 07221/929-22202, foto@swr.de, und nur im Zusammenhang mit der Sendung.",
])
def test_credit_is_cut_only_before_glued_prose(line):
    assert clean.credit_cuts(line) == []


@pytest.mark.parametrize("headline, paragraph", [
    # bsnlp2021_uk (UNN): one paragraph that stops mid-sentence; the model
    # doubted it, and nothing else looked like an article.
    ("Через збій в системі авіаційних даних Бельгія закрила повітряний простір",
     "КИЇВ. 19 липня. УНН. У четвер польоти над Бельгією були закриті через проблему з системою "
     "обробки польотної інформації у бельгійського диспетчера авіації Belgocontrol, передає УНН з "
     "посиланням на Reuters. \"У зв'язку з винятковою ситуацією повітряний трафік тимчасово "
     "призупинено. Belgocontrol цим займається. Ми уважно стежимо за ситуацією\", - повідомила у "
     "Twitter адміністрація Брюссельського аеропорту. У Belgocontrol заявили, що працюють над"),
    # gilets_jaunes_en (Irish Times): the caption and its credit run into the
    # article with no agency or glue to cut at.
    ("EU urges Moscow-Kiev transit deal as Russian plans fuel tension",
     "Nord Stream pipeline operator back in 2012: Nord Stream 2, a pipeline under the Baltic Sea, "
     "will double the gas Russia can deliver directly to Germany. Photograph: Olga Maltseva Senior "
     "officials from the EU, Moscow and Kiev held talks on Monday over Ukraine’s future as a transit "
     "state for Russian gas, as the Kremlin’s role as a key energy supplier fuels friction between "
     "European capitals and Washington. is now building Nord Stream 2, a pipeline under the Baltic "
     "Sea that will double the volume of gas that it can deliver directly to major client while "
     "bypassing and EU states such as and ."),
])
def test_lone_paragraph_is_kept_when_nothing_else_looks_like_the_article(headline, paragraph):
    doc = clean_text(headline + "\n\n" + paragraph)
    assert doc.body == paragraph


def test_lone_uncertain_line_inside_the_article_is_kept():
    # A listicle on cnet.com (msv): the subheading of one item scored just
    # below 0, between two kept lines; the next one (-0.84) stays out, as
    # does a line with a boilerplate cue.
    texts = ["Rent X2: X-Men United on Amazon, Google Play or Vudu.",
             "If you love a quirky romance: Kate & Leopold",
             "As far as Meg Ryan rom-coms go, Kate & Leopold is not the top list.",
             "If you love camp and fantasy: Van Helsing",
             "Listen, you're not getting Oscar material when you watch Van Helsing.",
             "Share this article",
             "Rent Van Helsing on Amazon, Google Play or Vudu."]
    lines = [clean.Line(0, 0, t) for t in texts]
    clean.annotate(lines, None)
    keep = [True, False, True, False, True, False, True]
    clean.keep_lone_gaps(lines, keep, [1.0, -0.44, 2.9, -0.84, 1.88, -0.5, 1.88])
    assert keep == [True, True, True, False, True, False, True]


def test_list_under_a_line_ending_with_a_colon_is_kept():
    # bgr.com (msv), with the logits the model gave the lines: the list runs
    # on after the items the model kept, and ends at a tag line.
    rows = [("Here are the full results from the comprehensive battery test:", 1.23, True),
            ("DSi – 2.41hrs", -0.09, False), ("3DS – 3.25hrs", 0.47, True),
            ("iPad Air – 4.04hrs", -0.6, False), ("New 3DS – 4.04hrs", -0.45, False),
            ("GBA Micro – 4.57hrs", -1.45, False), ("Game Boy Color – 35.45hrs", -0.51, False),
            ("Your results will undoubtedly vary while playing games on the Switch.", 3.58, True),
            ("Tags: Nintendo, Nintendo Switch", -3.31, False)]
    lines = [clean.Line(0, 0, t) for t, _, _ in rows]
    clean.annotate(lines, None)
    keep = [k for _, _, k in rows]
    clean.keep_lists(lines, keep, [score for _, score, _ in rows])
    assert keep == [True] * 8 + [False]


def test_sentence_lines_next_to_the_article_are_kept():
    # The end of an article on thehill.com (msv), with the logits the model
    # gave its lines out of context: the closing quotes scored just below 0.
    tail = [("Cruz shook his head to express an unwillingness to slip on a space suit.", 0.87),
            ("“Marco, do you want to do it?” Trump then asked Rubio.", -0.03),
            ("“I’m not sure we want to do it,” the president concluded.", -1.03),
            ("But then Cruz offered up some perhaps unwilling space-traveling volunteers.", -2.2),
            ("“You could send Congress to space,” he suggested.", -1.46),
            ("Tags Marco Rubio Ted Cruz", -3.3),
            ("Most Popular", -8.0)]
    lines = [clean.Line(0, 0, t) for t, _ in tail]
    clean.annotate(lines, None)
    keep = [True] + [False] * (len(lines) - 1)
    clean.extend_runs(lines, keep, [score for _, score in tail])
    # The line the model was sure of (-2.2) ends the run; no tag line or
    # list header is ever added.
    assert keep == [True, True, True, False, False, False, False]


def test_no_title_from_page_furniture():
    # The first lines of a page in trafeval (a Paraguayan news site) and of
    # seed 003, with the logits the model gave them.
    prose = EN_BODY[0]
    lines = [clean.Line(0, 0, t) for t in ["Skip to the content", "Menu", "Asu 13°", "Nacionales", prose]]
    clean.annotate(lines, None)
    keep = [False] * 4 + [True]
    assert clean.find_title(lines, keep, [False] * 5, None, [-3.74, -8.15, -3.64, -5.48, 4.0]) == (None, None)
    # Right above the article's first line, a headline is taken however low
    # the model scored it: headlines look like teaser titles out of context.
    lines = [clean.Line(0, 0, t) for t in ["Support The Moscow Times!",
                                           "Relatives of Mobilized Russian Soldiers Protest Outside Defense Ministry",
                                           prose]]
    clean.annotate(lines, None)
    assert clean.find_title(lines, [False, False, True], [False] * 3, None, [-6.48, -4.49, 5.25]) == (1, None)


def test_phrase_reason_does_not_depend_on_string_hashing():
    import subprocess
    import sys
    code = ("from corpus_db import clean; "
            "print(clean.phrase_hit('Subscribe to our newsletter and support us: donate today. Share this',"
            " clean.patterns()))")
    out = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONHASHSEED": seed, "PYTHONPATH": str(SEEDS.parent)}).stdout
           for seed in ("1", "2", "3", "4")}
    assert len(out) == 1


# ---------------------------------------------------------------- model

def test_shipped_model_matches_the_features():
    m = clean.model()
    assert m is not None, "cleaner_model.json was trained for another feature list: retrain it"
    lines = clean.split_lines(normalize.normalize_text(page(EN_BODY)))
    clean.annotate(lines, None)
    X = clean.line_features(lines, False, clean.title_anchor(lines))
    assert X.shape == (len(lines), len(clean.FEATURES))
    scores = clean.run_model(m, X)
    assert scores.shape == (len(lines),)


def test_tree_ensemble_walks_to_the_right_leaves():
    # tree 1: x0 <= 0.5 ? (x1 <= 2 ? 1 : 2) : 3; tree 2: a single leaf, 10
    spec = {"base": 0.5, "depth": 2, "roots": [0, 7],
            "feature": [0, 1, 0, 0, 0, 0, 0, 0], "threshold": [0.5, 2.0, None, None, None, None, None, None],
            "left": [1, 3, 2, 3, 4, 5, 6, 7], "value": [0, 0, 3.0, 1.0, 2.0, 0, 0, 10.0]}
    trees = clean.Trees(spec)
    X = np.array([[0.0, 1.0], [0.5, 3.0], [0.7, 0.0]])
    assert trees(X).tolist() == [11.5, 12.5, 13.5]


def test_context_features_see_neighbours():
    ctx = clean.context_features([5.0, -5.0, 5.0])
    names = clean.CONTEXT_FEATURES
    assert ctx.shape == (3, len(names))
    assert ctx[1, names.index("both_in")] == 1.0 and ctx[0, names.index("s_prev")] == -3.0 / 5


def test_whole_match_agrees_with_the_whole_regex():
    # whole_match tries only the alternatives that can start the line; the
    # answer must be the big regex's, whatever the case folding or symbols.
    pats = clean.patterns()
    lines = ["Share", "SHARE this:", "© 2020 Foo Media", "ſubscribe now", "_Home", "• Menu", "Updated 3 hours ago",
             "By Jane Doe", "12 comments", "Read more »", "Photo: AFP", "Kommentare (3)", "Подписаться",
             "March 3, 2021 10:45 am", "John Smith | Reuters | 2021-03-01", "Ⅰ. Kelvin", "Kontakt", "Article text here."]
    for line in lines:
        m = pats.whole.fullmatch(line)
        assert clean.whole_match(line, pats) == (m.lastgroup[2:] if m and m.lastgroup else None), line


def test_phrase_hit_agrees_with_trying_every_pattern():
    # phrase_hit runs only the patterns whose trigger (or group of
    # alternatives, such as "(telegram|youtube|whatsapp)") the line holds;
    # it must find a cue exactly when some pattern matches.
    pats = clean.patterns()
    every = [(rx, reason) for rules in pats.by_trigger.values() for rx, reason, _ in rules] + pats.always
    lines = ["Join our channel on Telegram for the latest news", "We may earn a commission when you buy through links.",
             "À lire aussi : les mères de soldats manifestent", "Ich möchte Euren Newsletter erhalten und akzeptiere "
             "die Datenschutzerklärung", "Support us: donate today", "In this photo taken on March 3, women protest.",
             "The women gathered outside the Defence Ministry in Moscow on Saturday.",
             "«Мы хотим, чтобы наших мужей вернули домой», — сказала она.", '{"id": 3, "name": "x"}']
    for line in lines:
        matching = {reason for rx, reason in every if rx.search(line)}
        found = clean.phrase_hit(line, pats)
        assert (found is None) == (not matching) and (found is None or found in matching), line


def test_patterns_with_no_literal_are_filed_under_a_group_of_words():
    assert clean.alternatives_of(r"\b(we|i) (may )?(receive|earn|get) (a )?(commission|compensation)\b") \
        == ["commission", "compensation"]
    assert clean.alternatives_of(r"^(?:À lire aussi|A lire aussi)\b") == ["à lire aussi", "a lire aussi"]
    assert clean.alternatives_of(r"(?:foo|barr)?x") == []  # an optional group can be skipped
    assert clean.alternatives_of(r"(ab|cd) (x|y)") == []  # too short to be worth a substring test
