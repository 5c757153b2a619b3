"""Words whose sense changes with their place ("Title" of an office or of a document, "Name" of
a person or of an organization, "Chair" of a meeting) translated for each place."""

import pytest
from django.utils import translation

from cpec_tracker.records import labels, registry
from cpec_tracker.records.models import Organization, Source, citable_fields
from meetings.models import Appointment, Meeting, Official, Outcome, ParticipationRole
from projects.models import KeyFigure, Project

pytestmark = pytest.mark.django_db

OFFICIAL = "/officials/amna-baloch/"
MEETING = "/meetings/jwg-icc-5th-meeting/"
CEREMONY = "/meetings/chinese-new-year-2025-ceremony/"

# Field names that mean a different thing from one kind to the next: each kind that has one
# says what it means there (registry.RecordKind.field_labels).
FIELDS_WHOSE_SENSE_CHANGES = {"title", "name", "parent", "text"}


def page(client, language, record):
    """The text of `record`'s page in `language` ("" for English)."""
    with translation.override("en"):
        path = record.get_absolute_url()
    return client.get(f"/{language}{path}" if language else path).text


def test_every_kind_labels_in_its_own_sense_the_fields_whose_sense_changes():
    for kind in registry.record_kinds():
        if not kind.field_labels:
            continue
        cited = {name for name, _label in citable_fields(kind.model._meta)}
        unlabelled = (cited & FIELDS_WHOSE_SENSE_CHANGES) - set(kind.field_labels)
        assert not unlabelled, f"{kind.model.__name__} does not label {unlabelled} itself"


@pytest.mark.parametrize(
    "model, field, chinese, urdu",
    [
        (Appointment, "title", "职务名称", "عہدہ"),
        (Source, "title", "标题", "عنوان"),
        (Meeting, "title", "会议名称", "عنوان"),
        (Project, "title", "项目名称", "نام"),
        (Official, "name", "姓名", "نام"),
        (Organization, "name", "名称", "نام"),
        (Organization, "parent", "上级机构", "بالائی ادارہ"),
        (Project, "parent", "所属计划", "مرکزی پروگرام"),
        (Source, "text", "正文", "متن"),
        (Outcome, "text", "内容", "متن"),
        (KeyFigure, "kind", "指标", "پیمائش"),
    ],
)
def test_a_field_is_named_as_its_kind_means_it(model, field, chinese, urdu):
    with translation.override("zh-hans"):
        assert labels.field_label(model, field) == chinese
    with translation.override("ur"):
        assert labels.field_label(model, field) == urdu


def test_the_official_page_names_the_office_title_and_the_persons_name(client, seeded):
    text = client.get(f"/zh-hans{OFFICIAL}").text
    assert "职务名称:" in text  # the footnote on the office held
    assert "姓名:" in text  # the footnote on the official's name
    assert "标题" not in text
    assert "عہدہ:" in client.get(f"/ur{OFFICIAL}").text


def test_a_meeting_page_keeps_its_own_word_for_its_title(client, seeded):
    text = client.get(f"/zh-hans{MEETING}").text
    assert "会议名称" in text
    assert "职务名称" not in text


def test_the_urdu_meeting_page_calls_its_chairs_chairs_of_the_meeting(client, seeded, make):
    assert "شریک صدرِ اجلاس" in client.get(f"/ur{MEETING}").text
    meeting = make.make_meeting()
    make.make_participation(meeting, role=ParticipationRole.CHAIR)
    text = page(client, "ur", meeting)
    assert "صدرِ اجلاس" in text
    assert "شریک صدرِ اجلاس" not in text


def test_a_speaker_at_a_meeting_is_not_a_spokesperson_in_chinese(client, seeded):
    text = client.get(f"/zh-hans{CEREMONY}").text
    assert "发言者" in text
    assert "发言人" not in text


def test_a_programme_and_an_organization_each_have_their_own_parent(client, make):
    programme = make.make_project(kind="programme", title="CPEC 2.0")
    project = make.make_project(parent=programme)
    make.make_citation(project, fields=["parent"])
    government = make.make_organization(kind="government")
    ministry = make.make_organization(parent=government)
    make.make_citation(ministry, fields=["parent"])

    project_page = page(client, "zh-hans", project)
    assert "<dt>所属计划</dt>" in project_page
    assert "所属计划:" in project_page
    assert "上级机构" not in project_page
    assert "<dt>جس پروگرام کا حصہ ہے</dt>" in page(client, "ur", project)

    ministry_page = page(client, "zh-hans", ministry)
    assert "<dt>上级机构</dt>" in ministry_page
    assert "所属计划" not in ministry_page
    urdu_page = page(client, "ur", ministry)
    assert "<dt>جس ادارے کا حصہ ہے</dt>" in urdu_page
    assert "جزو از" not in urdu_page


def test_installed_capacity_is_a_power_plants_and_other_capacities_are_not(client, make):
    plant = make.make_project(sector="energy")
    make.make_key_figure(plant, kind="capacity", value=1200, unit="MW")
    port = make.make_project(sector="transport")
    make.make_key_figure(port, kind="capacity", value=400000, unit="TEU a year")

    assert "装机容量" in page(client, "zh-hans", plant)
    port_page = page(client, "zh-hans", port)
    assert "产能" in port_page
    assert "装机容量" not in port_page
    # The English word is the same in both places.
    assert "Capacity:" in page(client, "", plant)


def test_a_key_figure_holds_as_of_its_date_in_urdu(client, make):
    figure = make.make_key_figure()
    text = page(client, "ur", figure.project)
    assert "12 جنوری 2025 تک" in text
    assert "بتاریخ 12" not in text


@pytest.mark.parametrize(
    "path, chinese",
    [
        ("/projects/", "项目名称"),
        ("/meetings/", "会议名称"),
        ("/officials/", "姓名"),
        ("/sources/", "标题"),
    ],
)
def test_each_list_sorts_by_its_own_kind_of_title_or_name(client, path, chinese):
    text = client.get(f"/zh-hans{path}").text
    assert f">{chinese}</option>" in text
    assert f">{chinese}（降序）</option>" in text


def test_the_urdu_descending_order_is_a_descending_order(client):
    text = client.get("/ur/projects/").text
    assert "(نزولی ترتیب)</option>" in text
    assert "الٹی ترتیب" not in text


def test_a_source_names_its_publisher_as_the_one_who_issued_it(client, seeded):
    text = client.get("/zh-hans/sources/dawn-2025-01-12-cpec-jwg-icc/").text
    assert "发布方" in text
    assert "出版方" not in text


def test_the_changes_page_names_each_field_as_its_kind_means_it(client, make):
    official = make.make_official(name="Amna Baloch")
    official.name = "Amna Baloch (Foreign Secretary)"
    official.save()
    project = make.make_project(title="Gwadar Port")
    project.title = "Gwadar Port, phase II"
    project.save()

    text = client.get("/zh-hans/changes/").text
    assert '<th scope="row">姓名</th>' in text
    assert '<th scope="row">项目名称</th>' in text
    assert '<span class="meta">官员</span>' in text  # the kind of record, in Chinese
