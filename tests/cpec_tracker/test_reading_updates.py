"""Updates from the reading view: a follow-up report adds to records the tracker holds.

Marks link to their records; "New …" proposes a name, not a sentence, and asks "Did you
mean …?" before a duplicate; a sentence about a known record adds an outcome, a participant,
a milestone, a key figure, a status or a field value, each cited by the sentence and, on a
published record, proposed for review.
"""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from cpec_tracker.intake.reading import draft_prefill
from cpec_tracker.intake.suggestions import suggest
from cpec_tracker.records.models import Source
from meetings.models import Meeting, Official

pytestmark = pytest.mark.django_db

FOLLOW_UP = (
    "BEIJING, Dec 30 \u2014 The 5th JWG-ICC meeting was co-chaired by Foreign Secretary Amna "
    "Baloch and Chinese Vice Foreign Minister Sun Weidong.\n"
    "Separately, the ambassador of China to Pakistan, Jiang Zaidong, said the Pakistan-China "
    "strategic cooperation will continue to deepen in the future.\n"
    "ISLAMABAD, Jan 2 \u2014 The two sides held the sixth JWG-ICC meeting in Beijing on "
    "30 December 2024.\n"
)


def key(record):
    return f"{record._meta.label_lower}:{record.pk}"


def post_json(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


@pytest.fixture
def follow_up(seeded, make):
    return make.make_source(publication_status="draft", text=FOLLOW_UP)


def new_url(source, kind):
    return reverse("admin:cpec_tracker_source_new", args=[source.pk, kind])


# 1. Marks link to their records ---------------------------------------------------------


def test_known_record_marks_link_to_the_record(editor_client, follow_up):
    html = editor_client.get(
        reverse("admin:cpec_tracker_source_read", args=[follow_up.pk])
    ).content.decode()
    jiang = Official.objects.get(slug="jiang-zaidong")
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    assert f'href="{reverse("admin:meetings_official_change", args=[jiang.pk])}"' in html
    assert f'href="{reverse("admin:meetings_meeting_change", args=[meeting.pk])}"' in html


# 2. "New …" proposes a name, not a sentence, and no duplicate -----------------------------


def test_new_official_on_a_sentence_naming_a_known_one_asks_did_you_mean(
    editor_client, follow_up, django_assert_max_num_queries
):
    before = Official.objects.count()
    with django_assert_max_num_queries(20):
        response = editor_client.get(new_url(follow_up, "official"), {"sentence": 1})
    html = response.content.decode()
    jiang = Official.objects.get(slug="jiang-zaidong")
    assert response.status_code == 200
    assert "Did you mean" in html
    assert reverse("admin:meetings_official_change", args=[jiang.pk]) in html
    assert "create=1" in html  # the editor may still choose to create one
    assert Official.objects.count() == before


def test_creating_anyway_never_takes_the_sentence_as_the_name(editor_client, follow_up):
    response = editor_client.get(new_url(follow_up, "official"), {"sentence": 1, "create": "1"})
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert "name" not in query  # the editor types it: a sentence is no name
    assert "cite_fields" not in query


def test_a_selected_name_is_the_new_officials_name(editor_client, follow_up):
    text = "Separately, the envoy Li Qiang said so."
    source = Source.objects.get(pk=follow_up.pk)
    source.text = FOLLOW_UP + text
    source.save()
    sentence = 3
    start = source.text.index("Li Qiang")
    query = parse_qs(
        draft_prefill(
            "official", source, suggest(source), sentence, start, start + len("Li Qiang")
        ).query
    )
    assert query["name"] == ["Li Qiang"]
    assert query["slug"] == ["li-qiang"]


def test_a_name_close_to_an_alias_asks_did_you_mean(editor_client, follow_up, make):
    make.make_official(name="Ahsan Iqbal Chaudhary", aliases="Ahsan Iqbal")
    source = make.make_source(
        publication_status="draft", text="Ahsan Iqbal, the planning minister, spoke."
    )
    response = editor_client.get(new_url(source, "official"), {"sentence": 0})
    assert response.status_code == 200
    assert "Did you mean" in response.content.decode()


def test_new_meeting_on_a_sentence_marking_the_known_5th_meeting_asks_did_you_mean(
    editor_client, follow_up
):
    before = Meeting.objects.count()
    response = editor_client.get(new_url(follow_up, "meeting"), {"sentence": 0})
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    assert response.status_code == 200
    assert reverse("admin:meetings_meeting_change", args=[meeting.pk]) in response.content.decode()
    assert Meeting.objects.count() == before


def test_a_new_meeting_takes_the_sentences_place_and_date_not_the_datelines(follow_up):
    query = parse_qs(draft_prefill("meeting", follow_up, suggest(follow_up), 2).query)
    assert query["sequence_number"] == ["6"]
    assert query["city"] == ["Beijing"]
    assert query["date"] == ["2024-12-30"]


def test_a_dateline_is_used_only_when_the_sentence_names_nothing_else(seeded, make):
    source = make.make_source(
        publication_status="draft", text="BEIJING, Dec 30 \u2014 The two sides met for talks."
    )
    query = parse_qs(draft_prefill("meeting", source, suggest(source), 0).query)
    assert query["city"] == ["Beijing"]


# 3. An outcome tidied into a sentence, stated by the official quoted ---------------------


def update_url(source, name):
    return reverse(f"admin:cpec_tracker_source_{name}", args=[source.pk])


@pytest.mark.parametrize(
    ("quote", "sentence"),
    [
        ("that the corridor will grow", "The corridor will grow."),
        (
            "\u201cshining symbol of the enduring friendship\u201d",
            "Shining symbol of the enduring friendship.",
        ),
        ("  Work  began. ", "Work began."),
    ],
)
def test_an_outcome_text_is_tidied_into_a_sentence(quote, sentence):
    from cpec_tracker.intake.updates import sentence_of

    assert sentence_of(quote) == sentence


def test_an_outcome_is_stated_by_the_official_who_said_it(
    editor_client, seeded, make, django_assert_max_num_queries
):
    source = make.make_source(
        publication_status="draft",
        text="The 5th JWG-ICC meeting agreed to speed up the SEZs, Ms Baloch said.",
    )
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    with django_assert_max_num_queries(40):
        response = post_json(
            editor_client,
            update_url(source, "outcome_from_quote"),
            {"sentence": 0, "record": key(meeting)},
        )
    assert response.status_code == 200, response.content
    assert response.json()["pending_change"]
    make.approve_pending_changes()
    outcome = meeting.outcomes.latest("id")
    assert outcome.stated_by.slug == "amna-baloch"
    assert outcome.text == "The 5th JWG-ICC meeting agreed to speed up the SEZs."
    assert outcome.citations.get().quote == source.text


# 4. Participants, milestones, figures, status and fields ---------------------------------


def test_a_participant_is_added_with_the_title_the_sentence_gives(
    editor_client, follow_up, make, django_assert_max_num_queries
):
    meeting = make.make_meeting(publication_status="draft")
    with django_assert_max_num_queries(40):
        response = post_json(
            editor_client,
            update_url(follow_up, "participant_from_quote"),
            {"sentence": 1, "record": key(meeting)},
        )
    assert response.status_code == 200, response.content
    participation = meeting.participations.get()
    assert participation.official.slug == "jiang-zaidong"
    assert participation.title_at_meeting == "Ambassador of China to Pakistan"
    assert participation.role == "participant"
    assert participation.citations.get().source == follow_up


def test_a_participant_on_a_sentence_naming_two_asks_for_a_selection(
    editor_client, follow_up, make
):
    meeting = make.make_meeting(publication_status="draft")
    response = post_json(
        editor_client,
        update_url(follow_up, "participant_from_quote"),
        {"sentence": 0, "record": key(meeting)},
    )
    assert response.status_code == 400
    assert "select the words" in response.json()["message"]
    assert not meeting.participations.exists()


def test_a_milestone_takes_the_marked_date_and_is_proposed_on_a_published_project(
    editor_client, seeded, make, django_assert_max_num_queries
):
    project = make.make_project()
    make.make_citation(project)  # a published record is cited
    source = make.make_source(
        publication_status="draft", text="The groundbreaking took place in March 2025."
    )
    with django_assert_max_num_queries(40):
        response = post_json(
            editor_client,
            update_url(source, "milestone_from_quote"),
            {"sentence": 0, "record": key(project)},
        )
    assert response.status_code == 200, response.content
    assert not project.milestones.exists()  # waits for a second person
    make.approve_pending_changes()
    milestone = project.milestones.get()
    assert (milestone.kind, milestone.date_precision) == ("groundbreaking", "month")
    assert milestone.date.isoformat() == "2025-03-01"
    assert milestone.citations.get().quote == source.text


def test_a_key_figure_takes_the_marked_figure_and_the_sources_date(
    editor_client, seeded, make, django_assert_max_num_queries
):
    project = make.make_project(publication_status="draft")
    source = make.make_source(
        publication_status="draft", text="The project will create 40,000 jobs."
    )
    with django_assert_max_num_queries(40):
        response = post_json(
            editor_client,
            update_url(source, "figure_from_quote"),
            {"sentence": 0, "record": key(project)},
        )
    assert response.status_code == 200, response.content
    figure = project.key_figures.get()
    assert (figure.kind, figure.value, figure.unit) == ("jobs", 40000, "jobs")
    assert figure.as_of == source.published_on


def test_a_status_change_is_proposed_with_its_citation(
    editor_client, seeded, make, django_assert_max_num_queries
):
    project = make.make_project(status="planned")
    make.make_citation(project)
    source = make.make_source(publication_status="draft", text="Work on the project has begun.")
    url = update_url(source, "status_from_quote")
    bad = post_json(editor_client, url, {"sentence": 0, "record": key(project), "status": "x"})
    assert bad.status_code == 400
    with django_assert_max_num_queries(40):
        response = post_json(
            editor_client,
            url,
            {"sentence": 0, "record": key(project), "status": "under_construction"},
        )
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert project.status == "planned"
    make.approve_pending_changes()
    project.refresh_from_db()
    assert project.status == "under_construction"
    assert project.citations.get(source=source).fields == ["status"]


def test_a_meetings_date_and_city_are_set_from_the_marks(
    editor_client, follow_up, make, django_assert_max_num_queries
):
    meeting = make.make_meeting(publication_status="draft")
    url = update_url(follow_up, "field_from_quote")
    for name in ("date", "city"):
        with django_assert_max_num_queries(40):
            response = post_json(
                editor_client, url, {"sentence": 2, "record": key(meeting), "field": name}
            )
        assert response.status_code == 200, response.content
    meeting.refresh_from_db()
    assert (meeting.date.isoformat(), meeting.city) == ("2024-12-30", "Beijing")
    refused = post_json(
        editor_client, url, {"sentence": 2, "record": key(meeting), "field": "slug"}
    )
    assert refused.status_code == 400
    untitled = post_json(
        editor_client, url, {"sentence": 2, "record": key(meeting), "field": "title"}
    )
    assert untitled.status_code == 400  # a title is the words selected, never a sentence


def test_without_script_an_update_is_a_plain_form_post(editor_client, follow_up, make):
    meeting = make.make_meeting(publication_status="draft")
    page = editor_client.get(
        reverse("admin:cpec_tracker_source_read", args=[follow_up.pk]),
        {"sentence": 2, "record": key(meeting)},
    )
    html = page.content.decode()
    assert update_url(follow_up, "field_from_quote") in html and 'name="field"' in html
    response = editor_client.post(
        update_url(follow_up, "field_from_quote"),
        {"sentence": 2, "record": key(meeting), "field": "city"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.city == "Beijing"
