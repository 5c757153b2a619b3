"""The registry of record kinds: what it declares, and what is derived from it."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from cpec_tracker.editing import roles
from cpec_tracker.records import registry
from cpec_tracker.records.models import ErrorReport, Theme, Versioned
from meetings.models import Meeting


def test_every_model_editors_keep_is_a_registered_kind():
    """A model of a tracker app that is not registered would get no editors' permissions
    (readers' reports are no kind: they get theirs from `roles.REPORT_ACTIONS`)."""
    kept = {
        model
        for label in registry.tracker_apps()
        for model in apps.get_app_config(label).get_models()
        if model._meta.default_permissions and not model.__name__.startswith("Historical")
    } - {ErrorReport}
    assert kept == {kind.model for kind in registry.record_kinds()}
    assert {model for model in apps.get_models() if issubclass(model, Versioned)} <= kept


def test_the_api_schema_names_an_enum_for_every_declared_choice_set():
    """settings.py is below the floor and cannot read the registry: it keeps the enum names
    declaratively, and this test keeps them equal to the kinds' declarations."""
    declared = {
        choice_set.schema_enum_name: choice_set.import_path for choice_set in registry.choice_sets()
    }
    assert settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] == declared


def test_kinds_are_read_in_the_order_of_installed_apps():
    labels = [kind.model._meta.app_label for kind in registry.record_kinds()]
    assert labels == sorted(labels, key=registry.tracker_apps().index)
    assert registry.tracker_apps() == ["cpec_tracker", "meetings", "projects"]


def group_codenames(name):
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


@pytest.mark.django_db
def test_editors_have_the_permissions_of_every_registered_kind():
    editors, chiefs = group_codenames(roles.EDITORS), group_codenames(roles.CHIEF_EDITORS)
    for kind in registry.record_kinds():
        name = kind.model._meta.model_name
        assert {f"add_{name}", f"change_{name}", f"view_{name}"} <= editors
        assert f"delete_{name}" not in editors
        assert {f"add_{name}", f"change_{name}", f"view_{name}", f"delete_{name}"} <= chiefs
    assert {"publish_meeting", "publish_project", "publish_source"} <= chiefs
    assert not any(codename.startswith("publish_") for codename in editors)


@pytest.mark.django_db
def test_a_kind_registered_later_gets_its_permissions_after_migrate():
    registry.register(registry.RecordKind(LogEntry))
    try:
        roles.grant_editors_permissions()
    finally:
        registry.unregister(LogEntry)
    assert {"add_logentry", "change_logentry", "view_logentry"} <= group_codenames(roles.EDITORS)
    assert "delete_logentry" in group_codenames(roles.CHIEF_EDITORS)


@pytest.mark.django_db
def test_granting_twice_changes_nothing_and_restores_what_was_taken():
    before = group_codenames(roles.EDITORS), group_codenames(roles.CHIEF_EDITORS)
    Group.objects.get(name=roles.EDITORS).permissions.clear()
    Group.objects.get(name=roles.CHIEF_EDITORS).delete()
    roles.grant_editors_permissions()
    roles.grant_editors_permissions()
    assert (group_codenames(roles.EDITORS), group_codenames(roles.CHIEF_EDITORS)) == before


def test_a_kinds_name_is_its_table_collection_and_the_address_of_its_pages():
    meetings, themes = (registry.kind_of(model) for model in (Meeting, Theme))
    assert (meetings.table, meetings.collection, meetings.list_url) == (
        "meetings",
        "meetings",
        "meetings:list",
    )
    assert reverse("meetings:detail", args=["x"]) == "/meetings/x/"
    assert reverse("meetings:calendar", args=["x"]) == "/meetings/x.ics"
    with translation.override("ur"):
        assert reverse("meetings:list") == "/ur/meetings/"
    # Themes have no list page: nothing links to one.
    assert themes.list_url == "" and reverse("themes:detail", args=["x"]) == "/themes/x/"
