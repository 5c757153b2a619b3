"""Aliases: other names of officials, organizations and projects, and "Did you mean …?"."""

import pytest
from django.urls import reverse

from cpec_tracker.intake.suggestions import suggest_text
from cpec_tracker.records.duplicates import similar_records
from cpec_tracker.records.models import Organization, clean_aliases
from meetings.models import Official
from projects.models import Project
from tests.admin_forms import change_form_data, form_data

pytestmark = pytest.mark.django_db


def test_aliases_are_cleaned_one_per_line_without_repeats_or_the_own_name():
    text = "  C-5 \n\nChashma-5\nc-5\nChashma   Unit 5\nChashma Nuclear Power Plant Unit 5\n"
    assert clean_aliases(text, names=["Chashma Nuclear Power Plant Unit 5"]) == (
        "C-5\nChashma-5\nChashma Unit 5"
    )


def test_model_clean_tidies_aliases(make):
    official = make.make_official(name="Amna Baloch", aliases="FS Baloch\nfs baloch\n\nAmna Baloch")
    official.full_clean()
    assert official.alias_list == ["FS Baloch"]
    assert official.names == ["Amna Baloch", "FS Baloch"]


@pytest.mark.parametrize(
    ("factory", "model"),
    [("make_official", Official), ("make_organization", Organization), ("make_project", Project)],
)
def test_search_and_the_api_find_a_record_by_its_alias(client, make, factory, model):
    record = getattr(make, factory)(aliases="Zanzibarish-5\nOther name")
    getattr(make, factory)()
    assert list(model.objects.search("zanzibarish 5")) == [record]
    if model is not Organization:  # organizations have no list page in /search/
        response = client.get("/search/", {"q": "Zanzibarish-5"})
        assert record.get_absolute_url() in response.content.decode()
    api = {Official: "official", Organization: "organization", Project: "project"}[model]
    response = client.get(reverse(f"api:{api}-list"), {"q": "zanzibarish"})
    assert [item["slug"] for item in response.json()["results"]] == [record.slug]


def test_detail_pages_and_api_show_the_aliases(client, make):
    project = make.make_project(
        title="Chashma Nuclear Power Plant Unit 5", aliases="C-5\nChashma-5"
    )
    page = client.get(project.get_absolute_url()).content.decode()
    assert "<dt>Also known as</dt>" in page
    assert "C-5, Chashma-5" in page
    detail = client.get(reverse("api:project-detail", args=[project.slug])).json()
    assert detail["aliases"] == ["C-5", "Chashma-5"]
    official = make.make_official(name="Ahsan Iqbal")
    assert "Also known as" not in client.get(official.get_absolute_url()).content.decode()
    api = client.get(reverse("api:official-detail", args=[official.slug])).json()
    assert api["aliases"] == []


def test_suggestions_find_records_by_alias(make):
    project = make.make_project(title="Chashma Nuclear Power Plant Unit 5", aliases="C-5")
    official = make.make_official(name="Amna Baloch", aliases="FS Baloch")
    found = suggest_text("Work on C-5 began, FS Baloch said. The c-5 grade is unrelated.")
    assert [(m.slug, m.text) for m in found.mentions] == [
        (project.slug, "C-5"),
        (official.slug, "FS Baloch"),
    ]


# "Did you mean …?" ---------------------------------------------------------------------------


def test_similar_records_exact_near_and_none(make):
    baloch = make.make_official(name="Amna Baloch", aliases="FS Baloch")
    make.make_official(name="Sun Weidong")
    assert [(s.record, s.name) for s in similar_records(Official, "amna baloch")] == [
        (baloch, "Amna Baloch")
    ]
    assert [(s.record, s.name) for s in similar_records(Official, "Amina Baloch")] == [
        (baloch, "Amna Baloch")
    ]
    assert [s.name for s in similar_records(Official, "F.S. Baloch")] == ["FS Baloch"]
    assert similar_records(Official, "Ahsan Iqbal") == []
    assert similar_records(Official, "Amna Baloch", exclude_pk=baloch.pk) == []


def add_form(admin_client, model_name):
    response = admin_client.get(reverse(f"admin:projects_{model_name}_add"))
    return response, {k: v for k, v in form_data(response).items() if "__prefix__" not in k}


def project_data(admin_client, **fields):
    response, data = add_form(admin_client, "project")
    data.pop("csrfmiddlewaretoken", None)
    data.update({"slug": "new-project", "kind": "project", "status": "planned", **fields})
    return data


def test_adding_a_near_duplicate_asks_did_you_mean_with_a_link(admin_client, make):
    existing = make.make_project(title="Chashma Nuclear Power Plant Unit 5", aliases="C-5")
    data = project_data(admin_client, title="Chashma Nuclear Power Plant Unit-5")
    response = admin_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Did you mean" in page
    change_url = reverse("admin:projects_project_change", args=[existing.pk])
    assert f'Did you mean <a href="{change_url}">Chashma Nuclear Power Plant Unit 5</a>' in page
    assert 'type="checkbox" name="confirm_new_name"' in page
    assert Project.objects.count() == 1


def test_an_alias_counts_as_a_name(admin_client, make):
    make.make_project(title="Chashma Nuclear Power Plant Unit 5", aliases="Chashma-5")
    data = project_data(admin_client, title="Chashma 5")
    page = admin_client.post(reverse("admin:projects_project_add"), data).content.decode()
    assert "Did you mean" in page and "(as “Chashma-5”)" in page


def test_save_anyway_creates_the_record(admin_client, make):
    make.make_project(title="Chashma Nuclear Power Plant Unit 5")
    data = project_data(
        admin_client, title="Chashma Nuclear Power Plant Unit 4", confirm_new_name="on"
    )
    response = admin_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302
    assert Project.objects.filter(slug="new-project").exists()


def test_a_distinct_name_saves_without_a_question(admin_client, make):
    make.make_project(title="Chashma Nuclear Power Plant Unit 5")
    data = project_data(admin_client, title="Karachi Circular Railway")
    response = admin_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302
    # The confirmation box is hidden until it is needed.
    page = admin_client.get(reverse("admin:projects_project_add")).content.decode()
    assert 'type="hidden" name="confirm_new_name"' in page


def test_renaming_to_a_close_name_asks_but_other_edits_do_not(admin_client, make):
    make.make_official(name="Amna Baloch")
    other = make.make_official(name="Ahsan Iqbal", bio="")
    url = reverse("admin:meetings_official_change", args=[other.pk])
    data = change_form_data(admin_client.get(url))
    response = admin_client.post(url, {**data, "bio": "Planning minister."})
    assert response.status_code == 302
    data = change_form_data(admin_client.get(url))
    response = admin_client.post(url, {**data, "name": "Amna Baloc"})
    assert "Did you mean" in response.content.decode()
    other.refresh_from_db()
    assert other.name == "Ahsan Iqbal"


def test_admin_saves_aliases_cleaned(admin_client, make):
    organization = make.make_organization(name="Gwadar Port Authority", short_name="GPA")
    url = reverse("admin:cpec_tracker_organization_change", args=[organization.pk])
    data = change_form_data(admin_client.get(url))
    response = admin_client.post(
        url, {**data, "aliases": "GPA\nGwadar Port Auth.\n\ngwadar port auth."}
    )
    assert response.status_code == 302
    make.approve_pending_changes()  # a published record's edit, approved by a second person
    organization.refresh_from_db()
    assert organization.aliases == "Gwadar Port Auth."
    assert organization.history.first().aliases == "Gwadar Port Auth."


def test_aliases_on_a_cached_page_follow_an_edit(client, make, page_cache):
    project = make.make_project(title="Chashma Nuclear Power Plant Unit 5", aliases="C-5")
    assert "C-5" in client.get(project.get_absolute_url()).content.decode()
    project.aliases = "C-5\nChashma-5"
    project.save()
    assert "C-5, Chashma-5" in client.get(project.get_absolute_url()).content.decode()
