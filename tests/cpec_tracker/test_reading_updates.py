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
