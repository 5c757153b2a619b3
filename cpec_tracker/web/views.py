"""The views the apps' pages build on: published records only, footnotes, filtered lists.

These sit on the floor (below the apps): they know Record, Citation and the FilterSets, never
a particular app's models. The site's own pages are in `cpec_tracker.site.views`.
"""

from django import forms
from django.core.paginator import InvalidPage
from django.db.models import Model
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from cpec_tracker.caching.pages import VersionedCountPaginator
from cpec_tracker.records import registry
from cpec_tracker.records.citations import Footnotes, cited_rows, load_citations
from cpec_tracker.records.labels import field_label
from cpec_tracker.records.models import Record
from cpec_tracker.web.downloads import download_links
from cpec_tracker.web.facets import narrow_to_facets


class FootnotesMixin:
    """Numbers the citations of the record and of its `cited_parts` for the page's footnotes."""

    def get_object(self, queryset=None):
        record = super().get_object(queryset)
        load_citations([record])
        return record

    def get_context_data(self, **kwargs):
        # Numbered as the template shows them: `footnotes.notes` lists them at the bottom.
        footnotes = Footnotes(cited_rows(self.object))
        return super().get_context_data(
            footnotes=footnotes, follow_feed=record_feed(self.object), **kwargs
        )


def record_feed(record):
    """The feed of `record`'s published changes: its page in /changes/, as Atom
    (cpec_tracker.site.feeds.ChangesFeed). A part with a page of its own (a financing
    commitment) is named by its id, as its address names it."""
    kind = registry.kind_of(record._meta.concrete_model)
    key = record.slug if isinstance(record, Record) else record.pk
    return {
        "url": f"{reverse('feed-changes')}?record={kind.name}/{key}",
        "label": gettext("Follow: Atom feed of its changes"),
    }


class RelatedPagesMixin:
    """A record page's lists of related records, a page at a time (`?<list>_page=N` each).

    A theme or an organization can be linked to thousands of records; listing them all made
    their pages the slowest of the site. Each list is counted once per version of its tables
    (the lists' paginator) and shows RELATED_PAGE_SIZE rows; a page number that is not one
    is a 404, as on the list pages.
    """

    related_page_size = 25

    def related_lists(self):
        """{name: queryset} of the lists to show, each in a stable order."""
        return {}

    def get_context_data(self, **kwargs):
        pages = {}
        for name, queryset in self.related_lists().items():
            parameter = f"{name}_page"
            paginator = VersionedCountPaginator(queryset, self.related_page_size)
            try:
                page = paginator.page(self.request.GET.get(parameter) or 1)
            except InvalidPage as error:
                raise Http404(_("There is no such page of this list.")) from error
            pages[name] = {
                "page": page,
                "rows": page.object_list,
                "previous_url": self.page_url(parameter, page.previous_page_number())
                if page.has_previous()
                else None,
                "next_url": self.page_url(parameter, page.next_page_number())
                if page.has_next()
                else None,
            }
        return super().get_context_data(related_pages=pages, **kwargs)

    def page_url(self, parameter, number):
        query = self.request.GET.copy()
        query[parameter] = str(number)
        return f"{self.request.path}?{query.urlencode()}"


class FilteredListView(ListView):
    """A list filtered through the model's FilterSet (the one the API uses too).

    A value the FilterSet cannot read answers 400 with a message naming the parameter and no
    results; `?page=` that is not a page number gives the 404 page.
    """

    filterset_class = None
    # Counts the filtered list once per data version instead of on every request.
    paginator_class = VersionedCountPaginator
    # Filters by records that run to thousands (officials, organizations, programmes): a
    # <select> listing them all made every list page render thousands of options (2 req/s at
    # 100,000 projects). The form takes the record's slug; record pages link to these lists
    # with the filter already set, and the active filter shows the record's name.
    filters_typed_as_slugs = {"official", "series", "organization", "parent"}
    # Words for the form, in the visitor's language: the FilterSets' own labels are written for
    # the API's schema (and many come from the models' field names).
    labels = {
        "q": _("Search"),
        "kind": _("Kind"),
        "publisher": _("Publisher"),
        "year": _("Year"),
        "series": _("Series"),
        "country": _("Country"),
        "official": _("Official"),
        "theme": _("Theme"),
        "status": _("Status"),
        "organization": _("Organization"),
        "current": _("Holds an office today"),
        "sector": _("Sector"),
        "province": _("Province"),
        "parent": _("Programme"),
        "ordering": _("Sort by"),
    }
    # What each list can be sorted by (the OrderingFilters' fields), for the "Sort by" choices:
    # the words the list's kind gives its fields (a project's "Title" is its name, a
    # document's its heading), and these for fields no kind labels.
    ordering_labels = {
        "updated_at": _("Updated at"),
    }

    def get_queryset(self):
        return self.model.objects.published()

    def get(self, request, *args, **kwargs):
        self.filterset = self.labelled_filterset(request)
        valid = self.filterset.is_valid()
        self.object_list = self.filterset.qs if valid else self.get_queryset().none()
        active_filters = self.active_filters() if valid else []
        if valid:
            # After validation: only the choices shown narrow, never what the filters read.
            narrow_to_facets(
                self.filterset,
                [
                    name
                    for name in self.filterset.filters
                    if name not in self.filters_typed_as_slugs
                ],
                empty_label=gettext("Any"),
            )
        context = self.get_context_data(
            filterset=self.filterset,
            filter_errors=self.filter_errors(),
            active_filters=active_filters,
            # What the folded form's summary counts: the filters in use, not the sort order.
            active_filter_count=sum(1 for active in active_filters if active["name"] != "ordering"),
            downloads=(
                download_links(self.model, request.GET, self.filterset.filters) if valid else []
            ),
            follow_feed=self.follow_feed() if valid else None,
        )
        return self.render_to_response(context, status=200 if valid else 400)

    def follow_feed(self):
        """The feed of the records entering or changing in this list, with its filters
        (cpec_tracker.site.feeds.ListChangesFeed)."""
        query = self.request.GET.copy()
        query.pop("page", None)
        url = reverse(f"feed-{registry.kind_of(self.model).name}")
        return {
            "url": f"{url}?{query.urlencode()}" if query else url,
            "label": gettext("Follow: Atom feed of the changes in this list"),
        }

    def labelled_filterset(self, request):
        """The list's FilterSet on `request`'s parameters, its fields labelled in the
        visitor's language (the list page's form, the feed's title)."""
        filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
        for name, field in filterset.form.fields.items():
            # The filter's own label, not the form field's: drf-spectacular builds (and
            # django-filter caches) form fields on the shared filters without their model,
            # so a field made while the API schema was generated has no label.
            label = self.labels.get(name, filterset.filters[name].label)
            label_form_field(field, label, name)
            if name == "ordering":
                field.choices = [
                    (value, self.ordering_label(value, text))
                    for value, text in field.choices
                    if value != ""
                ]
            if name in self.filters_typed_as_slugs:
                field.widget = forms.TextInput(
                    attrs={"placeholder": gettext("slug, as in its page’s address")}
                )
        return filterset

    def ordering_label(self, value, text):
        """A "Sort by" choice in words: "Date", "Date (descending)"."""
        name = value.removeprefix("-")
        words = field_label(self.model, name) or self.ordering_labels.get(name)
        if words is None:
            return text
        if value.startswith("-"):
            return gettext("{field} (descending)").format(field=words)
        return words

    def filter_errors(self):
        return [
            {"name": name, "message": " ".join(errors)}
            for name, errors in self.filterset.form.errors.items()
        ]

    def active_filters(self):
        """The filters in use, each with its label, its value in words and a link without it."""
        form = self.filterset.form
        active = []
        for name, field in form.fields.items():
            raw = self.request.GET.get(name, "")
            value = form.cleaned_data.get(name)
            if raw == "" or value in (None, "", []):
                continue
            if isinstance(value, Model):
                shown = str(value)
            elif isinstance(value, bool):
                shown = gettext("yes") if value else gettext("no")
            elif hasattr(field, "choices"):
                shown = dict(field.choices).get(raw, raw)
            else:
                shown = raw
            remaining = self.request.GET.copy()
            remaining.pop(name)
            remaining.pop("page", None)
            query = remaining.urlencode()
            active.append(
                {
                    "name": name,
                    "label": field.label or name,
                    "value": shown,
                    "remove_url": f"{self.request.path}?{query}" if query else self.request.path,
                }
            )
        return active


def label_form_field(field, label, name):
    """Give a filter's form field a visitor's words: its label and "Any" for no choice."""
    field.label = label
    empty = gettext("Default order") if name == "ordering" else gettext("Any")
    if isinstance(field, forms.NullBooleanField):
        field.widget.choices = [
            ("unknown", empty),
            ("true", gettext("Yes")),
            ("false", gettext("No")),
        ]
    elif isinstance(field, forms.ModelChoiceField):
        field.empty_label = empty
    elif getattr(field, "empty_label", None) is not None:
        # django-filter's choice fields add the empty choice when their choices are set.
        field.empty_label = empty
        field.choices = [choice for choice in field.choices if choice[0] != ""]
