"""The layers of the code: what may import what.

The floor (`cpec_tracker/` but `intake/` and `site/`: records, editing, api, caching, web and
the project's settings) is what the apps build on; the apps (meetings, projects) stand on it;
the intake (`cpec_tracker/intake/`) reads articles into the apps' records, so it stands on
them; the roof (`cpec_tracker/site/`) composes everything into the site. Imports point down
only. Read from the source with `ast`, so an import inside a function counts too.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps

from cpec_tracker.records import registry

ROOT = Path(__file__).resolve().parents[2]
FLOOR = ROOT / "cpec_tracker"
ROOF = FLOOR / "site"
INTAKE = FLOOR / "intake"
# The apps between the floor and the intake: those that declare kinds of record, but the floor.
APPS = tuple(
    apps.get_app_config(label).name
    for label in registry.tracker_apps()
    if not apps.get_app_config(label).name.startswith("cpec_tracker")
)


def module_name(path):
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def imported_modules(path):
    """Every module the file imports, relative imports resolved to absolute names."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    return imports_in(path.read_text(), package)


def imports_in(source, package):
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            names.add(module)
            # `from cpec_tracker import site` imports the module `cpec_tracker.site`.
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def reaches(module, target):
    return module == target or module.startswith(target + ".")


def floor_files():
    above = (ROOF, INTAKE)
    return [path for path in FLOOR.rglob("*.py") if not any(a in path.parents for a in above)]


def app_files():
    return [path for app in APPS for path in (ROOT / app).rglob("*.py")]


def test_the_apps_are_found_in_the_registry():
    assert APPS == ("meetings", "projects")


def test_the_floor_and_the_roof_are_both_there():
    floor = {module_name(path) for path in floor_files()}
    roof = {module_name(path) for path in ROOF.rglob("*.py")}
    assert {
        "cpec_tracker.records.models.base",
        "cpec_tracker.web.views",
        "cpec_tracker.api.rest",
    } <= floor
    assert {"cpec_tracker.site.urls", "cpec_tracker.site.views", "cpec_tracker.site.feeds"} <= roof


@pytest.mark.parametrize("path", floor_files(), ids=module_name)
def test_nothing_on_the_floor_imports_an_app_or_the_roof(path):
    above = [
        module
        for module in imported_modules(path)
        if any(reaches(module, name) for name in (*APPS, *UPPER_LAYERS))
    ]
    assert above == [], f"{module_name(path)} imports {above}, which stand above the floor"


UPPER_LAYERS = ("cpec_tracker.intake", "cpec_tracker.site")


@pytest.mark.parametrize("path", app_files(), ids=module_name)
def test_no_app_imports_the_intake_or_the_roof(path):
    above = [m for m in imported_modules(path) if any(reaches(m, u) for u in UPPER_LAYERS)]
    assert above == [], f"{module_name(path)} imports {above}, which stand above the apps"


@pytest.mark.parametrize("path", list(INTAKE.rglob("*.py")), ids=module_name)
def test_the_intake_does_not_import_the_roof(path):
    roof = [m for m in imported_modules(path) if reaches(m, "cpec_tracker.site")]
    assert roof == [], f"{module_name(path)} imports {roof} from the roof"


def test_meetings_does_not_import_projects():
    """Dependencies point one way: projects → meetings → cpec_tracker."""
    wrong = {
        module_name(path): sorted(m for m in imported_modules(path) if reaches(m, "projects"))
        for path in (ROOT / "meetings").rglob("*.py")
    }
    assert {name: found for name, found in wrong.items() if found} == {}


def test_the_check_sees_an_import_inside_a_function():
    """The walk catches the easy ways round the rule: a deferred or a relative import."""
    source = "def late():\n    from meetings.models import Meeting\n    from .site import urls\n"
    found = imports_in(source, ["cpec_tracker"])
    assert "meetings.models" in found
    assert "cpec_tracker.site.urls" in found
