"""The editors' dashboard on the admin index: what waits, what is missing, what changed.

Its lists are each read with a fixed number of queries (one or two per model), however many
records the tracker holds:

- drafts waiting for a chief editor, each with the fields that have no citation yet;
- draft sources waiting for a chief editor, each with how many citations it supplies;
- recent sources whose text mentions known records (found as the reading view finds them,
  and stored with the source when its text is saved) that cite nothing from them;
- the latest changes by everyone, from the history every tracker model keeps;
- the open reports from readers (records.models.reports), newest first;
- the changes waiting for a second person's review (editing.review), oldest first.

The models are the registry's kinds that the admin site edits, so the dashboard knows no app
by name.
"""

from dataclasses import dataclass, field
from operator import attrgetter

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse

from cpec_tracker.editing.models import PendingChange
from cpec_tracker.records import registry
from cpec_tracker.records.models import (
    Citation,
    ErrorReport,
    PublicationStatus,
    Record,
    Source,
    citable_fields,
)

DRAFTS_SHOWN = 15
SOURCES_SCANNED = 10
CHANGES_SHOWN = 15
REPORTS_SHOWN = 15
PENDING_SHOWN = 15
# Fields that name a record, for the history's labels.
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
class DraftSourceRow:
    source: object
    admin_url: str
    read_url: str
    citation_count: int  # citations taken from it so far, for any record


@dataclass
class SourceRow:
    source: object
    admin_url: str
    uncited: list = field(default_factory=list)  # [(record, model name, admin url)]
    pending: bool = False  # its mentions are not stored yet


@dataclass
class ChangeRow:
    when: object
    who: object
    action: str
    model_name: str
    label: str
    admin_url: str


@dataclass
class ReportRow:
    report: object
    admin_url: str
    record_admin_url: str


@dataclass
class Dashboard:
    drafts: list
    draft_count: int
    sources: list
    changes: list
    reports: list | None = None  # None for an editor who may not view reports
    report_count: int = 0
    pending: list | None = None  # None for an editor who may not view the review queue
    pending_count: int = 0
    draft_sources: list = field(default_factory=list)
    draft_source_count: int = 0


def editors_dashboard(admin_site, request):
    """The dashboard's three lists, for the models `request.user` may view."""
    models = [
        kind.model
        for kind in registry.record_kinds()
        if kind.model in admin_site._registry
        and admin_site._registry[kind.model].has_view_permission(request)
    ]
    record_models = [model for model in models if issubclass(model, Record) and model != Source]
    drafts, draft_count = draft_rows(record_models)
    sources = source_rows(record_models) if Source in models else []
    draft_sources, draft_source_count = draft_source_rows() if Source in models else ([], 0)
    return Dashboard(
        drafts=drafts,
        draft_count=draft_count,
        sources=sources,
        changes=change_rows(models),
        **open_reports(admin_site, request),
        **pending_changes(admin_site, request),
        draft_sources=draft_sources,
        draft_source_count=draft_source_count,
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


def draft_source_rows():
    """The latest draft sources with the citations each supplies, and how many there are: two
    queries, however many drafts and citations there are."""
    drafts = Source.objects.filter(publication_status=PublicationStatus.DRAFT)
    latest = (
        drafts.order_by("-updated_at")
        .only("pk", "title", "publisher", "published_on")
        .annotate(citation_count=Count("quotes"))[:DRAFTS_SHOWN]
    )
    rows = [
        DraftSourceRow(
            source=source,
            admin_url=admin_url(source),
            read_url=reverse("admin:cpec_tracker_source_read", args=[source.pk]),
            citation_count=source.citation_count,
        )
        for source in latest
    ]
    return rows, drafts.count()


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


def source_rows(record_models):
    """Recent sources whose text mentions records (as the reading view finds them) that
    cite nothing from them, and those whose mentions are not found yet.

    The mentions are the ones stored with each source
    (`intake.services.source_suggestions_store`, run when its text is saved): finding them
    reads every record, which takes seconds at scale, so this page never does it.
    """
    sources = list(
        Source.objects.order_by("-updated_at").only(
            "pk", "title", "slug", "text", "published_on", "mentioned_records"
        )[:SOURCES_SCANNED]
    )
    if not sources:
        return []
    models_by_label = {model._meta.label_lower: model for model in record_models}
    cited = set(
        Citation.objects.filter(source__in=sources).values_list(
            "source_id", "content_type_id", "object_id"
        )
    )
    mentioned = {source.pk: source.stored_mentions() for source in sources}
    existing = existing_records(models_by_label, mentioned.values())
    rows = []
    for source in sources:
        row = SourceRow(
            source=source, admin_url=admin_url(source), pending=mentioned[source.pk] is None
        )
        for model_label, pk, label in mentioned[source.pk] or ():
            model = models_by_label.get(model_label)
            if model is None or (model_label, pk) not in existing:
                continue  # a kind of record this editor may not see, or one deleted since
            content_type_id = ContentType.objects.get_for_model(model).pk
            if (source.pk, content_type_id, pk) not in cited:
                row.uncited.append((label, model._meta.verbose_name, admin_url(model, pk)))
        if row.uncited or row.pending:
            rows.append(row)
    return rows


def existing_records(models_by_label, mention_lists):
    """{(model label, pk)} of the mentioned records that still exist, one query a model."""
    wanted = {}
    for mentions in mention_lists:
        for model_label, pk, _label in mentions or ():
            if model_label in models_by_label:
                wanted.setdefault(model_label, set()).add(pk)
    return {
        (model_label, pk)
        for model_label, pks in wanted.items()
        for pk in models_by_label[model_label]
        .objects.filter(pk__in=pks)
        .values_list("pk", flat=True)
    }


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


def open_reports(admin_site, request):
    """The open reports from readers, newest first, and how many there are (two queries), when
    `request.user` may view them: {"reports": [ReportRow, …], "report_count": n}."""
    report_admin = admin_site._registry.get(ErrorReport)
    if report_admin is None or not report_admin.has_view_permission(request):
        return {}
    reports = ErrorReport.objects.open().select_related("content_type")
    return {
        "reports": [
            ReportRow(
                report=report,
                admin_url=admin_url(report),
                record_admin_url=record_admin_url(report),
            )
            for report in reports[:REPORTS_SHOWN]
        ],
        "report_count": reports.count(),
    }


def pending_changes(admin_site, request):
    """The changes waiting for review, oldest first (the longest waiting lead), and how many
    there are (two queries), when `request.user` may view the queue:
    {"pending": [PendingChange, …], "pending_count": n}."""
    queue_admin = admin_site._registry.get(PendingChange)
    if queue_admin is None or not queue_admin.has_view_permission(request):
        return {}
    waiting = PendingChange.objects.pending().select_related("author").order_by("created_at")
    return {"pending": list(waiting[:PENDING_SHOWN]), "pending_count": waiting.count()}


def record_admin_url(report):
    model = report.content_type.model_class()
    return admin_url(model, report.object_id) if model is not None else ""


def history_label(model, row):
    # Read from the row's own columns: a record's __str__ may follow relations (a query each).
    for name in NAME_FIELDS:
        value = getattr(row, name, "")
        if value:
            return str(value)
    return f"#{row.id}"


def admin_url(record_or_model, pk=None):
    opts = record_or_model._meta
    pk = record_or_model.pk if pk is None else pk
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
    except NoReverseMatch:
        return ""
