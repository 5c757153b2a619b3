"""Fill a benchmark database with a synthetic CPEC record at a chosen scale.

    python -m bench.generate --scale 1000            # SQLite file bench/results/bench-1000.sqlite3
    DATABASE_URL=postgres://… python -m bench.generate --scale 100000

`--scale` is the number of projects; everything else follows in fixed proportions (per 100
projects: 20 meetings with 5 participants, 3 outcomes and 2 themes each, 10 officials with 15
offices, 10 sources, 5 organizations, 200 key figures, 300 milestones, 150 organization roles,
about 108 locations (90 points, 18 lines), and a citation for every record, participant and key
figure). About 5% of every kind of record is a draft. The seed is loaded first, so the seed's
records are there too.

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
        self.locations()
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

    def locations(self):
        """Places for 90 of every 100 projects: a point, and for one in five a second place,
        a line (a route) of three to six positions, all inside Pakistan."""
        from decimal import Decimal

        from projects.models import Location, LocationPrecision, Project

        def position():
            return [round(self.rng.uniform(62.0, 75.0), 4), round(self.rng.uniform(24.5, 36.0), 4)]

        rows = []
        for project_id in Project.objects.order_by("pk").values_list("pk", flat=True):
            if self.rng.random() >= 0.9:
                continue
            longitude, latitude = position()
            rows.append(
                Location(
                    project_id=project_id,
                    place_name=self.rng.choice(PLACES),
                    precision=self.rng.choice(LocationPrecision.values),
                    longitude=Decimal(str(longitude)),
                    latitude=Decimal(str(latitude)),
                )
            )
            if self.rng.random() < 0.2:
                route = [position() for _ in range(self.rng.randint(3, 6))]
                rows.append(
                    Location(
                        project_id=project_id,
                        place_name=f"{self.rng.choice(PLACES)} to {self.rng.choice(PLACES)}",
                        precision="near",
                        geometry={"type": "LineString", "coordinates": route},
                    )
                )
        self.write(Location, rows)

    def citations(self, sources, meetings, officials):
        """A citation for every record, participant and key figure, quoting its source."""
        from django.contrib.contenttypes.models import ContentType

        from cpec_tracker.records.models import Citation, citable_fields
        from meetings.models import Participation
        from projects.models import KeyFigure, Project

        cited = [
            *meetings,
            *officials,
            *Project.objects.only("pk"),
            *Participation.objects.only("pk"),
            *KeyFigure.objects.only("pk"),
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
    return scale * 35 // 2


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
