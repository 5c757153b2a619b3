"""Horizontal bar charts drawn on the server as inline SVG, each with its figures as a table.

No JavaScript and nothing the Content-Security-Policy forbids: the bars are `<rect>`s sized
in per cent of the chart's width, so a chart fills a phone's screen or a desktop column with
its text at the page's size (a `viewBox` would shrink the text with the chart). Each row is a
line of text — the label and its value — over its bar. Right to left (Urdu), the bars grow
from the right and the text is anchored to the right. Colours and type are site.css's
(`.chart`). The SVG is an image with a title and a description for screen readers; the table
under it (`templates/cpec_tracker/_bar_chart.html`) carries the same figures and the links.
"""

from dataclasses import dataclass, field

from django.utils import translation

# A row: its line of text, then its bar (px).
TEXT_BASELINE = 16
BAR_TOP = 22
BAR_HEIGHT = 14
ROW_HEIGHT = 46
# A value above zero gets a bar at least this wide (per cent), so it is seen.
SMALLEST_BAR = 0.5


@dataclass
class Bar:
    """One row of a chart: its label, its value (a number the bar is drawn to), the value as
    shown, the cells the table adds after them, and where the row's records are listed."""

    label: str
    value: float
    value_display: str
    cells: list = field(default_factory=list)
    url: str = ""
    # Geometry, set by `BarChart.draw`.
    text_x: str = ""
    text_y: int = 0
    bar_x: str = ""
    bar_y: int = 0
    bar_width: str = ""


@dataclass
class BarChart:
    """A chart of `bars`, with its title (a heading), a sentence saying what it shows, the
    table's column headings (the label's, the value's, then those of each bar's `cells`) and
    an optional note on what the figures leave out."""

    slug: str
    title: str
    description: str
    columns: list
    bars: list
    note: str = ""
    height: int = 0
    right_to_left: bool = False

    def draw(self):
        """Work out each bar's place for the active language's direction; returns self."""
        self.right_to_left = translation.get_language_bidi()
        largest = max((bar.value for bar in self.bars), default=0) or 1
        for index, bar in enumerate(self.bars):
            width = 100 * bar.value / largest
            if bar.value > 0:
                width = max(width, SMALLEST_BAR)
            top = index * ROW_HEIGHT
            bar.text_y = top + TEXT_BASELINE
            bar.bar_y = top + BAR_TOP
            bar.bar_width = percent(width)
            bar.bar_x = percent(100 - width) if self.right_to_left else "0"
            bar.text_x = "100%" if self.right_to_left else "0"
        self.height = max(len(self.bars) * ROW_HEIGHT - (ROW_HEIGHT - BAR_TOP - BAR_HEIGHT), 0)
        return self

    @property
    def bar_height(self):
        return BAR_HEIGHT

    @property
    def is_wide(self):
        """Whether its table has more than a label and a value (it takes a page's width)."""
        return len(self.columns) > 2


def percent(number):
    """A length in per cent of the chart's width, to two places: "62.5%"."""
    return f"{round(number, 2):g}%"
