"""A page that readers ask for at once while it is cold is rendered once: the others wait for
it (`cpec_tracker.caching.pages.claim_render`), in one process's memory and across servers
sharing Redis."""

import threading

import pytest
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from cpec_tracker.caching import pages
from tests.cpec_tracker.test_shared_versions import redis_page_cache, redis_server  # noqa: F401
from tests.servers import Redis

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Redis.available(), reason="redis-server is not installed"),
]


@pytest.fixture(params=["memory", "redis"])
def shared_cache(request, settings, make):
    """The page cache in each process's memory (the default), or in Redis."""
    settings.CPEC_PAGE_CACHE = True
    make.make_meeting()  # the data has a version once something is written
    if request.param == "redis":
        request.getfixturevalue("redis_page_cache")


class SlowView:
    """A view that renders a page only when told to, counting its renders."""

    def __init__(self, *, cookie=False):
        self.renders = 0
        self.rendering = threading.Event()
        self.finish = threading.Event()
        self.cookie = cookie

    def __call__(self, request):
        self.renders += 1
        self.rendering.set()
        assert self.finish.wait(10)
        response = HttpResponse(f"render {self.renders}")
        if self.cookie:
            response.set_cookie("chosen", "1")  # never stored: readers may not share it
        return response


def in_thread(middleware, path, answers):
    def ask():
        try:
            answers.append(middleware(RequestFactory().get(path)))
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=ask)
    thread.start()
    return thread


def two_readers_at_once(view, monkeypatch):
    """The answers to two requests for one cold page, the second made while the first renders
    it; fails unless the second waits for the first's render."""
    waiting = threading.Event()
    wait_for_render = pages.wait_for_render

    def noted(address):
        waiting.set()
        wait_for_render(address)

    monkeypatch.setattr(pages, "wait_for_render", noted)
    middleware = pages.PageCacheMiddleware(view)
    answers = []
    first = in_thread(middleware, "/meetings/", answers)
    assert view.rendering.wait(10)
    second = in_thread(middleware, "/meetings/", answers)
    assert waiting.wait(10), "the second request did not wait for the first's render"
    view.finish.set()
    first.join(10)
    second.join(10)
    return answers


def test_a_page_asked_for_during_its_render_is_rendered_once(shared_cache, monkeypatch):
    view = SlowView()
    answers = two_readers_at_once(view, monkeypatch)
    assert view.renders == 1
    assert [answer.content for answer in answers] == [b"render 1", b"render 1"]
    assert sorted(answer[pages.CACHE_STATUS_HEADER] for answer in answers) == ["hit", "miss"]


def test_a_page_readers_may_not_share_is_rendered_for_each_after_the_wait(
    shared_cache, monkeypatch
):
    view = SlowView(cookie=True)
    answers = two_readers_at_once(view, monkeypatch)
    assert view.renders == 2
    assert sorted(answer.content for answer in answers) == [b"render 1", b"render 2"]


def test_a_claim_whose_holder_died_lapses(shared_cache, settings):
    settings.CPEC_PAGE_RENDER_WAIT_SECONDS = 1
    view = SlowView()
    view.finish.set()
    middleware = pages.PageCacheMiddleware(view)
    request = RequestFactory().get("/meetings/")
    # A render claimed by a request that never finished it (its server was killed).
    assert pages.claim_render(pages.address_key(request))
    answer = middleware(request)
    assert answer.content == b"render 1"
    assert answer[pages.CACHE_STATUS_HEADER] == "miss"
    assert middleware(RequestFactory().get("/meetings/"))[pages.CACHE_STATUS_HEADER] == "hit"


def test_a_render_that_fails_gives_up_its_claim(shared_cache):
    def failing(request):
        raise RuntimeError("the view failed")

    request = RequestFactory().get("/meetings/")
    with pytest.raises(RuntimeError):
        pages.PageCacheMiddleware(failing)(request)
    assert pages.claim_render(pages.address_key(request))
