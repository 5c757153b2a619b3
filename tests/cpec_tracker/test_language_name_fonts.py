"""The language switcher's subset fonts: made by `manage.py language_name_fonts` from the
vendored fonts, holding the letters of the languages' names (and Nastaliq's joined forms of
them), and named in site.css for exactly those letters."""

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
