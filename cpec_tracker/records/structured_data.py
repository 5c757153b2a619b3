"""schema.org descriptions of the shared records (organizations), for JSON-LD, and the
`sameAs` link every record with a Wikidata id carries."""

from cpec_tracker.records.models import WIKIDATA_ITEM_URL, if_public

SCHEMA = "https://schema.org"


def with_same_as(thing, record):
    """`thing` with `sameAs`, the record's Wikidata item, when it has one."""
    if record.wikidata_id:
        thing["sameAs"] = WIKIDATA_ITEM_URL.format(record.wikidata_id)
    return thing


def organization_thing(request, organization):
    """An Organization: name, other names, description, the body it is part of."""
    thing = {
        "@context": SCHEMA,
        "@type": "Organization",
        "name": organization.name,
        "url": request.build_absolute_uri(organization.get_absolute_url()),
    }
    if organization.short_name:
        thing["alternateName"] = organization.short_name
    if organization.description:
        thing["description"] = organization.description
    if if_public(organization.parent):
        thing["parentOrganization"] = with_same_as(
            {
                "@type": "Organization",
                "name": organization.parent.name,
                "url": request.build_absolute_uri(organization.parent.get_absolute_url()),
            },
            organization.parent,
        )
    return with_same_as(thing, organization)
