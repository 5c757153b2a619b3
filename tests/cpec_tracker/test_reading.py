"""The admin's reading view of a source: sentences, highlights, citing in place, drafts."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.templatetags.static import static
from django.urls import reverse

from cpec_tracker.intake.reading import draft_prefill
from cpec_tracker.intake.suggestions import suggest
from cpec_tracker.intake.updates import sentence_of
from cpec_tracker.records.models import Citation, Source
from meetings.models import Meeting, Official, Outcome
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

SEED_SOURCE = "dawn-2025-01-12-cpec-jwg-icc"
CO_CHAIRED = 2  # "The meeting was co-chaired by Foreign Secretary Amna Baloch and …"


@pytest.fixture
def source(seeded):
    return Source.objects.get(slug=SEED_SOURCE)


def read_url(source, query=""):
    return reverse("admin:cpec_tracker_source_read", args=[source.pk]) + query


def cite_url(source):
    return reverse("admin:cpec_tracker_source_cite", args=[source.pk])


def post_json(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


def key(record):
    return f"{record._meta.label_lower}:{record.pk}"


def test_reading_view_shows_sentences_with_highlights_and_a_legend(
    editor_client, source, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        response = editor_client.get(read_url(source))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="sentence-2"' in html
    baloch = reverse(
        "admin:meetings_official_change", args=[Official.objects.get(name="Amna Baloch").pk]
    )
    # A known record's mark links to its admin page.
    assert (
        f'<mark class="hl hl-mention" title="Amna Baloch"><a class="record-link" href="{baloch}">'
        "Amna Baloch</a>"
    ) in html
    assert 'class="hl hl-date"' in html
    assert "(known record)</span>" in html  # named in words, not by colour alone
    assert "What is marked" in html
    assert f'src="{static("cpec_tracker/admin/reader.js")}"' in html
    assert "<script>" not in html and "style=" not in html.split('id="content-main"')[1]


def test_reading_view_queries_do_not_grow_with_citations(
    editor_client, source, make, django_assert_max_num_queries
):
    editor_client.get(read_url(source))
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    for _ in range(10):
        make.make_citation(meeting, source=source, quote="Amna Baloch")
    with django_assert_max_num_queries(40):
        assert editor_client.get(read_url(source)).status_code == 200


def test_source_change_page_and_list_link_to_the_reading_view(editor_client, source):
    change = editor_client.get(reverse("admin:cpec_tracker_source_change", args=[source.pk]))
    listing = editor_client.get(reverse("admin:cpec_tracker_source_changelist"))
    assert read_url(source) in change.content.decode()
    assert read_url(source) in listing.content.decode()


def test_script_data_offers_the_records_mentioned_in_each_sentence(editor_client, source):
    response = editor_client.get(read_url(source))
    data = response.context["script_data"]
    baloch = Official.objects.get(slug="amna-baloch")
    assert key(baloch) in data["offers"][CO_CHAIRED]
    assert data["models"]["meetings.meeting"]["fields"][0] == ["title", "Title"]
    assert data["actions"]["meetings.meeting"][0]["label"] == "Add as a new outcome"


def test_citing_a_sentence_stores_it_verbatim_for_the_chosen_fields(
    editor_client, editor, source, make, django_assert_max_num_queries
):
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    before = meeting.citations.count()
    payload = {"sentence": CO_CHAIRED, "record": key(meeting), "fields": ["title", "city"]}
    with django_assert_max_num_queries(18):
        response = post_json(editor_client, cite_url(source), payload)
    assert response.status_code == 200, response.content
    assert response.json()["ok"] is True
    make.approve_pending_changes()  # the meeting is published: a second person approves
    citation = meeting.citations.latest("id")
    assert meeting.citations.count() == before + 1
    assert citation.quote == (
        "The meeting was co-chaired by Foreign Secretary Amna Baloch and "
        "Chinese Vice Foreign Minister Sun Weidong."
    )
    assert citation.fields == ["title", "city"]
    assert citation.history.get().history_user == editor


def test_citing_a_selected_span_quotes_only_those_words(editor_client, source, make):
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    start = source.text.index("Foreign Secretary Amna Baloch")
    end = start + len("Foreign Secretary Amna Baloch")
    payload = {"sentence": CO_CHAIRED, "start": start, "end": end, "record": key(meeting)}
    assert post_json(editor_client, cite_url(source), payload).status_code == 200
    make.approve_pending_changes()  # the meeting is published: a second person approves
    assert meeting.citations.latest("id").quote == "Foreign Secretary Amna Baloch"


def test_citing_twice_adds_one_citation(editor_client, source):
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    payload = {"sentence": CO_CHAIRED, "record": key(meeting), "fields": ["date"]}
    post_json(editor_client, cite_url(source), payload)
    before = Citation.objects.count()
    response = post_json(editor_client, cite_url(source), payload)
    assert response.json()["created"] is False
    assert Citation.objects.count() == before


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"sentence": 999, "record": "meetings.meeting:1"}, "Choose a sentence"),
        ({"sentence": "x", "record": "meetings.meeting:1"}, "whole number"),
        ({"sentence": CO_CHAIRED, "record": "meetings.meeting:999999"}, "Choose the record"),
        ({"sentence": CO_CHAIRED, "record": "auth.user:1"}, "Choose the record"),
        ({"sentence": CO_CHAIRED, "record": "meetings.meeting:1", "fields": ["slug"]}, "slug"),
        ({"sentence": CO_CHAIRED, "record": "meetings.meeting:1", "fields": "title"}, "list"),
        ({"sentence": CO_CHAIRED, "start": 0, "end": 5, "record": "meetings.meeting:1"}, "inside"),
    ],
)
def test_bad_cite_requests_get_a_400_and_change_nothing(editor_client, source, payload, message):
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    if payload["record"] == "meetings.meeting:1":  # ids differ from database to database
        payload = {**payload, "record": key(meeting)}
    before = Citation.objects.count()
    response = post_json(editor_client, cite_url(source), payload)
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert Citation.objects.count() == before


def test_cite_rejects_bad_json_and_get(editor_client, source):
    response = editor_client.post(cite_url(source), "{", content_type="application/json")
    assert response.status_code == 400
    assert editor_client.get(cite_url(source)).status_code == 405


def test_cite_needs_csrf_token(editor, source):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    response = post_json(client, cite_url(source), {"sentence": CO_CHAIRED, "record": key(meeting)})
    assert response.status_code == 403


def test_cite_needs_permission_to_change_the_record(client, source, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="x-long-pass", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_source"))
    client.force_login(viewer)
    assert client.get(read_url(source)).status_code == 200
    before = Citation.objects.count()
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    response = post_json(client, cite_url(source), {"sentence": CO_CHAIRED, "record": key(meeting)})
    assert response.status_code == 403
    assert Citation.objects.count() == before


def test_without_script_the_same_citation_is_a_plain_form_post(editor_client, source, make):
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    page = editor_client.get(read_url(source, f"?sentence={CO_CHAIRED}&record={key(meeting)}"))
    html = page.content.decode()
    assert 'value="city"' in html and "City</label>" in html
    data = form_data(page)
    post = {
        "csrfmiddlewaretoken": "x",
        "sentence": data["sentence"],
        "record": data["record"],
        "fields": ["date"],
    }
    response = editor_client.post(cite_url(source), post)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#sentence-{CO_CHAIRED}")
    make.approve_pending_changes()  # the meeting is published: a second person approves
    assert meeting.citations.latest("id").fields == ["date"]


def test_records_search_finds_any_record_by_name(
    editor_client, source, django_assert_max_num_queries
):
    url = reverse("admin:cpec_tracker_source_records", args=[source.pk])
    with django_assert_max_num_queries(20):
        results = editor_client.get(url, {"q": "Chashma"}).json()["results"]
    assert any(r["label"].startswith("Chashma Nuclear") for r in results)
    assert editor_client.get(url, {"q": "x"}).json()["results"] == []


def test_adding_an_outcome_from_a_sentence_cites_it(editor_client, source, make):
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    url = reverse("admin:cpec_tracker_source_outcome_from_quote", args=[source.pk])
    count = meeting.outcomes.count()
    response = post_json(editor_client, url, {"sentence": 0, "record": key(meeting)})
    assert response.status_code == 200, response.content
    # The meeting is published: the outcome and its citation wait for a second person.
    assert "pending change" in response.json()["message"]
    assert meeting.outcomes.count() == count
    make.approve_pending_changes()
    outcome = meeting.outcomes.latest("id")
    assert meeting.outcomes.count() == count + 1
    assert outcome.order == max(o.order for o in meeting.outcomes.all())
    assert outcome.citations.get().fields == ["text"]
    # The text is the quote tidied into a sentence; the citation keeps it verbatim.
    assert outcome.text == sentence_of(outcome.citations.get().quote)


def test_adding_an_outcome_to_a_draft_meeting_adds_it_at_once(editor_client, source, make):
    meeting = make.make_meeting(publication_status="draft")
    url = reverse("admin:cpec_tracker_source_outcome_from_quote", args=[source.pk])
    response = post_json(editor_client, url, {"sentence": 0, "record": key(meeting)})
    assert response.status_code == 200, response.content
    outcome = meeting.outcomes.get()
    assert outcome.citations.get().fields == ["text"]
    assert response.json()["added"]["key"] == key(outcome)


def test_new_meeting_from_a_sentence_is_prefilled_with_participants_and_citation(
    editor_client, source
):
    url = reverse("admin:cpec_tracker_source_new", args=[source.pk, "meeting"])
    response = editor_client.get(url, {"sentence": CO_CHAIRED})
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["cite_sentence"] == [str(CO_CHAIRED)]
    assert "cite_quote" not in query  # the form reads the quote from the source
    baloch = Official.objects.get(slug="amna-baloch")
    assert f"{baloch.pk}|co_chair|Foreign Secretary" in query["participant"]
    page = editor_client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="participations-0-title_at_meeting" value="Foreign Secretary"' in html
    assert "The meeting was co-chaired by" in html


@pytest.mark.parametrize("ordinal", ["5th", "fifth", "Fifth"])
def test_a_new_meeting_takes_its_number_from_an_ordinal_in_figures_or_words(make, ordinal):
    source = make.make_source(text=f"The two sides held the {ordinal} meeting in Beijing.")
    query = parse_qs(draft_prefill("meeting", source, suggest(source), 0).query)
    assert query["sequence_number"] == ["5"]
    assert query["title"] == ["5th meeting"]


def test_saving_a_prefilled_draft_keeps_its_rows_and_returns_to_the_reading_view(
    editor_client, source, make
):
    url = reverse("admin:cpec_tracker_source_new", args=[source.pk, "meeting"])
    add_url = editor_client.get(url, {"sentence": CO_CHAIRED})["Location"]
    data = form_data(editor_client.get(add_url), "meeting_form")
    data.update(title="Test meeting", slug="test-meeting", kind="bilateral_meeting")
    data.update(date="2025-01-10", date_precision="day")
    response = editor_client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"].startswith(read_url(source))
    meeting = Meeting.objects.get(slug="test-meeting")
    assert meeting.publication_status == "draft"
    assert [p.role for p in meeting.participations.all()] == ["co_chair", "co_chair"]
    assert meeting.citations.get().quote.startswith("The meeting was co-chaired by")
    assert not Outcome.objects.filter(meeting=meeting).exists()


def test_without_script_any_record_is_found_by_name_in_bounded_queries(
    editor_client, source, make, django_assert_max_num_queries
):
    for _ in range(5):
        make.make_official(name="Baloch Namesake")
    url = read_url(source, f"?sentence={CO_CHAIRED}&q=Baloch")
    editor_client.get(url)
    with django_assert_max_num_queries(50):
        response = editor_client.get(url)
    html = response.content.decode()
    assert "Baloch Namesake" in html
    assert 'type="radio" name="record"' in html


def test_cite_panel_lists_only_what_was_cited_from_this_source(editor_client, seeded, make):
    # A follow-up report on the seeded 5th meeting, whose outcomes and participations are all
    # cited from the seeded source: before anything is cited from the follow-up, nothing is
    # "cited from this source"; the meeting's rows are offered apart, as its parts.
    follow_up = make.make_source(
        publication_status="draft",
        text="The 5th JWG-ICC meeting was co-chaired by Foreign Secretary Amna Baloch.",
    )
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    outcome = meeting.outcomes.first()
    assert outcome.citations.exclude(source=follow_up).exists()

    data = editor_client.get(read_url(follow_up)).context["script_data"]
    assert data["fromSource"] == []
    assert key(outcome) in data["parts"]

    payload = {"sentence": 0, "record": key(outcome), "fields": ["text"]}
    assert post_json(editor_client, cite_url(follow_up), payload).status_code == 200
    make.approve_pending_changes()  # the meeting is published: a second person approves
    data = editor_client.get(read_url(follow_up)).context["script_data"]
    assert data["fromSource"] == [key(outcome)]
    assert key(outcome) not in data["parts"]


def test_a_draft_source_is_cited_for_itself_from_the_reading_view_and_then_published(
    editor_client, chief_editor_client, seeded, make
):
    # A source is published only with a citation of its own; the reading view offers it on
    # every sentence, with and without script.
    follow_up = make.make_source(
        publication_status="draft",
        title="Follow-up report",
        text="ISLAMABAD: The 5th JWG-ICC meeting was co-chaired by Amna Baloch.",
    )
    data = editor_client.get(read_url(follow_up)).context["script_data"]
    assert data["itself"] == key(follow_up)
    assert key(follow_up) in data["records"]
    page = editor_client.get(read_url(follow_up, "?sentence=0"))
    assert key(follow_up) in page.content.decode()

    payload = {"sentence": 0, "record": key(follow_up), "fields": ["publisher"]}
    assert post_json(editor_client, cite_url(follow_up), payload).json()["ok"] is True
    changelist = reverse("admin:cpec_tracker_source_changelist")
    chief_editor_client.post(changelist, {"action": "publish", "_selected_action": [follow_up.pk]})

    follow_up.refresh_from_db()
    assert follow_up.is_published
