"""The interface in English, Urdu and Simplified Chinese: addresses, switcher, alternates,
dates, feeds, calendars, the sitemap, error pages and API errors, and the page cache."""

import datetime
import re

import pytest
from django.test import RequestFactory
from django.utils import translation

from cpec_tracker.api.parameters import check_parameters
from cpec_tracker.records.dates import DatePrecision, format_date
from cpec_tracker.site.views import server_error
from tests.cpec_tracker.test_resilience import (  # noqa: F401 (fixtures)
    answer_during,
    database_file,
    locked_error,
)

MEETING = "/meetings/jwg-icc-5th-meeting/"


def html_attributes(response):
    return re.search(r"<html lang=\"([^\"]+)\" dir=\"(\w+)\">", response.text).groups()


@pytest.mark.parametrize(
    "prefix, lang, direction, heading",
    [
        ("", "en", "ltr", "Meetings"),
        ("/ur", "ur", "rtl", "اجلاس"),
        ("/zh-hans", "zh-hans", "ltr", "会议"),
    ],
)
def test_each_language_has_its_address_lang_dir_and_words(
    client, seeded, prefix, lang, direction, heading
):
    response = client.get(f"{prefix}/meetings/")
    assert response.status_code == 200
    assert html_attributes(response) == (lang, direction)
    assert f"<h1>{heading}</h1>" in response.text
    assert response["Content-Language"] == lang


def test_english_addresses_stay_unprefixed_and_there_is_no_en_prefix(client, seeded):
    assert client.get("/").status_code == 200
    assert client.get(MEETING).status_code == 200
    assert client.get("/en/meetings/").status_code == 404
    # An unprefixed address is English whatever the browser prefers.
    response = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="ur,zh-hans;q=0.9")
    assert html_attributes(response) == ("en", "ltr")


def test_the_switcher_links_to_the_same_page_in_the_other_languages_without_javascript(
    client, seeded
):
    text = client.get("/ur/meetings/?ordering=-date&kind=working_group_session").text
    switcher = text[text.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    query = "?ordering=-date&amp;kind=working_group_session"
    assert f'href="/meetings/{query}" hreflang="en" lang="en">English</a>' in switcher
    assert f'href="/ur/meetings/{query}" hreflang="ur" lang="ur" aria-current="page">' in switcher
    assert f'href="/zh-hans/meetings/{query}" hreflang="zh-hans" lang="zh-hans">' in switcher
    assert "<script" not in text.replace('<script type="application/ld+json">', "")


@pytest.mark.parametrize("path", ["/", MEETING, "/zh-hans/projects/", "/ur/no-such-page/"])
def test_every_page_head_lists_its_alternates_with_x_default(client, seeded, path):
    text = client.get(path).text
    head = text[: text.index("</head>")]
    bare = re.sub(r"^/(ur|zh-hans)(?=/)", "", path)
    assert f'hreflang="en" href="http://testserver{bare}"' in head
    assert f'hreflang="x-default" href="http://testserver{bare}"' in head
    assert f'hreflang="ur" href="http://testserver/ur{bare}"' in head
    assert f'hreflang="zh-hans" href="http://testserver/zh-hans{bare}"' in head


@pytest.mark.parametrize(
    "language, day, month, year",
    [
        ("en", "10 January 2025", "January 2025", "2025"),
        ("ur", "10 جنوری 2025", "جنوری 2025", "2025"),
        ("zh-hans", "2025年1月10日", "2025年1月", "2025年"),
    ],
)
def test_a_date_keeps_its_precision_in_every_language(language, day, month, year):
    date = datetime.date(2025, 1, 10)
    with translation.override(language):
        assert format_date(date, DatePrecision.DAY) == day
        assert format_date(date, DatePrecision.MONTH) == month
        assert format_date(date, DatePrecision.YEAR) == year


def test_a_meeting_page_shows_its_month_precise_date_in_each_language(client, seeded):
    assert "<dd>January 2025 <span" in client.get(MEETING).text
    assert "<dd>جنوری 2025 <span" in client.get(f"/ur{MEETING}").text
    assert "<dd>2025年1月 <span" in client.get(f"/zh-hans{MEETING}").text


def test_the_page_cache_never_serves_one_languages_page_to_another(client, seeded, page_cache):
    urdu = client.get("/ur/meetings/")
    assert urdu["X-Cache"] == "miss"
    # The same page in English, asked for by a browser that prefers Urdu: English, rendered.
    english = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="ur")
    assert english["X-Cache"] == "miss"
    assert html_attributes(english) == ("en", "ltr")
    chinese = client.get("/zh-hans/meetings/", HTTP_ACCEPT_LANGUAGE="ur")
    assert chinese["X-Cache"] == "miss"
    assert html_attributes(chinese) == ("zh-hans", "ltr")
    # Each is then served from its own stored copy.
    again = client.get("/ur/meetings/")
    assert again["X-Cache"] == "hit"
    assert html_attributes(again) == ("ur", "rtl")
    again = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="ur")
    assert again["X-Cache"] == "hit"
    assert html_attributes(again) == ("en", "ltr")
    assert urdu["ETag"] != english["ETag"] != chinese["ETag"]


def test_the_cache_key_holds_the_active_language(rf):
    from cpec_tracker.caching.pages import address_key

    request = rf.get("/api/v1/meetings/")
    with translation.override("ur"):
        urdu = address_key(request)
    with translation.override("zh-hans"):
        chinese = address_key(request)
    assert urdu != chinese


@pytest.mark.parametrize(
    "prefix, lang, title",
    [("", "en", "CPEC Tracker: meetings"), ("/ur", "ur", "سی پیک ٹریکر: اجلاس")],
)
def test_feeds_are_per_language(client, seeded, prefix, lang, title):
    for feed in ("meetings", "updates"):
        response = client.get(f"{prefix}/feeds/{feed}.atom")
        assert response.status_code == 200
        assert f'xml:lang="{lang}"' in response.text
    text = client.get(f"{prefix}/feeds/meetings.atom").text
    assert f"<title>{title}</title>" in text
    assert f'href="http://testserver{prefix}{MEETING}"' in text


def test_chinese_feeds_and_calendar_read_in_chinese(client, seeded):
    feed = client.get("/zh-hans/feeds/updates.atom").text
    assert "<title>中巴经济走廊追踪：更新</title>" in feed
    assert "<title>会议：" in feed
    # Unfolded: iCalendar folds lines longer than 75 octets.
    calendar = client.get("/zh-hans/meetings.ics").content.decode().replace("\r\n ", "")
    assert "X-WR-CALNAME:中巴经济走廊追踪：会议" in calendar
    assert "（仅知月份：2025年1月）" in calendar
    assert f"URL:http://testserver/zh-hans{MEETING}" in calendar
    one = client.get(f"/ur{MEETING.rstrip('/')}.ics").content.decode().replace("\r\n ", "")
    assert "(صرف مہینہ معلوم ہے: جنوری 2025)" in one


def test_the_sitemap_lists_every_language_with_alternates(client, seeded):
    text = client.get("/sitemap.xml").text
    assert f"<loc>http://testserver/ur{MEETING}</loc>" in text
    assert f"<loc>http://testserver/zh-hans{MEETING}</loc>" in text
    assert f'hreflang="ur" href="http://testserver/ur{MEETING}"' in text
    assert f'hreflang="x-default" href="http://testserver{MEETING}"' in text
    assert "/en/" not in text


def test_error_pages_speak_the_language_of_the_address(client, seeded, locked_error):  # noqa: F811
    missing = client.get("/ur/no-such-page/")
    assert missing.status_code == 404
    assert "<h1>صفحہ نہیں ملا</h1>" in missing.text
    assert html_attributes(missing) == ("ur", "rtl")
    assert "<h1>找不到页面</h1>" in client.get("/zh-hans/no-such-page/").text
    unavailable = answer_during(locked_error, RequestFactory().get("/zh-hans/meetings/"))
    assert unavailable.status_code == 503
    assert "暂时无法访问" in unavailable.content.decode()
    assert "请在 30 秒后重试。" in unavailable.content.decode()
    try:
        raise ValueError("a bug")
    except ValueError:
        broken = server_error(RequestFactory().get("/ur/meetings/"))
    assert broken.status_code == 500
    assert '<html lang="ur" dir="rtl">' in broken.content.decode()
    assert "کچھ غلط ہو گیا" in broken.content.decode()


def test_api_error_messages_are_translated_in_the_active_language(rf):
    from django.http import QueryDict
    from rest_framework.exceptions import ValidationError

    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        check_parameters(QueryDict("q=" + "x" * 1000))
    assert "长度超过" in str(raised.value.detail)
    with translation.override("ur"), pytest.raises(ValidationError) as raised:
        check_parameters(QueryDict("q=%01"))
    assert "کنٹرول کیریکٹر" in str(raised.value.detail)


@pytest.mark.parametrize("prefix", ["/ur", "/zh-hans"])
def test_pages_in_other_languages_cost_the_queries_english_does(
    client, seeded, prefix, django_assert_max_num_queries, no_page_cache
):
    for path in ("/", "/meetings/", MEETING, "/projects/", "/officials/amna-baloch/"):
        with django_assert_max_num_queries(12):
            assert client.get(prefix + path).status_code == 200


@pytest.mark.django_db
def test_choice_labels_and_country_names_follow_each_readers_language(client, make, settings):
    # Labels are looked up per field and the country names kept per language in the process
    # (`Versioned._get_FIELD_display`, `CountryChoices`): the first language asked for must
    # not stick. Page cache off (explicitly) so each answer is rendered.
    settings.CPEC_PAGE_CACHE = False
    make.make_project(status="operational")
    # The meetings' country filter offers only the countries meetings are held in, each with
    # its count.
    make.make_meeting(country="PK")
    for prefix, status, country in [
        ("", "Operational", ">Pakistan (1)<"),
        # django-countries has no Urdu names; the catalogue has the two countries places are
        # in (a location's country).
        ("/ur", "فعال", ">پاکستان (1)<"),
        ("/zh-hans", "已运营", ">巴基斯坦 (1)<"),
        ("", "Operational", ">Pakistan (1)<"),
    ]:
        assert status in client.get(f"{prefix}/projects/").text, prefix
        assert country in client.get(f"{prefix}/meetings/").text, prefix
