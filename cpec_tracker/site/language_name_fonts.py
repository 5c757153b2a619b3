"""The language switcher's own fonts: the vendored Nastaliq and Noto Sans SC cut down to the
letters of the languages' names ("اردو", "简体中文", settings.LANGUAGES), about 1 KB each.

Every page shows the switcher, so without them every page, English ones too, fetched the
whole Nastaliq (159 KB) and the Noto Sans SC slices that hold "简体中文" (107 KB) to draw two
link labels. site.css draws the labels in these subsets (font-family "CPEC Language Names");
the full fonts are fetched only by pages whose own text is Urdu or Chinese.
`manage.py language_name_fonts` writes them; fontTools (a dev dependency) makes them.

It also writes the Chinese interface's own subset (INTERFACE_SUBSET): Noto Sans SC cut down to
the characters of the zh_Hans catalogue's translations, of the templates and of its Latin
slice, in one weight (113 KB). A Chinese page's own words are in the catalogue, so it draws them
from this one file instead of fetching the ~20 slices (~550 KB) that hold them; the slices are
fetched only for characters outside it, those of records' Chinese names. Bold Chinese is drawn
from the regular subset (the browser thickens it), as bold Urdu is from its regular Nastaliq:
a second weight would add 110 KB and not fit the map page's 300 KB first load.
"""

import gettext
import io
import re
from pathlib import Path

from django.conf import settings

FONTS = Path(__file__).resolve().parent / "static" / "cpec_tracker" / "fonts"
SUBSETS = FONTS / "language-names"
WEIGHTS = (400, 700)  # the current language's name is bold (site.css)
NASTALIQ = "noto-nastaliq-urdu-arabic-{weight}-normal.woff2"
CHINESE_SLICES_CSS = FONTS / "noto-sans-sc" / "noto-sans-sc.css"
# Each language whose name a system may have no font for, and the vendored font it is drawn
# in elsewhere on the site. English's name is Latin: system fonts draw it.
NAME_FONTS = {"ur": "nastaliq", "zh-hans": "noto-sans-sc"}
INTERFACE_SUBSET = FONTS / "noto-sans-sc-interface" / "noto-sans-sc-interface-400.woff2"
CHINESE_CATALOGUE = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
TEMPLATES = settings.BASE_DIR / "templates"
# The slice of Latin, its punctuation and symbols (Leaflet's − and ×, “ ”, €).
LATIN_SLICE = FONTS / "noto-sans-sc" / "noto-sans-sc-latin-400-normal.woff2"


def language_name(code):
    return dict(settings.LANGUAGES)[code]


def subset_path(code, weight):
    return SUBSETS / f"{code}-{weight}.woff2"


def unicode_range(text):
    """The CSS unicode-range of a text's characters, as site.css writes it: "U+627, U+62F"."""
    return ", ".join(f"U+{code_point:X}" for code_point in sorted(set(map(ord, text))))


def chinese_slices(weight):
    """Each slice file of the vendored Noto Sans SC of a weight, with its code points."""
    css = CHINESE_SLICES_CSS.read_text(encoding="utf-8")
    faces = re.findall(
        rf'font-weight: {weight};.*?url\("([\w-]+\.woff2)"\).*?unicode-range: ([^;]+);', css
    )
    slices = {}
    for name, ranges in faces:
        code_points = set()
        for part in ranges.split(","):
            first, _, last = part.strip()[2:].partition("-")
            code_points.update(range(int(first, 16), int(last or first, 16) + 1))
        slices[FONTS / "noto-sans-sc" / name] = code_points
    return slices


def chinese_sources(text, weight):
    """The Noto Sans SC slices of a weight that draw a text, each with the part it draws."""
    parts = {}
    for path, code_points in chinese_slices(weight).items():
        part = "".join(character for character in text if ord(character) in code_points)
        if part:
            parts[path] = part
    return parts


def source_fonts(code, weight):
    """The vendored font files that draw a language's name, each with the part of the name
    it draws: Nastaliq whole, Noto Sans SC one slice per few characters."""
    name = language_name(code)
    if NAME_FONTS[code] == "nastaliq":
        return {FONTS / NASTALIQ.format(weight=weight): name}
    return chinese_sources(name, weight)


def interface_characters():
    """Every character the Chinese interface writes: the translations of the compiled
    zh_Hans catalogue (the templates' and the code's words, dates' 年月日, the languages'
    names), the templates' own characters (punctuation: · — → …) and every character of the
    Latin slice (digits, Latin names and codes, the map's − and ×), sorted."""
    from fontTools.ttLib import TTFont

    with CHINESE_CATALOGUE.open("rb") as catalogue:
        translations = gettext.GNUTranslations(catalogue)._catalog.values()
    characters = set(map(chr, TTFont(LATIN_SLICE).getBestCmap()))
    for text in [*translations, *(path.read_text(encoding="utf-8") for path in templates())]:
        characters.update(text)
    return "".join(sorted(character for character in characters if character.isprintable()))


def templates():
    return sorted(path for path in TEMPLATES.rglob("*") if path.suffix in {".html", ".txt"})


def subset_bytes(code, weight):
    """A language's name subset as WOFF2: its letters and every glyph their shaping reaches
    (Nastaliq's joined forms), with the layout features that choose them."""
    return cut(source_fonts(code, weight))


def interface_subset_bytes():
    """The Chinese interface's subset as WOFF2, in the regular weight."""
    return cut(chinese_sources(interface_characters(), 400))


def cut(sources):
    """One WOFF2 font of the given parts of font files ({path: text}), merged when they are
    slices of one font."""
    from fontTools import subset
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]
    pieces = []
    for path, text in sources.items():
        font = TTFont(path, recalcTimestamp=False)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        piece = io.BytesIO()
        font.flavor = None
        font.save(piece)
        pieces.append(piece)
    if len(pieces) == 1:
        font = TTFont(pieces[0], recalcTimestamp=False)
    else:
        # Slices of one font share its metrics: merged, they are one file per weight, dated
        # as its slices are (the merger would stamp the time of the run).
        font = Merger().merge(pieces)
        slices = [TTFont(piece, recalcTimestamp=False)["head"] for piece in pieces]
        font["head"].created = min(head.created for head in slices)
        font["head"].modified = max(head.modified for head in slices)
        font.recalcTimestamp = False
    font.flavor = "woff2"
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()


def subsets():
    """Every subset file the switcher and the Chinese interface use, with the bytes each
    should hold."""
    files = {
        subset_path(code, weight): subset_bytes(code, weight)
        for code in NAME_FONTS
        for weight in WEIGHTS
    }
    files[INTERFACE_SUBSET] = interface_subset_bytes()
    return files
