"""Source intake: "Add source" in the admin and `manage.py intake`, from a URL, HTML or text."""

import datetime
import io
import time
from urllib.parse import urlencode

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cpec_tracker.records.models import PublicationStatus, Source
from cpec_tracker.records.source_keys import url_key
from tests.admin_forms import change_form_data
from tests.intake_server import (
    AROUND_THE_ARTICLE,
    ARTICLE_PATH,
    ARTICLE_SENTENCES,
    NEWS_ARTICLE,
)

ADD_URL = reverse("admin:cpec_tracker_source_add")


def read_source(client, **given):
    """Post the intake's first step; return the response (the review form when it worked)."""
    return client.post(ADD_URL, {"intake": "read", "url": "", "html": "", "text": "", **given})


def save_reviewed(client, review, **changes):
    data = {**change_form_data(review), **changes}
    data.pop("intake", None)
    return client.post(ADD_URL, data)


# What an intake reads


def test_a_news_page_gives_its_article_and_only_its_article(editor_client, intake_server):
    review = read_source(editor_client, url=intake_server.url(ARTICLE_PATH))
    assert review.status_code == 200
    form = review.context["adminform"].form
    assert form.initial["title"] == "Pakistan, China agree to fast-track Gwadar water plant"
    assert form.initial["published_on"] == datetime.date(2025, 3, 14)
    assert form.initial["author"] == "Sana Qureshi"
    assert form.initial["publisher"] == "The Daily Ledger"
    assert form.initial["language"] == "en"
    assert form.initial["url"] == intake_server.url(ARTICLE_PATH)
    text = form.initial["text"]
    for sentence in ARTICLE_SENTENCES:
        assert sentence in text
    for boilerplate in AROUND_THE_ARTICLE:
        assert boilerplate not in text
    assert not Source.objects.exists(), "nothing is saved before the editor reviews it"


def test_the_reviewed_source_is_saved_as_a_draft_with_the_corrections(
    editor_client, editor, intake_server
):
    review = read_source(editor_client, url=intake_server.url(ARTICLE_PATH))
    response = save_reviewed(editor_client, review, publisher="Daily Ledger (Karachi)")
    assert response.status_code == 302, response.context and response.context["errors"]
    source = Source.objects.get()
    assert source.publication_status == PublicationStatus.DRAFT
    assert source.publisher == "Daily Ledger (Karachi)"
    assert source.author == "Sana Qureshi"
    assert source.slug == "pakistan-china-agree-to-fast-track-gwadar-water-plant"
    assert source.created_by == editor
    assert ARTICLE_SENTENCES[0] in source.text


def test_pasted_html_goes_through_the_same_extraction(editor_client):
    review = read_source(editor_client, html=NEWS_ARTICLE.decode())
    form = review.context["adminform"].form
    assert form.initial["author"] == "Sana Qureshi"
    assert ARTICLE_SENTENCES[1] in form.initial["text"]
    assert "Same promises every year" not in form.initial["text"]


def test_pasted_text_is_taken_as_it_is(editor_client):
    text = "  Line one of a statement.\n\nLine “two”, as   typed.  "
    review = read_source(editor_client, text=text)
    form = review.context["adminform"].form
    assert form.initial["text"] == text.strip()
    response = save_reviewed(
        editor_client,
        review,
        title="A statement",
        slug="a-statement",
        publisher="Ministry of Planning",
        published_on="2025-03-15",
    )
    assert response.status_code == 302
    assert Source.objects.get().text == text.strip()


def test_the_first_step_is_the_intake_form_and_the_plain_form_stays_reachable(editor_client):
    page = editor_client.get(ADD_URL)
    assert page.status_code == 200
    assert b'id="source-intake-form"' in page.content
    assert b'name="url"' in page.content and b'name="html"' in page.content
    plain = editor_client.get(f"{ADD_URL}?manual=1")
    assert b'name="published_on"' in plain.content


@pytest.mark.parametrize(
    "given, message",
    [
        ({}, "Give one of the three"),
        ({"url": "https://a.example/", "text": "Both given."}, "Give one of the three"),
        ({"html": "<html><head><title>Empty</title></head><body></body></html>"}, "No article"),
        ({"text": "   "}, "Give one of the three"),
    ],
)
def test_an_intake_without_one_usable_input_is_refused(editor_client, given, message):
    response = read_source(editor_client, **given)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    "path, settings_change, message",
    [
        ("/report.pdf", {}, "not a web page"),
        ("/large", {"CPEC_INTAKE_MAX_BYTES": 50_000}, "larger than"),
        ("/large-undeclared", {"CPEC_INTAKE_MAX_BYTES": 50_000}, "larger than"),
        ("/loop", {"CPEC_INTAKE_MAX_REDIRECTS": 2}, "redirected more than 2 times"),
        ("/slow?seconds=2", {"CPEC_INTAKE_TIMEOUT": 0.3}, "The page took longer than 0.3 s"),
        (ARTICLE_PATH, {"CPEC_INTAKE_ALLOW_LOOPBACK": False}, "loopback address"),
    ],
)
def test_a_page_that_cannot_be_fetched_is_a_form_error_and_nothing_is_saved(
    editor_client, intake_server, settings, path, settings_change, message
):
    for name, value in settings_change.items():
        setattr(settings, name, value)
    response = read_source(editor_client, url=intake_server.url(path))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors["url"]
    assert not Source.objects.exists()


# Each page outlasts the deadline by far when read as it is sent: 10 pieces, one a second.
TRICKLE_DEADLINE = 2.5


@pytest.mark.parametrize(
    "trickled",
    ["headers=10", "body=10", "headers=2&body=10"],
    ids=["header-lines", "body-bytes", "headers-then-body"],
)
def test_a_page_sent_a_piece_a_second_is_refused_at_the_deadline(
    editor_client, intake_server, settings, trickled
):
    settings.CPEC_INTAKE_TIMEOUT = TRICKLE_DEADLINE
    started = time.monotonic()
    response = read_source(editor_client, url=intake_server.url(f"/trickle?{trickled}"))
    seconds = time.monotonic() - started
    assert "The page took longer than 2.5 s" in response.content.decode()
    assert response.context["form"].errors["url"]
    assert not Source.objects.exists()
    # A bound on behaviour, not a benchmark: the deadline and a margin, not the page's 10 s.
    assert seconds < TRICKLE_DEADLINE + 3


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://ftp.example.org/a.html", "javascript:alert(1)"]
)
def test_a_url_that_is_not_http_is_a_form_error(editor_client, url):
    response = read_source(editor_client, url=url)
    assert "Only http and https addresses can be fetched" in response.content.decode()
    assert not Source.objects.exists()


# One size limit (CPEC_INTAKE_MAX_BYTES) for a fetched page, pasted HTML or text, and the
# text saved with a source


def post_as_a_browser(client, data):
    """Post `data` percent-encoded, as a browser posts a form (the test client's default,
    multipart, carries text as raw bytes)."""
    return client.post(ADD_URL, urlencode(data), content_type="application/x-www-form-urlencoded")


def test_django_takes_form_data_up_to_three_times_the_limit(settings):
    # A browser sends each byte of a letter outside ASCII as %XX: three bytes per byte of text.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > 3 * settings.CPEC_INTAKE_MAX_BYTES


def test_a_chinese_text_of_1_mb_is_read_and_saved_not_refused_with_a_bare_400(editor_client):
    # 1 MB of Chinese text is 3 MB of form data, over Django's default of 2.5 MB.
    sentence = "中巴经济走廊瓜达尔港项目会议。"
    text = sentence * (1024 * 1024 // len(sentence.encode()))
    read = {"intake": "read", "url": "", "html": "", "text": text}
    review = post_as_a_browser(editor_client, read)
    assert review.status_code == 200
    assert review.context["adminform"].form.initial["text"] == text
    data = {**change_form_data(review), "title": "长文", "slug": "long-text"}
    data.update(publisher="P", published_on="2025-03-15")
    data.pop("intake", None)
    saved = post_as_a_browser(editor_client, data)
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    assert Source.objects.get().text == text


@pytest.mark.parametrize("field", ["text", "html"])
def test_a_paste_over_the_limit_is_a_form_error_naming_the_limit(editor_client, settings, field):
    text = "x" * (settings.CPEC_INTAKE_MAX_BYTES + 1)
    given = {"intake": "read", "url": "", "html": "", "text": ""}
    response = post_as_a_browser(
        editor_client, {**given, field: f"<p>{text}</p>" if field == "html" else text}
    )
    assert response.status_code == 200
    assert "This is larger than 5 MB, the most a source can be" in response.content.decode()
    assert response.context["form"].errors[field]
    assert not Source.objects.exists()


def test_a_source_text_over_the_limit_is_refused_by_the_source_form(editor_client, settings):
    settings.CPEC_INTAKE_MAX_BYTES = 1000
    data = manual_source_data(editor_client, title="Long", slug="long", text="ب" * 501)
    response = editor_client.post(MANUAL_ADD_URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This is larger than 1000 bytes, the most a source can be (1002 bytes)." in page
    assert not Source.objects.exists()


def test_the_forms_state_the_size_limit(editor_client, settings):
    settings.CPEC_INTAKE_MAX_BYTES = 5 * 1024 * 1024
    intake_page = editor_client.get(ADD_URL).content.decode()
    assert intake_page.count("At most 5 MB.") == 3  # address, HTML, text
    assert "At most 5 MB." in editor_client.get(MANUAL_ADD_URL).content.decode()


def test_the_size_limit_is_also_the_command_s_limit(tmp_path, db, settings):
    settings.CPEC_INTAKE_MAX_BYTES = 1000
    path = tmp_path / "long.txt"
    path.write_text("y" * 1001)
    with pytest.raises(CommandError, match="larger than 1000 bytes, the most a source can be"):
        run_intake("--file", str(path), "--title", "T", "--publisher", "P")


# Duplicates


@pytest.mark.parametrize(
    "variant",
    [
        "HTTPS://Ledger.Example/business/story/",
        "https://ledger.example:443/business/story",
        "http://ledger.example/business/story",
        "https://ledger.example/business/story#comments",
        "https://ledger.example/business/story?utm_source=x&utm_medium=social&fbclid=abc",
    ],
)
def test_an_address_already_held_is_refused_with_a_link(editor_client, make, variant):
    held = make.make_source(url="https://ledger.example/business/story", title="Held story")
    response = read_source(editor_client, url=variant)
    content = response.content.decode()
    assert "This address is already in the tracker as “Held story”" in content
    assert reverse("admin:cpec_tracker_source_change", args=[held.pk]) in content
    assert Source.objects.count() == 1


def test_url_key_keeps_what_changes_the_page():
    assert url_key("https://a.example/story?id=2&page=1") == url_key(
        "https://a.example/story?page=1&id=2&utm_campaign=x"
    )
    assert url_key("https://a.example/story?id=2") != url_key("https://a.example/story?id=3")
    assert url_key("https://a.example/a") != url_key("https://a.example/b")
    assert url_key("https://a.example:8443/a") != url_key("https://a.example/a")
    assert url_key("") == ""


def test_a_text_already_held_is_refused_after_folding_spaces_and_quotes(editor_client, make):
    held = make.make_source(text="The “shining symbol” of friendship.\nIt was noted.")
    typed = 'The "shining  symbol" of friendship. It was noted.'
    response = read_source(editor_client, text=typed)
    content = response.content.decode()
    assert f"This text is already in the tracker as “{held.title}”" in content
    assert reverse("admin:cpec_tracker_source_change", args=[held.pk]) in content


def test_the_same_article_pasted_as_html_after_it_was_fetched_is_refused(
    editor_client, intake_server
):
    review = read_source(editor_client, url=intake_server.url(ARTICLE_PATH))
    assert save_reviewed(editor_client, review).status_code == 302
    again = read_source(editor_client, html=NEWS_ARTICLE.decode())
    assert "This text is already in the tracker" in again.content.decode()
    assert Source.objects.count() == 1


def test_the_review_form_refuses_a_duplicate_saved_meanwhile(editor_client, make):
    review = read_source(editor_client, text="A text nobody else has.")
    make.make_source(text="A text nobody else has.", title="Saved meanwhile")
    response = save_reviewed(
        editor_client, review, title="Mine", slug="mine", publisher="P", published_on="2025-01-01"
    )
    assert response.status_code == 200
    assert "already in the tracker as “Saved meanwhile”" in response.content.decode()
    assert Source.objects.count() == 1


def test_the_database_refuses_a_second_source_with_the_same_text(make, db):
    from django.db import IntegrityError

    make.make_source(text="One text.")
    with pytest.raises(IntegrityError):
        make.make_source(text="One  text.")


def test_editing_a_source_keeps_its_own_address_and_text(editor_client, make):
    source = make.make_source(url="https://a.example/x", publication_status="draft")
    change = reverse("admin:cpec_tracker_source_change", args=[source.pk])
    page = editor_client.get(change)
    data = {**change_form_data(page), "title": "Renamed"}
    response = editor_client.post(change, data)
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.title == "Renamed"


def test_intake_pages_make_a_bounded_number_of_queries(
    editor_client, make, django_assert_max_num_queries
):
    for _ in range(5):
        make.make_source()
    with django_assert_max_num_queries(12):
        assert editor_client.get(ADD_URL).status_code == 200
    with django_assert_max_num_queries(20):
        assert read_source(editor_client, text="Fresh words.").status_code == 200


# manage.py intake


def run_intake(*args):
    out = io.StringIO()
    call_command("intake", *args, stdout=out)
    return out.getvalue().strip()


def test_command_takes_in_a_page_and_prints_the_slug(intake_server, db):
    slug = run_intake("--url", intake_server.url(ARTICLE_PATH), "--kind", "news_report")
    source = Source.objects.get(slug=slug)
    assert slug == "pakistan-china-agree-to-fast-track-gwadar-water-plant"
    assert source.publication_status == PublicationStatus.DRAFT
    assert source.published_on == datetime.date(2025, 3, 14)
    for boilerplate in AROUND_THE_ARTICLE:
        assert boilerplate not in source.text


def test_command_refuses_the_same_page_twice_and_names_the_source(intake_server, db):
    slug = run_intake("--url", intake_server.url(ARTICLE_PATH))
    with pytest.raises(CommandError, match=f"already in the tracker .*slug: {slug}"):
        run_intake("--url", intake_server.url(ARTICLE_PATH) + "?utm_source=feed")
    assert Source.objects.count() == 1


def test_command_takes_a_text_file_with_the_fields_given(tmp_path, db):
    path = tmp_path / "statement.txt"
    path.write_text("The ministry said the plant would open in June.\n")
    slug = run_intake(
        "--file",
        str(path),
        "--title",
        "Ministry statement",
        "--publisher",
        "Ministry of Planning",
        "--published-on",
        "2025-03-15",
        "--kind",
        "official_statement",
        "--author",
        "Press wing",
    )
    source = Source.objects.get(slug=slug)
    assert (source.title, source.author, source.kind) == (
        "Ministry statement",
        "Press wing",
        "official_statement",
    )
    assert source.text == "The ministry said the plant would open in June."


def test_command_refuses_a_text_without_the_fields_it_lacks(tmp_path, db):
    path = tmp_path / "statement.txt"
    path.write_text("Words without a title.")
    with pytest.raises(CommandError, match="--published-on.*give --published-on"):
        run_intake("--file", str(path), "--title", "T", "--publisher", "P")
    assert not Source.objects.exists()


def test_command_takes_a_saved_html_file(tmp_path, db):
    path = tmp_path / "page.html"
    path.write_bytes(NEWS_ARTICLE)
    slug = run_intake("--file", str(path), "--source-url", "https://ledger.example/story")
    source = Source.objects.get(slug=slug)
    assert source.url == "https://ledger.example/story"
    assert ARTICLE_SENTENCES[2] in source.text


def test_command_refuses_a_bad_scheme_and_exits_non_zero(db):
    with pytest.raises(CommandError, match="Only http and https"):
        run_intake("--url", "file:///etc/passwd")


def test_a_source_that_shared_its_text_before_the_check_is_told_so_not_a_500(editor_client, make):
    make.make_source(text="Shared words.", title="Older")
    newer = make.make_source(text="Other words.", publication_status="draft")
    # As the migration leaves it: the same text as an older source, and no key.
    Source.objects.filter(pk=newer.pk).update(text="Shared  words.", text_digest="")
    change = reverse("admin:cpec_tracker_source_change", args=[newer.pk])
    data = {**change_form_data(editor_client.get(change)), "title": "Renamed"}
    response = editor_client.post(change, data)
    assert response.status_code == 200
    assert "This text is already in the tracker as “Older”" in response.content.decode()


def test_the_source_page_names_the_author(client, make, db):
    source = make.make_source(author="Sana Qureshi")
    assert "Sana Qureshi" in client.get(source.get_absolute_url()).content.decode()


# Two editors saving the same source at once

MANUAL_ADD_URL = f"{ADD_URL}?manual=1"


def manual_source_data(client, **fields):
    data = {
        **change_form_data(client.get(MANUAL_ADD_URL)),
        "publisher": "Test Gazette",
        "published_on": "2025-03-15",
        "kind": "news_report",
        **fields,
    }
    data.pop("intake", None)
    return data


def test_a_source_saved_by_a_colleague_between_check_and_save_is_named_not_a_500(
    editor_client, make, monkeypatch
):
    from cpec_tracker.intake import admin as source_admin

    older = make.make_source(text="Words saved twice.", title="Saved first")
    real_check = source_admin.intake_duplicate_refusal
    checks = []

    def checked_before_the_colleague_saved(**keys):
        # The form's first check ran before the colleague's save was committed: it saw nothing.
        checks.append(keys)
        return None if len(checks) == 1 else real_check(**keys)

    monkeypatch.setattr(
        source_admin, "intake_duplicate_refusal", checked_before_the_colleague_saved
    )
    data = manual_source_data(
        editor_client, title="Saved second", slug="saved-second", text="Words  saved twice."
    )
    response = editor_client.post(MANUAL_ADD_URL, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This text is already in the tracker as “Saved first”" in page
    assert reverse("admin:cpec_tracker_source_change", args=[older.pk]) in page
    assert list(Source.objects.values_list("title", flat=True)) == ["Saved first"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_editors_saving_the_same_text_at_once_save_it_once(editor, monkeypatch):
    import threading

    from django.db import connection
    from django.test import Client

    from cpec_tracker.intake import admin as source_admin

    # Both checks run before either save (where the database lets them: on SQLite the second
    # editor's transaction waits for the first's to end, so the barrier gives up after 3 s).
    barrier = threading.Barrier(2, timeout=3)
    real_check = source_admin.intake_duplicate_refusal

    def check_then_wait(**keys):
        refusal = real_check(**keys)
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return refusal

    clients = [Client(), Client()]
    for client in clients:
        client.force_login(editor)
    forms = [
        manual_source_data(client, title=f"Copy {n}", slug=f"copy-{n}", text="The same article.")
        for n, client in enumerate(clients)
    ]
    monkeypatch.setattr(source_admin, "intake_duplicate_refusal", check_then_wait)
    responses = [None, None]

    def save(n):
        try:
            responses[n] = clients[n].post(MANUAL_ADD_URL, forms[n])
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 302]
    (saved,) = Source.objects.all()
    refused = next(response for response in responses if response.status_code == 200)
    page = refused.content.decode()
    assert f"This text is already in the tracker as “{saved.title}”" in page
    assert reverse("admin:cpec_tracker_source_change", args=[saved.pk]) in page
