"""Measure (issue 20): a follow-up article, from "Add source" to approved public records, in
Chromium under the strict CSP, through the reading view's update actions.

The article (`article_jwg_icc_follow_up.txt`, written for this trial and used by no suggestion
tuning) reports on records the seed holds: a new outcome of the 5th JWG-ICC meeting stated by
Ms Baloch, a participant of it (Jiang Zaidong, with his title), the suspension of the Khunjerab
Pass year-round operation on a date (a milestone and a status change) and a capacity figure of
Chashma Unit 5. An editor pastes the text into "Add source", types the source's title,
publisher and date, and proposes every update from the reading view; a chief editor approves
the pending changes in the review queue and tries to publish the source. Page loads, posts,
clicks and characters typed are counted as the first article's trial counts them
(`test_adding_an_article.Meter`) and printed as a "TRIAL" line.

A visitor (a browser context with no login) looks at the meeting's and the projects' pages in
English, Urdu and Chinese and at their API details before and after the approval: the
proposed values are nowhere before, everywhere after. Before it, /changes/, search, the
updates feed and the calendar (three languages) and the sitemap show none of them either.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from cpec_tracker.editing.roles import CHIEF_EDITORS, EDITORS
from cpec_tracker.intake.suggestions import split_sentences
from cpec_tracker.records.models import Organization, PublicationStatus, Source
from meetings.models import Meeting, Official
from projects.models import Project
from tests.browser.test_adding_an_article import Meter, login, make_user, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = (Path(__file__).parent / "article_jwg_icc_follow_up.txt").read_text(encoding="utf-8")
VIEWPORT = {"width": 1100, "height": 760}
ADMIN = "/" + settings.ADMIN_PATH
LANGUAGES = ["", "/ur", "/zh-hans"]
# The source's metadata: the only characters the editor types.
TITLE, PUBLISHER, PUBLISHED_ON = "JWG-ICC follow-up", "Test Gazette", "2025-03-20"
TYPED_AT_MOST = 60
# Admin forms the trial must not fall back to: the plain pages of the records and their rows.
PLAIN_FORMS = re.compile(
    r"/(meetings/(meeting|outcome|participation)|projects/(project|milestone|keyfigure))/"
    r"(add|\d+/change)/"
)
# Each public record, and what of the article it must show once approved (and not before).
MEETING = ("meetings", "jwg-icc-5th-meeting")
KHUNJERAB = ("projects", "khunjerab-pass-year-round-operation")
CHASHMA = ("projects", "chashma-nuclear-power-plant-unit-5")
ON_PAGES = {
    MEETING: ["joint task force on the safety of Chinese workers", "Jiang Zaidong"],
    KHUNJERAB: ["heavy snowfall"],
    CHASHMA: ["MW"],
}
IN_API = {
    MEETING: ["Jiang Zaidong", "joint task force on the safety of Chinese workers"],
    KHUNJERAB: ["heavy snowfall", '"status": "suspended"'],
    CHASHMA: ['"unit": "MW"'],
}


def sentence_with(source, words):
    """The reading view's index of the sentence of `source` that holds `words`."""
    return next(s.index for s in split_sentences(source.text) if words in s.text)


def update_in_reader(meter, sentence, record_key, action, choice=None):
    """ "Cite…" on a sentence, choose the known record it marks, then one of its updates."""
    page = meter.page
    item = page.locator(f"#sentence-{sentence}")
    expect(item.locator(".cite-button[aria-expanded=false]")).to_have_count(1)
    meter.click(item.locator(".cite-button"))
    panel = item.locator(".cite-panel")
    meter.click(panel.locator(f"input[type=radio][value='{record_key}']").first)
    if choice is not None:
        meter.choose(panel.get_by_label(f"{action}: choose"), choice)
    meter.click(panel.get_by_role("button", name=action, exact=True))
    expect(panel).to_have_count(0)
    expect(page.locator("#reader-status")).to_contain_text("Proposed for")


def record_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Official, Meeting, Project, Organization)
    }


def public_texts(visitor, site):
    """{(record, where): text} of every public page (three languages) and API detail."""
    texts = {}
    for namespace, slug in ON_PAGES:
        for prefix in LANGUAGES:
            visitor.goto(f"{site}{prefix}/{namespace}/{slug}/")
            texts[(namespace, slug), prefix or "/en"] = visitor.locator("main").inner_text()
        response = visitor.request.get(f"{site}/api/v1/{namespace}/{slug}/")
        assert response.ok, response.status
        texts[(namespace, slug), "api"] = json.dumps(response.json(), ensure_ascii=False)
    return texts


# Other public surfaces, in each language: none may show a pending value.
SURFACES = [
    "/changes/",
    "/search/?q=snowfall",
    "/feeds/updates.atom",
    "/meetings.ics",
]


def surfaces_showing_pending_values(visitor, site):
    values = [ON_PAGES[MEETING][0], ON_PAGES[KHUNJERAB][0]]
    showing = []
    # The sitemap is one for all languages (it lists each page's translations).
    addresses = [prefix + address for prefix in LANGUAGES for address in SURFACES]
    for address in [*addresses, "/sitemap.xml"]:
        response = visitor.request.get(f"{site}{address}")
        assert response.ok, (address, response.status)
        text = response.text()
        showing += [(address, value) for value in values if value in text]
    return showing


def shown(texts):
    """Where each proposed value shows: {(record, where, value): bool}."""
    return {
        (record, where, value): value in text
        for (record, where), text in texts.items()
        for value in (IN_API[record] if where == "api" else ON_PAGES[record])
    }


def test_a_follow_up_article_updates_known_records_through_the_reading_view_and_review(
    page, browser, site, strict_csp, console_errors
):
    page.set_viewport_size(VIEWPORT)
    editor = make_user("editor", EDITORS)
    chief = make_user("chief", CHIEF_EDITORS)
    visitor = browser.new_context().new_page()
    counts_before = record_counts()
    assert not any(shown(public_texts(visitor, site)).values())

    # The editor: the source, pasted, with its metadata typed.
    login(page, site, editor)
    meter = Meter(page).start()
    meter.goto(f"{site}{ADMIN}cpec_tracker/source/add/")
    meter.paste(page.locator("#id_text"), ARTICLE)
    meter.click(page.get_by_role("button", name="Read the source"))
    # The form focuses its first field (the slug) once loaded: type only after that.
    expect(page.locator("#id_slug")).to_be_focused()
    meter.type(page.locator("#id_title"), TITLE)
    meter.type(page.locator("#id_publisher"), PUBLISHER)
    meter.type(page.locator("#id_published_on"), PUBLISHED_ON)
    shot(page, "follow-up-0-source")
    meter.click(page.locator("input[name=_save]"))
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    source = Source.objects.get(title=TITLE)
    assert source.publication_status == PublicationStatus.DRAFT
    meter.click(page.get_by_role("row", name=TITLE).get_by_role("link", name="Read and cite"))
    shot(page, "follow-up-1-reading-view")

    # The updates, each proposed for review from the sentence that reports it.
    meeting = Meeting.objects.get(slug=MEETING[1])
    khunjerab = Project.objects.get(slug=KHUNJERAB[1])
    chashma = Project.objects.get(slug=CHASHMA[1])
    said = sentence_with(source, "Ms Baloch said")
    present = sentence_with(source, "Jiang Zaidong")
    suspended = sentence_with(source, "was suspended on")
    capacity = sentence_with(source, "1,200 MW")
    update_in_reader(meter, said, f"meetings.meeting:{meeting.pk}", "Add as a new outcome")
    update_in_reader(meter, present, f"meetings.meeting:{meeting.pk}", "Add a participant")
    update_in_reader(meter, suspended, f"projects.project:{khunjerab.pk}", "Add a milestone")
    update_in_reader(
        meter, suspended, f"projects.project:{khunjerab.pk}", "Change status", "suspended"
    )
    update_in_reader(meter, capacity, f"projects.project:{chashma.pk}", "Add a key figure")
    shot(page, "follow-up-2-proposed")
    # The source itself, cited from its first sentence, so that it can be published.
    first = page.locator("#sentence-0")
    meter.click(first.locator(".cite-button"))
    panel = first.locator(".cite-panel")
    meter.click(panel.locator(f"input[type=radio][value='cpec_tracker.source:{source.pk}']"))
    meter.click(panel.get_by_role("button", name="Cite", exact=True))
    expect(page.locator("#reader-status")).to_contain_text("Cited for")

    editor_counts = meter.counts()

    # Nothing is public yet: every page in every language, and the API.
    pending_texts = public_texts(visitor, site)
    assert not any(shown(pending_texts).values()), shown(pending_texts)
    assert not surfaces_showing_pending_values(visitor, site)

    # The chief editor: approves each pending change, then publishes the source.
    login(page, site, chief)
    meter.goto(f"{site}{ADMIN}")
    meter.click(page.get_by_role("link", name="Pending changes").first)
    shot(page, "follow-up-3-review-queue")
    waiting = page.locator("#result_list tbody tr")
    expect(waiting).to_have_count(5)
    # Each decision leads to the next change waiting; the last one back to the queue.
    meter.click(page.locator("#result_list tbody tr th a").first)
    for _ in range(5):
        meter.click(page.get_by_role("button", name="Approve and apply"))
        expect(page.locator(".messagelist")).to_contain_text("Approved and applied")
    expect(page).to_have_url(f"{site}{ADMIN}editing/pendingchange/")
    expect(waiting).to_have_count(0)
    meter.goto(f"{site}{ADMIN}cpec_tracker/source/?publication_status__exact=draft")
    meter.click(page.locator(f"input[name=_selected_action][value='{source.pk}']"))
    meter.choose(page.locator("select[name=action]"), "publish")
    meter.click(page.locator("button[name=index]"))
    publish_message = page.locator(".messagelist").inner_text()
    shot(page, "follow-up-4-source-publish")
    counts = meter.counts()

    approved_texts = public_texts(visitor, site)
    visitor.goto(f"{site}/{KHUNJERAB[0]}/{KHUNJERAB[1]}/")
    shot(visitor, "follow-up-5-public-project")

    source.refresh_from_db()
    print(
        f"\nTRIAL page_loads={counts['page loads']} posts={counts['form submissions (POSTs)']} "
        f"clicks={counts['clicks']} typed={counts['characters typed']} "
        f"pasted={counts['characters pasted']} source={source.publication_status}"
    )
    chief_counts = {name: counts[name] - editor_counts[name] for name in counts}
    for who, part in [("editor", editor_counts), ("chief editor", chief_counts)]:
        print(f"  {who}: " + ", ".join(f"{name} {value}" for name, value in part.items()))
    print("Pages loaded:", *meter.log, sep="\n  ")
    print("Publishing the source:", publish_message)

    assert not [url for url in meter.log if PLAIN_FORMS.search(url)], meter.log
    assert counts["characters typed"] <= TYPED_AT_MOST
    assert counts["characters typed"] == len(TITLE + PUBLISHER + PUBLISHED_ON)
    assert record_counts() == counts_before  # no duplicate, no junk
    assert all(shown(approved_texts).values()), shown(approved_texts)
    outcome = meeting.outcomes.latest("id")
    assert outcome.stated_by.slug == "amna-baloch"
    assert outcome.citations.get().source == source
    print("Outcome added:", outcome.text)
    participant = meeting.participations.get(official__slug="jiang-zaidong")
    assert participant.title_at_meeting == "Ambassador of China to Pakistan"
    khunjerab.refresh_from_db()
    assert khunjerab.status == "suspended"
    milestone = khunjerab.milestones.latest("id")
    assert (milestone.kind, milestone.date.isoformat()) == ("suspension", "2025-03-02")
    figure = chashma.key_figures.latest("id")
    assert (figure.kind, figure.value, figure.unit) == ("capacity", 1200, "MW")
    # Cited for itself, the source is published by the chief editor (who did not write it),
    # and with it the new facts' footnotes.
    source.refresh_from_db()
    assert source.publication_status == PublicationStatus.PUBLISHED, publish_message
    assert not [e for e in console_errors if "favicon" not in e], console_errors
