"""Citations: a verbatim quote from a source backing a record's facts, and the rule that a
published record keeps at least one."""

import functools

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpec_tracker.records.columns import column_property
from cpec_tracker.records.models.base import (
    Citable,
    Record,
    Versioned,
    citable_content_types,
    citable_fields,
)
from cpec_tracker.records.models.sources import Source
from cpec_tracker.records.quotes import find_quote


class Citation(Versioned):
    """One fact's evidence: a verbatim quote from a source, attached to the record it supports."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="quotes")
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        limit_choices_to=citable_content_types,
        help_text=_("The kind of record the quote supports: a record or one of its rows."),
    )
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    # A JSON list of field names: one citation may support several fields, the list keeps the
    # editor's order, and a JSON column is native on both SQLite and PostgreSQL (no join table
    # and no separator to escape). `clean()` checks every name against the record's model.
    fields = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "The fields of the record the quote supports; empty for the record as a whole."
        ),
    )
    quote = models.TextField(help_text=_("Copied verbatim from the source's text."))
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["content_type", "object_id", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(condition=~Q(quote=""), name="citation_quote_not_empty"),
        ]

    def __str__(self):
        return f"“{self.quote[:60]}” ({self.source.publisher})"

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#quote-{self.pk}"

    @property
    def record_model(self):
        """The model of the record this citation supports (content types are cached)."""
        if not self.content_type_id:
            return None
        return ContentType.objects.get_for_id(self.content_type_id).model_class()

    @column_property("content_type_id", "fields", in_language=True)
    def field_labels(content_type_id, fields, language):
        """The cited fields in words, as visitors read them: ["Date", "City"]."""
        if not fields:
            return []
        content_type = content_type_id and ContentType.objects.get_for_id(content_type_id)
        labels = (
            model_field_labels(content_type.app_label, content_type.model, language)
            if content_type
            else {}
        )
        return [labels.get(name, name) for name in fields]

    def clean(self):
        errors = {}
        if self.source_id and self.quote and find_quote(self.source.text, self.quote) is None:
            errors["quote"] = (
                f"This quote does not occur in the text of “{self.source.title}”. "
                "Copy it exactly as it stands there (spacing and curly quotes may differ)."
            )
        fields_error = self._fields_error()
        if fields_error:
            errors["fields"] = fields_error
        errors.update(self._record_errors())
        if errors:
            raise ValidationError(errors)
        self.fields = list(dict.fromkeys(self.fields))
        self._check_not_moving_last_citation()

    def _record_errors(self):
        """What is wrong with the record the citation points at: a model that is not citable,
        or a row that does not exist."""
        if self.content_type_id is None:
            return {}
        # From the content types' cache: the form checks every citation of a record.
        try:
            content_type = ContentType.objects.get_for_id(self.content_type_id)
        except ContentType.DoesNotExist:
            return {}  # The field's own check has said so.
        model = content_type.model_class()
        if model is None or not issubclass(model, Citable):
            return {
                "content_type": "A citation supports a tracker record or one of its rows "
                f"(a meeting, an outcome, a project…), not a {content_type.name}."
            }
        if (
            self.object_id is not None
            and not model._default_manager.filter(pk=self.object_id).exists()
        ):
            return {
                "object_id": f"There is no {model._meta.verbose_name} with id {self.object_id}."
            }
        return {}

    def _check_not_moving_last_citation(self):
        if self.pk is None:
            return
        stored = Citation.objects.filter(pk=self.pk).first()
        moved = stored is not None and (stored.content_type_id, stored.object_id) != (
            self.content_type_id,
            self.object_id,
        )
        left_uncited = published_records_left_uncited([stored]) if moved else []
        if left_uncited:
            raise ValidationError(last_citation_message(left_uncited[0]), code="last_citation")

    def _fields_error(self):
        if not isinstance(self.fields, list) or not all(isinstance(n, str) for n in self.fields):
            return "Give the cited fields as a list of field names."
        model = self.record_model
        if model is None:
            return None
        allowed = dict(citable_fields(model._meta))
        unknown = [name for name in self.fields if name not in allowed]
        if unknown:
            listed = ", ".join(f"“{name}”" for name in unknown)
            choices = ", ".join(f"{name} ({label})" for name, label in allowed.items())
            return (
                f"{listed} is not a citable field of a {model._meta.verbose_name}. "
                f"Choose from: {choices}."
            )
        return None


LAST_CITATION_RULE = "A published record keeps at least one citation"


def last_citation_message(record):
    return (
        f"{LAST_CITATION_RULE}: the {record._meta.verbose_name} "
        f"“{record}” would be left with none. Add another citation to it first, or ask a chief "
        "editor to unpublish it."
    )


def published_records_left_uncited(citations):
    """The published records that would have no citation left if the stored `citations` were
    removed or moved to another record: the check every path that removes or moves a
    citation makes (`Citation.clean()` for a move, by a form or a revert; the record page's
    citation inline; the citation admin's delete). An import checks the loaded whole with
    `RecordQuerySet.uncited()`.

    Inside a transaction the records are locked, so two editors removing a record's last two
    citations at once cannot both succeed.
    """
    removed = [citation.pk for citation in citations]
    left_uncited = []
    for content_type_id, object_id in {(c.content_type_id, c.object_id) for c in citations}:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, Record):
            continue
        records = model._default_manager.published().filter(pk=object_id)
        if connections[router.db_for_write(model)].in_atomic_block:
            records = records.select_for_update()
        record = records.first()
        others = Citation.objects.filter(content_type_id=content_type_id, object_id=object_id)
        if record is not None and not others.exclude(pk__in=removed).exists():
            left_uncited.append(record)
    return left_uncited


@functools.cache
def model_field_labels(app_label, model_name, language):
    """`citable_field_labels` of the model a content type names, {} if none is installed:
    by its name, which stays (a content type's id does not, in tests), and found once (a /data/
    build labels the fields of three quarters of a million citations)."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return {}
    return citable_field_labels(model, language)


@functools.cache
def citable_field_labels(model, language):
    """{field name: label} of a model's citable fields (`citable_fields`) in `language`, the
    active one, worked out once per language (every citation of a page or a /data/ build
    names them)."""
    return dict(citable_fields(model._meta))
