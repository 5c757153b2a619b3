import pytest
from django.core.exceptions import ValidationError

from cpec_tracker.records.models import Citation, Source


def test_published_excludes_drafts(db, make):
    published = make.make_source()
    make.make_source(publication_status="draft")
    assert list(Source.objects.published()) == [published]


def test_version_goes_up_on_every_save(db, make):
    source = make.make_source()
    assert source.version == 1
    source.title = "Corrected"
    source.save()
    source.save()
    source.refresh_from_db()
    assert source.version == 3


def test_citation_with_quote_from_its_source_is_valid(db, make):
    meeting = make.make_meeting()
    citation = Citation(record=meeting, source=make.make_source(), quote='The "shining symbol"')
    citation.full_clean()


def test_citation_quote_missing_from_its_source_is_rejected(db, make):
    meeting = make.make_meeting()
    citation = Citation(record=meeting, source=make.make_source(), quote="an invented sentence")
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert "does not occur in the text" in str(error.value.message_dict["quote"])


def test_search_needs_every_word(db, make):
    make.make_organization(name="Ministry of Foreign Affairs")
    make.make_organization(name="Ministry of Planning")
    from cpec_tracker.records.models import Organization

    names = [org.name for org in Organization.objects.search("ministry foreign")]
    assert names == ["Ministry of Foreign Affairs"]


def test_search_ignores_nul_and_overlong_input(db, make):
    from cpec_tracker.records.models import Organization

    make.make_organization(name="Foreign Office")
    assert list(Organization.objects.search("\x00" + "x" * 10_000)) == []
