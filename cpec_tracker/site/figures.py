"""The figures at a glance: what the published records add up to, as bar charts
(`cpec_tracker.site.charts`) for the home page and /figures/.

Each figure is one grouped query over published records, worked out once per version of the
tables it reads (`stored_per_table_version`), so only the first view after a change counts.
Money is summed in US dollars only where a row has an amount in US dollars (as its source
states it, or converted at a cited rate); the rows without one are counted and said, and the
table under each chart gives every total in the currency the sources state.
"""

from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from cpec_tracker.caching.pages import stored_per_table_version
from cpec_tracker.records.models import Organization
from cpec_tracker.records.templatetags.cpec import local_name_text
from cpec_tracker.site.charts import Bar, BarChart
from meetings.models import Meeting
from projects.models import (
    Financing,
    FinancingStatus,
    Instrument,
    Project,
    ProjectStatus,
    Sector,
    decimal_display,
)

# The lender chart shows the lenders of the most money; the table says how many are left out.
LENDERS_SHOWN = 10


def grouped(queryset):
    """The rows of a grouped `values(...).annotate(...)` queryset, read once per table
    version."""
    queryset = queryset.order_by()
    return stored_per_table_version(queryset, lambda: list(queryset), kind="rows")


def list_url(name, **filters):
    return f"{reverse(name)}?{urlencode(filters)}"


def count_display(count):
    return f"{count:,}"


def projects_by(field, choices, *, title, description, heading, keep_empty):
    """Published projects counted by one coded field, in the dictionary's order: every choice
    when `keep_empty` (a missing one shows 0), else only the choices that have projects."""
    counts = dict(grouped(Project.objects.published().values_list(field).annotate(Count("pk"))))
    return BarChart(
        slug=f"projects-by-{field}",
        title=title,
        description=description,
        columns=[heading, gettext("Projects")],
        bars=[
            Bar(
                label=str(label),
                value=counts.get(value, 0),
                value_display=count_display(counts.get(value, 0)),
                url=list_url("projects:list", **{field: value}),
            )
            for value, label in choices
            if keep_empty or counts.get(value)
        ],
    ).draw()


def projects_by_status():
    return projects_by(
        "status",
        ProjectStatus.choices,
        title=gettext("Projects by status"),
        description=gettext("How many published projects stand at each status."),
        heading=gettext("Status"),
        keep_empty=True,
    )


def projects_by_sector():
    return projects_by(
        "sector",
        Sector.choices,
        title=gettext("Projects by sector"),
        description=gettext("How many published projects there are in each sector."),
        heading=gettext("Sector"),
        keep_empty=False,
    )


def meetings_per_year():
    """The years that have published meetings, the earliest first."""
    rows = grouped(
        Meeting.objects.published()
        .values_list(ExtractYear("date"))
        .annotate(Count("pk"))
        .filter(date__isnull=False)
    )
    return BarChart(
        slug="meetings-per-year",
        title=gettext("Meetings per year"),
        description=gettext("How many published meetings were held (or are to be) each year."),
        columns=[gettext("Year"), gettext("Meetings")],
        bars=[
            Bar(
                label=str(year),
                value=count,
                value_display=count_display(count),
                url=list_url("meetings:list", year=year),
            )
            for year, count in sorted(rows)
        ],
    ).draw()


class MoneyGroup:
    """What the financing rows of one group (a year, a lender, an instrument) add up to."""

    def __init__(self):
        self.usd = Decimal(0)
        self.rows = 0
        self.usd_rows = 0
        self.by_currency = {}

    def add(self, currency, total, usd, rows, usd_rows):
        self.by_currency[currency] = self.by_currency.get(currency, Decimal(0)) + total
        self.usd += usd or 0
        self.rows += rows
        self.usd_rows += usd_rows

    def cells(self):
        stated = "; ".join(
            f"{decimal_display(total)} {currency}"
            for currency, total in sorted(self.by_currency.items())
        )
        return [count_display(self.rows), count_display(self.rows - self.usd_rows), stated]


def financing_by(group):
    """{group value: MoneyGroup} of the published financing that is not cancelled, by the
    expression `group`: one grouped query, by group and currency."""
    rows = grouped(
        Financing.objects.published()
        .exclude(status=FinancingStatus.CANCELLED)
        .values_list(group, "currency")
        .annotate(Sum("amount"), Sum("amount_usd"), Count("pk"), Count("amount_usd"))
    )
    groups = defaultdict(MoneyGroup)
    for value, currency, total, usd, count, usd_count in rows:
        groups[value].add(currency, total, usd, count, usd_count)
    return groups


def money_chart(slug, title, description, heading, labelled_groups, *, left_over=""):
    """A chart of financing in US dollars: `labelled_groups` is [(label, url, MoneyGroup)]."""
    rows = sum(group.rows for _, _, group in labelled_groups)
    left_out = sum(group.rows - group.usd_rows for _, _, group in labelled_groups)
    note = ngettext(
        "%(left_out)s of %(rows)s commitment has no amount in US dollars and is left out of "
        "the bars; the table gives every amount in the currency its source states.",
        "%(left_out)s of %(rows)s commitments have no amount in US dollars and are left out "
        "of the bars; the table gives every amount in the currency its source states.",
        rows,
    ) % {"left_out": count_display(left_out), "rows": count_display(rows)}
    return BarChart(
        slug=slug,
        title=title,
        description=description,
        columns=[
            heading,
            gettext("US dollars"),
            gettext("Commitments"),
            gettext("Without an amount in US dollars"),
            gettext("Amounts as stated"),
        ],
        bars=[
            Bar(
                label=label,
                value=float(group.usd),
                value_display=decimal_display(group.usd) if group.usd_rows else "—",
                cells=group.cells(),
                url=url,
            )
            for label, url, group in labelled_groups
        ],
        note=" ".join(part for part in (note if left_out else "", left_over) if part),
    ).draw()


def financing_description():
    # The rows counted are FinancingTotals' (cancelled commitments left out).
    return gettext(
        "Financing pledged, committed or disbursed (not cancelled), in US dollars where the "
        "source states the amount in US dollars or it was converted at a cited rate."
    )


def financing_by_year():
    year = ExtractYear(Coalesce(*Financing.year_dates))
    groups = financing_by(year)
    known = sorted(value for value in groups if value is not None)
    labelled = [
        (str(value), list_url("financing:list", year=value), groups[value]) for value in known
    ]
    if None in groups:
        labelled.append((gettext("Year not known"), "", groups[None]))
    return money_chart(
        "financing-by-year",
        gettext("Financing by year"),
        financing_description(),
        gettext("Year"),
        labelled,
    )


def financing_by_lender():
    groups = financing_by("lender")
    largest = sorted(groups, key=lambda pk: (-groups[pk].usd, -groups[pk].rows, pk))
    shown = largest[:LENDERS_SHOWN]
    lenders = {}
    if shown:
        # An empty `pk__in` has no SQL to key the stored rows on (EmptyResultSet).
        named = Organization.objects.filter(pk__in=shown)
        lenders = {
            lender.pk: lender
            for lender in stored_per_table_version(named, lambda: list(named), kind="rows")
        }
    labelled = [
        (
            local_name_text(lenders[pk]),
            list_url("financing:list", lender=lenders[pk].slug),
            groups[pk],
        )
        for pk in shown
    ]
    others = len(largest) - len(shown)
    left_over = ""
    if others:
        left_over = ngettext(
            "One more lender, which lent less, is not shown.",
            "%(count)s more lenders, which lent less, are not shown.",
            others,
        ) % {"count": count_display(others)}
    return money_chart(
        "financing-by-lender",
        gettext("Financing by lender"),
        financing_description(),
        gettext("Lender"),
        labelled,
        left_over=left_over,
    )


def financing_by_instrument():
    groups = financing_by("instrument")
    labelled = [
        (str(label), list_url("financing:list", instrument=value), groups[value])
        for value, label in Instrument.choices
        if value in groups
    ]
    return money_chart(
        "financing-by-instrument",
        gettext("Financing by instrument"),
        financing_description(),
        gettext("Instrument"),
        labelled,
    )


def all_figures():
    """Every chart of /figures/, in the page's order."""
    return [
        projects_by_status(),
        projects_by_sector(),
        financing_by_year(),
        financing_by_lender(),
        financing_by_instrument(),
        meetings_per_year(),
    ]
