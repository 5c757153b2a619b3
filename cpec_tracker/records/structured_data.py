"""schema.org descriptions of the shared records (organizations), for JSON-LD, and the
`sameAs` link every record with a Wikidata id carries."""

from cpec_tracker.records.models import WIKIDATA_ITEM_URL, if_public

SCHEMA = "https://schema.org"


def described(request, schema_type, record, name):
    """The head of a JSON-LD description: its context, type, name and absolute address."""
    return {
        "@context": SCHEMA,
        "@type": schema_type,
        "name": name,
        "url": request.build_absolute_uri(record.get_absolute_url()),
    }


def linked(request, schema_type, record, name):
    """A related record inside a description: its type, name, address and `sameAs`."""
    return with_same_as(
        {
            "@type": schema_type,
            "name": name,
            "url": request.build_absolute_uri(record.get_absolute_url()),
        },
        record,
    )


def with_given(thing, **properties):
    """`thing` with those of `properties` that have a value: an empty one is left out."""
    thing.update((name, value) for name, value in properties.items() if value)
    return thing


def with_same_as(thing, record):
    """`thing` with `sameAs`, the record's Wikidata item, when it has one."""
    if record.wikidata_id:
        thing["sameAs"] = WIKIDATA_ITEM_URL.format(record.wikidata_id)
    return thing


def organization_thing(request, organization):
    """An Organization: name, other names, description, the body it is part of."""
    thing = with_given(
        described(request, "Organization", organization, organization.name),
        alternateName=organization.short_name,
        description=organization.description,
    )
    if if_public(organization.parent):
        thing["parentOrganization"] = linked(
            request, "Organization", organization.parent, organization.parent.name
        )
    return with_same_as(thing, organization)
