"""The subset fonts made by `manage.py language_name_fonts` from the vendored fonts: the
language switcher's, holding the letters of the languages' names (and Nastaliq's joined forms
of them), named in site.css for exactly those letters; and the Chinese interface's, holding
the characters of the zh_Hans catalogue and the templates, named before the slices."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from fontTools.ttLib import TTFont

from cpec_tracker.site import language_name_fonts

SITE_CSS = language_name_fonts.FONTS.parent / "site.css"


def test_the_committed_subsets_are_what_the_command_writes():
    assert sorted(path.name for path in language_name_fonts.SUBSETS.iterdir()) == [
        "ur-400.woff2",
        "ur-700.woff2",
        "zh-hans-400.woff2",
        "zh-hans-700.woff2",
    ]
    assert list(language_name_fonts.INTERFACE_SUBSET.parent.iterdir()) == [
        language_name_fonts.INTERFACE_SUBSET
    ]
    # Byte for byte (the timestamps are the vendored fonts'): out of date, it exits non-zero.
    call_command("language_name_fonts", "--check")


def test_the_check_fails_on_a_stale_subset_and_the_command_rewrites_it(tmp_path, monkeypatch):
    # Chinese alone: Nastaliq's shaping makes its subsets the slow ones to cut.
    monkeypatch.setattr(language_name_fonts, "NAME_FONTS", {"zh-hans": "noto-sans-sc"})
    monkeypatch.setattr(language_name_fonts, "SUBSETS", tmp_path)
    (tmp_path / "zh-hans-400.woff2").write_bytes(b"stale")
    with pytest.raises(SystemExit):
        call_command("language_name_fonts", "--check")
    call_command("language_name_fonts")
    committed = language_name_fonts.FONTS / "language-names" / "zh-hans-400.woff2"
    assert (tmp_path / "zh-hans-400.woff2").read_bytes() == committed.read_bytes()


@pytest.mark.parametrize("code", ["ur", "zh-hans"])
@pytest.mark.parametrize("weight", [400, 700])
def test_a_subset_holds_exactly_the_letters_of_its_languages_name(code, weight):
    name = dict(settings.LANGUAGES)[code]
    font = TTFont(language_name_fonts.subset_path(code, weight))
    assert set(font.getBestCmap()) == {ord(character) for character in name}
    assert font["OS/2"].usWeightClass == weight


def test_the_nastaliq_subset_keeps_the_joined_forms_its_shaping_chooses():
    font = TTFont(language_name_fonts.subset_path("ur", 400))
    # Four letters, and the forms they take joined in "اردو": glyphs no character maps to.
    assert len(font.getGlyphOrder()) > len(font.getBestCmap()) + 1
    assert font["GSUB"].table.FeatureList.FeatureCount > 0


def test_site_css_names_each_subset_for_exactly_its_letters():
    css = SITE_CSS.read_text(encoding="utf-8")
    faces = re.findall(
        r'@font-face \{ font-family: "CPEC Language Names";.*?font-weight: (\d+);'
        r'.*?url\("fonts/language-names/([\w-]+)-\1\.woff2"\).*?unicode-range: ([^;]+);',
        css,
    )
    expected = {
        (str(weight), code, language_name_fonts.unicode_range(dict(settings.LANGUAGES)[code]))
        for code in language_name_fonts.NAME_FONTS
        for weight in language_name_fonts.WEIGHTS
    }
    assert set(faces) == expected and len(faces) == len(expected)


def test_the_chinese_interface_subset_holds_every_translation_and_template_character():
    characters = language_name_fonts.interface_characters()
    font = TTFont(language_name_fonts.INTERFACE_SUBSET)
    assert set(font.getBestCmap()) == set(map(ord, characters))
    assert font["OS/2"].usWeightClass == 400
    # The catalogue's words, the templates' punctuation, Latin for names and numbers, and
    # the minus of the map's zoom button.
    assert set("项目会议年月日·→Aé0−") <= set(characters)
    # Bigger than a slice, much smaller than the ~20 slices a Chinese page fetched without it.
    assert 60_000 < language_name_fonts.INTERFACE_SUBSET.stat().st_size < 150_000


def test_the_check_fails_when_a_translation_adds_a_character(tmp_path, monkeypatch):
    """A new translation's characters make the interface subset stale until it is rewritten."""
    monkeypatch.setattr(language_name_fonts, "NAME_FONTS", {})
    interface_subset = tmp_path / "noto-sans-sc-interface-400.woff2"
    interface_subset.write_bytes(language_name_fonts.INTERFACE_SUBSET.read_bytes())
    monkeypatch.setattr(language_name_fonts, "INTERFACE_SUBSET", interface_subset)
    with_new_character = language_name_fonts.interface_characters() + "鼎"
    monkeypatch.setattr(language_name_fonts, "interface_characters", lambda: with_new_character)
    with pytest.raises(SystemExit):
        call_command("language_name_fonts", "--check")
    call_command("language_name_fonts")
    assert ord("鼎") in TTFont(interface_subset).getBestCmap()


def test_chinese_text_names_the_interface_subset_just_before_the_slices():
    css = SITE_CSS.read_text(encoding="utf-8")
    face = re.search(r'@font-face \{ font-family: "CPEC Chinese Interface";[^}]*\}', css)
    assert face and 'url("fonts/noto-sans-sc-interface/noto-sans-sc-interface-400.woff2")' in (
        face.group()
    )
    chinese_stack = re.search(r"^:lang\(zh\) \{ font-family: ([^;]+);", css, re.MULTILINE)
    assert '"CPEC Chinese Interface", "Noto Sans SC"' in chinese_stack.group(1)
