"""schema.org description of a project (Project), for JSON-LD."""

from cpec_tracker.records.models import if_public
from cpec_tracker.records.structured_data import described, linked, with_same_as


def project_thing(request, project):
    """A Project: name, description, where it is, the programme it is part of."""
    thing = described(request, "Project", project, project.title)
    if project.summary:
        thing["description"] = project.summary
    if project.location or project.province:
        place = ", ".join(
            part for part in (project.location, project.get_province_display()) if part
        )
        thing["location"] = {"@type": "Place", "name": place}
    if if_public(project.parent):
        thing["parentOrganization"] = linked(
            request, "Project", project.parent, project.parent.title
        )
    return with_same_as(thing, project)
