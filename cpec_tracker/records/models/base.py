"""The Record base: draft or published, the one "public" rule (`published()`, `if_public`),
versions and history, and what makes a row citable."""

import functools
import operator

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation, ReverseGenericManyToOneDescriptor
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import Exists, OuterRef, Q
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cpec_tracker.records import registry
from cpec_tracker.records.dates import DatePrecision
from cpec_tracker.records.fulltext import filter_by_words, native_search_words, search_words
from cpec_tracker.records.text import clean_text_fields
from cpec_tracker.web.addresses import slug_reverse


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def published_through(relation):
    """A filter keeping the rows whose `relation` (a foreign key path) is a published record:
    the building block of `CitableQuerySet.published()`.

    A join on the related record's status, never `relation__in=<Model>.objects.published()`:
    SQLite plans that subquery as a list of every published id, built for each query (4–33 ms
    a page at 100,000 projects), or as a scan of it.
    """
    return Q(**{f"{relation}__publication_status": PublicationStatus.PUBLISHED})


class CitableQuerySet(models.QuerySet):
    def published(self, *, reached_from=None):
        """The rows a visitor may see: the one definition of "public", the queryset form of
        `Citable.is_public`.

        A record is public when it is published; any row when every record it links to in
        `public_through` is (an empty link counts as public). `reached_from` names a link
        already known to be published, as when a published record's rows are prefetched: it
        is not joined again.
        """
        model = self.model
        if reached_from is not None and reached_from not in model.public_through:
            raise ValueError(f"{model.__name__}.public_through has no {reached_from!r}")
        condition = Q()
        if issubclass(model, Record):
            condition &= Q(publication_status=PublicationStatus.PUBLISHED)
        for name in model.public_through:
            if name == reached_from:
                continue
            linked = published_through(name)
            if model._meta.get_field(name).null:
                linked = Q(**{f"{name}__isnull": True}) | linked
            condition &= linked
        return self.filter(condition)


def if_public(record):
    """`record` when a visitor may see it, else None: the one test before a page, an API
    answer or a data file links to a related record (a link to a draft is left out)."""
    return record if record is not None and record.is_public else None


class RecordQuerySet(CitableQuerySet):
    def cited(self):
        """Records with at least one citation: the only ones that may be published."""
        from cpec_tracker.records.models.citations import Citation  # built on this module

        return self.filter(
            Exists(
                Citation.objects.filter(
                    content_type=ContentType.objects.get_for_model(self.model),
                    object_id=OuterRef("pk"),
                )
            )
        )

    def uncited(self):
        """Records without any citation: none of them may be published."""
        return self.exclude(pk__in=self.cited().values("pk"))

    def search(self, terms):
        """Records with every word of `terms` in one of the model's `search_fields`.

        Words match as word prefixes through the full-text index (`cpec_tracker.records.fulltext`).
        Terms with no letters or digits at all match nothing; empty terms match everything.
        """
        words = search_words(terms)
        if words:
            return filter_by_words(self, words, native_words=native_search_words(terms))
        return self.none() if terms.replace("\x00", " ").strip() else self.all()


def published_list_indexes(prefix, ordering, *, filters=(), orderings=()):
    """Indexes for a public list: published rows in their `ordering`, the same after each
    equality filter in `filters`, and published rows in each of the other `orderings`."""
    return [
        models.Index(fields=["publication_status", *ordering], name=f"{prefix}_list_idx"),
        *(
            models.Index(
                fields=["publication_status", name, *ordering], name=f"{prefix}_{name}_idx"
            )
            for name in filters
        ),
        *(
            models.Index(fields=["publication_status", name], name=f"{prefix}_by_{name}_idx")
            for name in orderings
        ),
    ]


@functools.cache
def choice_labels(field):
    """A choice field's labels by value, lazy (so in the language current when shown)."""
    return dict(field.flatchoices)


class PlainText(models.Model):
    """A row whose every text field is plain text: no control character, line breaks
    normalised (`records.text`); every tracker row, and readers' reports."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        # Here rather than in clean(), which models override: every form, the admin and the
        # seed loader call full_clean(), so no path saves a control character.
        errors = {}
        try:
            clean_text_fields(self, exclude or ())
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class Versioned(PlainText):
    """A tracker row with a version counter and a full history of its changes.

    The admin compares the version an editor's form was opened with to the stored one and
    refuses a stale save, so nobody silently overwrites a colleague's edit.
    """

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text=_("Goes up by one on every save.")
    )
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def _get_FIELD_display(self, field):
        # What every get_<field>_display() calls. Django's own hashes every choice's label on
        # each call, and hashing a lazy label translates it: a list page of 50 projects ran
        # about 1,300 gettext calls for three labels a row. This looks the one label up.
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(value, value), strings_only=True)


# Bookkeeping no source states: never offered as a cited field. A date's precision goes with
# the date ("Date" covers both), an editor's note is the editor's, not the source's.
UNCITABLE_FIELDS = {
    "id",
    "slug",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "publication_status",
    "order",
    "note",
}


def citable_fields(opts):
    """The fields of a model (its `_meta`) a citation may say it supports: [(name, label)].

    Concrete editable fields and relations, in the form's order, without bookkeeping. Works
    on the historical models migrations see, so a data migration uses the same definition.
    """
    return [
        (field.name, capfirst(field.verbose_name))
        for field in [*opts.concrete_fields, *opts.many_to_many]
        if field.editable
        and not field.auto_created
        and field.name not in UNCITABLE_FIELDS
        and not field.name.endswith("_precision")
    ]


class CitationsDescriptor(ReverseGenericManyToOneDescriptor):
    """`row.citations`: Django's generic relation manager, filtering for its row only when the
    filter is needed.

    A prefetch gives every row a manager whose queryset is filtered for the row and then holds
    the prefetched citations; Django's generic manager builds that filter at once (a third of
    the time of the /data/ build's JSON Lines, some 70,000 rows at 10,000 projects), where its
    foreign-key managers defer it until the queryset is run, which a prefetched one never is.
    This manager defers it as they do.
    """

    @cached_property
    def related_manager_cls(self):
        generic_manager = super().related_manager_cls

        class CitationsManager(generic_manager):
            def _apply_rel_filters(self, queryset):
                # What `queryset.using(db).filter(**self.core_filters)` gives, the filter
                # deferred, in one copy of the queryset rather than two: a copy deep-copies
                # the citations' select_related, and a prefetch makes one per row.
                queryset = queryset._chain()
                queryset._db = self._db or router.db_for_read(self.model, instance=self.instance)
                queryset._deferred_filter = (False, (), self.core_filters)
                return queryset

        return CitationsManager


class CitationsRelation(GenericRelation):
    """A generic relation to citations, with a manager that defers its filter
    (`CitationsDescriptor`)."""

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        setattr(cls, self.name, CitationsDescriptor(self.remote_field))


class Citable(Versioned):
    """A row whose facts can be backed by citations (every record and most child rows)."""

    citations = CitationsRelation(
        "cpec_tracker.Citation", content_type_field="content_type", object_id_field="object_id"
    )

    # The related records whose publication decides whether this row may be shown: a child row
    # (an outcome, a milestone) is public when its parent is. Empty links do not count.
    public_through = ()
    # The relations whose rows this record's page and API detail show with their own
    # citations, in page order ("key_figures"): `records.citations.load_citations` reads them.
    cited_parts = ()

    objects = CitableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self):
        """Whether a visitor may see this row (its citations are shown only then)."""
        linked = (getattr(self, name) for name in self.public_through)
        return all(record is None or record.is_public for record in linked)


class RecordPart(Citable):
    """A row that is part of a record and shown on its page: the first link in
    `public_through` (a meeting's outcome, a project's milestone, an official's office)."""

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return getattr(self, self.public_through[0]).get_absolute_url()


def part_of(record, *, related_name, help_text):
    """A row's foreign key to the record it is part of (`RecordPart`), deleted with it."""
    return models.ForeignKey(
        record, on_delete=models.CASCADE, related_name=related_name, help_text=help_text
    )


def precision_field(help_text):
    """The `<date>_precision` field beside a date: how much of it is known (day, month or
    year). `truncate_date` and `format_date` read the date only as far as that."""
    return models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=help_text,
    )


def citable_models():
    """The models a citation may support: the registered kinds that are Citable."""
    return [kind.model for kind in registry.record_kinds() if issubclass(kind.model, Citable)]


def citable_content_types():
    """`limit_choices_to` of Citation.content_type: the content types of `citable_models()`."""
    return functools.reduce(
        operator.or_,
        (
            Q(app_label=model._meta.app_label, model=model._meta.model_name)
            for model in citable_models()
        ),
        Q(pk__in=[]),
    )


def editor_field():
    """A record's `created_by` or `updated_by`: an account, stamped by the admin and the
    services, never edited in a form."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


class Record(Citable):
    """A public record: slug, draft or published, who made and last changed it, a version."""

    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text=_("The record's address on the site; keep it stable once published."),
    )
    publication_status = models.CharField(
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
        help_text=_("Only published records are shown to visitors and API clients."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(
        auto_now=True,
        help_text=_("When the record was last changed (UTC)."),
    )
    created_by = editor_field()
    updated_by = editor_field()

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_absolute_url(self):
        # A kind's pages are mounted under its name ("meetings:detail"; records.registry).
        kind = registry.kind_of(self._meta.concrete_model)
        return slug_reverse(f"{kind.name}:detail", self.slug)

    @property
    def is_published(self):
        return self.publication_status == PublicationStatus.PUBLISHED

    @property
    def is_public(self):
        return self.is_published
