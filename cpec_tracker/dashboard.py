"""The editors' dashboard on the admin index: what waits, what is missing, what changed.

Three lists, each read with a fixed number of queries (one or two per model), however many
records the tracker holds:

- drafts waiting for a chief editor, each with the fields that have no citation yet;
- recent sources whose text names known records that cite nothing from them;
- the latest changes by everyone, from the history every tracker model keeps.

The models are the ones registered in the admin site, so the dashboard knows no app by name.
"""

import re
from dataclasses import dataclass, field
from operator import attrgetter

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse

from .models import Citation, PublicationStatus, Record, Source, citable_fields

DRAFTS_SHOWN = 15
SOURCES_SCANNED = 10
# At most this many phrases are looked up (the shortest first), so a long text cannot make
# the lookup query longer than the database accepts.
PHRASES_LOOKED_UP = 3000
CHANGES_SHOWN = 15
# Fields that name a record, matched against sources' text.
NAME_FIELDS = ("name", "short_name", "title")
HISTORY_TYPES = {"+": "Added", "~": "Changed", "-": "Deleted"}


def fields_without_citation(record, citations=None):
    """The verbose names of `record`'s citable fields (`models.citable_fields`, the same list
    the admin offers) that hold a value but no citation.

    `citations` are the record's citations when already loaded; otherwise they are read.
    """
    if citations is None:
        citations = record.citations.all()
    cited = {name for citation in citations for name in citation.fields or ()}
    opts = type(record)._meta
    lacking = []
    for name, _label in citable_fields(opts):
        model_field = opts.get_field(name)
        if model_field.many_to_many or name in cited:
            continue
        if getattr(record, model_field.attname) in (None, ""):
            continue
        lacking.append(str(model_field.verbose_name))
    return lacking


@dataclass
class DraftRow:
    record: object
    admin_url: str
    model_name: str
    has_citation: bool
    lacking: list


@dataclass
class SourceRow:
    source: object
    admin_url: str
    uncited: list = field(default_factory=list)  # [(record, model name, admin url)]


@dataclass
class ChangeRow:
    when: object
    who: object
    action: str
    model_name: str
    label: str
    admin_url: str


@dataclass
class Dashboard:
    drafts: list
    draft_count: int
    sources: list
    changes: list


def editors_dashboard(admin_site, request):
    """The dashboard's three lists, for the models `request.user` may view."""
    models = [
        model
        for model, model_admin in admin_site._registry.items()
        if model_admin.has_view_permission(request)
    ]
    record_models = [model for model in models if issubclass(model, Record) and model != Source]
    drafts, draft_count = draft_rows(record_models)
    sources = source_rows(record_models) if Source in models else []
    return Dashboard(
        drafts=drafts,
        draft_count=draft_count,
        sources=sources,
        changes=change_rows(models),
    )


def draft_rows(record_models):
    """The latest drafts of every record model with what they lack, and how many there are."""
    drafts, count = [], 0
    for model in record_models:
        found = model.objects.filter(publication_status=PublicationStatus.DRAFT)
        count += found.count()
        drafts.extend(found.order_by("-updated_at")[:DRAFTS_SHOWN])
    drafts.sort(key=attrgetter("updated_at"), reverse=True)
    drafts = drafts[:DRAFTS_SHOWN]
    citations = citations_of(drafts)
    rows = []
    for record in drafts:
        own = citations.get((ContentType.objects.get_for_model(record).pk, record.pk), [])
        rows.append(
            DraftRow(
                record=record,
                admin_url=admin_url(record),
                model_name=record._meta.verbose_name,
                has_citation=bool(own),
                lacking=fields_without_citation(record, own),
            )
        )
    return rows, count


def citations_of(records):
    """{(content type id, object id): [citation, …]} for `records`, in one query."""
    if not records:
        return {}
    by_type = {}
    for record in records:
        by_type.setdefault(ContentType.objects.get_for_model(record).pk, []).append(record.pk)
    condition = Q()
    for content_type_id, ids in by_type.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=ids)
    found = {}
    for citation in Citation.objects.filter(condition).only("content_type", "object_id", "fields"):
        found.setdefault((citation.content_type_id, citation.object_id), []).append(citation)
    return found


NAME_WORD = r"[A-Z][\w'’.-]*|[0-9][\w-]*"
NAME_RUN = re.compile(rf"(?:{NAME_WORD})(?:\s+(?:of|the|and|for|on|de|al)?\s*(?:{NAME_WORD}))*")


def name_phrases(text, longest=8):
    """Every run of up to `longest` words inside the text's capitalised runs, lower-cased:
    the phrases a record's name could be ("Awais Manzur Sumra", "joint working group")."""
    phrases = set()
    for run in NAME_RUN.finditer(text):
        words = run.group().split()
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + longest) + 1):
                phrase = " ".join(words[start:end]).strip(".,;:’'").lower()
                if phrase:
                    phrases.add(phrase)
    return phrases


def source_rows(record_models):
    """Recent sources naming records that cite nothing from them (a plain name match)."""
    sources = list(
        Source.objects.order_by("-updated_at").only("pk", "title", "slug", "text")[:SOURCES_SCANNED]
    )
    if not sources:
        return []
    phrases_by_source = {source.pk: name_phrases(source.text) for source in sources}
    every_phrase = sorted(
        set().union(*phrases_by_source.values()), key=lambda phrase: (len(phrase), phrase)
    )[:PHRASES_LOOKED_UP]
    named = []  # (record, its names lower-cased)
    for model in record_models:
        name_fields = [name for name in NAME_FIELDS if has_field(model, name)]
        if not name_fields or not every_phrase:
            continue
        condition = Q()
        for name in name_fields:
            condition |= Q(**{f"{name}_lower__in": every_phrase})
        annotations = {f"{name}_lower": Lower(name) for name in name_fields}
        for record in model.objects.annotate(**annotations).filter(condition):
            names = {getattr(record, f"{name}_lower") for name in name_fields} - {""}
            named.append((record, names))
    cited = set(
        Citation.objects.filter(source__in=sources).values_list(
            "source_id", "content_type_id", "object_id"
        )
    )
    rows = []
    for source in sources:
        row = SourceRow(source=source, admin_url=admin_url(source))
        for record, names in named:
            content_type_id = ContentType.objects.get_for_model(record).pk
            if names & phrases_by_source[source.pk] and (
                (source.pk, content_type_id, record.pk) not in cited
            ):
                row.uncited.append((record, record._meta.verbose_name, admin_url(record)))
        if row.uncited:
            rows.append(row)
    return rows


def change_rows(models):
    """The latest history rows of every model with history, newest first."""
    changes = []
    for model in models:
        if not hasattr(model, "history"):
            continue
        history = model.history.select_related("history_user").order_by("-history_date")
        for row in history[:CHANGES_SHOWN]:
            changes.append((model, row))
    changes.sort(key=lambda pair: pair[1].history_date, reverse=True)
    rows = []
    for model, row in changes[:CHANGES_SHOWN]:
        deleted = row.history_type == "-"
        rows.append(
            ChangeRow(
                when=row.history_date,
                who=row.history_user,
                action=HISTORY_TYPES.get(row.history_type, row.history_type),
                model_name=model._meta.verbose_name,
                label=history_label(model, row),
                admin_url="" if deleted else admin_url(model, row.id),
            )
        )
    return rows


def history_label(model, row):
    # Read from the row's own columns: a record's __str__ may follow relations (a query each).
    for name in NAME_FIELDS:
        value = getattr(row, name, "")
        if value:
            return str(value)
    return f"#{row.id}"


def has_field(model, name):
    return any(model_field.name == name for model_field in model._meta.concrete_fields)


def admin_url(record_or_model, pk=None):
    opts = record_or_model._meta
    pk = record_or_model.pk if pk is None else pk
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
    except NoReverseMatch:
        return ""
