"""Debian's Chromium, as the browser tests launch it (`playwright install` cannot download)."""

import os

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps reaching for Google's hosts, which
# this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HAS_CHROMIUM = os.path.exists(CHROMIUM)
