"""The translation catalogues: complete for every string of the code and templates, compiled,
and a check that names every string a new change leaves untranslated."""

import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cpec_tracker.site import translations

PO_WITH_GAPS = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Meetings"
msgstr "اجلاس"

msgid "A string added today"
msgstr ""

#, fuzzy
#| msgid "Meetings feed"
msgid "Meetings feed (Atom)"
msgstr "اجلاسوں کی فیڈ"

msgctxt "kind of record"
msgid "meeting"
msgstr "اجلاس"

msgid "%(counter)s source"
msgid_plural "%(counter)s sources"
msgstr[0] "%(counter)s ماخذ"
msgstr[1] ""

#~ msgid "A string removed long ago"
#~ msgstr ""
"""


def test_every_string_of_the_code_and_templates_has_urdu_and_chinese(capsys):
    if shutil.which("xgettext") is None:
        pytest.fail("The translation check needs GNU gettext: apt-get install gettext")
    call_command("translations", check=True)
    report = capsys.readouterr().out
    assert "translations: ur " in report
    assert "translations: zh_Hans " in report


def test_the_compiled_catalogues_are_those_of_the_po_files():
    for locale in translations.catalogue_locales():
        folder = translations.locale_folder() / locale / "LC_MESSAGES"
        assert translations.mo_matches_po(folder / "django.po", folder / "django.mo"), (
            f"{folder}/django.mo is older than its .po: run `make messages`"
        )


def test_empty_and_fuzzy_translations_count_as_missing(tmp_path):
    (tmp_path / "ur" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "ur" / "LC_MESSAGES" / "django.po").write_text(PO_WITH_GAPS, encoding="utf-8")
    (tmp_path / "zh_Hans" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "zh_Hans" / "LC_MESSAGES" / "django.po").write_text(
        PO_WITH_GAPS.replace('msgstr ""\n\n#, fuzzy', 'msgstr "今天新增"\n\n#, fuzzy'),
        encoding="utf-8",
    )
    urdu, chinese = translations.coverage(tmp_path)
    assert urdu.total == 5
    assert urdu.missing == [
        "A string added today",
        "Meetings feed (Atom)",
        "%(counter)s source / %(counter)s sources",
    ]
    assert chinese.missing == ["Meetings feed (Atom)", "%(counter)s source / %(counter)s sources"]


def test_the_check_fails_naming_each_untranslated_string(monkeypatch):
    monkeypatch.setattr(
        translations,
        "check",
        lambda: [
            translations.Coverage("ur", 3, ["A string added today"]),
            translations.Coverage("zh_Hans", 3, []),
        ],
    )
    with pytest.raises(CommandError) as failure:
        call_command("translations", check=True)
    message = str(failure.value)
    assert "1 strings have no ur translation:\n  A string added today" in message
    assert "zh_Hans translation" not in message
    assert "make messages" in message
