"""A record's name cannot turn the text around it backwards: shown isolated, without the
characters that open or close a direction (U+202E RIGHT-TO-LEFT OVERRIDE and the like), in the
admin's and the public pages' <title>, breadcrumbs and headings."""

import re

import pytest
from django.urls import reverse

from cpec_tracker.records.templatetags.cpec import bdi, isolate

pytestmark = pytest.mark.django_db

OVERRIDE = "\u202e"
FSI, PDI = "\u2068", "\u2069"
SPOOFED_TITLE = f"{OVERRIDE}Fifth session"
SHOWN = "Fifth session (10 January 2025)"


def part(html, pattern):
    return re.search(pattern, html, re.S).group(1)


def test_a_name_is_isolated_without_its_direction_controls():
    assert isolate(f"{PDI}{OVERRIDE}abc\u202c") == f"{FSI}abc{PDI}"
    assert bdi(f"{OVERRIDE}<b>") == "<bdi>&lt;b&gt;</bdi>"


def test_admin_change_page_isolates_the_name_in_title_breadcrumbs_and_headings(admin_client, make):
    meeting = make.make_meeting(title=SPOOFED_TITLE)
    html = admin_client.get(
        reverse("admin:meetings_meeting_change", args=[meeting.pk])
    ).content.decode()
    title = part(html, r"<title>(.*?)</title>")
    assert title.startswith(f"{FSI}{SHOWN}{PDI} | {FSI}Change meeting{PDI} | ")
    assert f"&rsaquo; <bdi>{SHOWN}</bdi>\n</div>" in part(
        html, r'<div class="breadcrumbs">(.*?</div>)'
    )
    assert "<h1><bdi>Change meeting</bdi></h1>" in html
    assert f"<h2><bdi>{SHOWN}</bdi></h2>" in html
    assert OVERRIDE not in title


def test_admin_history_page_isolates_the_name_in_title_breadcrumbs_and_heading(admin_client, make):
    meeting = make.make_meeting(title=SPOOFED_TITLE)
    html = admin_client.get(
        reverse("admin:meetings_meeting_history", args=[meeting.pk])
    ).content.decode()
    assert f"<title>{FSI}Change history: {SHOWN}{PDI} | " in html
    assert f"<h1><bdi>Change history: {SHOWN}</bdi></h1>" in html
    assert f"<bdi>{SHOWN}</bdi></a>\n&rsaquo; History" in html


def test_public_page_isolates_the_name_in_title_and_heading(client, make):
    meeting = make.make_meeting(title=SPOOFED_TITLE)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert f"<title>{FSI}Fifth session{PDI} — CPEC Tracker</title>" in html
    assert part(html, r"<h1>(.*?)</h1>").startswith("<bdi>Fifth session</bdi>")
    assert OVERRIDE not in part(html, r"(<main.*</main>)")


def test_admin_delete_page_isolates_the_name_in_the_breadcrumbs(admin_client, make):
    meeting = make.make_meeting(title=SPOOFED_TITLE)
    html = admin_client.get(
        reverse("admin:meetings_meeting_delete", args=[meeting.pk])
    ).content.decode()
    assert f"<bdi>{SHOWN}</bdi></a>\n&rsaquo; Delete" in html
