"""Sphinx configuration of the CPEC Tracker documentation (`make docs`)."""

project = "CPEC Tracker"
author = "CPEC Tracker"

# Markdown sources (MyST), so pages read the same on GitHub as in the built HTML. No
# intersphinx: the build needs no network.
extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]

# Anchors for headings down to ###, named as GitHub names them, so a link such as
# `deployment.md#environment-variables` works in both places.
myst_heading_anchors = 3

html_theme = "furo"
html_title = "CPEC Tracker"
