"""Measure (issue 10): from a new article to a published meeting, in Chromium under the strict
CSP, through the reading view and through the plain admin, counting what each costs.

Both paths start at the admin's "Add source". The reading-view path gives the article's
address (served by the tests' own loopback server, `tests/intake_server.py`), checks what the
intake read and saves it; the plain path fills in the plain source form, pasting the text.
Then the same result both ways: a meeting (title, kind, series, number, date, city) with two
participants (official, role, title), three outcomes and six citations (one for the meeting,
one per outcome, one per participant), and a chief editor publishes the meeting. Page loads,
form submissions (every POST: forms and the reading view's requests), clicks, characters typed
and characters pasted are counted from the first page of each path; the counts are printed and
checked against the issue's targets.

Screenshots of the reading-view path are written to test-artifacts/screenshots/ on every run,
and also to tests/screenshots/ (the walkthrough in docs/editors.md) when UPDATE_SCREENSHOTS=1.
"""

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from playwright.sync_api import expect

from cpec_tracker.editing.roles import CHIEF_EDITORS, EDITORS
from cpec_tracker.intake.suggestions import split_sentences
from cpec_tracker.records.models import PublicationStatus, Source
from meetings.models import Meeting, Official
from tests.browser.conftest import SCREENSHOTS as ARTIFACT_SCREENSHOTS
from tests.intake_server import BROWSER_ARTICLE_PATH, BROWSER_ARTICLE_TITLE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = (Path(__file__).parent / "article_jwg_icc_6th.txt").read_text(encoding="utf-8")
# The walkthrough's pictures (docs/editors.md); rewritten only when asked, so an ordinary run
# changes no tracked file.
README_SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
UPDATE_README_SCREENSHOTS = os.environ.get("UPDATE_SCREENSHOTS") == "1"
VIEWPORT = {"width": 1100, "height": 760}
ADMIN = "/" + settings.ADMIN_PATH
CITATIONS = "cpec_tracker-citation-content_type-object_id"
TITLES = {"amna-baloch": "Foreign Secretary", "sun-weidong": "Vice Foreign Minister"}


def sentences():
    return [line for line in ARTICLE.splitlines() if line]


OUTCOMES = sentences()[1:4]
# The plain path's own title (its text differs from the fetched page's, which has the headline).
PLAIN_SOURCE_TITLE = "Plain path: the 6th JWG-ICC meeting"


@dataclass
class Meter:
    """Counts what an editor does: pages loaded, forms and requests posted, clicks, typing."""

    page: object
    loads: int = 0
    posts: int = 0
    clicks: int = 0
    typed: int = 0
    pasted: int = 0
    typed_quotes: int = 0
    typed_field_names: int = 0
    log: list = field(default_factory=list)

    def start(self):
        # A page load is counted when its document commits, before anything on it can be seen.
        self.page.on("framenavigated", self._navigated)
        self.page.on("request", lambda r: r.method == "POST" and self._count("posts"))
        return self

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self.loads += 1
            self.log.append(frame.url)

    def _count(self, name):
        setattr(self, name, getattr(self, name) + 1)

    def goto(self, url):
        self.page.goto(url)

    def click(self, locator):
        locator.click()
        self.clicks += 1

    def choose(self, locator, value):
        locator.select_option(value)
        self.clicks += 1

    def type(self, locator, text, *, what="other"):
        locator.press_sequentially(text)
        self.typed += len(text)
        if what == "quote":
            self.typed_quotes += len(text)

    def paste(self, locator, text):
        """Text the editor pastes (one action, not typing): counted apart from typed text."""
        locator.fill(text)
        self.pasted += len(text)

    def autocomplete(self, select_id, search, option):
        """A Django admin autocomplete (select2): open it, type a few letters, pick."""
        self.click(self.page.locator(f"#{select_id} + .select2 .select2-selection"))
        self.type(self.page.locator(".select2-container--open .select2-search__field"), search)
        self.click(
            self.page.locator(".select2-results__option", has_text=option).first,
        )

    def counts(self):
        return {
            "page loads": self.loads,
            "form submissions (POSTs)": self.posts,
            "clicks": self.clicks,
            "characters typed": self.typed,
            "characters pasted": self.pasted,
            "quote characters typed": self.typed_quotes,
            "field-name characters typed": self.typed_field_names,
        }


def login(page, site, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )


def make_user(name, group):
    user = get_user_model().objects.create_user(
        name, password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def shot(page, name):
    ARTIFACT_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACT_SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    if UPDATE_README_SCREENSHOTS:
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, README_SCREENSHOTS / path.name)


def publish_source_for_visitors(source):
    # Outside both measured paths, and the same for both: a source is published like any
    # record, with a citation of its own (its publisher and date, say), and only then do the
    # meeting's footnotes show. The visitor's look at the end needs it.
    Source.objects.filter(pk=source.pk).update(publication_status=PublicationStatus.PUBLISHED)


def sentence_index(source, text):
    """The reading view's index of the sentence of `source` that is `text`."""
    return next(s.index for s in split_sentences(source.text) if s.text == text)


def chief_publishes(meter, site, meeting):
    """A chief editor publishes the meeting from the list of meetings (both paths)."""
    page = meter.page
    meter.goto(f"{site}{ADMIN}meetings/meeting/?publication_status__exact=draft")
    meter.click(page.locator(f"input[name=_selected_action][value='{meeting.pk}']"))
    meter.choose(page.locator("select[name=action]"), "publish")
    meter.click(page.locator("button[name=index]"))
    expect(page.locator(".messagelist")).to_contain_text("Published 1 meeting")


def cite_in_reader(meter, sentence, record_key, field_labels=(), action=None, screenshot=None):
    page = meter.page
    item = page.locator(f"#sentence-{sentence}")
    # The script marks the button once it handles it (until then it is a plain link).
    expect(item.locator(".cite-button[aria-expanded=false]")).to_have_count(1)
    meter.click(item.locator(".cite-button"))
    panel = item.locator(".cite-panel")
    meter.click(panel.locator(f"input[type=radio][value='{record_key}']").first)
    for label in field_labels:
        meter.click(panel.locator(".field-box").get_by_label(label, exact=True))
    if screenshot:
        shot(meter.page, screenshot)
    if action:
        meter.click(panel.get_by_role("button", name=action))
    else:
        meter.click(panel.get_by_role("button", name="Cite", exact=True))
    # The panel closes once the server has taken the citation; the status says what was done.
    expect(panel).to_have_count(0)
    expect(page.locator("#reader-status")).to_contain_text(re.compile("^(Cited|Added)"))


def reader_path(page, site, editor, chief, console_errors, article_url):
    login(page, site, editor)
    meter = Meter(page).start()

    meter.goto(f"{site}{ADMIN}cpec_tracker/source/add/")
    meter.type(page.locator("#id_url"), article_url)
    shot(page, "adding-0-intake")
    meter.click(page.get_by_role("button", name="Read the source"))
    # The review: the intake read the title, date and publisher; nothing to correct here.
    expect(page.locator("#id_title")).to_have_value(BROWSER_ARTICLE_TITLE)
    expect(page.locator("#id_publisher")).to_have_value("Test Gazette")
    meter.click(page.locator("input[name=_save]"))
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    source = Source.objects.get(title=BROWSER_ARTICLE_TITLE)
    assert source.publication_status == PublicationStatus.DRAFT
    meter.click(
        page.get_by_role("row", name=BROWSER_ARTICLE_TITLE).get_by_role(
            "link", name="Read and cite"
        )
    )
    shot(page, "adding-1-reading-view")

    first = sentence_index(source, sentences()[0])
    meter.click(
        page.locator(f"#sentence-{first}").get_by_role(
            "link", name=f"New meeting from sentence {first + 1}"
        )
    )
    expect(page.locator("#id_title")).to_have_value("6th JWG-ICC meeting")
    shot(page, "adding-2-meeting-prefilled")
    meter.click(page.locator("input[name=_save]"))
    expect(page.locator(".messagelist")).to_contain_text("Added meeting")
    meeting = Meeting.objects.get(slug="jwg-icc-6th-meeting")
    meeting_key = f"meetings.meeting:{meeting.pk}"

    for outcome in OUTCOMES:
        cite_in_reader(
            meter, sentence_index(source, outcome), meeting_key, action="Add as a new outcome"
        )
    for participation in meeting.participations.all():
        key = f"meetings.participation:{participation.pk}"
        screenshot = "adding-3-cite-panel" if participation.official.slug == "amna-baloch" else None
        cite_in_reader(meter, first, key, ["Role", "Title at meeting"], screenshot=screenshot)
    shot(page, "adding-4-cited")

    login(page, site, chief)
    chief_publishes(meter, site, meeting)
    counts = meter.counts()  # the visitor's look below is not part of the editors' path
    publish_source_for_visitors(source)
    page.goto(site + meeting.get_absolute_url())
    expect(page.locator("#footnotes-heading")).to_be_visible()
    shot(page, "adding-5-published")
    assert not [e for e in console_errors if "favicon" not in e], console_errors
    return counts, meeting


def plain_path(page, site, editor, chief):
    login(page, site, editor)
    meter = Meter(page).start()
    officials = {o.slug: o for o in Official.objects.filter(slug__in=TITLES)}

    # The source, by hand: the plain form, every field typed but the text, which is pasted.
    meter.goto(f"{site}{ADMIN}cpec_tracker/source/add/")
    meter.click(page.get_by_role("link", name="Or fill in every field by hand"))
    # The form focuses its first field (the slug) once loaded: type only after that.
    expect(page.locator("#id_slug")).to_be_focused()
    meter.type(page.locator("#id_title"), PLAIN_SOURCE_TITLE)
    meter.type(page.locator("#id_publisher"), "Test Gazette")
    meter.type(page.locator("#id_published_on"), "2025-03-15")
    meter.choose(page.locator("#id_kind"), "news_report")
    meter.paste(page.locator("#id_text"), ARTICLE)
    meter.click(page.locator("input[name=_save]"))
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    source = Source.objects.get(title=PLAIN_SOURCE_TITLE)

    meter.goto(f"{site}{ADMIN}meetings/meeting/add/")
    meter.type(page.locator("#id_title"), "6th JWG-ICC meeting")
    meter.choose(page.locator("#id_kind"), "working_group_session")
    meter.autocomplete("id_body", "JWG", "Joint Working Group")
    meter.type(page.locator("#id_sequence_number"), "6")
    meter.type(page.locator("#id_date"), "2025-03-14")
    meter.type(page.locator("#id_city"), "Islamabad")
    for row, (slug, title) in enumerate(TITLES.items()):
        meter.click(page.locator("#participations-group .add-row a"))
        meter.autocomplete(
            f"id_participations-{row}-official",
            officials[slug].name.split()[-1],
            officials[slug].name,
        )
        meter.choose(page.locator(f"#id_participations-{row}-role"), "co_chair")
        meter.type(page.locator(f"#id_participations-{row}-title_at_meeting"), title)
    for row, text in enumerate(OUTCOMES):
        meter.click(page.locator("#outcomes-group .add-row a"))
        page.locator(f"#id_outcomes-{row}-order").fill("")
        meter.type(page.locator(f"#id_outcomes-{row}-order"), str(row + 1))
        meter.type(page.locator(f"#id_outcomes-{row}-text"), text)
    meter.click(page.locator(f"#{CITATIONS}-group .add-row a"))
    cite_row(meter, source, sentences()[0], ["Body", "Sequence number", "Date", "City"])
    meter.click(page.locator("input[name=_save]"))
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    meeting = Meeting.objects.get(title="6th JWG-ICC meeting", citations__source=source)

    rows = [("outcome", outcome.pk, outcome.text, ["Text"]) for outcome in meeting.outcomes.all()]
    rows += [
        ("participation", p.pk, sentences()[0], ["Role", "Title at meeting"])
        for p in meeting.participations.all()
    ]
    for model, pk, quote, labels in rows:
        # The rows are not linked from the meeting's page: their list, then the row, then save.
        meter.goto(f"{site}{ADMIN}meetings/{model}/?q=6th+JWG-ICC")
        meter.click(page.locator(f"#result_list a[href*='/{pk}/change/']").first)
        meter.click(page.locator(f"#{CITATIONS}-group .add-row a"))
        cite_row(meter, source, quote, labels)
        meter.click(page.locator("input[name=_save]"))
        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    login(page, site, chief)
    chief_publishes(meter, site, meeting)
    publish_source_for_visitors(source)
    return meter.counts(), meeting


def cite_row(meter, source, quote, labels):
    page = meter.page
    meter.autocomplete(f"id_{CITATIONS}-0-source", "Plain", source.title[:20])
    for label in labels:
        meter.click(page.locator(f"#{CITATIONS}-group").get_by_label(label, exact=True).first)
    meter.type(page.locator(f"#id_{CITATIONS}-0-quote"), quote, what="quote")


def result_of(meeting):
    """The meeting as the two paths must leave it, without ids and slugs."""
    meeting.refresh_from_db()
    citations = [
        (c.content_type.model, sorted(c.fields), c.quote)
        for record in [meeting, *meeting.participations.all(), *meeting.outcomes.all()]
        for c in record.citations.all()
    ]
    return {
        "title": meeting.title,
        "fields": (
            meeting.kind,
            meeting.body.slug,
            meeting.sequence_number,
            meeting.date,
            meeting.city,
        ),
        "status": meeting.publication_status,
        "participants": sorted(
            (p.official.slug, p.role, p.title_at_meeting) for p in meeting.participations.all()
        ),
        "outcomes": [o.text for o in meeting.outcomes.all()],
        "citations": sorted(citations),
    }


def test_adding_an_article_through_the_reading_view_costs_a_tenth_of_the_plain_admin(
    page, site, strict_csp, console_errors, intake_server
):
    page.set_viewport_size(VIEWPORT)
    editor = make_user("editor", EDITORS)
    chief = make_user("chief", CHIEF_EDITORS)

    article_url = intake_server.url(BROWSER_ARTICLE_PATH)
    reader_counts, reader_meeting = reader_path(
        page, site, editor, chief, console_errors, article_url
    )
    reader_result = result_of(reader_meeting)
    reader_meeting.delete()  # the plain path makes the same meeting, the 6th of its series
    plain_counts, plain_meeting = plain_path(page, site, editor, chief)
    plain_result = result_of(plain_meeting)

    print('\nFrom "Add source" to a published meeting (2 participants, 3 outcomes, 6 citations)')
    print(f"{'':32}{'reading view':>14}{'plain admin':>14}")
    for name, value in reader_counts.items():
        print(f"{name:32}{value:>14}{plain_counts[name]:>14}")

    assert reader_result == plain_result
    assert reader_result["status"] == PublicationStatus.PUBLISHED
    assert len(reader_result["citations"]) == 6
    assert reader_counts["quote characters typed"] == 0
    assert reader_counts["field-name characters typed"] == 0
    assert reader_counts["characters typed"] * 10 <= plain_counts["characters typed"]
    assert reader_counts["page loads"] <= plain_counts["page loads"]
