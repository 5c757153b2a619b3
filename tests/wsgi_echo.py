"""A WSGI app that answers with what gunicorn told it of the request, for test_gunicorn.py."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{environ['wsgi.url_scheme']} {environ.get('SCRIPT_NAME', '')}".encode()]
