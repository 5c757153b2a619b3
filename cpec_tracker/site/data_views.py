"""The open-data pages: /data/ (the files, how to cite, the licence), its files, the dictionary."""

import datetime

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.views.generic import TemplateView

from cpec_tracker.records.dates import DatePrecision
from cpec_tracker.site import datafiles, datajobs, dataset, datawriters, dictionary

# How long a client is asked to wait when there are no files to serve (Retry-After, seconds).
RETRY_AFTER_SECONDS = 60


def files_unavailable(message):
    """No files to serve: a 503 that asks the client to come back, not a 500."""
    response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def current_state():
    """What /data/ can offer at once (`datajobs.data_state`), or the 503 to answer instead
    when the data folder cannot be read (a full or unwritable disk)."""
    try:
        return datajobs.data_state()
    except OSError:
        return files_unavailable("The data files cannot be prepared right now. Try again later.\n")


def offered_build():
    """The build a file request answers from, or the 503 to answer instead: before the
    first build is complete (a temporary state, hence not a 404), or when the disk fails."""
    state = current_state()
    if isinstance(state, HttpResponse):
        return state
    if state.offer.build is None:
        return files_unavailable("The data files are being prepared. Try again in a minute.\n")
    return state.offer


def in_readers_language(entry, tables):
    """A manifest entry with its title and description in the active language (the
    manifest's English stays for a file this code no longer describes)."""
    texts = datafiles.file_texts(entry["name"], tables)
    if texts is None:
        return entry
    title, description = texts
    return {**entry, "title": title, "description": description}


class DataView(TemplateView):
    """Every file of the published dataset, with its size, how to cite it and its licence."""

    template_name = "cpec_tracker/data.html"

    def get(self, request, *args, **kwargs):
        self.state = current_state()
        if isinstance(self.state, HttpResponse):
            return self.state
        response = super().get(request, *args, **kwargs)
        if not self.state.offer.is_current:
            # Stored nowhere, the page cache included: it is keyed on the data version, which
            # the end of the build leaves unchanged, so it would outlive the build.
            patch_cache_control(response, no_store=True)
        return response

    def get_context_data(self, **kwargs):
        build = self.state.offer.build
        files, tables = [], []
        if build is not None:
            dataset_tables = dataset.tables()
            shown = [in_readers_language(entry, dataset_tables) for entry in build.files]
            files = [entry for entry in shown if "/" not in entry["name"]]
            tables = [entry for entry in shown if "/" in entry["name"]]
        return super().get_context_data(
            build=build,
            is_current=self.state.offer.is_current,
            building=self.state.building,
            build_failed=self.state.failed,
            files=files,
            tables=tables,
            built_on=build.built_at.date() if build else None,
            site_url=settings.CPEC_SITE_URL,
            licence=datawriters.LICENCE,
            **kwargs,
        )


def data_file(request, name):
    """One file of the build offered (the current one, or the last complete one while it is
    being built), as a static file: ETag, Content-Length, 304s; a 503 with Retry-After before
    the first build."""
    for _attempt in range(2):
        offer = offered_build()
        if isinstance(offer, HttpResponse):
            return offer
        build = offer.build
        path = build.path_of(name)
        if path is None:
            raise Http404("No such file in the dataset.")
        try:
            handle = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
            break
        except FileNotFoundError:
            # A newer version's build finished (and removed this one) since the version was
            # read: serve the newer one.
            continue
    else:
        raise Http404("No such file in the dataset.")
    entry = next(entry for entry in build.files if entry["name"] == name)
    etag = f'"{entry["hash"].removeprefix("sha256:")[:32]}"'
    if etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
        handle.close()
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            handle,
            content_type=f"{entry['mediatype']}; charset=utf-8"
            if entry["mediatype"].startswith(("text/", "application/json"))
            else entry["mediatype"],
            as_attachment=name != datafiles.DATAPACKAGE_NAME,
            filename=name.replace("/", "-"),
        )
    response["ETag"] = etag
    if offer.is_current:
        patch_cache_control(response, public=True, max_age=settings.CPEC_PAGE_MAX_AGE)
        patch_cache_control(response, must_revalidate=True)
    else:
        # An older build's file, until the current one is built: asked for again each time.
        patch_cache_control(response, no_cache=True)
    return response


class DataDictionaryView(TemplateView):
    """Every column of every table with its type and meaning, and every choice defined."""

    template_name = "cpec_tracker/data_dictionary.html"

    def get_context_data(self, **kwargs):
        choice_sets = []
        for choices in dictionary.choice_definitions():
            choice_sets.append(
                {
                    "name": choices.__name__,
                    "anchor": f"choices-{choices.__name__.lower()}",
                    "rows": dictionary.choice_rows(choices),
                }
            )
        anchors = {
            tuple(choices.values): f"choices-{choices.__name__.lower()}"
            for choices in dictionary.choice_definitions()
        }
        tables = [
            {
                "name": table.name,
                "title": table.title,
                "description": table.description,
                "primary_key": table.primary_key,
                "columns": [
                    {
                        "name": column.name,
                        "type": column.type,
                        "description": column.description,
                        "references": column.references,
                        "choices_anchor": anchors.get(tuple(column.choices or ())),
                    }
                    for column in table.columns
                ],
            }
            for table in dataset.tables()
        ]
        return super().get_context_data(
            tables=tables,
            choice_sets=choice_sets,
            gem_sources=dictionary.GEM_SOURCES,
            example_date=datetime.date(2025, 1, 10),
            precisions=DatePrecision,
            **kwargs,
        )
