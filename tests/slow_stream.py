"""A WSGI app that streams for longer than gunicorn's worker timeout, for test_gunicorn.py."""

import time

CHUNKS = 8
SECONDS_PER_CHUNK = 0.5


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])

    def chunks():
        for number in range(CHUNKS):
            time.sleep(SECONDS_PER_CHUNK)
            yield f"row {number}\n".encode()

    return chunks()
