"""gunicorn's settings for every way the site is served: `make run`, CI and the benchmark.

    gunicorn --config cpec_tracker/gunicorn.conf.py cpec_tracker.wsgi --bind … --workers …

Threaded workers (`gthread`), because a CSV export streams every matching row and at 100,000
projects takes longer than any sensible timeout. A sync worker's `timeout` limits each request:
the arbiter killed the worker 30 s into an export and the client got a cut body after a 200.
A gthread worker's main thread answers the arbiter's heartbeat while its threads serve
requests, so `timeout` only catches a worker that is stuck as a whole, and a long export runs
to its end. The command line overrides any of these (`--bind`, `--workers`).
"""

import os

worker_class = "gthread"
# Requests each worker serves at once; a long export holds one thread, not the whole worker.
threads = int(os.environ.get("CPEC_GUNICORN_THREADS", "4"))
# Seconds without a heartbeat from a worker's main loop before the arbiter restarts it.
timeout = 30
# Seconds a stopping worker gets to finish the requests (exports included) it is serving.
graceful_timeout = 30
# Seconds an idle keep-alive connection is held for its next request.
keepalive = 5
# gunicorn 25+ opens a control socket at one path in the home directory, which every server
# on the machine (two app servers in CI) would share; the site has no use for it.
control_socket_disable = True
# Whether a request came over HTTPS is Django's to read, from DJANGO_PROXY_SSL_HEADER
# (settings.py), behind a proxy that sets X-Forwarded-Proto. gunicorn would decide first: by
# default it believes that header (and takes SCRIPT_NAME, the prefix of every address, from a
# header) from 127.0.0.1, and from any peer on a UNIX socket, whatever the deployer set. It
# believes no peer.
forwarded_allow_ips = ""
secure_scheme_headers = {}
forwarder_headers = ""
