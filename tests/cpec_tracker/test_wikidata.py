"""Wikidata ids on officials, organizations and projects: validated, linked, in the API and
in the JSON-LD `sameAs`."""

import json
import re

import pytest
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db

ITEM = "https://www.wikidata.org/wiki/"


def json_ld(response):
    assert response.status_code == 200
    found = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(found.group(1))


@pytest.mark.parametrize("kind", ["make_organization", "make_project", "make_official"])
@pytest.mark.parametrize("bad", ["12345", "q42", "Q", "Q0", "Q42 ", "P31", "Q4x2"])
def test_a_wikidata_id_is_q_and_digits(make, kind, bad):
    record = getattr(make, kind)(wikidata_id=bad)
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict["wikidata_id"] == ["A Wikidata id looks like Q12345."]


def test_an_organization_links_to_its_wikidata_item(client, make):
    parent = make.make_organization(slug="cpec-jcc", name="CPEC JCC", wikidata_id="Q111")
    make.make_organization(
        slug="nha", name="National Highway Authority", wikidata_id="Q6971399", parent=parent
    )
    response = client.get("/organizations/nha/")

    assert f'<a href="{ITEM}Q6971399">Q6971399</a>' in response.content.decode()
    data = json_ld(response)
    assert data["@type"] == "Organization"
    assert data["sameAs"] == f"{ITEM}Q6971399"
    assert data["parentOrganization"]["sameAs"] == f"{ITEM}Q111"


def test_a_project_links_to_its_wikidata_item(client, make):
    make.make_project(slug="gwadar-port", title="Gwadar Port", wikidata_id="Q1433549")
    response = client.get("/projects/gwadar-port/")

    assert f'<a href="{ITEM}Q1433549">Q1433549</a>' in response.content.decode()
    data = json_ld(response)
    assert data["@type"] == "Project"
    assert data["name"] == "Gwadar Port"
    assert data["sameAs"] == f"{ITEM}Q1433549"


def test_no_wikidata_id_no_link_and_no_same_as(client, make):
    make.make_project(slug="ml-1", title="ML-1")
    response = client.get("/projects/ml-1/")

    assert ITEM not in response.content.decode()
    assert "sameAs" not in json_ld(response)


def test_the_api_gives_the_wikidata_ids(client, make):
    make.make_organization(slug="nha", wikidata_id="Q6971399")
    make.make_project(slug="gwadar-port", wikidata_id="Q1433549")

    assert client.get("/api/v1/organizations/nha/").json()["wikidata_id"] == "Q6971399"
    assert client.get("/api/v1/projects/gwadar-port/").json()["wikidata_id"] == "Q1433549"
    listed = client.get("/api/v1/projects/").json()["results"]
    assert [row["wikidata_id"] for row in listed] == ["Q1433549"]


def test_a_meeting_organizer_and_an_officials_office_carry_same_as(client, make):
    body = make.make_organization(slug="jwg-icc", name="JWG-ICC", wikidata_id="Q222")
    make.make_meeting(slug="fifth", body=body)
    official = make.make_official(slug="sun-weidong")
    make.make_appointment(official, organization=body)

    assert json_ld(client.get("/meetings/fifth/"))["organizer"]["sameAs"] == f"{ITEM}Q222"
    works_for = json_ld(client.get("/officials/sun-weidong/"))["worksFor"]
    assert works_for == [{"@type": "Organization", "name": "JWG-ICC", "sameAs": f"{ITEM}Q222"}]
