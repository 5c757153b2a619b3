"""The shared vocabulary: the Record base, sources and citations, organizations and themes."""

import functools
import operator

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import (
    GenericForeignKey,
    GenericRelation,
    ReverseGenericManyToOneDescriptor,
)
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models, router
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Upper
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from cpec_tracker.records.dates import DatePrecision, format_date
from cpec_tracker.records.fulltext import (
    SEARCH_MAX_WORDS,  # noqa: F401 (importable from here, as before)
    filter_by_words,
    native_search_words,
    search_words,
)
from cpec_tracker.records.names import CHINESE, URDU, Multilingual, translated_field
from cpec_tracker.records.quotes import find_quote
from cpec_tracker.records.sentences import split_sentences
from cpec_tracker.records.source_keys import exact_digest, text_digest, url_key
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


class Versioned(models.Model):
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
                queryset = queryset.using(
                    self._db or router.db_for_read(self.model, instance=self.instance)
                )
                queryset._defer_next_filter = True
                return queryset.filter(**self.core_filters)

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

    objects = CitableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self):
        """Whether a visitor may see this row (its citations are shown only then)."""
        linked = (getattr(self, name) for name in self.public_through)
        return all(record is None or record.is_public for record in linked)


def citable_models():
    """The models a citation may support: every subclass of Citable."""
    return [model for model in apps.get_models() if issubclass(model, Citable)]


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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.publication_status == PublicationStatus.PUBLISHED

    @property
    def is_public(self):
        return self.is_published


def clean_aliases(text, *, names=()):
    """One alias per line: spacing folded, blank lines, repeats and the record's own names
    dropped (case-insensitively), first spelling kept."""
    seen = {" ".join(name.split()).casefold() for name in names if name}
    aliases = []
    for line in (text or "").splitlines():
        alias = " ".join(line.split())
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(alias)
    return "\n".join(aliases)


def aliases_field():
    """The `aliases` field of an `Aliased` model, declared after its name so forms show it
    there.

    A text field, one alias per line, rather than a child table: an alias has no facts or
    citations of its own, so it is edited, versioned (history), exported and full-text indexed
    with its record, in the same form and row, and search needs no extra join.
    """
    return models.TextField(
        blank=True,
        help_text=_(
            "Other names and spellings it is known by, one per line (“C-5”, “Chashma-5”). "
            "Used by search and by the suggestions on sources."
        ),
    )


def wikidata_id_field(help_text=None):
    """The `wikidata_id` field of a record Wikidata describes too (an official, an
    organization, a project): its item id, "Q" and digits. Pages link to the item; the API
    gives the id and the JSON-LD `sameAs` the item's address (WIKIDATA_ITEM_URL)."""
    return models.CharField(
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q12345.")],
        help_text=help_text or _("Its Wikidata item, e.g. Q12345; empty if none is known."),
    )


WIKIDATA_ITEM_URL = "https://www.wikidata.org/wiki/{}"


class Aliased(models.Model):
    """A record known by other names too: other spellings and short names ("C-5", "FS Baloch").
    The model declares `aliases = aliases_field()`."""

    # The fields that hold the record's own name: an alias repeating one of them is dropped.
    name_fields = ("name",)

    class Meta:
        abstract = True

    @property
    def alias_list(self):
        return [alias for alias in self.aliases.splitlines() if alias.strip()]

    @property
    def names(self):
        """The record's name, other name fields and aliases: everything it is found by."""
        own = [getattr(self, field) for field in self.name_fields]
        return [name for name in own if name] + self.alias_list

    def clean(self):
        super().clean()
        self.aliases = clean_aliases(
            self.aliases, names=[getattr(self, field) for field in self.name_fields]
        )


class SourceKind(models.TextChoices):
    NEWS_REPORT = "news_report", _("News report")
    OFFICIAL_STATEMENT = "official_statement", _("Official statement")
    PRESS_RELEASE = "press_release", _("Press release")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class Source(Record):
    """A published document, with the full text its citations are checked against."""

    title = models.CharField(
        max_length=300,
        help_text=_("The document's title, as published."),
    )
    author = models.CharField(
        max_length=200, blank=True, help_text=_("Who wrote it, as the source names them.")
    )
    publisher = models.CharField(
        max_length=200,
        help_text=_("Who published it: a newspaper, ministry, embassy or company."),
    )
    url = models.URLField(
        max_length=500,
        blank=True,
        help_text=_("Where it was published online; empty for a document not online."),
    )
    published_on = models.DateField(
        help_text=_("The day it was published."),
    )
    language = models.CharField(max_length=10, default="en", help_text=_("A code: en, ur, zh."))
    kind = models.CharField(
        max_length=30,
        choices=SourceKind.choices,
        help_text=_("What kind of document it is."),
    )
    text = models.TextField(help_text=_("The full text as stored; quotes must occur in it."))
    # Kept in step with `url` and `text` by save(): one source per page and per text.
    url_key = models.CharField(max_length=500, blank=True, editable=False)
    text_digest = models.CharField(max_length=64, blank=True, editable=False)
    # What the suggestions engine found in the text, kept with it so no page computes it
    # again (a long text takes seconds): {"text": exact_digest(text), "spans": [[start, end],
    # …]}, set by save() whenever the text differs from the one they were found in.
    sentence_spans = models.JSONField(null=True, blank=True, editable=False)
    # {"text": exact_digest(text), "published_on": "2025-01-12", "records": [[model label,
    # pk, name], …]}: the known records the text mentions, for the editors' dashboard. Set by
    # `intake.services.source_suggestions_store` (it reads every record) when the text is saved, and
    # by `manage.py store_suggestions`; None until then.
    mentioned_records = models.JSONField(null=True, blank=True, editable=False)

    search_fields = ["title", "publisher", "text"]

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            *published_list_indexes(
                "source", ["-published_on", "title"], filters=["kind"], orderings=["title"]
            ),
            models.Index(Upper("publisher"), name="source_publisher_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["url_key"], condition=~Q(url_key=""), name="source_url_key_unique"
            ),
            models.UniqueConstraint(
                fields=["text_digest"],
                condition=~Q(text_digest=""),
                name="source_text_digest_unique",
            ),
        ]

    def __str__(self):
        published = format_date(self.published_on, DatePrecision.DAY)
        return f"{self.publisher}, {published}: {self.title}"

    def save(self, *args, **kwargs):
        self.url_key = url_key(self.url)
        self.text_digest = text_digest(self.text)
        kept = ["url_key", "text_digest"]
        if self.stored_sentences() is None:
            self.find_sentences()
            kept.append("sentence_spans")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *kept}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_reverse("sources:detail", self.slug)

    def find_sentences(self):
        """Split the text into sentences and keep their offsets in `sentence_spans` (saved
        with the row: they depend on the text alone)."""
        self.sentence_spans = {
            "text": exact_digest(self.text),
            "spans": [[sentence.start, sentence.end] for sentence in split_sentences(self.text)],
        }

    def stored_sentences(self):
        """[(start, end)] of the text's sentences as stored, or None when they were found in
        another text (or not yet)."""
        stored = self.sentence_spans
        if not isinstance(stored, dict) or stored.get("text") != exact_digest(self.text):
            return None
        return [(start, end) for start, end in stored["spans"]]

    def stored_mentions(self):
        """[(model label, pk, name)] of the known records the text mentions as stored, or None
        when they were found in another text or for another date (or not yet)."""
        stored = self.mentioned_records
        if not isinstance(stored, dict) or stored.get("text") != exact_digest(self.text):
            return None
        if stored.get("published_on") != str(self.published_on):
            return None
        return [(model, pk, name) for model, pk, name in stored["records"]]

    def duplicates(self):
        """{"url" or "text": the other source with the same address or text}, if any."""
        found = {}
        others = Source.objects.exclude(pk=self.pk) if self.pk else Source.objects.all()
        checks = [
            ("url", "url_key", url_key(self.url)),
            ("text", "text_digest", text_digest(self.text)),
        ]
        for field, key_field, key in checks:
            if key:
                other = others.filter(**{key_field: key}).only("pk", "slug", "title").first()
                if other is not None:
                    found[field] = other
        return found


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

    @property
    def field_labels(self):
        """The cited fields in words, as visitors read them: ["Date", "City"]."""
        model = self.record_model
        labels = dict(citable_fields(model._meta)) if model else {}
        return [labels.get(name, name) for name in self.fields or []]

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


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    MINISTRY = "ministry", _("Ministry")
    EMBASSY = "embassy", _("Embassy")
    WORKING_GROUP = "working_group", _("Working group")
    COMMITTEE = "committee", _("Committee")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other")


class Organization(Multilingual, Aliased, Record):
    """A ministry, embassy, working group, committee or company."""

    name = models.CharField(
        max_length=200,
        help_text=_("Its full name."),
    )
    name_ur = translated_field(URDU, max_length=200, label="Name")
    name_zh_hans = translated_field(CHINESE, max_length=200, label="Name")
    short_name = models.CharField(max_length=50, blank=True, help_text=_("e.g. JWG-ICC"))
    aliases = aliases_field()
    kind = models.CharField(
        max_length=20,
        choices=OrganizationKind.choices,
        help_text=_("What kind of organization it is."),
    )
    country = CountryField(blank=True, help_text=_("Leave empty for bilateral bodies."))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_(
            "The organization it is part of (a working group's committee, a ministry's government)."
        ),
    )
    description = models.TextField(
        blank=True,
        help_text=_("What it is and does, in a few sentences."),
    )
    wikidata_id = wikidata_id_field()

    search_fields = ["name", "short_name", "aliases", "description"]
    native_search_fields = ["name_ur", "name_zh_hans", "aliases"]
    name_fields = ("name", "name_ur", "name_zh_hans", "short_name")

    class Meta:
        ordering = ["name"]
        indexes = published_list_indexes("organization", ["name"], filters=["kind", "country"])

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def get_absolute_url(self):
        return slug_reverse("organizations:detail", self.slug)


class ThemeKind(models.TextChoices):
    CORRIDOR = "corridor", _("CPEC 2.0 corridor")
    FOCUS_AREA = "focus_area", _("Focus area")
    FIVE_ES = "five_es", _("Pakistan's five Es")
    OTHER = "other", _("Other")


class Theme(Multilingual, Record):
    """A focus area or framework: a CPEC 2.0 corridor, a focus area, one of the five Es."""

    name = models.CharField(
        max_length=100,
        help_text=_("The theme's name, e.g. “Green corridor”."),
    )
    name_ur = translated_field(URDU, max_length=100, label="Name")
    name_zh_hans = translated_field(CHINESE, max_length=100, label="Name")
    kind = models.CharField(
        max_length=20,
        choices=ThemeKind.choices,
        help_text=_("Which framework the theme belongs to."),
    )
    description = models.TextField(
        blank=True,
        help_text=_("What the theme covers."),
    )

    search_fields = ["name", "description"]
    native_search_fields = ["name_ur", "name_zh_hans"]

    class Meta:
        ordering = ["kind", "name"]
        indexes = published_list_indexes("theme", ["kind", "name"], orderings=["name"])

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_reverse("themes:detail", self.slug)


class DataVersion(models.Model):
    """One row whose value changes on every write to a tracker table; it keys the page cache.

    Database triggers (installed by `cpec_tracker.caching.dataversion`) set a new random value on
    every insert, update and delete, so bulk operations, raw SQL and imports cannot bypass it.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"data version {self.value}"


class TableVersion(models.Model):
    """One row per tracker table whose value changes on every write to that table.

    The same triggers that change the data version keep these, so the page cache can key a
    page on the tables it read alone: a save to a meeting leaves the project pages warm.
    """

    table = models.CharField(max_length=100, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.table} version {self.value}"
