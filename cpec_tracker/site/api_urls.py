"""API v1 addresses, mounted at /api/v1/ under the `api` namespace (`api:meeting-detail`).

The namespace keeps the API's route names apart from the pages' (`meetings:detail`).
"""

import threading

from django.urls import path, re_path
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from cpec_tracker.api.parameters import check_parameters
from cpec_tracker.api.rest import conditional_get, not_found
from cpec_tracker.records import registry

app_name = "api"

# {collection name: viewset}, in the root's order: every kind that declares a collection.
COLLECTIONS = registry.collections()

router = SimpleRouter()
for prefix, viewset in COLLECTIONS.items():
    router.register(prefix, viewset, basename=viewset.model._meta.model_name)


class RootView(APIView):
    """Every collection of the API, with the schema and the docs."""

    @extend_schema(
        responses=inline_serializer(
            "Root",
            {
                **{name: serializers.URLField() for name in COLLECTIONS},
                "schema": serializers.URLField(),
                "docs": serializers.URLField(),
            },
        )
    )
    def get(self, request):
        check_parameters(request.query_params)
        links = {
            name: reverse(f"api:{viewset.model._meta.model_name}-list", request=request)
            for name, viewset in COLLECTIONS.items()
        }
        links["schema"] = reverse("api:schema", request=request)
        links["docs"] = reverse("api:docs", request=request)
        return Response(links)


# drf-spectacular loads its extensions on first use by rewriting class attributes; two threads
# of one gunicorn worker generating the schema at once tripped over each other (a 500).
schema_generation = threading.Lock()


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated one request at a time, with its parameters checked.

    drf-spectacular writes `?version=` into the Content-Disposition header: a control
    character there made gunicorn refuse the header and answer 500.
    """

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        check_parameters(request.query_params)
        with schema_generation:
            return super().get(request, *args, **kwargs)


class DocsView(SpectacularSwaggerSplitView):
    """The interactive documentation: an HTML page, for GET and HEAD only.

    Its one renderer is a template; an OPTIONS answer rendered through it had no template
    and was a 500.
    """

    http_method_names = ["get", "head"]


urlpatterns = [
    path("", conditional_get(RootView.as_view()), name="root"),
    path("schema/", conditional_get(SchemaView.as_view()), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Last: anything else under /api/v1/ is a JSON 404, not the site's HTML one.
    re_path(r"", not_found, name="not-found"),
]
