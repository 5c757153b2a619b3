"""Names and titles in Urdu and Chinese: stored as facts like any other, edited side by side,
shown in the reader's language with the English fallback marked."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from cpec_tracker.records.models import Citation, Organization, Theme, citable_fields
from cpec_tracker.records.names import Multilingual, name_language
from meetings.models import Meeting, Official
from projects.models import Project
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

MA_ZHAOXU = "马朝旭"
AMNA_BALOCH = "آمنہ بلوچ"
MULTILINGUAL = [Official, Organization, Project, Meeting, Theme]


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def h1(response):
    return re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1)


@pytest.mark.parametrize("model", MULTILINGUAL, ids=lambda model: model.__name__)
def test_every_named_record_keeps_its_name_in_three_languages(model):
    fields = model.translated_fields()
    assert issubclass(model, Multilingual)
    assert list(fields) == ["en", "ur", "zh-hans"]
    for field in fields.values():
        model._meta.get_field(field)


@pytest.mark.parametrize("model", MULTILINGUAL, ids=lambda model: model.__name__)
def test_a_native_name_is_a_citable_field_and_kept_in_history(model):
    fields = model.translated_fields()
    citable = dict(citable_fields(model._meta))
    assert citable[fields["ur"]] == f"{fields['en'].capitalize()} in Urdu"
    assert citable[fields["zh-hans"]] == f"{fields['en'].capitalize()} in Chinese (Simplified)"
    history_fields = {field.name for field in model.history.model._meta.fields}
    assert {fields["ur"], fields["zh-hans"]} <= history_fields


def test_name_in_falls_back_to_english_and_says_so(make):
    official = make.make_official(name="Ma Zhaoxu", name_zh_hans=MA_ZHAOXU)
    chinese = official.name_in("zh-hans")
    urdu = official.name_in("ur")
    assert (chinese.text, chinese.is_fallback, chinese.html_lang) == (MA_ZHAOXU, False, "zh-Hans")
    assert (urdu.text, urdu.is_fallback, urdu.html_lang) == ("Ma Zhaoxu", True, "en")
    assert official.names_by_language == {"en": "Ma Zhaoxu", "ur": None, "zh-hans": MA_ZHAOXU}
    with translation.override("zh-hans"):
        assert official.local_name.text == MA_ZHAOXU


def test_language_codes_map_to_name_languages():
    assert [name_language(code) for code in ["en-gb", "ur", "ur-pk", "zh-hans", "zh-cn"]] == [
        "en",
        "ur",
        "ur",
        "zh-hans",
        "zh-hans",
    ]


def test_admin_shows_the_three_names_side_by_side_with_their_language(editor_client, make):
    official = make.make_official(name="Amna Baloch")
    page = editor_client.get(change_url(official)).content.decode()
    row = re.search(
        r'<div class="form-row[^"]*field-name field-name_ur[^>]*>.*?</fieldset>', page, re.S
    )
    assert row is not None, "name, name_ur and name_zh_hans share one row"
    assert re.search(r'<input[^>]*name="name_ur"[^>]*>', page).group().count('dir="rtl"') == 1
    assert 'lang="ur"' in re.search(r'<input[^>]*name="name_ur"[^>]*>', page).group()
    assert 'lang="zh-Hans"' in re.search(r'<input[^>]*name="name_zh_hans"[^>]*>', page).group()


def test_editor_saves_a_native_name_with_its_citation_and_history(editor_client, make):
    source = make.make_source(text=f"Foreign Secretary {AMNA_BALOCH} met the delegation.")
    official = make.make_official(name="Amna Baloch", publication_status="draft")
    data = change_form_data(editor_client.get(change_url(official)))
    prefix = "cpec_tracker-citation-content_type-object_id"
    data.update(
        {
            "name_ur": AMNA_BALOCH,
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-source": str(source.pk),
            f"{prefix}-0-quote": AMNA_BALOCH,
            f"{prefix}-0-fields": ["name_ur"],
        }
    )
    response = editor_client.post(change_url(official), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    official.refresh_from_db()
    assert official.name_ur == AMNA_BALOCH
    citation = Citation.objects.get(object_id=official.pk, fields=["name_ur"])
    assert citation.field_labels == ["Name in Urdu"]
    assert official.history.latest("history_date").name_ur == AMNA_BALOCH


def test_a_quote_that_is_not_in_the_source_is_refused_for_a_native_name(make):
    official = make.make_official()
    citation = Citation(record=official, source=make.make_source(), quote=MA_ZHAOXU)
    citation.fields = ["name_zh_hans"]
    with pytest.raises(Exception, match="does not occur"):
        citation.full_clean()


def test_a_control_character_in_a_native_name_is_refused(make):
    official = make.make_official()
    official.name_zh_hans = "马朝\x0b旭"
    with pytest.raises(Exception, match="control character"):
        official.full_clean()


def test_a_stale_edit_of_a_native_name_is_refused(editor_client, admin_client, make):
    theme = make.make_theme(name="Green corridor")
    stale = change_form_data(editor_client.get(change_url(theme)))
    fresh = change_form_data(admin_client.get(change_url(theme)))
    fresh["name_zh_hans"] = "绿色走廊"
    assert admin_client.post(change_url(theme), fresh).status_code == 302
    make.approve_pending_changes()  # a published record's edit, approved by a second person
    stale["name_ur"] = "سبز راہداری"
    response = editor_client.post(change_url(theme), stale)
    assert "Someone else changed this theme after you opened it" in response.content.decode()
    theme.refresh_from_db()
    assert (theme.name_ur, theme.name_zh_hans) == ("", "绿色走廊")


def test_an_alias_repeating_a_native_name_is_dropped(make):
    official = make.make_official(name="Ma Zhaoxu", name_zh_hans=MA_ZHAOXU)
    official.aliases = f"{MA_ZHAOXU}\nMr Ma"
    official.full_clean()
    assert official.aliases == "Mr Ma"


def test_english_page_shows_the_english_name_unmarked_and_the_others_beside_it(client, make):
    official = make.make_official(name="Ma Zhaoxu", name_zh_hans=MA_ZHAOXU, country="CN")
    heading = h1(client.get(official.get_absolute_url()))
    assert heading.startswith("<bdi>Ma Zhaoxu</bdi>")
    assert f'<span class="other-name" lang="zh-Hans" dir="ltr">{MA_ZHAOXU}</span>' in heading
    assert 'lang="en"' not in heading


def render(template, **context):
    return Template("{% load cpec %}" + template).render(Context(context))


# The active language comes from the address once the interface is translated (/ur/…); the
# filters read whichever is active, so these render them directly in each language.
def test_in_urdu_the_english_fallback_is_marked(make):
    official = make.make_official(name="Ma Zhaoxu", name_zh_hans=MA_ZHAOXU)
    with translation.override("ur"):
        shown = render(
            "{{ official|local_name }}|{{ official|local_name_text }}", official=official
        )
    assert shown == '<bdi><span lang="en" dir="ltr">Ma Zhaoxu</span></bdi>|Ma Zhaoxu'


def test_in_urdu_an_urdu_name_is_shown_unmarked_with_the_others_beside_it(make):
    official = make.make_official(name="Amna Baloch", name_ur=AMNA_BALOCH)
    with translation.override("ur"):
        shown = render("{{ official|local_name }}|{{ official|other_names }}", official=official)
    assert shown == (
        f'<bdi>{AMNA_BALOCH}</bdi>|<span class="other-name" lang="en" dir="ltr">Amna Baloch</span>'
    )


def test_in_chinese_the_chinese_title_is_shown_and_search_words_marked(make):
    meeting = make.make_meeting(title="5th JWG-ICC meeting", title_zh_hans="中巴经济走廊第五次会议")
    with translation.override("zh-hans"):
        shown = render("{{ meeting|local_name:'走廊' }}", meeting=meeting)
    assert shown == "<bdi>中巴经济<mark>走廊</mark>第五次会议</bdi>"


def test_names_are_escaped(make):
    official = make.make_official(name="<b>x</b>", name_zh_hans="<i>马</i>")
    with translation.override("ur"):
        shown = render("{{ official|local_name }} {{ official|other_names }}", official=official)
    assert "<b>" not in shown and "<i>" not in shown


@pytest.mark.parametrize("model", MULTILINGUAL, ids=lambda model: model.__name__)
def test_detail_page_shows_native_names_without_extra_queries(
    client, make, model, no_page_cache, django_assert_max_num_queries
):
    factory = {
        Official: make.make_official,
        Organization: make.make_organization,
        Project: make.make_project,
        Meeting: make.make_meeting,
        Theme: make.make_theme,
    }[model]
    fields = model.translated_fields()
    record = factory(**{fields["ur"]: AMNA_BALOCH, fields["zh-hans"]: MA_ZHAOXU})
    with django_assert_max_num_queries(12):
        heading = h1(client.get(record.get_absolute_url()))
    assert AMNA_BALOCH in heading and MA_ZHAOXU in heading


def test_a_native_name_equal_to_the_chinese_name_is_shown_once(client, make, no_page_cache):
    official = make.make_official(
        name="Ma Zhaoxu", name_zh_hans=MA_ZHAOXU, native_name=MA_ZHAOXU, country="CN"
    )
    assert h1(client.get(official.get_absolute_url())).count(MA_ZHAOXU) == 1
