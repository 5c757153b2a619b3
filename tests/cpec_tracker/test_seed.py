import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from cpec_tracker.records.models import Citation, Organization, PublicationStatus, Source, Theme
from cpec_tracker.records.quotes import find_quote
from meetings.models import Meeting, Official, Outcome, Participation
from projects.models import KeyFigure, Milestone, Project
from tests.admin_forms import change_form_data

ALL_MODELS = [Source, Citation, Organization, Theme, Official, Meeting, Outcome, Project]


def row_counts():
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def seed_output(*args):
    from io import StringIO

    out = StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


def write_seed_copy(tmp_path, replace_from, replace_to):
    """A copy of the real seed file (and its source text) with one string replaced."""
    seed_dir = Path(settings.SEED_FILE).parent
    for text_file in seed_dir.glob("*.txt"):
        (tmp_path / text_file.name).write_text(text_file.read_text(encoding="utf-8"))
    text = Path(settings.SEED_FILE).read_text(encoding="utf-8")
    assert replace_from in text
    path = tmp_path / "seed.toml"
    path.write_text(text.replace(replace_from, replace_to, 1), encoding="utf-8")
    return path


def test_seed_loads_the_article_records_all_published_and_cited(seeded):
    source = Source.objects.get()
    assert (source.publisher, source.published_on) == ("Dawn", datetime.date(2025, 1, 12))
    assert set(Official.objects.values_list("name", flat=True)) == {
        "Amna Baloch",
        "Sun Weidong",
        "Ma Zhaoxu",
        "Jiang Zaidong",
        "Xi Jinping",
    }
    assert Meeting.objects.count() == 4
    assert Project.objects.count() == 3
    assert Theme.objects.count() == 15
    for model in [Source, Organization, Theme, Official, Meeting, Project]:
        assert not model.objects.exclude(publication_status="published").exists()
        for record in model.objects.all():
            assert record.citations.exists(), f"{record} has no citation"
    for citation in Citation.objects.select_related("source"):
        assert find_quote(citation.source.text, citation.quote), citation.quote


def test_seed_gives_each_official_the_office_the_article_names(seeded):
    offices = {
        official.name: [(a.title, a.organization.name) for a in official.appointments.all()]
        for official in Official.objects.all()
    }
    assert offices["Amna Baloch"] == [
        ("Foreign Secretary", "Ministry of Foreign Affairs of Pakistan")
    ]
    assert offices["Sun Weidong"] == [
        ("Vice Foreign Minister", "Ministry of Foreign Affairs of China")
    ]
    assert offices["Ma Zhaoxu"] == [
        ("Executive Vice Foreign Minister", "Ministry of Foreign Affairs of China")
    ]
    assert offices["Jiang Zaidong"] == [
        ("Ambassador of China to Pakistan", "Embassy of China in Pakistan")
    ]
    assert offices["Xi Jinping"] == [("President of China", "Government of China")]


def test_seed_records_the_5th_meeting_only_as_precisely_as_the_article(seeded):
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    assert (meeting.sequence_number, meeting.body.short_name) == (5, "JWG-ICC")
    assert (meeting.city, meeting.country.code) == ("Beijing", "CN")
    assert meeting.date_display == "January 2025"
    co_chairs = meeting.participations.filter(role="co_chair")
    assert [(p.official.name, p.title_at_meeting) for p in co_chairs] == [
        ("Amna Baloch", "Foreign Secretary"),
        ("Sun Weidong", "Vice Foreign Minister"),
    ]
    assert meeting.outcomes.count() == 11
    assert meeting.themes.count() == 15
    assert meeting.previous_in_series().slug == "jwg-icc-4th-meeting"


def test_seed_records_the_cut_off_sentence_without_inventing_its_end(seeded):
    outcome = Outcome.objects.get(text__contains="deepen cooperation in the fields of")
    assert outcome.text.endswith("in the fields of …")
    assert "breaks off" in outcome.note


def test_seed_records_the_other_meetings(seeded):
    fourth = Meeting.objects.get(slug="jwg-icc-4th-meeting")
    assert (fourth.date, fourth.date_display, fourth.city) == (
        datetime.date(2024, 1, 21),
        "21 January 2024",
        "Islamabad",
    )
    later = Meeting.objects.get(slug="amna-baloch-meets-ma-zhaoxu-2025-01")
    assert {p.official.slug for p in later.participations.all()} == {"amna-baloch", "ma-zhaoxu"}
    assert later.city == ""  # the article does not say where
    ceremony = Meeting.objects.get(slug="chinese-new-year-2025-ceremony")
    speaker = Participation.objects.get(meeting=ceremony)
    assert (speaker.official.slug, speaker.role) == ("jiang-zaidong", "speaker")


def test_seed_records_the_projects(seeded):
    cpec = Project.objects.get(slug="cpec-2-0")
    assert cpec.kind == "programme"
    assert set(cpec.themes.values_list("kind", flat=True)) == {"corridor", "focus_area"}
    khunjerab = Project.objects.get(slug="khunjerab-pass-year-round-operation")
    assert khunjerab.status == "operational"
    opening = Milestone.objects.get(project=khunjerab)
    assert opening.date_display == "December 2024"
    chashma = Project.objects.get(slug="chashma-nuclear-power-plant-unit-5")
    assert chashma.status == "under_construction"
    jobs = KeyFigure.objects.get(project=chashma)
    assert (jobs.kind, jobs.value_display) == ("jobs", "40,000")
    assert Milestone.objects.get(project=chashma).date is None  # no date in the article


def test_second_seed_run_changes_nothing(seeded):
    before = row_counts()
    versions = list(Meeting.objects.values_list("slug", "version"))
    output = seed_output()
    assert "created 0," in output
    assert "kept 0" in output
    assert row_counts() == before
    assert list(Meeting.objects.values_list("slug", "version")) == versions


def test_editor_change_survives_a_reseed(seeded):
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    meeting.summary = "Corrected by an editor."
    meeting.save()
    output = seed_output()
    meeting.refresh_from_db()
    assert meeting.summary == "Corrected by an editor."
    assert "kept 1 edited by editors" in output


def test_edited_child_row_is_kept_by_reseed(seeded):
    outcome = Outcome.objects.get(meeting__slug="jwg-icc-5th-meeting", order=10)
    outcome.text = "Edited text."
    outcome.save()
    output = seed_output()
    outcome.refresh_from_db()
    assert outcome.text == "Edited text."
    assert "created 0," in output


def test_bad_quote_fails_naming_file_record_and_quote_and_writes_nothing(db, tmp_path):
    path = write_seed_copy(
        tmp_path,
        'quote = "Foreign Secretary Amna Baloch" }',
        'quote = "Foreign Secretary Amna Baloch resigned" }',
    )
    with pytest.raises(CommandError) as error:
        call_command("seed", str(path))
    message = str(error.value)
    assert str(path) in message
    assert "officials 'amna-baloch'" in message
    assert "Foreign Secretary Amna Baloch resigned" in message
    assert "Nothing was written" in message
    assert sum(row_counts().values()) == 0


def test_unknown_reference_fails_and_writes_nothing(db, tmp_path):
    path = write_seed_copy(tmp_path, 'body = "jwg-icc"', 'body = "no-such-body"')
    with pytest.raises(CommandError, match="no organization with slug 'no-such-body'"):
        call_command("seed", str(path))
    assert sum(row_counts().values()) == 0


def test_unknown_field_fails_and_writes_nothing(db, tmp_path):
    path = write_seed_copy(tmp_path, 'city = "Beijing"', 'town = "Beijing"')
    with pytest.raises(CommandError, match="Meeting has no field 'town'"):
        call_command("seed", str(path))
    assert sum(row_counts().values()) == 0


def test_unreadable_seed_file_fails_clearly(db, tmp_path):
    path = tmp_path / "seed.toml"
    path.write_text("[[meetings]\n")
    with pytest.raises(CommandError, match="cannot read the seed file"):
        call_command("seed", str(path))


def admin_url(record, view, *args):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args or [record.pk])


def test_reseed_never_brings_back_what_a_chief_editor_deleted(seeded, chief_editor_client, make):
    fourth = Meeting.objects.get(slug="jwg-icc-4th-meeting")
    outcome = Outcome.objects.get(meeting__slug="jwg-icc-5th-meeting", order=10)
    for record in (fourth, outcome):
        response = chief_editor_client.post(admin_url(record, "delete"), {"post": "yes"})
        assert response.status_code == 302
    make.approve_pending_changes()  # both are published: a second person approves
    # Every row the seed made that is gone now: the two, and the citations they took along.
    deletions = sum(
        model.history.filter(history_type="-").count()
        for model in [Meeting, Participation, Outcome, Citation]
    )
    assert deletions > 2
    before = row_counts()

    output = seed_output()

    assert not Meeting.objects.filter(slug="jwg-icc-4th-meeting").exists()
    assert not Outcome.objects.filter(meeting__slug="jwg-icc-5th-meeting", order=10).exists()
    assert row_counts() == before
    assert "created 0," in output
    assert output.strip().endswith(f"kept {deletions} deleted by editors")


def test_reseed_leaves_a_deleted_citation_deleted(seeded):
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    citations = meeting.citations.count()
    meeting.citations.first().delete()

    output = seed_output()

    assert meeting.citations.count() == citations - 1
    assert "created 0," in output
    assert "kept 1 deleted by editors" in output


def test_reseed_counts_every_deletion_by_table(seeded):
    Outcome.objects.get(meeting__slug="jwg-icc-5th-meeting", order=10).delete()

    output = seed_output("-v2")

    assert re.search(r"outcomes: unchanged \d+, deleted 1\n", output)
    assert "seed: created 0, unchanged 128, kept 0 edited by editors, kept 2 deleted" in output


def test_a_restored_meeting_stays_a_draft_through_a_reseed(seeded, chief_editor_client, make):
    fourth = Meeting.objects.get(slug="jwg-icc-4th-meeting")
    pk = fourth.pk
    chief_editor_client.post(admin_url(fourth, "delete"), {"post": "yes"})
    make.approve_pending_changes()  # it is published: a second person approves
    deletion = Meeting.history.get(id=pk, history_type="-")
    restore_url = admin_url(fourth, "simple_history", pk, deletion.history_id)
    data = change_form_data(chief_editor_client.get(restore_url))
    assert chief_editor_client.post(restore_url, data).status_code == 302
    assert Meeting.objects.get(pk=pk).publication_status == PublicationStatus.DRAFT

    output = seed_output()

    assert Meeting.objects.get(pk=pk).publication_status == PublicationStatus.DRAFT
    assert Meeting.objects.filter(slug="jwg-icc-4th-meeting").count() == 1
    assert "kept 1 edited by editors" in output


def test_reseed_follows_a_natural_key_editors_changed_instead_of_duplicating(seeded):
    outcome = Outcome.objects.get(meeting__slug="jwg-icc-5th-meeting", order=10)
    outcome.order = 40
    outcome.save()
    meeting = Meeting.objects.get(slug="jwg-icc-4th-meeting")
    meeting.slug = "jwg-icc-4th-meeting-islamabad"
    meeting.save()
    before = row_counts()

    output = seed_output()

    assert row_counts() == before
    assert not Outcome.objects.filter(meeting__slug="jwg-icc-5th-meeting", order=10).exists()
    assert not Meeting.objects.filter(slug="jwg-icc-4th-meeting").exists()
    assert "created 0," in output
    assert "kept 2 edited by editors" in output


def test_a_seeded_record_without_a_citation_is_created_as_a_draft(db, tmp_path):
    path = write_seed_copy(
        tmp_path,
        'citations = [\n  { fields = ["publisher", "published_on"], '
        'quote = "Published in Dawn, January 12th, 2025" },\n]',
        "citations = []",
    )

    call_command("seed", str(path), verbosity=0)

    assert Source.objects.get().publication_status == PublicationStatus.DRAFT


def test_a_record_whose_only_source_editors_deleted_is_created_as_a_draft(db, tmp_path):
    path = write_seed_copy(tmp_path, 'slug = "cpec-2-0"', 'slug = "cpec-2-0-renamed"')
    call_command("seed", verbosity=0)
    source = Source.objects.get()
    # A chief editor removes the source and everything citing it.
    Citation.objects.all().delete()
    source.delete()

    output = seed_output(str(path))

    assert not Source.objects.exists()
    created = Project.objects.get(slug="cpec-2-0-renamed")
    assert created.publication_status == PublicationStatus.DRAFT
    assert "created 1," in output
