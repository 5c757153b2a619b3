"""The shared vocabulary: the Record base, sources and citations, organizations and themes."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .dates import DatePrecision, format_date
from .duplicates import text_digest, url_key
from .fulltext import (
    SEARCH_MAX_WORDS,  # noqa: F401 (importable from here, as before)
    filter_by_words,
    search_words,
)
from .quotes import find_quote


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class RecordQuerySet(models.QuerySet):
    def published(self):
        """Records a visitor may see: the one definition of "public"."""
        return self.filter(publication_status=PublicationStatus.PUBLISHED)

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

    def search(self, terms):
        """Records with every word of `terms` in one of the model's `search_fields`.

        Words match as word prefixes through the full-text index (`cpec_tracker.fulltext`).
        Terms with no letters or digits at all match nothing; empty terms match everything.
        """
        words = search_words(terms)
        if words:
            return filter_by_words(self, words)
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


class Versioned(models.Model):
    """A tracker row with a version counter and a full history of its changes.

    The admin compares the version an editor's form was opened with to the stored one and
    refuses a stale save, so nobody silently overwrites a colleague's edit.
    """

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up by one on every save."
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


class Citable(Versioned):
    """A row whose facts can be backed by citations (every record and most child rows)."""

    citations = GenericRelation(
        "cpec_tracker.Citation", content_type_field="content_type", object_id_field="object_id"
    )

    # The related records whose publication decides whether this row may be shown: a child row
    # (an outcome, a milestone) is public when its parent is. Empty links do not count.
    public_through = ()

    class Meta:
        abstract = True

    @property
    def is_public(self):
        """Whether a visitor may see this row (its citations are shown only then)."""
        linked = (getattr(self, name) for name in self.public_through)
        return all(record is None or record.is_public for record in linked)


class Record(Citable):
    """A public record: slug, draft or published, who made and last changed it, a version."""

    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="The record's address on the site; keep it stable once published.",
    )
    publication_status = models.CharField(
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
        help_text="Only published records are shown to visitors and API clients.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
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


class SourceKind(models.TextChoices):
    NEWS_REPORT = "news_report", "News report"
    OFFICIAL_STATEMENT = "official_statement", "Official statement"
    PRESS_RELEASE = "press_release", "Press release"
    REPORT = "report", "Report"
    OTHER = "other", "Other"


class Source(Record):
    """A published document, with the full text its citations are checked against."""

    title = models.CharField(max_length=300)
    author = models.CharField(
        max_length=200, blank=True, help_text="Who wrote it, as the source names them."
    )
    publisher = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    published_on = models.DateField()
    language = models.CharField(max_length=10, default="en", help_text="A code: en, ur, zh.")
    kind = models.CharField(max_length=30, choices=SourceKind.choices)
    text = models.TextField(help_text="The full text as stored; quotes must occur in it.")
    # Kept in step with `url` and `text` by save(): one source per page and per text.
    url_key = models.CharField(max_length=500, blank=True, editable=False)
    text_digest = models.CharField(max_length=64, blank=True, editable=False)

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
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "url_key", "text_digest"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("sources:detail", args=[self.slug])

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
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(
        max_length=100,
        blank=True,
        help_text="The field or claim the quote supports, e.g. “date” or “co-chairs”.",
    )
    quote = models.TextField(help_text="Copied verbatim from the source's text.")
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

    def clean(self):
        if self.source_id and self.quote and find_quote(self.source.text, self.quote) is None:
            raise ValidationError(
                {
                    "quote": f"This quote does not occur in the text of “{self.source.title}”. "
                    "Copy it exactly as it stands there (spacing and curly quotes may differ)."
                }
            )


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", "Government"
    MINISTRY = "ministry", "Ministry"
    EMBASSY = "embassy", "Embassy"
    WORKING_GROUP = "working_group", "Working group"
    COMMITTEE = "committee", "Committee"
    COMPANY = "company", "Company"
    OTHER = "other", "Other"


class Organization(Record):
    """A ministry, embassy, working group, committee or company."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=50, blank=True, help_text="e.g. JWG-ICC")
    kind = models.CharField(max_length=20, choices=OrganizationKind.choices)
    country = CountryField(blank=True, help_text="Leave empty for bilateral bodies.")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    description = models.TextField(blank=True)

    search_fields = ["name", "short_name", "description"]

    class Meta:
        ordering = ["name"]
        indexes = published_list_indexes("organization", ["name"], filters=["kind", "country"])

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def get_absolute_url(self):
        return reverse("organizations:detail", args=[self.slug])


class ThemeKind(models.TextChoices):
    CORRIDOR = "corridor", "CPEC 2.0 corridor"
    FOCUS_AREA = "focus_area", "Focus area"
    FIVE_ES = "five_es", "Pakistan's five Es"
    OTHER = "other", "Other"


class Theme(Record):
    """A focus area or framework: a CPEC 2.0 corridor, a focus area, one of the five Es."""

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=ThemeKind.choices)
    description = models.TextField(blank=True)

    search_fields = ["name", "description"]

    class Meta:
        ordering = ["kind", "name"]
        indexes = published_list_indexes("theme", ["kind", "name"], orderings=["name"])

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("themes:detail", args=[self.slug])


class DataVersion(models.Model):
    """One row whose value changes on every write to a tracker table; it keys the page cache.

    Database triggers (installed by `cpec_tracker.dataversion`) set a new random value on
    every insert, update and delete, so bulk operations, raw SQL and imports cannot bypass it.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"data version {self.value}"
