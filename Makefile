# The two commands: `make run` serves the seeded site, `make test` runs every check.
# `make docs` builds the documentation (docs/) into docs/_build/html.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: install run test docs chromium gettext messages migrate seed bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever pyproject.toml changes.
$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable ".[dev]"
	touch $@

install: $(INSTALLED)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed

# The address /data/'s files and citations name: the one served, unless CPEC_SITE_URL is set.
CPEC_SITE_URL ?= http://$(HOST):$(PORT)

# The Procfile's processes, run by honcho: gunicorn (web) and the task worker that builds
# /data/ after changes and sends mail (worker), their output interleaved with their names.
run: seed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	# The daily alerts digest queues the next day's itself; this starts the chain (idempotent).
	$(BIN)/python manage.py alerts_digest --schedule-only
	@echo "Serving CPEC Tracker at http://$(HOST):$(PORT)/ with a background worker (Ctrl-C stops both)"
	PATH="$(CURDIR)/$(BIN):$$PATH" HOST=$(HOST) WEB_CONCURRENCY=$(WORKERS) CPEC_SITE_URL=$(CPEC_SITE_URL) \
		$(BIN)/honcho --procfile Procfile --app-root $(CURDIR) start --port $(PORT)

# The browser tests drive Debian's Chromium (tests/browsers.py): installed here when it is
# missing and we may (root with apt), else `make test` stops before the suite saying how.
CHROMIUM := /usr/bin/chromium
NO_CHROMIUM = make test needs Chromium at $(CHROMIUM) for the browser tests; install it with: \
	sudo apt-get install chromium

chromium:
	@test -x $(CHROMIUM) || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		echo "Installing Debian's chromium for the browser tests" && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } && \
		test -x $(CHROMIUM) || { echo "$(NO_CHROMIUM)"; exit 1; }

# The translation check in `make test` extracts the strings with GNU gettext's xgettext
# (Django's makemessages), and `make messages` compiles with msgfmt: installed here like
# Chromium. The site itself needs neither (the compiled .mo files are committed).
NO_GETTEXT = make test and make messages need GNU gettext (xgettext, msgfmt); install it with: \
	sudo apt-get install gettext

gettext:
	@command -v xgettext >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		echo "Installing GNU gettext for the translation check" && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; } && \
		command -v xgettext >/dev/null || { echo "$(NO_GETTEXT)"; exit 1; }

# Bring locale/ur and locale/zh_Hans up to date with the code and templates, compile them and
# say how many strings each has translated; then fill in the empty msgstr (locale/GLOSSARY.md).
# The Chinese interface's font subset holds the catalogue's characters: rewritten with it.
messages: install gettext
	$(BIN)/python manage.py translations
	$(BIN)/python manage.py language_name_fonts

# The documentation: Markdown in docs/ built by Sphinx (docs/conf.py), no network needed.
# `make test` builds it afresh (-E: an unchanged page's warnings are not kept from an earlier
# build) with warnings as errors, so a broken link between pages fails the suite.
SPHINX_BUILD = $(BIN)/sphinx-build -q docs docs/_build/html

docs: install
	$(SPHINX_BUILD)
	@echo "The documentation is in docs/_build/html/index.html"

test: install chromium gettext
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(SPHINX_BUILD) -E -W --keep-going
	$(BIN)/pytest

# The load benchmark (bench/, see docs/performance.md): generate SCALE projects into their own
# database (SQLite under bench/results/, or DATABASE_URL), then wrk every URL for DURATION
# seconds under gunicorn with WORKERS workers (cpec_tracker/gunicorn.conf.py) in each mode: page cache
# on, off, and an editing day (cache on, an editor saving once a second): CACHE=all|both|cached|on|off|editing.
# DATA_BUILD=off leaves out the full /data/ build (minutes at 100,000 projects).
# Then the exports are downloaded whole and Datasette serves the same SQLite file (PEER=off skips).
SCALE ?= 1000
DURATION ?= 3
CONNECTIONS ?= 4
CACHE ?= all
PEER ?= on
DATA_BUILD ?= on
BENCH_INSTALLED := $(VENV)/.installed-bench

$(BENCH_INSTALLED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet --editable ".[dev,bench]"
	touch $@

bench: $(BENCH_INSTALLED)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } || \
		{ echo "make bench needs wrk (Debian: apt-get install wrk)"; exit 1; }
	$(if $(DATABASE_URL),DATABASE_URL=$(DATABASE_URL)) $(BIN)/python -m bench.generate --scale $(SCALE)
	$(if $(DATABASE_URL),DATABASE_URL=$(DATABASE_URL)) $(BIN)/python -m bench.run --scale $(SCALE) \
		--duration $(DURATION) --workers $(WORKERS) --connections $(CONNECTIONS) --cache $(CACHE) \
		$(if $(filter off,$(PEER)),--no-peer) $(if $(filter off,$(DATA_BUILD)),--no-data-build)
