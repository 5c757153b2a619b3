"""The kinds of record: each app declares its own once, in its `kinds.py`; every list reads them.

    register(RecordKind(Meeting, name="meetings", label=..., pages=Pages(...), ...))

The API's collections, the pages and their addresses, the sitemap, the feeds, search, the
home page's counts, `/data/`'s tables, the seed loader, the dictionary's choices, the
visitors' labels, editors' permissions and the apps whose tables the page cache watches are
all read from here, so a new kind is declared in one place
(docs/adding-a-record-kind.md).

The registry is on the floor and imports no app: the apps' `kinds.py` modules are found by
name the first time the registry is read (`autodiscover`), as the admin finds `admin.py`,
and an API viewset or a page's view is named by its dotted path, imported only by the roof
that mounts it.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.urls import path
from django.utils.module_loading import autodiscover_modules, import_string


@dataclass(frozen=True)
class Search:
    """How site-wide search shows a kind: each phrase whole, so each language words it."""

    title: str  # "Meetings"
    all_matching: str  # "All meetings matching “{query}”"
    none_match: str  # "No meetings match."
    select_related: tuple = ()
    # Relations whose rows find the record too, each to a model with `search_fields` and a
    # full-text index: a meeting is found by its participants ("participations__official").
    related: tuple = ()
    # Relations (in `select_related`) whose names rank as the record's title: a meeting of
    # the JWG-ICC is titled by its series ("body") as much as by its own title.
    named_by: tuple = ()
    # The fields search's facets read: the record's date (its year) and its status.
    date_field: str = ""
    status_field: str = ""


def addressed_by_slug(model):
    """Whether `model`'s rows are addressed by a slug (records) rather than by id (a
    financing commitment, whose address's `slug` is its id)."""
    return any(field.name == "slug" for field in model._meta.get_fields())


@dataclass(frozen=True)
class Pages:
    """A kind's public pages, by their views' dotted paths, mounted at /<kind's name>/ in every
    language with the URL names "list" and "detail" (`meetings:detail`), then the extras'."""

    detail: str  # /<name>/<slug>/
    list: str = ""  # /<name>/; "" for a kind listed only on other pages
    extra: tuple = ()  # ((route, view, URL name), …), after those two

    def urlpatterns(self, model):
        routes = [("", self.list, "list")] if self.list else []
        routes += [("<slug:slug>/", self.detail, "detail"), *self.extra]
        patterns = [path(route, as_view(view), name=name) for route, view, name in routes]
        # The detail page's citation as a file: <slug>/cite.bib, cite.ris, cite.json; for a
        # record, whose slug and version make a stable citation (a financing row has neither).
        if not addressed_by_slug(model):
            return patterns
        download = as_view(CITATION_DOWNLOAD)
        patterns += [
            path(f"<slug:slug>/cite.{fmt}", download, {"format": fmt, "model": model}, name=name)
            for fmt, name in CITATION_ROUTES
        ]
        return patterns


# A citation's formats by extension, with their URL names (`meetings:cite-bib`); the view is
# on the floor's web layer (cpec_tracker.web.citing), named by path as the pages' views are.
CITATION_DOWNLOAD = "cpec_tracker.web.citing.citation_download"
CITATION_ROUTES = (("bib", "cite-bib"), ("ris", "cite-ris"), ("json", "cite-json"))


def as_view(dotted_path):
    """The view at `dotted_path`: a class-based view's `as_view()`, or the function itself."""
    view = import_string(dotted_path)
    return view.as_view() if isinstance(view, type) else view


@dataclass(frozen=True)
class ChoiceSet:
    """A choice set of the models, with a definition of each value for the data dictionary."""

    choices: type  # a TextChoices class
    definitions: dict  # {value: definition}
    # The enum's name in the API schema (settings' ENUM_NAME_OVERRIDES, checked by a test).
    enum_name: str = ""

    @property
    def schema_enum_name(self):
        return self.enum_name or f"{self.choices.__name__}Enum"

    @property
    def import_path(self):
        return f"{self.choices.__module__}.{self.choices.__qualname__}"


@dataclass(frozen=True)
class RecordKind:
    """One kind of record (or a record's child row) and where the site shows it.

    Every model of an app that registers kinds is a tracker model; a kind is registered for
    each model editors keep (it gets their permissions). The rest says where it appears:
    """

    model: type
    # Its table in /data/ and in the seed file, its API collection (/api/v1/<name>/) and its
    # pages' address and namespace (/<name>/, `<name>:detail`); "" for none of these.
    # Tables load in registry order.
    name: str = ""
    # What one is, lower-case, in the middle of a sentence: pgettext_lazy("kind of record", …);
    # "" for a kind visitors never see named (the model's verbose name is used).
    label: str = ""
    # The fields the seed loader matches an existing row by (a child row without a slug names
    # its own).
    seed_key: tuple = ("slug",)
    # Its API viewset's dotted path ("" for no collection of its own).
    viewset: str = ""
    # Its public pages (None for none), all listed in the sitemap.
    pages: Pages | None = None
    # Where it stands among the kinds visitors see listed (sitemap, search, home, feed) and in
    # the API's root; None for a kind not listed there.
    position: int | None = None
    api_position: int | None = None
    in_feed: bool = False  # in the feed of updates (feeds/updates.atom)
    search: Search | None = None
    # The home page's count: ngettext_lazy("<strong>%(counter)s</strong> meeting", …, "counter").
    home_count: str = ""
    # Visitors' words for its fields, by field name, for citations' footnotes ("Date, City")
    # and the lists' "Sort by". A field name shared with a kind above, in the same sense, is
    # labelled there once; a word whose sense changes with the kind ("Title": a document's, an
    # office's; "Name": a person's, an organization's) is labelled by every kind that has the
    # field, each with its own context: pgettext_lazy("office held", "Title").
    field_labels: dict = field(default_factory=dict)
    choice_sets: tuple = ()

    @property
    def table(self):
        return self.name

    @property
    def collection(self):
        return self.name if self.viewset else ""

    @property
    def in_sitemap(self):
        return self.pages is not None

    @property
    def list_url(self):
        """Its list page's URL name ("" for none): the sitemap's, search's and home's link."""
        return f"{self.name}:list" if self.pages and self.pages.list else ""

    @property
    def model_name(self):
        return self.model._meta.model_name

    @property
    def viewset_class(self):
        return import_string(self.viewset)


_kinds = []
_choice_sets = []
_discovered = False


def register(*kinds):
    """Add `kinds` to the registry, in the order given (called by each app's `kinds.py`)."""
    for kind in kinds:
        if any(known.model is kind.model for known in _kinds):
            raise ValueError(f"{kind.model._meta.label} is registered twice")
        _kinds.append(kind)
        _choice_sets.extend(kind.choice_sets)


def register_choices(*choice_sets):
    """Add choice sets that belong to no one kind (the dates' precision)."""
    _choice_sets.extend(choice_sets)


def unregister(model):
    """Take `model`'s kind out of the registry (for tests that register one for a while)."""
    for kind in [kind for kind in _kinds if kind.model is model]:
        _kinds.remove(kind)
        for choice_set in kind.choice_sets:
            _choice_sets.remove(choice_set)


def autodiscover():
    """Import every installed app's `kinds` module, once (the admin's modules and the apps'
    read the registry when they are imported, some before the records app is ready)."""
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("kinds")


def app_order(model):
    return [config.label for config in apps.get_app_configs()].index(model._meta.app_label)


def record_kinds():
    """Every kind, in registry order: apps in the order of INSTALLED_APPS, then as declared
    (whichever `kinds.py` happened to be imported first)."""
    autodiscover()
    return sorted(_kinds, key=lambda kind: app_order(kind.model))


def kind_of(model):
    autodiscover()
    return next(kind for kind in _kinds if kind.model is model)


def tracker_apps():
    """The labels of the apps that declare kinds: their every table is the tracker's."""
    return list(dict.fromkeys(kind.model._meta.app_label for kind in record_kinds()))


def tables():
    """[(table name, model)] of the kinds with a table, in load order."""
    return [(kind.table, kind.model) for kind in record_kinds() if kind.table]


def listed(attribute="position"):
    """The kinds visitors see listed, in their order (by `position` or `api_position`)."""
    return sorted(
        (kind for kind in record_kinds() if getattr(kind, attribute) is not None),
        key=lambda kind: getattr(kind, attribute),
    )


def collections():
    """{collection name: viewset class} in the API root's order."""
    return {kind.collection: kind.viewset_class for kind in listed("api_position")}


def pages():
    """[(URL patterns, namespace)] of the kinds with pages, in their listed order."""
    return [(kind.pages.urlpatterns(kind.model), kind.name) for kind in listed() if kind.pages]


def record_labels():
    """{model name: visitors' word for one}."""
    return {kind.model_name: kind.label for kind in record_kinds() if kind.label}


def field_labels(model):
    """{field name: visitors' word for it} for `model`'s fields: its own kind's words first,
    then those the first kind to declare a field of that name gave it."""
    labels = {}
    own = {}
    for kind in record_kinds():
        for name, label in kind.field_labels.items():
            labels.setdefault(name, label)
        if kind.model is model:
            own = kind.field_labels
    return {**labels, **own}


def choice_sets():
    """Every choice set declared, in the order they were registered."""
    autodiscover()
    return list(_choice_sets)
