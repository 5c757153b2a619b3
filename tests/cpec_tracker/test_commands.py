import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cpec_tracker.editing.roles import EDITORS


def test_createeditor_makes_a_staff_user_in_the_editors_group(db, monkeypatch, capsys):
    monkeypatch.setenv("CPEC_EDITOR_PASSWORD", "correct-horse-battery-staple")
    call_command("createeditor", "ayesha", "--email", "a@example.org")
    user = get_user_model().objects.get(username="ayesha")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS]
    assert user.check_password("correct-horse-battery-staple")
    assert "created 'ayesha'" in capsys.readouterr().out


def test_createeditor_refuses_a_weak_password_and_creates_nothing(db, monkeypatch):
    monkeypatch.setenv("CPEC_EDITOR_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("createeditor", "ayesha")
    assert not get_user_model().objects.filter(username="ayesha").exists()


def test_createeditor_leaves_an_existing_user_alone(db, monkeypatch, editor):
    monkeypatch.setenv("CPEC_EDITOR_PASSWORD", "another-long-password")
    with pytest.raises(CommandError, match="already exists"):
        call_command("createeditor", editor.username)
    editor.refresh_from_db()
    assert editor.check_password("a-long-test-password")


def test_createeditor_without_password_or_terminal_says_what_to_set(db, monkeypatch):
    monkeypatch.delenv("CPEC_EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("os.isatty", lambda fd: False)
    with pytest.raises(CommandError, match="set CPEC_EDITOR_PASSWORD"):
        call_command("createeditor", "ayesha")


def test_editors_group_can_add_change_and_view_but_not_delete(db):
    from django.contrib.auth.models import Group

    codenames = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    assert {"add_meeting", "change_meeting", "view_meeting", "change_citation"} <= codenames
    assert not any(name.startswith("delete_") for name in codenames)
    assert not any(name.endswith(("_user", "_group")) for name in codenames)
