"""The open-data pages: /data/ (the files, how to cite, the licence), its files, the dictionary."""

import datetime

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.views.generic import TemplateView

from cpec_tracker.dates import DatePrecision

from . import datafiles, dataset, dictionary

# How long a client is asked to wait when the files cannot be written (Retry-After, seconds).
RETRY_AFTER_SECONDS = 60


def files_unavailable():
    """The files could not be built (the disk is full or not writable): a 503, not a 500."""
    response = HttpResponse(
        "The data files cannot be prepared right now. Try again later.\n",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


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
        try:
            self.build = datafiles.current_build()
        except OSError:
            return files_unavailable()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        build = self.build
        dataset_tables = dataset.tables()
        shown = [in_readers_language(entry, dataset_tables) for entry in build.files]
        files = [entry for entry in shown if "/" not in entry["name"]]
        tables = [entry for entry in shown if "/" in entry["name"]]
        return super().get_context_data(
            build=build,
            files=files,
            tables=tables,
            built_on=build.built_at.date(),
            site_url=settings.CPEC_SITE_URL,
            licence=dataset.LICENCE,
            **kwargs,
        )


def data_file(request, name):
    """One file of the current build, as a static file: ETag, Content-Length, 304s."""
    for _attempt in range(2):
        try:
            build = datafiles.current_build()
        except OSError:
            return files_unavailable()
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
    patch_cache_control(response, public=True, max_age=settings.CPEC_PAGE_MAX_AGE)
    patch_cache_control(response, must_revalidate=True)
    return response


class DataDictionaryView(TemplateView):
    """Every column of every table with its type and meaning, and every choice defined."""

    template_name = "cpec_tracker/data_dictionary.html"

    def get_context_data(self, **kwargs):
        choice_sets = []
        for choices in dictionary.CHOICE_DEFINITIONS:
            choice_sets.append(
                {
                    "name": choices.__name__,
                    "anchor": f"choices-{choices.__name__.lower()}",
                    "rows": dictionary.choice_rows(choices),
                }
            )
        anchors = {
            tuple(choices.values): f"choices-{choices.__name__.lower()}"
            for choices in dictionary.CHOICE_DEFINITIONS
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
