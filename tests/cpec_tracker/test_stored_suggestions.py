"""What the suggestions engine finds in a source, stored with it when its text changes."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from cpec_tracker.intake import suggestions
from cpec_tracker.intake.extraction import source_create
from cpec_tracker.intake.services import source_suggestions_store
from cpec_tracker.records.models import Source
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

TEXT = "Planning Secretary Awais Manzur Sumra met the delegation. The two sides met in Beijing."
OTHER_TEXT = "The Gwadar Port Authority met the delegation. Talks went on."


def spans(text):
    return [(sentence.start, sentence.end) for sentence in suggestions.split_sentences(text)]


def records(source):
    return {(model, pk) for model, pk, _name in Source.objects.get(pk=source.pk).stored_mentions()}


def test_a_saved_source_keeps_its_sentences_and_a_new_text_replaces_them(make):
    source = make.make_source(text=TEXT)
    assert Source.objects.get(pk=source.pk).stored_sentences() == spans(TEXT)
    source.text = OTHER_TEXT
    source.save()
    assert Source.objects.get(pk=source.pk).stored_sentences() == spans(OTHER_TEXT)


def test_suggestions_read_the_stored_sentences_without_splitting_again(make, monkeypatch):
    source = Source.objects.get(pk=make.make_source(text=TEXT).pk)

    def no_split(text):
        raise AssertionError("split again")

    monkeypatch.setattr(suggestions, "split_sentences", no_split)
    assert [s.text for s in suggestions.suggest(source).sentences] == [
        "Planning Secretary Awais Manzur Sumra met the delegation.",
        "The two sides met in Beijing.",
    ]


def test_sentences_stored_for_another_text_are_not_used(make):
    source = make.make_source(text=TEXT)
    Source.objects.filter(pk=source.pk).update(text=OTHER_TEXT)  # bypassing save()
    source = Source.objects.get(pk=source.pk)
    assert source.stored_sentences() is None
    assert [(s.start, s.end) for s in suggestions.sentences_of(source)] == spans(OTHER_TEXT)


def test_editing_the_text_in_the_admin_finds_its_mentions_again(editor_client, make):
    official = make.make_official(name="Awais Manzur Sumra")
    authority = make.make_organization(name="Gwadar Port Authority")
    source = make.make_source(text=TEXT)
    change = reverse("admin:cpec_tracker_source_change", args=[source.pk])
    data = change_form_data(editor_client.get(change))
    assert editor_client.post(change, {**data, "title": "Renamed"}).status_code == 302
    # The source is published: each edit is stored once a second person approves it.
    make.approve_pending_changes()
    assert records(source) == {("meetings.official", official.pk)}
    data = change_form_data(editor_client.get(change))
    assert editor_client.post(change, {**data, "text": OTHER_TEXT}).status_code == 302
    make.approve_pending_changes()
    assert records(source) == {("cpec_tracker.organization", authority.pk)}
    assert Source.objects.get(pk=source.pk).stored_sentences() == spans(OTHER_TEXT)


def test_mentions_stored_for_another_date_are_not_used(make):
    make.make_official(name="Awais Manzur Sumra")
    source = make.make_source(text=TEXT)
    source_suggestions_store(sources=[source])
    assert Source.objects.get(pk=source.pk).stored_mentions()
    Source.objects.filter(pk=source.pk).update(published_on=datetime.date(2020, 1, 1))
    assert Source.objects.get(pk=source.pk).stored_mentions() is None


def test_storing_mentions_leaves_the_source_unchanged_otherwise(make):
    source = make.make_source(text=TEXT)
    before = Source.objects.get(pk=source.pk)
    source_suggestions_store(sources=[source])
    after = Source.objects.get(pk=source.pk)
    assert after.updated_at == before.updated_at
    assert after.history.count() == before.history.count()


def test_an_intake_stores_the_mentions_of_the_new_source(make):
    official = make.make_official(name="Awais Manzur Sumra")
    source = source_create(
        fields={
            "title": "Planning talks",
            "publisher": "Dawn",
            "published_on": datetime.date(2025, 1, 12),
            "kind": "news_report",
            "text": TEXT,
        }
    )
    assert records(source) == {("meetings.official", official.pk)}


def test_store_suggestions_stores_what_is_missing_and_is_safe_to_run_again(make, capsys):
    official = make.make_official(name="Awais Manzur Sumra")
    source = make.make_source(text=TEXT)
    make.make_source(text=OTHER_TEXT)
    Source.objects.filter(pk=source.pk).update(sentence_spans=None)  # as after the migration
    call_command("store_suggestions")
    assert "stored 2, unchanged 0" in capsys.readouterr().out
    assert records(source) == {("meetings.official", official.pk)}
    assert Source.objects.get(pk=source.pk).stored_sentences() == spans(TEXT)
    call_command("store_suggestions")
    assert "stored 0, unchanged 2" in capsys.readouterr().out
    call_command("store_suggestions", "--all")
    assert "stored 2, unchanged 0" in capsys.readouterr().out
