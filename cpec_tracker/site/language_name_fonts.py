"""The language switcher's own fonts: the vendored Nastaliq and Noto Sans SC cut down to the
letters of the languages' names ("اردو", "简体中文", settings.LANGUAGES), about 1 KB each.

Every page shows the switcher, so without them every page, English ones too, fetched the
whole Nastaliq (159 KB) and the Noto Sans SC slices that hold "简体中文" (107 KB) to draw two
link labels. site.css draws the labels in these subsets (font-family "CPEC Language Names");
the full fonts are fetched only by pages whose own text is Urdu or Chinese.
`manage.py language_name_fonts` writes them; fontTools (a dev dependency) makes them.
"""

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


def source_fonts(code, weight):
    """The vendored font files that draw a language's name, each with the part of the name
    it draws: Nastaliq whole, Noto Sans SC one slice per few characters."""
    name = language_name(code)
    if NAME_FONTS[code] == "nastaliq":
        return {FONTS / NASTALIQ.format(weight=weight): name}
    parts = {}
    for path, code_points in chinese_slices(weight).items():
        part = "".join(character for character in name if ord(character) in code_points)
        if part:
            parts[path] = part
    return parts


def subset_bytes(code, weight):
    """A language's name subset as WOFF2: its letters and every glyph their shaping reaches
    (Nastaliq's joined forms), with the layout features that choose them."""
    from fontTools import subset
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]
    pieces = []
    for path, text in source_fonts(code, weight).items():
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
    """Every subset file the switcher uses, with the bytes it should hold."""
    return {
        subset_path(code, weight): subset_bytes(code, weight)
        for code in NAME_FONTS
        for weight in WEIGHTS
    }
