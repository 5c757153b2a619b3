import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.db.models import ProtectedError


def test_key_figure_shows_value_with_separators_and_as_of_date(db, make):
    figure = make.make_key_figure(
        value=Decimal("40000"), as_of=datetime.date(2025, 1, 12), unit="jobs"
    )
    assert figure.value_display == "40,000"
    assert figure.as_of_display == "12 January 2025"
    assert make.make_key_figure(value=Decimal("1.50")).value_display == "1.5"


def test_milestone_without_a_date_says_so(db, make):
    assert make.make_milestone(date=None).date_display == "Date not given"


def test_programme_with_parts_cannot_be_deleted(db, make):
    programme = make.make_project(kind="programme")
    make.make_project(parent=programme)
    with pytest.raises(ProtectedError):
        programme.delete()


def test_organization_role_in_a_project_is_unique(db, make):
    role = make.make_project_role()
    with pytest.raises(IntegrityError):
        make.make_project_role(project=role.project, organization=role.organization)
