"""The API answers in the language asked for (`?lang=`, `Accept-Language`), carries every
record's names in all three languages, documents both, and its cache never mixes languages."""

import pytest
import yaml

pytestmark = pytest.mark.django_db

MA_ZHAOXU = "马朝旭"
AMNA_BALOCH = "آمنہ بلوچ"


@pytest.fixture
def official(make):
    return make.make_official(
        slug="amna-baloch", name="Amna Baloch", name_ur=AMNA_BALOCH, name_zh_hans="阿姆娜·俾路支"
    )


@pytest.mark.parametrize(
    ("query", "header", "name", "language"),
    [
        ({}, None, "Amna Baloch", "en"),
        ({"lang": "ur"}, None, AMNA_BALOCH, "ur"),
        ({"lang": "zh-hans"}, None, "阿姆娜·俾路支", "zh-hans"),
        ({}, "ur-PK,en;q=0.8", AMNA_BALOCH, "ur"),
        ({}, "zh-CN", "阿姆娜·俾路支", "zh-hans"),
        ({}, "fr, ur;q=0.5", AMNA_BALOCH, "ur"),
        ({}, "fr", "Amna Baloch", "en"),
        ({"lang": "en"}, "ur", "Amna Baloch", "en"),  # the parameter wins
    ],
)
def test_lang_or_accept_language_picks_the_language_of_names(
    client, official, page_cache_on_and_off, query, header, name, language
):
    headers = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}
    for url in ["/api/v1/officials/", "/api/v1/officials/amna-baloch/"]:
        response = client.get(url, query, **headers)
        data = response.json()
        record = data["results"][0] if "results" in data else data
        assert record["name"] == name
        assert response["Content-Language"] == language
        assert "Accept-Language" in response["Vary"]


def test_every_record_carries_its_names_in_all_languages(client, make, official):
    meeting = make.make_meeting(title="5th JWG-ICC meeting", title_zh_hans="第五次会议")
    make.make_participation(meeting=meeting, official=official)
    data = client.get(f"/api/v1/meetings/{meeting.slug}/", {"lang": "zh-hans"}).json()
    assert data["title"] == "第五次会议"
    assert data["names"] == {"en": "5th JWG-ICC meeting", "ur": None, "zh-hans": "第五次会议"}
    assert data["participants"][0]["official"]["name"] == "阿姆娜·俾路支"
    for collection in ["officials", "organizations", "projects", "meetings", "themes"]:
        rows = client.get(f"/api/v1/{collection}/").json()["results"]
        assert all(set(row["names"]) == {"en", "ur", "zh-hans"} for row in rows), collection


def test_a_missing_name_falls_back_to_english(client, make):
    make.make_theme(name="Green corridor")
    row = client.get("/api/v1/themes/", {"lang": "ur"}).json()["results"][0]
    assert row["name"] == "Green corridor"
    assert row["names"] == {"en": "Green corridor", "ur": None, "zh-hans": None}


@pytest.mark.parametrize("value", ["", "fr", "UR", "zh", "ur\x00"])
def test_an_unknown_lang_is_a_400_naming_it(client, official, page_cache_on_and_off, value):
    response = client.get("/api/v1/officials/", {"lang": value})
    assert response.status_code == 400
    assert "lang" in response.json()["errors"]


def test_csv_has_a_column_per_language_and_names_in_the_language_asked_for(client, official):
    response = client.get("/api/v1/officials/", {"format": "csv", "lang": "ur"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    header, row = lines[0].split(","), lines[1].split(",")
    # The name first, then the record's address and its names in every language.
    assert header[0] == "name"
    assert row[0] == AMNA_BALOCH
    assert header[4:7] == ["names.en", "names.ur", "names.zh-hans"]
    assert row[4:7] == ["Amna Baloch", AMNA_BALOCH, "阿姆娜·俾路支"]


def test_the_cache_never_serves_one_language_to_another(client, official, page_cache):
    english = client.get("/api/v1/officials/amna-baloch/")
    urdu_header = client.get("/api/v1/officials/amna-baloch/", HTTP_ACCEPT_LANGUAGE="ur")
    urdu_parameter = client.get("/api/v1/officials/amna-baloch/", {"lang": "ur"})
    # Each again, now from the cache.
    english_again = client.get("/api/v1/officials/amna-baloch/")
    urdu_header_again = client.get("/api/v1/officials/amna-baloch/", HTTP_ACCEPT_LANGUAGE="ur")
    urdu_parameter_again = client.get("/api/v1/officials/amna-baloch/", {"lang": "ur"})
    chinese_again = client.get("/api/v1/officials/amna-baloch/", HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert english_again["X-Cache"] == "hit" and urdu_header_again["X-Cache"] == "hit"
    assert urdu_parameter_again["X-Cache"] == "hit"
    assert english.json()["name"] == english_again.json()["name"] == "Amna Baloch"
    assert urdu_header.json()["name"] == urdu_header_again.json()["name"] == AMNA_BALOCH
    assert urdu_parameter_again.json()["name"] == AMNA_BALOCH
    assert chinese_again.json()["name"] == "阿姆娜·俾路支"
    assert english_again["Content-Language"] == "en"
    assert urdu_header_again["Content-Language"] == "ur"
    assert english["ETag"] != urdu_header["ETag"] != urdu_parameter["ETag"]
    # An English request with the Urdu answer's ETag gets the English answer, not a 304.
    revalidated = client.get(
        "/api/v1/officials/amna-baloch/", HTTP_IF_NONE_MATCH=urdu_header["ETag"]
    )
    assert revalidated.status_code == 200 and revalidated.json()["name"] == "Amna Baloch"


def test_304_still_answers_in_the_asked_language_with_the_cache_off(
    client, official, no_page_cache
):
    first = client.get("/api/v1/officials/amna-baloch/", {"lang": "ur"})
    again = client.get(
        "/api/v1/officials/amna-baloch/", {"lang": "ur"}, HTTP_IF_NONE_MATCH=first["ETag"]
    )
    english = client.get("/api/v1/officials/amna-baloch/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert english.status_code == 200


def test_language_choice_costs_no_query(
    client, official, no_page_cache, django_assert_max_num_queries
):
    # The list's own queries; what its facets cost is bounded in test_api_facets.py.
    with django_assert_max_num_queries(2):
        client.get("/api/v1/officials/", {"lang": "zh-hans", "facets": "false"})


def test_the_schema_documents_lang_accept_language_and_names(client, db):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    for path in ["/api/v1/officials/", "/api/v1/meetings/{slug}/"]:
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert parameters["lang"]["schema"]["enum"] == ["en", "ur", "zh-hans"]
        assert parameters["Accept-Language"]["in"] == "header"
    for component in ["Official", "Meeting", "Project", "Organization", "Theme"]:
        names = schema["components"]["schemas"][component]["properties"]["names"]
        assert set(names["properties"]) == {"en", "ur", "zh-hans"}
    assert "lang" not in str(schema["paths"]["/api/v1/"]["get"].get("parameters", []))
