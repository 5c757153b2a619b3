"""Citations ready to paste (issue 23): footnotes in reading order, one per passage; "How to
cite" with a copy button, downloads, the record's version and history; dates as the reader's
language writes them; offices held "as of" their latest source; `make run`'s own address."""

import datetime
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone, translation

from cpec_tracker.records.dates import DatePrecision, format_date
from tests.pages import text_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEEDED_MEETING = "/meetings/jwg-icc-5th-meeting/"
FOOTNOTE_MARKER = re.compile(r'<sup class="footnote-ref"><a href="#note-(\d+)"')


def marker_numbers(text):
    return [int(number) for number in FOOTNOTE_MARKER.findall(text)]


def first_appearances(numbers):
    return list(dict.fromkeys(numbers))


# Footnotes


def test_seeded_meeting_numbers_its_footnotes_in_reading_order_one_per_passage(client, seeded):
    text = text_of(client.get(SEEDED_MEETING))
    numbers = marker_numbers(text)
    # Each number first appears after every smaller one: no [4] after [17].
    assert first_appearances(numbers) == list(range(1, max(numbers) + 1))
    # 17 citations, 15 passages: the two co-chairs are named by one sentence, and the
    # summary and the first outcome quote nearly the same words.
    assert text.count('<li id="note-') == 15
    assert max(numbers) == 15


def test_one_passage_cited_for_two_rows_is_one_footnote(client, make):
    meeting = make.make_meeting(slug="co-chaired")
    source = make.make_source()
    sentence = "The meeting was co-chaired by the two foreign secretaries."
    for name in ("First Chair", "Second Chair"):
        participation = make.make_participation(meeting=meeting, name=name)
        make.make_citation(participation, source=source, quote=sentence)
    text = text_of(client.get("/meetings/co-chaired/"))
    assert marker_numbers(text) == [1, 1]
    assert text.count('<li id="note-') == 1


def test_near_identical_quotes_of_one_fact_share_a_footnote_showing_the_longest(client, make):
    meeting = make.make_meeting(slug="thrice", summary="Agreed to deepen cooperation.")
    source = make.make_source()
    for quote in (
        "The two sides agreed to deepen cooperation in agriculture",
        "the two sides agreed to deepen cooperation in agriculture.",
        "The two sides agreed to deepen cooperation in agriculture and",
    ):
        make.make_citation(meeting, source=source, quote=quote, fields=["summary"])
    # A quote that is only part of the passage is a footnote of its own.
    make.make_citation(meeting, source=source, quote="agriculture", fields=["summary"])
    text = text_of(client.get("/meetings/thrice/"))
    assert text.count('<li id="note-') == 2
    assert "“The two sides agreed to deepen cooperation in agriculture and”" in text
    assert marker_numbers(text) == [1, 2]


def test_same_words_of_two_sources_are_two_footnotes(client, make):
    meeting = make.make_meeting(slug="two-sources")
    make.make_citation(meeting, source=make.make_source(), quote="The two sides met.")
    make.make_citation(meeting, source=make.make_source(), quote="The two sides met.")
    assert text_of(client.get("/meetings/two-sources/")).count('<li id="note-') == 2


# How to cite


def test_every_record_page_links_to_how_to_cite_from_its_top(client, seeded):
    pages = [
        SEEDED_MEETING,
        "/officials/amna-baloch/",
        "/sources/dawn-2025-01-12-cpec-jwg-icc/",
        "/organizations/pakistan-ministry-of-foreign-affairs/",
    ]
    for page in pages:
        text = text_of(client.get(page))
        link = text.index('<p class="cite-link"><a href="#cite">Cite this page</a></p>')
        assert link < text.index("</h1>") + 200, page
        assert 'id="cite"' in text[link:], page


def test_how_to_cite_offers_copy_downloads_version_and_history(client, seeded):
    text = text_of(client.get(SEEDED_MEETING))
    section = text[text.index('id="cite"') :]
    # The button needs the script: hidden until cite.js shows it.
    assert '<p class="copy-citation" hidden><button type="button" data-copy="citation-text"' in (
        section
    )
    assert re.search(
        r'<script src="/static/cpec_tracker/cite(\.\w+)?\.js" defer></script>', section
    )
    for extension in ("bib", "ris", "json"):
        assert f'href="{SEEDED_MEETING}cite.{extension}"' in section
    today = format_date(timezone.localdate(), DatePrecision.DAY)
    assert f"Last updated {today} (version 1)." in section
    assert 'href="/changes/?record=meetings/jwg-icc-5th-meeting"' in section


def test_the_copy_script_is_a_static_file_the_policy_allows(client, seeded):
    response = client.get(SEEDED_MEETING)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = (ROOT / "cpec_tracker/site/static/cpec_tracker/cite.js").read_text()
    assert "navigator.clipboard" in script and "holder.hidden = false" in script


@pytest.mark.parametrize(
    ("extension", "content_type", "expected"),
    [
        ("bib", "application/x-bibtex; charset=utf-8", "@online{jwg-icc-5th-meeting,"),
        ("ris", "application/x-research-info-systems; charset=utf-8", "TY  - ELEC\r\n"),
        ("json", "application/vnd.citationstyles.csl+json; charset=utf-8", '"type": "webpage"'),
    ],
)
def test_citation_downloads_name_the_page_its_version_and_type(
    client, seeded, django_assert_max_num_queries, extension, content_type, expected
):
    with django_assert_max_num_queries(3):
        response = client.get(f"{SEEDED_MEETING}cite.{extension}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="jwg-icc-5th-meeting.{extension}"'
    )
    text = text_of(response)
    assert expected in text
    assert "http://testserver/meetings/jwg-icc-5th-meeting/" in text


def test_csl_json_download_is_valid_csl(client, seeded):
    (item,) = json.loads(client.get("/ur/officials/amna-baloch/cite.json").content)
    assert item["id"] == "amna-baloch" and item["type"] == "webpage"
    assert item["URL"] == "http://testserver/ur/officials/amna-baloch/"
    assert item["version"] == "1"
    today = timezone.localdate()
    assert item["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}


def test_bibtex_escapes_what_would_break_an_entry(client, make):
    make.make_meeting(slug="braces", title="Costs {rose} 50% & more_")
    text = text_of(client.get("/meetings/braces/cite.bib"))
    assert r"title = {Costs \{rose\} 50\% \& more\_}," in text


def test_a_draft_or_missing_record_has_no_citation_to_download(client, make):
    make.make_meeting(slug="secret", publication_status="draft")
    for path in ("/meetings/secret/cite.bib", "/meetings/nothing/cite.ris"):
        assert client.get(path).status_code == 404
    assert client.get("/meetings/secret/cite.txt").status_code == 404


def test_history_link_shows_that_records_changes_only(client, seeded):
    response = client.get("/changes/?record=meetings/jwg-icc-5th-meeting")
    text = text_of(response)
    assert response.status_code == 200
    assert "Changes to <bdi>5th meeting of the CPEC Joint" in text
    assert 'href="/meetings/jwg-icc-5th-meeting/"' in text
    changes = text.split('class="change-list"')[1]
    # Its own changes and its parts' (outcomes, participations), never another record's: the
    # official it names is linked from a participation, but her own entry is not there.
    titles = re.findall(r'<h2 class="change-title">.*?</h2>', changes, re.S)
    assert titles
    assert all('href="/meetings/jwg-icc-5th-meeting/"' in title for title in titles)
    assert not any('href="/officials/amna-baloch/"' in title for title in titles)


@pytest.mark.parametrize(
    "value",
    [
        "meetings/nothing",
        "nothing/jwg-icc-5th-meeting",
        "meetings/",
        "",
        "x" * 500,
        "meetings/jwg-icc\x00",
        "meetings/jwg-icc-5th-meeting/extra",
        "meetings/會議",
    ],
)
def test_history_of_no_published_record_is_a_404(client, seeded, value):
    assert client.get("/changes/", {"record": value}).status_code == 404


def test_history_of_a_draft_is_a_404(client, make):
    make.make_meeting(slug="draft-history", publication_status="draft")
    assert client.get("/changes/?record=meetings/draft-history").status_code == 404


def test_history_page_of_one_record_is_bounded_in_queries(
    client, seeded, django_assert_max_num_queries
):
    # The record's own history, and its parts' (3 queries for each kind of part it has).
    with django_assert_max_num_queries(16):
        assert client.get("/changes/?record=meetings/jwg-icc-5th-meeting").status_code == 200


def test_record_page_queries_are_unchanged_by_how_to_cite(
    client, seeded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert client.get(SEEDED_MEETING).status_code == 200


# Dates as the reader's language writes them


def test_chinese_access_date_is_written_the_chinese_way(client, seeded):
    text = text_of(client.get(f"/zh-hans{SEEDED_MEETING}"))
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in text
    assert f"{today.day} 十二月" not in text and "十二月 " not in text


def test_chinese_changelog_writes_dates_the_chinese_way(client, seeded):
    text = text_of(client.get("/zh-hans/changes/"))
    today = timezone.localdate()
    assert re.search(rf"{today.year}年{today.month}月{today.day}日, \d\d:\d\d UTC", text)


def test_each_language_has_its_date_formats():
    from django.utils.formats import date_format

    day = datetime.date(2025, 1, 12)
    with translation.override("zh-hans"):
        assert date_format(day) == "2025年1月12日"
    with translation.override("ur"):
        # Day first, as Pakistan writes it (Django alone gave the American month-first).
        assert re.fullmatch(r"12 \S+ 2025", date_format(day))


# Offices held as of their latest source


def test_office_without_end_is_held_as_of_its_latest_source_not_current(client, seeded):
    text = text_of(client.get("/officials/amna-baloch/"))
    assert "<strong>held as of 12 January 2025</strong>" in text
    assert "<strong>current</strong>" not in text


def test_office_with_end_to_come_is_current(client, make):
    official = make.make_official(slug="serving")
    make.make_appointment(official, end=timezone.localdate() + datetime.timedelta(days=30))
    assert "<strong>current</strong>" in text_of(client.get("/officials/serving/"))


def test_organization_page_shows_its_officials_offices_as_of_their_sources(
    client, seeded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        response = client.get("/organizations/pakistan-ministry-of-foreign-affairs/")
    text = text_of(response)
    assert "held as of 12 January 2025" in text and "(current)" not in text


# The seed's source and its address


def test_source_without_address_says_it_has_none(client, seeded):
    seed_text = (ROOT / "seeds/dawn-2025-01-12-cpec-jwg-icc.txt").read_text()
    assert "http" not in seed_text and "www." not in seed_text  # nothing to take an address from
    text = text_of(client.get("/sources/dawn-2025-01-12-cpec-jwg-icc/"))
    assert "No address recorded: the text kept here does not give the original’s address." in text


def test_source_with_address_links_to_it(client, make):
    make.make_source(slug="with-url", url="https://www.dawn.com/news/1")
    text = text_of(client.get("/sources/with-url/"))
    assert '<a href="https://www.dawn.com/news/1">' in text and "No address recorded" not in text


# make run's own address


def make_run_commands(*arguments, env=None):
    result = subprocess.run(
        ["make", "-n", "run", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return result.stdout


def test_make_run_names_the_address_it_serves():
    env = {key: value for key, value in os.environ.items() if key != "CPEC_SITE_URL"}
    commands = make_run_commands("PORT=8123", env=env)
    assert "CPEC_SITE_URL=http://127.0.0.1:8123 " in commands
    # honcho hands HOST and the port to the Procfile's web line (gunicorn --bind HOST:PORT).
    assert "HOST=127.0.0.1 " in commands
    assert "start --port 8123" in commands


def test_make_run_keeps_a_site_url_given():
    env = {**os.environ, "CPEC_SITE_URL": "https://cpec.example.org"}
    assert "CPEC_SITE_URL=https://cpec.example.org " in make_run_commands("PORT=8123", env=env)
