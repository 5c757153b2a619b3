"""Fetching pages for intake: real HTTP from a loopback fixture server, every address checked."""

import socket

import pytest

from cpec_tracker import fetching
from cpec_tracker.fetching import FetchRefused, address_refusal, fetch_page, with_scheme
from tests.intake_server import (
    ARTICLE_PATH,
    NEWS_ARTICLE,
)

# A public address (documentation range would be refused as reserved, so a real public one);
# the tests route connections to it into their own loopback server, never out of the machine.
PUBLIC_ADDRESS = "93.184.216.34"


@pytest.fixture
def public_internet(monkeypatch):
    """Names resolve as the test says; connections to PUBLIC_ADDRESS reach the loopback server.

    The site's own checks still run on the resolved addresses; only the last step, the
    socket, is pointed at 127.0.0.1, so a page "on the internet" can be served by the test.
    """
    names = {}
    lookups = []

    def resolve(host, port, timeout=None):
        lookups.append(host)
        if host in names:
            return list(names[host])
        return real_resolve(host, port, timeout)

    real_resolve = fetching.resolve
    real_connect = socket.create_connection

    def create_connection(address, *args, **kwargs):
        host, port = address[:2]
        assert host in {PUBLIC_ADDRESS, "127.0.0.1"}, f"a connection to {host} was attempted"
        return real_connect(("127.0.0.1", port), *args, **kwargs)

    monkeypatch.setattr(fetching, "resolve", resolve)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    names["news.example"] = [PUBLIC_ADDRESS]
    return names, lookups


def test_page_is_fetched_from_the_loopback_server_when_the_setting_allows_it(intake_server):
    page = fetch_page(intake_server.url(ARTICLE_PATH))
    assert page.body == NEWS_ARTICLE
    assert page.content_type == "text/html"


def test_redirects_are_followed_to_the_page(intake_server):
    page = fetch_page(intake_server.url(f"/redirect?to={ARTICLE_PATH}"))
    assert page.body == NEWS_ARTICLE
    assert page.url == intake_server.url(ARTICLE_PATH)


def test_loopback_is_refused_when_the_setting_is_off(intake_server, settings):
    settings.CPEC_INTAKE_ALLOW_LOOPBACK = False
    with pytest.raises(FetchRefused, match="loopback"):
        fetch_page(intake_server.url(ARTICLE_PATH))


def test_the_setting_is_off_by_default():
    from cpec_tracker import settings as project_settings

    assert project_settings.CPEC_INTAKE_ALLOW_LOOPBACK is False


@pytest.mark.parametrize(
    "address, reason",
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.5.4", "private"),
        ("192.168.0.10", "private"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not a public address"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "link-local"),
        ("2002:7f00:1::1", "loopback"),  # 6to4 wrapping 127.0.0.1
    ],
)
def test_non_public_addresses_are_refused(address, reason, settings):
    settings.CPEC_INTAKE_ALLOW_LOOPBACK = False
    assert reason in address_refusal(address)


def test_public_addresses_are_accepted():
    assert address_refusal(PUBLIC_ADDRESS) is None
    assert address_refusal("2606:4700:4700::1111") is None


def test_the_loopback_setting_allows_loopback_only(settings):
    settings.CPEC_INTAKE_ALLOW_LOOPBACK = True
    assert address_refusal("127.0.0.1") is None
    assert address_refusal("::ffff:127.0.0.1") is None
    assert "private" in address_refusal("10.0.0.1")
    assert "link-local" in address_refusal("169.254.169.254")


@pytest.mark.parametrize(
    "addresses",
    [["127.0.0.1"], ["10.0.0.7"], ["169.254.169.254"], ["fe80::1"], ["::ffff:127.0.0.1"]],
)
def test_a_name_resolving_to_a_non_public_address_is_refused_before_connecting(
    intake_server, settings, public_internet, addresses
):
    settings.CPEC_INTAKE_ALLOW_LOOPBACK = False
    names, _lookups = public_internet
    names["intranet.example"] = addresses
    with pytest.raises(FetchRefused, match="Refused to fetch from intranet.example"):
        fetch_page(f"http://intranet.example:{intake_server.port}{ARTICLE_PATH}")


def test_a_name_with_one_non_public_address_among_public_ones_is_refused(
    intake_server, settings, public_internet
):
    settings.CPEC_INTAKE_ALLOW_LOOPBACK = False
    names, _lookups = public_internet
    names["mixed.example"] = [PUBLIC_ADDRESS, "127.0.0.1"]
    with pytest.raises(FetchRefused, match="loopback"):
        fetch_page(f"http://mixed.example:{intake_server.port}{ARTICLE_PATH}")


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "[::1]", "0x7f000001", "2130706433", "localhost", "0177.0.0.1"]
)
def test_loopback_written_in_any_spelling_is_refused(intake_server, settings, host):
    settings.CPEC_INTAKE_ALLOW_LOOPBACK = False
    with pytest.raises(FetchRefused):
        fetch_page(f"http://{host}:{intake_server.port}{ARTICLE_PATH}")


def test_a_public_server_is_fetched(intake_server, settings, public_internet):
    # The counterpart of the refusals below: the same server, reached as a public address.
    settings.CPEC_INTAKE_ALLOW_LOOPBACK = False
    page = fetch_page(f"http://news.example:{intake_server.port}{ARTICLE_PATH}")
    assert page.body == NEWS_ARTICLE


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/business/2025/03/14/gwadar-water-plant",
        "http://localhost:{port}/business/2025/03/14/gwadar-water-plant",
        "http://[::1]:{port}/",
        "http://intranet.example:{port}/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://10.0.0.1/admin",
    ],
)
def test_a_redirect_from_a_public_server_to_a_non_public_address_is_refused(
    intake_server, settings, public_internet, target
):
    settings.CPEC_INTAKE_ALLOW_LOOPBACK = False
    names, _lookups = public_internet
    names["intranet.example"] = ["192.168.1.20"]
    port = intake_server.port
    start = f"http://news.example:{port}/redirect?to={target.format(port=port)}"
    with pytest.raises(FetchRefused, match="Refused to fetch from"):
        fetch_page(start)


def test_every_connection_uses_the_address_that_was_checked(
    intake_server, settings, public_internet
):
    # DNS rebinding: the name answers a public address first, loopback afterwards. The site
    # resolves once per connection and connects to what it checked, so it never asks again.
    settings.CPEC_INTAKE_ALLOW_LOOPBACK = False
    names, lookups = public_internet
    answers = iter([[PUBLIC_ADDRESS], ["127.0.0.1"], ["127.0.0.1"]])

    class Rebinding(list):
        def __iter__(self):
            return iter(next(answers))

    names["rebind.example"] = Rebinding()
    page = fetch_page(f"http://rebind.example:{intake_server.port}{ARTICLE_PATH}")
    assert page.body == NEWS_ARTICLE
    assert lookups.count("rebind.example") == 1


@pytest.mark.parametrize(
    "url, message",
    [
        ("file:///etc/passwd", "Only http and https"),
        ("ftp://ftp.example.org/file.html", "Only http and https"),
        ("javascript:alert(1)", "Only http and https"),
        ("gopher://example.org/", "Only http and https"),
        ("//example.org/page", "Only http and https"),
        ("http://", "no host"),
        ("http://user:secret@example.org/", "user name or password"),
        ("http://example.org:99999/", "not a valid web address"),
    ],
)
def test_addresses_that_are_not_web_pages_are_refused(url, message):
    with pytest.raises(FetchRefused, match=message):
        fetch_page(url)


def test_a_redirect_to_another_scheme_is_refused(intake_server):
    with pytest.raises(FetchRefused, match="Only http and https"):
        fetch_page(intake_server.url("/redirect?to=file:///etc/passwd"))


def test_too_many_redirects_are_refused(intake_server, settings):
    settings.CPEC_INTAKE_MAX_REDIRECTS = 3
    with pytest.raises(FetchRefused, match="redirected more than 3 times"):
        fetch_page(intake_server.url("/loop"))


def test_content_that_is_not_html_is_refused(intake_server):
    with pytest.raises(FetchRefused, match="application/pdf, not a web page"):
        fetch_page(intake_server.url("/report.pdf"))


@pytest.mark.parametrize("path", ["/large", "/large-undeclared"])
def test_a_page_over_the_size_limit_is_refused(intake_server, settings, path):
    settings.CPEC_INTAKE_MAX_BYTES = 50_000
    with pytest.raises(FetchRefused, match="larger than 48 KB"):
        fetch_page(intake_server.url(path))


def test_a_compressed_page_is_inflated(intake_server):
    assert fetch_page(intake_server.url("/gzipped")).body == NEWS_ARTICLE


def test_a_compressed_page_is_counted_as_it_inflates(intake_server, settings):
    settings.CPEC_INTAKE_MAX_BYTES = 50_000
    with pytest.raises(FetchRefused, match="larger than 48 KB"):
        fetch_page(intake_server.url("/gzip-bomb"))


def test_an_unknown_compression_is_refused(intake_server):
    with pytest.raises(FetchRefused, match="compressed as br"):
        fetch_page(intake_server.url("/brotli"))


def test_a_page_that_does_not_answer_in_time_is_refused(intake_server, settings):
    settings.CPEC_INTAKE_TIMEOUT = 0.3
    with pytest.raises(FetchRefused, match="did not answer within 0.3 seconds"):
        fetch_page(intake_server.url("/slow?seconds=2"))


def test_a_missing_page_is_refused(intake_server):
    with pytest.raises(FetchRefused, match="404"):
        fetch_page(intake_server.url("/nowhere"))


def test_a_name_that_does_not_resolve_is_refused():
    with pytest.raises(FetchRefused, match="could not be found"):
        fetch_page("http://no-such-host.invalid/")


def test_an_address_typed_without_a_scheme_is_taken_as_https():
    assert with_scheme(" www.dawn.com/news/1 ") == "https://www.dawn.com/news/1"
    assert with_scheme("http://a.example/") == "http://a.example/"
    assert with_scheme("javascript:alert(1)") == "javascript:alert(1)"
    assert with_scheme("FILE:///etc/passwd") == "FILE:///etc/passwd"
