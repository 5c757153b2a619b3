"""Fetching pages for intake: real HTTP from a loopback fixture server, every address checked."""

import socket
import time

import pytest

from cpec_tracker.intake import fetching
from cpec_tracker.intake.fetching import FetchRefused, address_refusal, fetch_page, with_scheme
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
        ("10.1.2.3", "Private-Use"),
        ("172.16.5.4", "Private-Use"),
        ("192.168.0.10", "Private-Use"),
        ("169.254.169.254", "Link Local"),
        ("0.0.0.0", '"This host on this network"'),
        ("0.1.2.3", '"This network"'),
        ("224.0.0.1", "Multicast"),
        ("240.0.0.1", "Reserved"),
        ("255.255.255.255", "Limited Broadcast"),
        ("100.64.0.1", "Shared Address Space"),
        ("192.0.0.8", "IPv4 dummy address"),
        ("192.0.0.100", "IETF Protocol Assignments"),
        ("192.0.0.170", "NAT64/DNS64 Discovery"),
        ("192.0.2.1", "Documentation (TEST-NET-1)"),
        ("192.88.99.1", "Deprecated (6to4 Relay Anycast)"),
        ("198.18.0.1", "Benchmarking"),
        ("198.51.100.7", "Documentation (TEST-NET-2)"),
        ("203.0.113.9", "Documentation (TEST-NET-3)"),
        ("::1", "loopback"),
        ("::", "Unspecified Address"),
        ("fe80::1", "Link-Local Unicast"),
        ("fc00::1", "Unique-Local"),
        ("fd12:3456::1", "Unique-Local"),
        ("ff02::1", "Multicast"),
        ("2001:db8::1", "Documentation"),
        ("3fff::1", "Documentation"),
        ("64:ff9b:1::1", "IPv4-IPv6 Translat."),
        ("100::1", "Discard-Only Address Block"),
        ("100:0:0:1::1", "Dummy IPv6 Prefix"),
        ("2001:2::1", "Benchmarking"),
        ("2001:10::1", "Deprecated (previously ORCHID)"),
        ("2001:100::1", "IETF Protocol Assignments"),
        ("5f00::1", "Segment Routing (SRv6) SIDs"),
        ("4000::1", "outside IPv6's global unicast space"),
        ("fec0::1", "outside IPv6's global unicast space"),  # site-local, deprecated
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "Private-Use"),
        ("::ffff:169.254.169.254", "Link Local"),
        ("::ffff:192.0.0.8", "IPv4 dummy address"),
        ("2002:7f00:1::1", "loopback"),  # 6to4 wrapping 127.0.0.1
        ("2002:c000:8::1", "IPv4 dummy address"),  # 6to4 wrapping 192.0.0.8
        ("64:ff9b::a00:1", "Private-Use"),  # NAT64 reaching 10.0.0.1
        ("64:ff9b::c612:1", "Benchmarking"),  # NAT64 reaching 198.18.0.1
    ],
)
def test_addresses_iana_lists_as_not_globally_reachable_are_refused(address, reason, settings):
    settings.CPEC_INTAKE_ALLOW_LOOPBACK = False
    assert reason in address_refusal(address)


@pytest.mark.parametrize(
    "address",
    [
        PUBLIC_ADDRESS,
        "2606:4700:4700::1111",
        # Special-purpose blocks that IANA lists as globally reachable.
        "192.0.0.9",  # Port Control Protocol Anycast, inside 192.0.0.0/24
        "192.31.196.1",  # AS112-v4
        "2001:1::1",  # Port Control Protocol Anycast, inside 2001::/23
        "2001:4:112::1",  # AS112-v6
        "64:ff9b::5db8:d822",  # NAT64 reaching 93.184.216.34
        "::ffff:93.184.216.34",
    ],
)
def test_globally_reachable_addresses_are_accepted(address):
    assert address_refusal(address) is None


def test_the_loopback_setting_allows_loopback_only(settings):
    settings.CPEC_INTAKE_ALLOW_LOOPBACK = True
    assert address_refusal("127.0.0.1") is None
    assert address_refusal("::ffff:127.0.0.1") is None
    assert "Private-Use" in address_refusal("10.0.0.1")
    assert "Link Local" in address_refusal("169.254.169.254")
    assert "IPv4 dummy address" in address_refusal("192.0.0.8")


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
    with pytest.raises(FetchRefused, match="larger than 48.8 KB"):
        fetch_page(intake_server.url(path))


def test_a_compressed_page_is_inflated(intake_server):
    assert fetch_page(intake_server.url("/gzipped")).body == NEWS_ARTICLE


def test_a_compressed_page_is_counted_as_it_inflates(intake_server, settings):
    settings.CPEC_INTAKE_MAX_BYTES = 50_000
    with pytest.raises(FetchRefused, match="larger than 48.8 KB"):
        fetch_page(intake_server.url("/gzip-bomb"))


def test_an_unknown_compression_is_refused(intake_server):
    with pytest.raises(FetchRefused, match="compressed as br"):
        fetch_page(intake_server.url("/brotli"))


def test_a_page_that_does_not_answer_in_time_is_refused(intake_server, settings):
    settings.CPEC_INTAKE_TIMEOUT = 0.3
    with pytest.raises(FetchRefused, match="The page took longer than 0.3 s"):
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


def test_the_deadline_spans_redirects(intake_server, settings):
    # The first hop answers at once; the page it leads to trickles its header lines.
    settings.CPEC_INTAKE_TIMEOUT = 2
    started = time.monotonic()
    with pytest.raises(FetchRefused, match="The page took longer than 2 s"):
        fetch_page(intake_server.url("/redirect?to=/trickle%3Fheaders%3D10"))
    assert time.monotonic() - started < 2 + 3
