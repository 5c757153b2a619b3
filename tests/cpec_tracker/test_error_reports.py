"""Readers report an error or a missing source: the form on its own page, what it refuses,
the editors' admin and dashboard, and the reporter's email kept out of everything public."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cpec_tracker.caching import dataversion
from cpec_tracker.records import registry
from cpec_tracker.records.models import ErrorReport, ErrorReportStatus
from cpec_tracker.site import datafiles, reports
from meetings.models import Meeting

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "reader.7f3a@example.org"
SCRIPT = "<script>alert('x')</script>"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def report_url(record, language=None):
    kind = registry.kind_of(type(record))
    with translation.override(language or "en"):
        return reverse("report", args=[kind.name, record.slug])


def reader(address="203.0.113.7"):
    """A reader's browser: a client that enforces CSRF, as a real one meets it."""
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address)


def send(client, url, **fields):
    """GET the form, then POST it with its CSRF token and `fields` (defaults: a valid report)."""
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "csrfmiddlewaretoken": CSRF_TOKEN.search(page.content.decode()).group(1),
        "what_is_wrong": "The date is wrong: the meeting was on 11 January.",
        "source_url": "",
        "email": "",
        "website": "",
        **fields,
    }
    return client.post(url, data)


@pytest.fixture
def meeting(make):
    return make.make_meeting(slug="jwg-energy-3rd", title="JWG on energy, 3rd meeting")


# The link on every record page


def test_every_kind_of_record_page_links_to_its_report_form(seeded, client):
    linked = 0
    for kind in reports.reportable_kinds().values():
        record = kind.model.objects.published().order_by("pk").first()
        response = client.get(record.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert f'href="{report_url(record)}"' in html, kind.name
        assert "Report an error or a missing source" in html
        linked += 1
    assert linked == 6  # meetings, officials, projects, sources, organizations, themes


def test_the_link_and_form_are_in_each_language(meeting, client):
    for language, direction in [("en", "ltr"), ("ur", "rtl"), ("zh-hans", "ltr")]:
        with translation.override(language):
            heading = translation.gettext("Report an error or a missing source")
            label = translation.gettext("Your email (optional)")
            page = client.get(meeting.get_absolute_url()).content.decode()
        url = report_url(meeting, language)
        assert language == "en" or url.startswith(f"/{language}/report/")
        assert f'href="{url}"' in page and heading in page
        form = client.get(url)
        html = form.content.decode()
        assert form.status_code == 200
        assert f'lang="{language}" dir="{direction}"' in html
        assert heading in html and label in html
        assert language == "en" or heading != "Report an error or a missing source"


def test_the_form_page_is_never_cached_and_reads_little(
    meeting, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(report_url(meeting))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "X-Cache" not in client.get(report_url(meeting))
    assert '<meta name="robots" content="noindex">' in response.content.decode()


# Sending a report


def test_a_report_is_stored_then_the_reader_thanked(meeting):
    client = reader()
    before = dataversion.current()
    response = send(
        client,
        report_url(meeting, "ur"),
        source_url="https://www.dawn.com/news/1",
        email=SECRET_EMAIL,
    )
    sent_url = reverse("report-sent", args=["meetings", meeting.slug])
    assert response.status_code == 302
    assert response["Location"] in (sent_url, "/ur" + sent_url)
    report = ErrorReport.objects.get()
    assert (report.record, report.record_kind, report.record_slug) == (
        meeting,
        "meetings",
        meeting.slug,
    )
    assert (report.language, report.status, report.email) == ("ur", "open", SECRET_EMAIL)
    assert report.source_url == "https://www.dawn.com/news/1"
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and meeting.get_absolute_url() in thanks.content.decode()
    # A report is no public data: no page, API answer or /data/ file goes cold for it.
    assert dataversion.current() == before


def test_a_report_outlives_its_record(meeting):
    send(reader(), report_url(meeting))
    meeting.delete()
    report = ErrorReport.objects.get()
    assert report.record is None
    assert (report.record_kind, report.record_slug) == ("meetings", "jwg-energy-3rd")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"what_is_wrong": ""}, "Say what is wrong, or which source is missing."),
        ({"what_is_wrong": "   "}, "Say what is wrong, or which source is missing."),
        ({"what_is_wrong": "x" * 2001}, "at most 2000 characters"),
        ({"what_is_wrong": "bell\x07"}, "control character"),
        ({"source_url": "javascript:alert(1)"}, "starting http"),
        ({"source_url": "ftp://example.org/a"}, "starting http"),
        ({"source_url": "https://example.org/" + "a" * 500}, "at most 500 characters"),
        ({"email": "not an email"}, "valid email"),
        ({"email": f"{SCRIPT}@example.org"}, "valid email"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(meeting, fields, message):
    response = send(reader(), report_url(meeting), **fields)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Your report was not sent" in html and message in html
    assert ErrorReport.objects.count() == 0


def test_html_is_never_rendered_back(meeting):
    response = send(reader(), report_url(meeting), what_is_wrong=SCRIPT, email="bad")
    html = response.content.decode()
    assert SCRIPT not in html and "&lt;script&gt;" in html


def test_a_post_without_the_csrf_token_is_refused(meeting):
    response = reader().post(report_url(meeting), {"what_is_wrong": "Wrong date."})
    assert response.status_code == 403
    assert ErrorReport.objects.count() == 0


def test_an_oversized_body_is_refused_before_it_is_read(meeting):
    response = reader().post(
        report_url(meeting), {"what_is_wrong": "x" * (reports.MAX_BODY_BYTES + 1)}
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert ErrorReport.objects.count() == 0


def test_a_filled_honeypot_looks_accepted_and_stores_nothing(meeting):
    response = send(reader(), report_url(meeting), website="https://spam.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("report-sent", args=["meetings", meeting.slug])
    assert ErrorReport.objects.count() == 0


def test_the_rate_limit_is_per_address_and_kept_in_the_shared_cache(meeting):
    for _ in range(reports.REPORTS_PER_HOUR):
        assert send(reader(), report_url(meeting)).status_code == 302
    # Another browser (or another app server: they share the cache) from the same address.
    refused = send(reader(), report_url(meeting))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "try again in an hour" in refused.content.decode()
    assert ErrorReport.objects.count() == reports.REPORTS_PER_HOUR
    # Another address is not held back.
    assert send(reader("198.51.100.9"), report_url(meeting)).status_code == 302
    # The count lives in the cache every server reads.
    caches["default"].delete("cpec-report-rate:203.0.113.7")
    assert send(reader(), report_url(meeting)).status_code == 302


def test_the_rate_limit_counts_the_address_behind_the_trusted_proxies(meeting, settings):
    settings.CPEC_PROXY_COUNT = 1
    for number in range(reports.REPORTS_PER_HOUR):
        client = reader("10.0.0.1")
        client.defaults["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{number}, 203.0.113.50"
        assert send(client, report_url(meeting)).status_code == 302
    client = reader("10.0.0.2")
    client.defaults["HTTP_X_FORWARDED_FOR"] = "203.0.113.50"
    assert send(client, report_url(meeting)).status_code == 429


@pytest.mark.parametrize(
    "path",
    [
        "/report/meetings/no-such-meeting/",
        "/report/unknown-kind/jwg-energy-3rd/",
        "/report/citations/jwg-energy-3rd/",
        "/ur/report/meetings/no-such-meeting/",
    ],
)
def test_unknown_kinds_and_records_are_404(meeting, client, path, page_cache_on_and_off):
    assert client.get(path).status_code == 404
    assert client.post(path, {"what_is_wrong": "x"}).status_code == 404
    assert client.get(f"{path}sent/").status_code == 404


def test_a_draft_cannot_be_reported(make, client, page_cache_on_and_off):
    draft = make.make_meeting(slug="draft-meeting", publication_status="draft")
    url = "/report/meetings/draft-meeting/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"what_is_wrong": "x"}).status_code == 404
    assert client.get(f"{url}sent/").status_code == 404
    assert "report/meetings" not in client.get(reverse("meetings:list")).content.decode()
    assert ErrorReport.objects.count() == 0 and draft.pk


def test_other_methods_are_refused(meeting, client):
    assert client.put(report_url(meeting)).status_code == 405
    assert client.delete(report_url(meeting)).status_code == 405


# The email stays private


def test_the_email_is_in_no_page_api_answer_data_file_or_backup(seeded, client, tmp_path):
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    send(reader(), report_url(meeting), email=SECRET_EMAIL, what_is_wrong="Secret-ish words")
    assert ErrorReport.objects.filter(email=SECRET_EMAIL).exists()

    public = [
        meeting.get_absolute_url(),
        "/ur" + meeting.get_absolute_url(),
        f"/api/v1/meetings/{meeting.slug}/",
        "/api/v1/meetings/?format=csv",
        "/changes/",
        "/changes/feed.atom",
        "/feeds/updates.atom",
        "/sitemap.xml",
        "/search/?q=Secret",
        report_url(meeting),
        reverse("report-sent", args=["meetings", meeting.slug]),
    ]
    for path in public:
        response = client.get(path)
        assert response.status_code == 200, path
        content = b"".join(response) if response.streaming else response.content
        assert SECRET_EMAIL.encode() not in content, path
        assert b"Secret-ish" not in content, path

    build = datafiles.current_build()
    assert build.files
    for entry in build.files:
        assert SECRET_EMAIL.encode() not in build.path_of(entry["name"]).read_bytes(), entry
    backup = tmp_path / "backup.json"
    call_command("backup", str(backup))
    assert SECRET_EMAIL not in backup.read_text()
    assert "cpec_tracker.errorreport" not in {
        entry["model"] for entry in json.loads(backup.read_text())
    }


# The editors' side


@pytest.fixture
def sent(meeting):
    """A report as a reader sends it, with HTML in every field it can hold."""
    send(
        reader(),
        report_url(meeting),
        what_is_wrong=f"Wrong city {SCRIPT}",
        source_url="https://example.org/a?b=<i>",
        email=SECRET_EMAIL,
    )
    return ErrorReport.objects.get()


def test_editors_see_the_reports_escaped_with_a_nofollow_source_link(sent, meeting, editor_client):
    listing = editor_client.get(reverse("admin:cpec_tracker_errorreport_changelist"))
    html = listing.content.decode()
    assert listing.status_code == 200
    assert SCRIPT not in html and "Wrong city &lt;script&gt;" in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert "<i>" not in html
    assert reverse("admin:meetings_meeting_change", args=[meeting.pk]) in html
    change = editor_client.get(reverse("admin:cpec_tracker_errorreport_change", args=[sent.pk]))
    assert change.status_code == 200
    assert SCRIPT not in change.content.decode() and SECRET_EMAIL in change.content.decode()


def test_nobody_adds_a_report_in_the_admin_and_only_chief_editors_delete(
    sent, editor_client, chief_editor_client
):
    assert editor_client.get(reverse("admin:cpec_tracker_errorreport_add")).status_code == 403
    delete = reverse("admin:cpec_tracker_errorreport_delete", args=[sent.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert chief_editor_client.post(delete, {"post": "yes"}).status_code == 302
    assert ErrorReport.objects.count() == 0


def test_closing_a_report_needs_a_reason(sent, editor_client, editor):
    url = reverse("admin:cpec_tracker_errorreport_change", args=[sent.pk])
    refused = editor_client.post(url, {"status": "closed", "closing_reason": " "})
    assert refused.status_code == 200 and "Say why the report is closed" in refused.content.decode()
    sent.refresh_from_db()
    assert sent.status == ErrorReportStatus.OPEN

    closed = editor_client.post(
        url, {"status": "closed", "closing_reason": "The source gives 10 January."}
    )
    assert closed.status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.closed_by) == (ErrorReportStatus.CLOSED, editor)
    assert sent.closed_at is not None and sent.closing_reason == "The source gives 10 January."


def test_a_report_is_marked_turned_into_a_change(sent, editor_client, editor):
    url = reverse("admin:cpec_tracker_errorreport_change", args=[sent.pk])
    assert editor_client.post(url, {"status": "changed", "closing_reason": ""}).status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.closed_by) == (ErrorReportStatus.CHANGED, editor)


def dashboard_reports(client):
    html = client.get(reverse("admin:index")).content.decode()
    return html.split('id="dashboard-reports"', 1)[1].split("</div>", 1)[0]


def test_the_dashboard_lists_open_reports_in_a_fixed_number_of_queries(meeting, editor_client):
    for number in range(3):
        send(reader(f"192.0.2.{number}"), report_url(meeting), what_is_wrong=f"Issue {number} <b>")
    ErrorReport.objects.filter(what_is_wrong="Issue 0 <b>").update(
        status="closed", closing_reason="Spam", closed_at="2025-01-01T00:00:00Z"
    )
    dashboard_reports(editor_client)  # content types and the session warmed
    with CaptureQueriesContext(connection) as few:
        block = dashboard_reports(editor_client)
    assert "Reports from readers (2 open)" in block
    assert "Issue 2 &lt;b&gt;" in block and "Issue 1 &lt;b&gt;" in block and "<b>" not in block
    assert "Issue 0" not in block
    assert reverse("admin:meetings_meeting_change", args=[meeting.pk]) in block
    for number in range(3, 30):
        ErrorReport.objects.create(
            content_type=ErrorReport.objects.first().content_type,
            object_id=meeting.pk,
            record_kind="meetings",
            record_slug=meeting.slug,
            what_is_wrong=f"Issue {number}",
            language="en",
        )
    with CaptureQueriesContext(connection) as many:
        block = dashboard_reports(editor_client)
    assert len(many) == len(few)
    assert "Reports from readers (29 open)" in block and "all open reports" in block


def test_editors_without_the_permission_see_no_reports_block(sent, client):
    staff = get_user_model().objects.create_user("staff", password="x-long-pass", is_staff=True)
    client.force_login(staff)
    assert 'id="dashboard-reports"' not in client.get(reverse("admin:index")).content.decode()


def test_editors_may_view_and_change_reports_and_chief_editors_delete_them(editor, chief_editor):
    assert editor.has_perms(["cpec_tracker.view_errorreport", "cpec_tracker.change_errorreport"])
    assert not editor.has_perm("cpec_tracker.delete_errorreport")
    assert not editor.has_perm("cpec_tracker.add_errorreport")
    assert chief_editor.has_perm("cpec_tracker.delete_errorreport")
