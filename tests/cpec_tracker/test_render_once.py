"""A page that readers ask for at once while it is cold is rendered once: the others wait for
it (`cpec_tracker.caching.pages.claim_render`), in one process's memory and across servers
sharing Redis."""

import threading
import time

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
        self.finish = threading.Event()
        self.cookie = cookie
        self.lock = threading.Lock()

    def __call__(self, request):
        with self.lock:
            self.renders += 1
            number = self.renders
        assert self.finish.wait(10)
        response = HttpResponse(f"render {number}")
        if self.cookie:
            response.set_cookie("chosen", "1")  # never stored: readers may not share it
        return response


def until(condition):
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def in_thread(middleware, path, answers):
    def ask():
        try:
            answers.append(middleware(RequestFactory().get(path)))
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=ask)
    thread.start()
    return thread


def two_readers_at_once(view, monkeypatch, *, between=lambda: None):
    """(the answers, whether the second waited for the first's render) of two requests for
    one cold page, the second made while the first renders it, after `between()`."""
    waiting = threading.Event()
    wait_for_render = pages.wait_for_render

    def noted(claim):
        waiting.set()
        wait_for_render(claim)

    monkeypatch.setattr(pages, "wait_for_render", noted)
    middleware = pages.PageCacheMiddleware(view)
    renders_before = view.renders
    answers = []
    first = in_thread(middleware, "/meetings/", answers)
    until(lambda: view.renders == renders_before + 1)
    between()
    second = in_thread(middleware, "/meetings/", answers)
    until(lambda: waiting.is_set() or view.renders == renders_before + 2)
    view.finish.set()
    first.join(10)
    second.join(10)
    return answers, waiting.is_set()


def test_a_page_asked_for_during_its_render_is_rendered_once(shared_cache, monkeypatch):
    view = SlowView()
    answers, waited = two_readers_at_once(view, monkeypatch)
    assert waited
    assert view.renders == 1
    assert [answer.content for answer in answers] == [b"render 1", b"render 1"]
    assert sorted(answer[pages.CACHE_STATUS_HEADER] for answer in answers) == ["hit", "miss"]


def test_a_page_readers_may_not_share_is_rendered_for_each_after_the_wait(
    shared_cache, monkeypatch
):
    view = SlowView(cookie=True)
    answers, waited = two_readers_at_once(view, monkeypatch)
    assert waited
    assert view.renders == 2
    assert sorted(answer.content for answer in answers) == [b"render 1", b"render 2"]


def test_a_request_that_read_newer_data_does_not_wait_for_a_render_of_older(
    shared_cache, make, monkeypatch
):
    view = SlowView()
    view.finish.set()
    pages.PageCacheMiddleware(view)(RequestFactory().get("/meetings/"))  # render 1, stored
    make.make_meeting()  # the stored page is cold
    view.finish.clear()
    answers, waited = two_readers_at_once(view, monkeypatch, between=make.make_meeting)
    assert not waited  # the render under way is of the data before the second save
    assert view.renders == 3
    assert sorted(answer.content for answer in answers) == [b"render 2", b"render 3"]


def test_a_claim_whose_holder_died_lapses(shared_cache, settings):
    settings.CPEC_PAGE_RENDER_WAIT_SECONDS = 1
    view = SlowView()
    view.finish.set()
    middleware = pages.PageCacheMiddleware(view)
    request = RequestFactory().get("/meetings/")
    # A render claimed by a request that never finished it (its server was killed).
    assert pages.claim_render(pages.render_claim(pages.address_key(request), None, None))
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
    assert pages.claim_render(pages.render_claim(pages.address_key(request), None, None))
