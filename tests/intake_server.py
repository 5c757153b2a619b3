"""A real HTTP server on loopback serving the intake's fixture pages (no outside network).

Use the `intake_server` fixture: it starts the server on a free port of 127.0.0.1, switches
on CPEC_INTAKE_ALLOW_LOOPBACK so the site may fetch from it, and gives the server's base URL
(`intake_server.url("/article")`). Tests of the address checks switch the setting off again.
It also serves the browser test's article (`BROWSER_ARTICLE_PATH`) as a news page.
"""

import gzip
import html
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

PAGES = Path(__file__).parent / "cpec_tracker" / "intake_pages"
NEWS_ARTICLE = (PAGES / "news_article.html").read_bytes()
# The sentences only the article has, and what only the page around it has.
ARTICLE_SENTENCES = [
    "Pakistan and China on Friday agreed to complete the Gwadar desalination plant before "
    "the end of the year",
    "The meeting was co-chaired by Planning Secretary Awais Manzur Sumra and Vice Chairman "
    "Zhao Chenxin",
    "supply 1.2 million gallons of drinking water a day",
    "300 local workers would be trained to run the plant",
    "next meeting in Beijing in September",
]
AROUND_THE_ARTICLE = [
    "Subscribe for Rs 99 a month",  # navigation
    "Breaking: Stock exchange",  # ticker
    "ADVERTISEMENT",
    "Win a luxury sedan",  # advert
    "crypto savings plan",  # inline advert
    "Share on Facebook",
    "Karachi Circular Railway financing talks stall",  # related stories
    "Same promises every year",  # comments
    "who will pay for the diesel",
    "Hoshab road",
    "Cheap flights to Dubai",  # sidebar advert
    "Cricket final washed out",  # most read
    "All rights reserved",  # footer
]


class FixtureHandler(BaseHTTPRequestHandler):
    server_version = "IntakeFixture/1.0"

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def do_GET(self):  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        route = ROUTES.get(parts.path)
        if route is None:
            self.answer(404, b"not found", "text/plain")
        else:
            route(self, query)

    def answer(self, status, body, content_type, *, length=True, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location, status=302):
        self.answer(status, b"", "text/html", headers=[("Location", location)])


def article(handler, query):
    handler.answer(200, NEWS_ARTICLE, "text/html; charset=utf-8")


def redirect_to(handler, query):
    handler.redirect(query["to"][0])


def redirect_loop(handler, query):
    hop = int(query.get("hop", ["0"])[0])
    handler.redirect(f"/loop?hop={hop + 1}")


def pdf(handler, query):
    handler.answer(200, b"%PDF-1.7\n%fake", "application/pdf")


def large(handler, query):
    # Declares its length: refused on the header alone.
    handler.answer(200, b"<p>" + b"x" * 200_000 + b"</p>", "text/html")


def large_undeclared(handler, query):
    # No Content-Length (the body ends when the connection closes): refused while streaming.
    handler.answer(200, b"<p>" + b"x" * 200_000 + b"</p>", "text/html", length=False)


def gzipped_article(handler, query):
    body = gzip.compress(NEWS_ARTICLE)
    handler.answer(200, body, "text/html", headers=[("Content-Encoding", "gzip")])


def gzip_bomb(handler, query):
    # About 10 KB on the wire that would inflate to 10 MB.
    body = gzip.compress(b"<p>" + b"0" * 10_000_000 + b"</p>")
    handler.answer(200, body, "text/html", headers=[("Content-Encoding", "gzip")])


def brotli(handler, query):
    handler.answer(200, b"\x0b\x02\x80", "text/html", headers=[("Content-Encoding", "br")])


def slow(handler, query):
    time.sleep(float(query.get("seconds", ["3"])[0]))
    handler.answer(200, NEWS_ARTICLE, "text/html")


def trickle(handler, query):
    """A page sent a piece at a time: `headers` header lines, then `body` bytes, one piece
    every `pace` seconds (the rest of the page comes at once)."""
    header_lines = int(query.get("headers", ["0"])[0])
    body_bytes = int(query.get("body", ["0"])[0])
    pace = float(query.get("pace", ["1"])[0])
    body = NEWS_ARTICLE if body_bytes == 0 else b"x" * body_bytes
    wire = handler.wfile
    wire.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n")
    wire.write(f"Content-Length: {len(body)}\r\n".encode())
    for number in range(header_lines):
        time.sleep(pace)
        wire.write(f"X-Trickle-{number}: {number}\r\n".encode())
    wire.write(b"\r\n")
    if body_bytes == 0:
        wire.write(body)
    for number in range(body_bytes):
        time.sleep(pace)
        wire.write(body[number : number + 1])


# The browser test's article (tests/browser/), as a news site would serve it: the article's
# paragraphs inside navigation, an advert and related links that the intake must leave out.
BROWSER_ARTICLE_PATH = "/world/2025/03/15/pakistan-china-hold-6th-jwg-icc-meeting"
BROWSER_ARTICLE_TITLE = "Pakistan, China hold 6th JWG-ICC meeting in Islamabad"
BROWSER_ARTICLE_TEXT = (Path(__file__).parent / "browser" / "article_jwg_icc_6th.txt").read_text(
    encoding="utf-8"
)


def browser_article(handler, query):
    paragraphs = "\n".join(
        f"        <p>{html.escape(line)}</p>" for line in BROWSER_ARTICLE_TEXT.splitlines() if line
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{BROWSER_ARTICLE_TITLE} | Test Gazette</title>
  <meta property="og:type" content="article">
  <meta property="og:title" content="{BROWSER_ARTICLE_TITLE}">
  <meta property="og:site_name" content="Test Gazette">
  <meta name="author" content="Staff Reporter">
  <meta property="article:published_time" content="2025-03-15T08:00:00+05:00">
</head>
<body>
  <header><nav><ul><li><a href="/world/">World</a></li><li><a href="/sport/">Sport</a></li>
    <li><a href="/subscribe/">Subscribe for Rs 99 a month</a></li></ul></nav></header>
  <div class="ad"><p>ADVERTISEMENT</p><a href="/ads/1">Win a luxury sedan</a></div>
  <main>
    <article>
      <h1>{BROWSER_ARTICLE_TITLE}</h1>
      <div class="byline">By Staff Reporter, <time datetime="2025-03-15">March 15, 2025</time></div>
      <div class="story-body">
{paragraphs}
      </div>
    </article>
    <aside class="related"><h2>Related</h2><ul><li><a href="/r/1">Cricket final washed out</a></li>
      </ul></aside>
  </main>
  <footer><p>© Test Gazette. All rights reserved.</p></footer>
</body>
</html>
"""
    handler.answer(200, page.encode("utf-8"), "text/html; charset=utf-8")


ROUTES = {
    BROWSER_ARTICLE_PATH: browser_article,
    "/business/2025/03/14/gwadar-water-plant": article,
    "/redirect": redirect_to,
    "/loop": redirect_loop,
    "/report.pdf": pdf,
    "/large": large,
    "/large-undeclared": large_undeclared,
    "/slow": slow,
    "/trickle": trickle,
    "/gzipped": gzipped_article,
    "/gzip-bomb": gzip_bomb,
    "/brotli": brotli,
}
ARTICLE_PATH = "/business/2025/03/14/gwadar-water-plant"


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # The site hangs up on pages it refuses (too large, too slow): expected, not an error.
        pass


class FixtureServer:
    def __init__(self):
        self.httpd = QuietServer(("127.0.0.1", 0), FixtureHandler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path="/", host="127.0.0.1"):
        return f"http://{host}:{self.port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def intake_fixture_server():
    with FixtureServer() as server:
        yield server


@pytest.fixture
def intake_server(intake_fixture_server, settings):
    """The fixture server, with the site allowed to fetch from loopback for this test."""
    settings.CPEC_INTAKE_ALLOW_LOOPBACK = True
    return intake_fixture_server
