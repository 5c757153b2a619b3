"""The editors' dashboard on the admin index."""

import re

import pytest
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpec_tracker.editing.dashboard import fields_without_citation
from cpec_tracker.intake import services as intake_services
from cpec_tracker.intake import suggestions
from cpec_tracker.intake.services import source_suggestions_store
from cpec_tracker.intake.suggestions import suggest
from cpec_tracker.records.models import sources as records_models

INDEX = reverse("admin:index")
TEXT = (
    "ISLAMABAD: Planning Secretary Awais Manzur Sumra met the delegation of the "
    "Gwadar Port Authority. The two sides met in Beijing."
)


def section(response, name):
    """The HTML of one dashboard section (`drafts`, `sources`, `changes`)."""
    html = response.content.decode()
    match = re.search(rf'<div class="module" id="dashboard-{name}">(.*?)\n  </div>', html, re.S)
    assert match, f"no {name} section"
    return match.group(1)


def stored(source):
    """The source with its suggestions stored, as a save in the admin or an intake leaves it."""
    source_suggestions_store(sources=[source])
    return source


def test_fields_without_citation_reads_the_cited_fields(make, db):
    meeting = make.make_meeting(city="Beijing", summary="", publication_status="draft")
    make.make_citation(meeting, fields=["title", "city"])
    make.make_citation(meeting, fields=["date"])
    lacking = fields_without_citation(meeting)
    assert "title" not in lacking and "city" not in lacking and "date" not in lacking
    assert "kind" in lacking
    assert "summary" not in lacking, "an empty field needs no citation"


def test_drafts_are_listed_with_what_they_lack(editor_client, make):
    cited = make.make_meeting(title="Cited draft meeting", publication_status="draft")
    make.make_citation(cited, fields=["title"])
    make.make_official(name="Uncited Draft Official", publication_status="draft")
    make.make_meeting(title="Published meeting")
    drafts = section(editor_client.get(INDEX), "drafts")
    assert "Drafts waiting for a chief editor (2)" in drafts
    assert "Cited draft meeting" in drafts and "No citation for: kind, date" in drafts
    assert "Uncited Draft Official" in drafts and "No citation yet" in drafts
    assert "Published meeting" not in drafts
    assert reverse("admin:meetings_meeting_change", args=[cited.pk]) in drafts


def test_sources_naming_uncited_records_are_listed(editor_client, make):
    official = make.make_official(name="Awais Manzur Sumra")
    organization = make.make_organization(name="Gwadar Port Authority")
    make.make_official(name="Someone Not Mentioned")
    source = stored(make.make_source(text=TEXT, title="Planning talks"))
    sources = section(editor_client.get(INDEX), "sources")
    assert "Planning talks" in sources
    assert "Awais Manzur Sumra" in sources and "Gwadar Port Authority" in sources
    assert "Someone Not Mentioned" not in sources
    make.make_citation(official, source=source, quote="Awais Manzur Sumra")
    make.make_citation(organization, source=source, quote="Gwadar Port Authority")
    assert "Planning talks" not in section(editor_client.get(INDEX), "sources")


OFFICE_TEXT = (
    "FS Baloch met the delegation. Later, the foreign secretary said the Chashma-5 plant "
    "was on time, and Ms Baloch left for Beijing."
)


@pytest.fixture
def baloch_and_chashma(make):
    baloch = make.make_official(name="Amna Baloch", aliases="FS Baloch")
    make.make_appointment(official=baloch, title="Foreign Secretary")
    chashma = make.make_project(title="Chashma Nuclear Power Plant Unit 5", aliases="Chashma-5")
    source = stored(make.make_source(text=OFFICE_TEXT, title="Office talks"))
    return baloch, chashma, source


def test_sources_list_what_the_reading_view_finds_aliases_and_offices_too(
    editor_client, baloch_and_chashma
):
    baloch, chashma, source = baloch_and_chashma
    sources = section(editor_client.get(INDEX), "sources")
    # Only the suggestions' matching finds these: an alias, an office, a title and surname.
    assert "Office talks" in sources
    assert reverse("admin:meetings_official_change", args=[baloch.pk]) in sources
    assert reverse("admin:projects_project_change", args=[chashma.pk]) in sources
    found = {(m.model, m.pk) for m in suggest(source).mentions if m.pk is not None}
    assert found == {("meetings.official", baloch.pk), ("projects.project", chashma.pk)}


def test_the_dashboard_never_finds_mentions_itself_even_after_a_save_or_a_delete(
    editor_client, make, baloch_and_chashma, monkeypatch
):
    baloch, chashma, source = baloch_and_chashma
    computed = []

    def counted(real):
        def spy(*args, **kwargs):
            computed.append(real.__name__)
            return real(*args, **kwargs)

        return spy

    # Spied where each is looked up: in the suggestions package, in the intake's write that
    # stores mentions, and in Source, which splits its own text.
    spied = [
        (suggestions, ("suggest", "suggest_text", "mentions_of_sources", "split_sentences")),
        (intake_services, ("mentions_of_sources",)),
        (records_models, ("split_sentences",)),
    ]
    for module, names in spied:
        for name in names:
            monkeypatch.setattr(module, name, counted(getattr(module, name)))
    assert editor_client.get(INDEX).status_code == 200
    other = make.make_source(title="Saved, then deleted")
    make.make_citation(chashma, source=source, quote="Chashma-5")
    computed.clear()  # saving a source splits its text, once: not the dashboard's doing
    sources = section(editor_client.get(INDEX), "sources")
    other.delete()
    sources_after_delete = section(editor_client.get(INDEX), "sources")
    assert computed == [], "the dashboard reads the mentions stored with each source"
    assert reverse("admin:projects_project_change", args=[chashma.pk]) not in sources
    assert reverse("admin:meetings_official_change", args=[baloch.pk]) in sources
    assert reverse("admin:meetings_official_change", args=[baloch.pk]) in sources_after_delete


def test_a_source_whose_mentions_are_not_stored_yet_says_so(editor_client, make):
    make.make_official(name="Awais Manzur Sumra")
    make.make_source(text=TEXT, title="Saved before the mentions were stored")
    sources = section(editor_client.get(INDEX), "sources")
    assert "Saved before the mentions were stored" in sources
    assert "Not read for names yet" in sources and "store_suggestions" in sources


def test_a_record_deleted_since_its_mentions_were_stored_is_not_listed(editor_client, make):
    official = make.make_official(name="Awais Manzur Sumra")
    stored(make.make_source(text=TEXT, title="Planning talks"))
    official.delete()
    assert "Awais Manzur Sumra" not in section(editor_client.get(INDEX), "sources")


def test_latest_changes_show_who_changed_what(editor_client, editor, make):
    meeting = make.make_meeting(title="A meeting edited in the admin", publication_status="draft")
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    from tests.admin_forms import change_form_data

    data = {**change_form_data(editor_client.get(change)), "city": "Karachi"}
    assert editor_client.post(change, data).status_code == 302
    changes = section(editor_client.get(INDEX), "changes")
    assert "Changed meeting" in changes
    assert "A meeting edited in the admin" in changes and editor.username in changes


def test_the_dashboard_has_no_inline_script_or_style(editor_client, make):
    make.make_meeting(publication_status="draft")
    html = editor_client.get(INDEX).content.decode()
    dashboard = html[html.index('<div id="editors-dashboard">') :]
    assert "<style" not in html and " style=" not in dashboard
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert static("cpec_tracker/admin-dashboard.css") in html


def test_the_dashboards_queries_do_not_grow_with_the_records(
    editor_client, make, django_assert_max_num_queries
):
    def populate(first, last):
        for number in range(first, last):
            meeting = make.make_meeting(publication_status="draft")
            make.make_citation(meeting, fields=["title", "date"])
            make.make_official(name=f"Awais Manzur Sumra {number}", publication_status="draft")
            make.make_project(publication_status="draft")
            stored(make.make_source(text=f"{TEXT} Item {number}."))

    populate(0, 2)
    editor_client.get(INDEX)  # content types and sessions warm
    with CaptureQueriesContext(connection) as few:
        assert editor_client.get(INDEX).status_code == 200
    populate(2, 27)
    with CaptureQueriesContext(connection) as many:
        assert editor_client.get(INDEX).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    with django_assert_max_num_queries(40):
        editor_client.get(INDEX)


def test_draft_sources_are_listed_with_the_citations_they_supply(editor_client, make):
    draft = make.make_source(title="A follow-up report", publication_status="draft")
    meeting = make.make_meeting()
    make.make_citation(meeting, source=draft)
    make.make_citation(make.make_official(), source=draft)
    make.make_source(title="An uncited draft", publication_status="draft")
    make.make_source(title="A published report")
    sources = section(editor_client.get(INDEX), "draft-sources")
    assert "Draft sources waiting for a chief editor (2)" in sources
    assert "A follow-up report" in sources and "2 citations" in sources
    assert "An uncited draft" in sources and "None yet" in sources
    assert "A published report" not in sources
    assert reverse("admin:cpec_tracker_source_change", args=[draft.pk]) in sources
    assert reverse("admin:cpec_tracker_source_read", args=[draft.pk]) in sources


def test_draft_sources_are_read_in_queries_that_do_not_grow_with_them(editor_client, make):
    def populate(count):
        for _ in range(count):
            draft = make.make_source(publication_status="draft")
            make.make_citation(make.make_meeting(), source=draft)

    populate(2)
    editor_client.get(INDEX)  # content types and sessions warm
    with CaptureQueriesContext(connection) as few:
        editor_client.get(INDEX)
    populate(20)
    with CaptureQueriesContext(connection) as many:
        response = editor_client.get(INDEX)
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert "Draft sources waiting for a chief editor (22)" in section(response, "draft-sources")
