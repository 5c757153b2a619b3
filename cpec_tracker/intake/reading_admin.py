"""The admin's reading view of a source and its JSON endpoints: cite a sentence (or a span of
it) for a record, find any record by name, start a new record from a sentence.

Each endpoint answers JSON to the page's script (`static/cpec_tracker/admin/reader.js`) and,
for a plain form post without JavaScript, a redirect back to the sentence with a message.
"""

import json
import re

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from cpec_tracker.editing import review
from cpec_tracker.intake.reading import (
    HIGHLIGHT_KINDS,
    LONGEST_NAME,
    draft_kinds,
    draft_prefill,
    fields_by_model,
    reading_of,
    record_for_key,
    record_option,
)
from cpec_tracker.intake.suggestions import known_lenders, suggest
from cpec_tracker.intake.suggestions.financing import (
    amounts_lent,
    lender_name,
    lenders_in,
    proposal_of,
)
from cpec_tracker.intake.suggestions.money import is_currency
from cpec_tracker.intake.updates import (
    Update,
    fields_set,
    marks_of,
    next_order,
    one_marked,
    part_add,
    sentence_of,
    speaker_of,
    title_before,
)
from cpec_tracker.records.dates import DatePrecision
from cpec_tracker.records.models import Source, citable_fields, citable_models
from cpec_tracker.records.sentences import (
    QuoteRequestError,
    Sentence,
    quote_of,
    sentence_offset,
)
from cpec_tracker.records.services import citation_add
from meetings.models import Meeting, Official, Participation, ParticipationRole
from meetings.services import outcome_add, outcome_propose
from projects.models import (
    FigureKind,
    Financing,
    Instrument,
    KeyFigure,
    Milestone,
    MilestoneKind,
    Project,
    ProjectStatus,
)

SEARCH_MAX_LENGTH = 200
SEARCH_RESULTS_PER_MODEL = 8
# What else the reading view can make of a quote once a record of this model is chosen:
# {model label: [(view name, button text, the choice it takes or None)]}; each view is this
# admin's, under the source. A choice is (posted name, [(value, label)]); each action's has
# its own name, as the page without script posts every one of them.
QUOTE_VIEWS = (
    "outcome_from_quote",
    "participant_from_quote",
    "milestone_from_quote",
    "figure_from_quote",
    "status_from_quote",
    "field_from_quote",
    "financing_from_quote",
)
SET_FIELD = ("field", [("date", "Date"), ("city", "City"), ("title", "Title")])
QUOTE_ACTIONS = {
    "meetings.meeting": [
        ("outcome_from_quote", "Add as a new outcome", None),
        ("participant_from_quote", "Add a participant", None),
        ("field_from_quote", "Set a field", SET_FIELD),
    ],
    "projects.project": [
        (
            "milestone_from_quote",
            "Add a milestone",
            ("milestone_kind", [("", "kind from the words"), *MilestoneKind.choices]),
        ),
        ("figure_from_quote", "Add a key figure", None),
        (
            "financing_from_quote",
            "Add financing",
            ("instrument", [("", "instrument from the words"), *Instrument.choices]),
        ),
        ("status_from_quote", "Change status", ("status", ProjectStatus.choices)),
        ("field_from_quote", "Set a field", ("field", [("title", "Title")])),
    ],
}


def request_data(request):
    """The posted values: a JSON object from the script, or the plain form's fields."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError) as error:
            raise QuoteRequestError("The request is not valid JSON.") from error
        if not isinstance(data, dict):
            raise QuoteRequestError("The request must be a JSON object.")
        fields = data.get("fields", [])
        data = {name: str(value) for name, value in data.items() if name != "fields"}
        data["fields"] = [str(name) for name in fields] if isinstance(fields, list) else None
        return data
    data = {name: request.POST.get(name, "") for name in request.POST}
    data["fields"] = request.POST.getlist("fields")
    return data


def wants_json(request):
    return request.content_type == "application/json" or "application/json" in request.headers.get(
        "Accept", ""
    )


def reply(request, *, back, message, status=200, **payload):
    """JSON for the script; a message and a redirect back to the sentence for a plain form."""
    if wants_json(request):
        return JsonResponse({"ok": status < 400, "message": message, **payload}, status=status)
    if status == 403:
        raise PermissionDenied(message)
    messages.add_message(request, messages.SUCCESS if status < 400 else messages.ERROR, message)
    return HttpResponseRedirect(back)


def validation_message(error):
    if hasattr(error, "error_dict"):
        return " ".join(" ".join(messages) for messages in error.message_dict.values())
    return " ".join(error.messages)


def quote_action(request, source_id, act):
    """Run `act(source, index, quote, data)` for a posted sentence of a source, replying in
    JSON or with a redirect; `act` returns (message, payload) or raises."""
    source = get_object_or_404(Source, pk=source_id)
    back = reverse("admin:cpec_tracker_source_read", args=[source.pk])
    try:
        data = request_data(request)
        index, quote = quote_of(source, data)
        back = f"{back}?sentence={index}#sentence-{index}"
        message, payload = act(source, index, quote, data)
    except QuoteRequestError as error:
        return reply(request, back=back, message=error.message, status=error.status)
    except ValidationError as error:
        return reply(request, back=back, message=validation_message(error), status=400)
    return reply(request, back=back, message=message, sentence=index, **payload)


def record_to_cite(request, data, *, action="change"):
    """The record `data["record"]` names, if the editor may cite for it; else raises."""
    record = record_for_key(data.get("record", ""))
    if record is None:
        raise QuoteRequestError("Choose the record this sentence supports.", status=400)
    opts = record._meta
    allowed = request.user.has_perm("cpec_tracker.add_citation") and request.user.has_perm(
        f"{opts.app_label}.{action}_{opts.model_name}"
    )
    if not allowed:
        raise QuoteRequestError(
            f"You may not add citations to this {opts.verbose_name}.", status=403
        )
    return record


class ReadingViewsMixin:
    """For SourceAdmin: the reading view and its endpoints, under each source's address."""

    change_form_template = "cpec_tracker/admin/source_change_form.html"

    @admin.display(description="Reading view")
    def read(self, source):
        url = reverse("admin:cpec_tracker_source_read", args=[source.pk])
        return format_html('<a href="{}">Read and cite</a>', url)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:source_id>/read/", view(self.reading_view), name="cpec_tracker_source_read"),
            path("<int:source_id>/cite/", view(self.cite_view), name="cpec_tracker_source_cite"),
            path(
                "<int:source_id>/records/",
                view(self.records_view),
                name="cpec_tracker_source_records",
            ),
            path(
                "<int:source_id>/new/<str:kind>/",
                view(self.new_record_view),
                name="cpec_tracker_source_new",
            ),
            *(
                path(
                    f"<int:source_id>/{name.replace('_', '-')}/",
                    view(getattr(self, f"{name}_view")),
                    name=f"cpec_tracker_source_{name}",
                )
                for name in QUOTE_VIEWS
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_GET)
    def reading_view(self, request, source_id):
        """The source sentence by sentence, highlighted, with "Cite for…" on each."""
        source = get_object_or_404(Source, pk=source_id)
        if not self.has_view_permission(request, source):
            raise PermissionDenied
        reading = reading_of(source)
        actions = self._quote_actions(source)
        chosen = self._no_script_choice(request, reading)
        if chosen.get("chosen_record"):
            chosen["chosen_actions"] = actions.get(chosen["chosen_record"]["model"], [])
        context = {
            **self.admin_site.each_context(request),
            "title": f"Read and cite: {source.title}",
            "opts": self.model._meta,
            "original": source,
            "source": source,
            "reading": reading,
            "legend": HIGHLIGHT_KINDS,
            # Reversed once, not once a sentence: a long source has thousands.
            "new_record_urls": {
                kind: reverse("admin:cpec_tracker_source_new", args=[source.pk, kind])
                for kind in draft_kinds()
            },
            "script_data": {
                "records": reading.records,
                "fromSource": reading.from_source,
                "parts": reading.parts,
                "itself": reading.itself,
                "offers": {s.index: s.offers for s in reading.sentences},
                "models": fields_by_model(),
                "actions": actions,
                "urls": {
                    "cite": reverse("admin:cpec_tracker_source_cite", args=[source.pk]),
                    "records": reverse("admin:cpec_tracker_source_records", args=[source.pk]),
                },
            },
            **chosen,
        }
        return TemplateResponse(request, "cpec_tracker/admin/source_read.html", context)

    def _no_script_choice(self, request, reading):
        """Without JavaScript, the cite form is the page's own: ?sentence=N picks a sentence,
        ?q= finds records, ?record= picks one and shows its fields."""
        index = request.GET.get("sentence", "")
        if not index.isdigit() or int(index) >= len(reading.sentences):
            return {}
        sentence = reading.sentences[int(index)]
        keys = list(
            dict.fromkeys([*sentence.offers, *reading.from_source, *reading.parts, reading.itself])
        )
        offered = [reading.records[key] for key in keys]
        query = request.GET.get("q", "")[:SEARCH_MAX_LENGTH]
        record = record_for_key(request.GET.get("record", ""))
        return {
            "chosen_sentence": sentence,
            "offered": offered,
            "query": query,
            "found": self._find_records(request, query) if query else [],
            "chosen_record": record_option(record) if record else None,
            "chosen_fields": citable_fields(record._meta) if record else [],
        }

    def _quote_actions(self, source):
        """Other things the view can make of a quote: "Add as a new outcome"."""
        return {
            label: [
                {
                    "label": text,
                    "url": reverse(f"admin:cpec_tracker_source_{name}", args=[source.pk]),
                    "choice": {
                        "name": choice[0],
                        "options": [list(map(str, option)) for option in choice[1]],
                    }
                    if choice
                    else None,
                }
                for name, text, choice in actions
            ]
            for label, actions in QUOTE_ACTIONS.items()
        }

    def _find_records(self, request, query):
        """Records of every citable model whose admin search matches `query`."""
        found = []
        for model in citable_models():
            model_admin = self.admin_site._registry.get(model)
            if model_admin is None or not model_admin.search_fields:
                continue
            if not model_admin.has_change_permission(request):
                continue
            rows = model._default_manager.select_related(*model.public_through)
            rows, _ = model_admin.get_search_results(request, rows, query)
            found.extend(record_option(row) for row in rows[:SEARCH_RESULTS_PER_MODEL])
        return found

    @method_decorator(require_GET)
    def records_view(self, request, source_id):
        """JSON: records matching ?q= by name, for "Cite for… any record"."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
        if len(query) < 2:
            return JsonResponse({"results": [], "message": "Type at least two letters."})
        return JsonResponse({"results": self._find_records(request, query)})

    @method_decorator(require_POST)
    def cite_view(self, request, source_id):
        """POST: cite a sentence (or a span of it) for a record's chosen fields."""

        def cite(source, index, quote, data):
            record = record_to_cite(request, data)
            if data["fields"] is None:
                raise QuoteRequestError("“fields” must be a list of field names.")
            if review.is_reviewed(review.owning_record(record)):
                pending = review.citation_propose(
                    record=record,
                    source=source,
                    quote=quote,
                    fields=data["fields"],
                    user=request.user,
                )
                return review.proposed_message(pending), {
                    "created": False,  # nothing is cited until it is approved
                    "pending_change": pending.pk,
                    "record": record_option(record),
                }
            citation, created = citation_add(
                record=record, source=source, quote=quote, fields=data["fields"], user=request.user
            )
            labels = ", ".join(citation.field_labels) or "the record as a whole"
            done = "Cited" if created else "Already cited"
            return f"{done} for {record} ({labels}).", {
                "created": created,
                "record": record_option(record),
                "citation": {"id": citation.pk, "quote": citation.quote, "fields": citation.fields},
            }

        return quote_action(request, source_id, cite)

    @method_decorator(require_GET)
    def new_record_view(self, request, source_id, kind):
        """A new meeting, official or project drafted from a sentence: its add form, prefilled,
        with the citation attached; saving it leads back to the reading view."""
        source = get_object_or_404(Source, pk=source_id)
        drafts = draft_kinds()
        if kind not in drafts:
            raise Http404("No such kind of record.")
        app_label, model_name = drafts[kind].split(".")
        if not request.user.has_perm(f"{app_label}.add_{model_name}"):
            raise PermissionDenied
        suggestions = suggest(source)
        index = request.GET.get("sentence", "")
        if not index.isdigit() or int(index) >= len(suggestions.sentences):
            raise Http404("No such sentence in this source.")
        try:
            start, end = (sentence_offset(request.GET, name) for name in ("start", "end"))
        except QuoteRequestError as error:
            return HttpResponseBadRequest(error.message)
        create = request.GET.get("create") == "1"
        draft = draft_prefill(kind, source, suggestions, int(index), start, end, create=create)
        read = reverse("admin:cpec_tracker_source_read", args=[source.pk])
        back = f"{read}?sentence={index}#sentence-{index}"
        if draft.known and not create:
            # A record the tracker has: not created unless the editor says it is another.
            again = request.GET.copy()
            again["create"] = "1"
            context = {
                **self.admin_site.each_context(request),
                "title": f"Did you mean {draft.known[0][0]}?",
                "opts": self.model._meta,
                "source": source,
                "kind": kind,
                "name": draft.name,
                "known": draft.known,
                "create_url": f"{request.path}?{again.urlencode()}",
                "back": back,
            }
            return TemplateResponse(request, "cpec_tracker/admin/source_new_check.html", context)
        add_url = reverse(f"admin:{app_label}_{model_name}_add")
        return_to = urlencode({"return_to": f"{read}#sentence-{index}"})
        return HttpResponseRedirect(f"{add_url}?{draft.query}&{return_to}")

    @method_decorator(require_POST)
    def outcome_from_quote_view(self, request, source_id):
        """POST from the reading view: the quote, tidied into a sentence, becomes the meeting's
        next outcome, stated by the official it quotes ("Ms Baloch said"), cited."""

        def add(source, index, quote, data):
            meeting = part_parent(request, data, Meeting, "meetings.add_outcome", "outcomes")
            speaker, said = speaker_of(source.text, marks_of(source, index, data))
            stated_by = Official.objects.get(pk=speaker.pk) if speaker else None
            text = sentence_of(said) or sentence_of(quote)
            arguments = {"meeting": meeting, "source": source, "quote": quote, "user": request.user}
            if review.is_reviewed(meeting):
                pending = outcome_propose(**arguments, text=text, stated_by=stated_by)
                return update_reply(meeting, Update(pending=pending), "")
            outcome = outcome_add(**arguments, text=text, stated_by=stated_by)
            by = f", stated by {stated_by}" if stated_by else ""
            done = f"Added outcome {outcome.order} to {meeting.title}{by}, cited."
            return update_reply(meeting, Update(row=outcome), done)

        return quote_action(request, source_id, add)

    @method_decorator(require_POST)
    def participant_from_quote_view(self, request, source_id):
        """POST: the official the quote names joins the meeting as a participant, with the
        title the quote gives them, cited."""

        def add(source, index, quote, data):
            meeting = part_parent(
                request, data, Meeting, "meetings.add_participation", "participants"
            )
            marks = marks_of(source, index, data)
            people = [m for m in marks.mentions if m.model == "meetings.official" and m.pk]
            person = one_marked(people, "official")
            role = data.get("role") or ParticipationRole.PARTICIPANT
            if role not in ParticipationRole.values:
                raise QuoteRequestError("Choose a role from the list.")
            participation = Participation(
                meeting=meeting,
                official_id=person.pk,
                role=role,
                title_at_meeting=title_before(source.text, marks.start, person),
                order=next_order(meeting.participations),
            )
            update = part_add(
                record=meeting,
                row=participation,
                source=source,
                quote=quote,
                fields=["official", "title_at_meeting"],
                user=request.user,
            )
            return update_reply(meeting, update, f"Added {person.label} to {meeting}, cited.")

        return quote_action(request, source_id, add)

    @method_decorator(require_POST)
    def milestone_from_quote_view(self, request, source_id):
        """POST: a milestone of the project on the date the quote marks (with its precision),
        described by the quote, cited."""

        def add(source, index, quote, data):
            project = part_parent(request, data, Project, "projects.add_milestone", "milestones")
            marks = marks_of(source, index, data)
            date = one_marked(marks.dates, "date")
            kind = data.get("milestone_kind") or milestone_kind_of(quote)
            if kind not in MilestoneKind.values:
                raise QuoteRequestError("Choose a kind of milestone from the list.")
            milestone = Milestone(
                project=project,
                kind=kind,
                date=date.value,
                date_precision=date.precision,
                description=sentence_of(quote),
            )
            update = part_add(
                record=project,
                row=milestone,
                source=source,
                quote=quote,
                fields=["kind", "date", "description"],
                user=request.user,
            )
            return update_reply(project, update, f"Added {milestone} ({date.text}), cited.")

        return quote_action(request, source_id, add)

    @method_decorator(require_POST)
    def figure_from_quote_view(self, request, source_id):
        """POST: the figure the quote marks, with its unit, as the project's key figure as of
        the source's date, cited."""

        def add(source, index, quote, data):
            project = part_parent(request, data, Project, "projects.add_keyfigure", "key figures")
            figure = one_marked(marks_of(source, index, data).figures, "figure")
            kind = data.get("figure_kind") or figure_kind_of(figure.unit)
            if kind not in FigureKind.values:
                raise QuoteRequestError("Choose a kind of figure from the list.")
            key_figure = KeyFigure(
                project=project,
                kind=kind,
                value=figure.value,
                unit=figure.unit,
                as_of=source.published_on,
                as_of_precision=DatePrecision.DAY,
            )
            update = part_add(
                record=project,
                row=key_figure,
                source=source,
                quote=quote,
                fields=["value", "unit"],
                user=request.user,
            )
            return update_reply(project, update, f"Added {key_figure} to {project}, cited.")

        return quote_action(request, source_id, add)

    @method_decorator(require_POST)
    def financing_from_quote_view(self, request, source_id):
        """POST: the lender and the amount the quote names, as a financing row of the project
        (the instrument from the sentence's words unless chosen, terms left "not known"),
        cited by the quote; proposed for review on a published project, a draft's row at once.
        """

        def add(source, index, quote, data):
            project = part_parent(request, data, Project, "projects.add_financing", "financing")
            marks = marks_of(source, index, data)
            proposal = financing_marked(source, index, marks)
            instrument = data.get("instrument") or proposal.instrument
            if instrument not in Instrument.values:
                raise QuoteRequestError("Choose an instrument from the list.")
            financing = Financing(
                project=project,
                lender_id=proposal.lender_pk,
                instrument=instrument,
                amount=proposal.amount,
                currency=proposal.currency,
                status=proposal.status,
            )
            cited = ["lender", "amount", "currency"]
            if proposal.amount_usd is not None and proposal.currency != "USD":
                financing.amount_usd, financing.usd_basis = proposal.amount_usd, "stated"
                cited.append("amount_usd")
            if not data.get("instrument") and instrument != Instrument.OTHER:
                cited.append("instrument")  # read from the quote's own words
            update = part_add(
                record=project,
                row=financing,
                source=source,
                quote=quote,
                fields=cited,
                user=request.user,
            )
            return update_reply(project, update, f"Added financing {financing}, cited.")

        return quote_action(request, source_id, add)

    @method_decorator(require_POST)
    def status_from_quote_view(self, request, source_id):
        """POST: the project's status, as chosen, backed by the quote."""

        def change(source, index, quote, data):
            project = record_to_cite(request, data)
            if not isinstance(project, Project):
                raise QuoteRequestError("Choose a project to change the status of.")
            status = data.get("status", "")
            if status not in ProjectStatus.values:
                raise QuoteRequestError("Choose the project's new status from the list.")
            update = fields_set(
                record=project,
                values={"status": status},
                source=source,
                quote=quote,
                user=request.user,
            )
            label = ProjectStatus(status).label
            return update_reply(project, update, f"{project}: status set to {label}, cited.")

        return quote_action(request, source_id, change)

    @method_decorator(require_POST)
    def field_from_quote_view(self, request, source_id):
        """POST: a field of the record (a date, a city, a title) set from what the quote marks
        (the date, the place) or, for a title, the words selected."""

        def change(source, index, quote, data):
            record = record_to_cite(request, data)
            name = data.get("field", "")
            if name not in SETTABLE_FIELDS.get(record._meta.label_lower, ()):
                raise QuoteRequestError(
                    f"Choose a field of the {record._meta.verbose_name} to set."
                )
            marks = marks_of(source, index, data)
            values = settable_values(name, marks, quote)
            update = fields_set(
                record=record,
                values=values,
                source=source,
                quote=quote,
                user=request.user,
                cited=[name],
            )
            label = record._meta.get_field(name).verbose_name
            return update_reply(record, update, f"{record}: {label} set, cited.")

        return quote_action(request, source_id, change)


def part_parent(request, data, model, permission, what):
    """The record `data["record"]` names, of `model`, when the editor may add its `what`."""
    record = record_to_cite(request, data)
    if not isinstance(record, model) or not request.user.has_perm(permission):
        raise QuoteRequestError(
            f"Choose a {model._meta.verbose_name} you may add {what} to.", status=403
        )
    return record


def financing_marked(source, index, marks):
    """The financing the quote (or the selection) names: its one amount and its one lender, a
    known organization (a lender, else any organization the quote names); a clear refusal
    when there is none or several, or when the lender is not in the tracker yet."""
    text = source.text
    amount = one_marked(amounts_lent(text, marks.figures), "amount")
    # A lender by its name first; the tracker's known lenders (a query) only when no name
    # says so; then any organization the quote names.
    lenders = lenders_in(marks.mentions, marks.candidates, set()) or lenders_in(
        marks.mentions, marks.candidates, set(known_lenders())
    )
    if not lenders:
        lenders = [
            mark
            for mark in marks.mentions
            if mark.model == "cpec_tracker.organization" and mark.pk is not None
        ]
    lender = one_marked(lenders, "lender")
    if getattr(lender, "pk", None) is None:
        raise QuoteRequestError(
            f"“{lender_name(lender)}” is not in the tracker yet: add the organization first, "
            "then add its financing from this sentence."
        )
    quoted = Sentence(index, marks.start, marks.end, text[marks.start : marks.end])
    return proposal_of(text, quoted, lender, amount, marks.figures, [])


def update_reply(record, update, done):
    """(message, payload) of an update: proposed for review, or done on a draft."""
    if update.pending is not None:
        return review.proposed_message(update.pending), {
            "created": False,  # nothing is written until it is approved
            "pending_change": update.pending.pk,
            "record": record_option(record),
        }
    return done, {
        "created": True,
        "record": record_option(record),
        "added": record_option(update.row),
    }


# Fields the reading view sets from a marked value, by model.
SETTABLE_FIELDS = {
    "meetings.meeting": ("date", "city", "title"),
    "projects.project": ("title",),
}


def settable_values(name, marks, quote):
    """{field: value} for setting `name` from the quote's marks."""
    if name == "date":
        date = one_marked(marks.dates, "date")
        return {"date": date.value, "date_precision": date.precision}
    if name == "city":
        return {"city": one_marked(marks.places, "city").label}
    if not marks.selected:
        raise QuoteRequestError("Select the words of the new title in the sentence first.")
    title = " ".join(quote.split())
    if len(title) > LONGEST_NAME:
        raise QuoteRequestError(
            f"A title is at most {LONGEST_NAME} characters: select fewer words."
        )
    return {name: title}


MILESTONE_WORDS = [
    (re.compile(r"ground-?breaking|foundation stone", re.I), MilestoneKind.GROUNDBREAKING),
    (
        re.compile(
            r"inaugurat|opened|opening|started (?:year-round )?(?:operation|functioning)", re.I
        ),
        MilestoneKind.OPENING,
    ),
    (re.compile(r"complet", re.I), MilestoneKind.COMPLETION),
    (re.compile(r"suspend|halted", re.I), MilestoneKind.SUSPENSION),
    (
        re.compile(r"construction (?:began|started|start)|started construction", re.I),
        MilestoneKind.CONSTRUCTION_START,
    ),
    (re.compile(r"agreement|signed|memorandum|MoU", re.I), MilestoneKind.AGREEMENT),
]


def milestone_kind_of(quote):
    """The kind of milestone the quote's words suggest ("groundbreaking", "inaugurated"…)."""
    for pattern, kind in MILESTONE_WORDS:
        if pattern.search(quote):
            return kind
    return MilestoneKind.OTHER


FIGURE_UNITS = {
    FigureKind.CAPACITY: {"mw", "gw", "kw", "megawatts", "mtpa", "tonnes"},
    FigureKind.JOBS: {"jobs"},
    FigureKind.LENGTH: {"km", "kilometres", "kilometers", "miles"},
}


def figure_kind_of(unit):
    """The kind of key figure a figure's unit makes: an amount of money (its unit an ISO 4217
    code, as `money.find_amounts` reads it) is a cost."""
    if is_currency(unit):
        return FigureKind.COST
    for kind, units in FIGURE_UNITS.items():
        if unit.lower() in units:
            return kind
    return FigureKind.OTHER
