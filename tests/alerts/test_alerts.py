"""Email alerts: subscribe from a page's follow controls, confirm from the mail, then one mail
per approved change (or a daily digest), each with a one-click unsubscribe.

Mail goes through a real SMTP server (aiosmtpd) in this process; the jobs are run by the
worker (`manage.py db_worker --batch`), as in production.
"""

import re
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core import signing
from django.core.management import call_command
from django.utils import timezone

from cpec_tracker import jobs
from cpec_tracker.editing.review import Proposal
from cpec_tracker.records.models import PublicationStatus
from cpec_tracker.site.alerts.models import Delivery, DeliveryStatus, Subscription
from cpec_tracker.site.alerts.tasks import dispatch_alerts, send_digests
from cpec_tracker.web.views import record_feed

pytestmark = pytest.mark.django_db


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        message.recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if address in m.recipients]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.CPEC_ALERTS_RETRY_SECONDS = 0
    return port


@pytest.fixture
def inbox(smtp_port):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def run_worker(monkeypatch):
    """`manage.py db_worker --batch`: runs the queued jobs that are due, then returns."""
    # The worker closes a connection whose autocommit differs from the settings', as the test's
    # transaction makes it; Django's test client likewise keeps request_started from doing so.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run(**options):
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0, **options)

    return run


def mail_results(**filters):
    """The mail jobs' task results (confirmations and alerts) in the database queue."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path__contains=".alerts.tasks.send_", **filters)


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def subscribe(client, record, email, frequency="each", language_prefix=""):
    return client.post(
        f"{language_prefix}/alerts/subscribe/",
        {"email": email, "frequency": frequency, "feed": record_feed(record)["url"]},
    )


def confirm_from_mail(client, inbox, email):
    (message,) = inbox.to(email)
    confirm_url = re.search(r"http://\S+/alerts/confirm/\S+/", body(message)).group(0)
    path = confirm_url.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}").status_code == 200
    response = client.post(f"/{path}")
    assert response.status_code == 200
    return response


def edit_through_review(project, editor, **fields):
    """Propose `fields` for the published `project` and have a second editor approve."""
    from tests.factories import approve_pending_changes

    proposal = Proposal(record=project, author=editor)
    for name, value in fields.items():
        setattr(project, name, value)
    proposal.change_row(project, list(fields), version=None)
    proposal.save()
    approve_pending_changes()


def test_subscribe_confirm_then_one_mail_per_subscriber_per_approved_change(
    client, make, inbox, editor, run_worker, settings, django_capture_on_commit_callbacks
):
    project = make.make_project(title="Thar Coal Block II", status="planned")
    source = make.make_source(publisher="Dawn", title="Thar block starts")
    make.make_citation(project, source=source, quote="The block started", fields=["status"])
    assert subscribe(client, project, "each@example.org").status_code == 302
    assert subscribe(client, project, "digest@example.org", "daily").status_code == 302
    assert subscribe(client, project, "silent@example.org").status_code == 302
    run_worker()
    assert len(inbox.messages) == 3  # one confirmation each
    confirm_from_mail(client, inbox, "each@example.org")
    confirm_from_mail(client, inbox, "digest@example.org")
    inbox.messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        edit_through_review(project, editor, status="operational")
    run_worker()

    (mail,) = inbox.messages
    assert mail.recipients == ["each@example.org"]
    text = body(mail)
    assert "Status: Planned → Operational" in text
    assert "The block started" in text and "Dawn" in text
    unsubscribe = Subscription.objects.get(email="each@example.org").unsubscribe_token
    assert mail["List-Unsubscribe"].strip() == (
        f"<{settings.CPEC_SITE_URL}/alerts/unsubscribe/{unsubscribe}/>"
    )
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    digest = Delivery.objects.filter(subscription__email="digest@example.org")
    assert [d.status for d in digest] == [DeliveryStatus.NEW]
    assert not Delivery.objects.filter(subscription__email="silent@example.org").exists()

    # Dispatching again finds nothing new: no second mail.
    dispatch_alerts.enqueue()
    run_worker()
    assert len(inbox.messages) == 1

    send_digests.enqueue()
    run_worker()
    (digest_mail,) = inbox.to("digest@example.org")
    assert "Status: Planned → Operational" in body(digest_mail)
    assert digest.get().status == DeliveryStatus.SENT


def confirmed_subscription(record_or_feed, email, frequency="each", language="en"):
    """A confirmed subscription, made as the subscribe and confirm pages make it."""
    from cpec_tracker.site.alerts import services

    feed_url = record_or_feed if isinstance(record_or_feed, str) else record_feed(record_or_feed)
    if not isinstance(feed_url, str):
        feed_url = feed_url["url"]
    result = services.subscription_request(
        email=email, feed_url=feed_url, frequency=frequency, language=language
    )
    return services.subscription_confirm(subscription=result.subscription)


def test_unsubscribe_takes_one_post_without_a_csrf_token(
    make, inbox, run_worker, editor, django_assert_max_num_queries
):
    from django.test import Client

    project = make.make_project(title="Karot Hydropower")
    subscription = confirmed_subscription(project, "leaving@example.org")
    browser = Client(enforce_csrf_checks=True)
    url = f"/alerts/unsubscribe/{subscription.unsubscribe_token}/"

    # Opened in a browser: a button, and nothing changed yet.
    with django_assert_max_num_queries(2):
        page = browser.get(url)
    assert page.status_code == 200 and "<form" in page.text
    assert Subscription.objects.filter(pk=subscription.pk).exists()

    # What a mail client sends (RFC 8058): one POST, no cookie, no token.
    response = browser.post(url, "List-Unsubscribe=One-Click", content_type="text/plain")
    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert browser.post(url).status_code == 404
    assert browser.post("/alerts/unsubscribe/not-a-token/").status_code == 404

    edit_through_review(project, editor, title="Karot Hydropower Project")
    dispatch_alerts.enqueue()
    run_worker()
    assert inbox.messages == []


def test_a_draft_or_a_pending_change_sends_nothing(make, inbox, run_worker, editor):
    project = make.make_project(title="Suki Kinari", sector="energy")
    confirmed_subscription(project, "record@example.org")
    confirmed_subscription("/projects/feed.atom?sector=energy", "list@example.org")
    confirmed_subscription("/search/feed.atom?q=Kinari", "search@example.org")

    # A change waiting for review.
    proposal = Proposal(record=project, author=editor)
    project.title = "Suki Kinari Quillmoor"
    proposal.change_row(project, ["title"], version=None)
    proposal.save()
    # A draft that would enter the list and the search, saved and changed.
    draft = make.make_project(
        title="Kinari draft", sector="energy", publication_status=PublicationStatus.DRAFT
    )
    draft.summary = "changed"
    draft.save()

    dispatch_alerts.enqueue()
    send_digests.enqueue()
    run_worker()

    assert inbox.messages == []
    assert not Delivery.objects.exists()


def test_a_list_subscription_hears_of_a_record_entering_the_list(make, inbox, run_worker, editor):
    entering = make.make_project(title="Port Qasim Coal", sector="transport")
    elsewhere = make.make_project(title="Lahore Orange Line", sector="transport")
    confirmed_subscription("/projects/feed.atom?sector=energy", "energy@example.org")

    edit_through_review(entering, editor, sector="energy")
    edit_through_review(elsewhere, editor, title="Lahore Orange Line Metro")
    dispatch_alerts.enqueue()
    run_worker()

    (mail,) = inbox.messages
    assert "Port Qasim Coal" in body(mail) and "Lahore" not in body(mail)


def test_the_smtp_server_down_retries_and_loses_nothing(
    make, smtp_port, settings, run_worker, editor
):
    from django_tasks_db.models import DBTaskResult

    settings.CPEC_ALERTS_RETRY_SECONDS = 3600
    project = make.make_project(title="Hub Power")
    confirmed_subscription(project, "patient@example.org")
    edit_through_review(project, editor, title="Hub Power Plant")
    dispatch_alerts.enqueue()

    run_worker()  # no server listens on smtp_port

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.QUEUED, 1)
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error
    # Retried as every job is (cpec_tracker.jobs.retried_task): the failed try is a FAILED
    # result with its traceback, the next one queued with its arguments, backed off.
    (failed,) = mail_results(status="FAILED")
    assert jobs.attempt_of(failed) == 1 and "ConnectionRefusedError" in failed.traceback
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.task_path == failed.task_path and jobs.attempt_of(retry) == 2
    assert retry.args_kwargs["args"] == failed.args_kwargs["args"]
    assert retry.run_after > timezone.now()  # backed off: not due before the delay
    run_worker()
    assert Delivery.objects.get().attempts == 1

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        DBTaskResult.objects.filter(pk=retry.pk).update(
            run_after=timezone.now()
        )  # the delay is over
        run_worker()
    finally:
        controller.stop()
    (mail,) = inbox.messages
    assert "Hub Power Plant" in body(mail)
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_mail_failing_every_try_is_marked_failed_for_chief_editors(
    make, smtp_port, settings, run_worker, editor, chief_editor_client, editor_client
):
    settings.CPEC_ALERTS_MAX_ATTEMPTS = 3
    project = make.make_project(title="Sahiwal Coal")
    confirmed_subscription(project, "bouncing@example.org")
    edit_through_review(project, editor, title="Sahiwal Coal Power")
    dispatch_alerts.enqueue()

    run_worker()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    # Given up after the third try: three FAILED results, none queued.
    assert sorted(jobs.attempt_of(result) for result in mail_results(status="FAILED")) == [1, 2, 3]
    assert not mail_results(status="READY").exists()
    listed = chief_editor_client.get("/admin/alerts/delivery/?status__exact=failed")
    assert listed.status_code == 200 and "bouncing@example.org" in listed.text
    assert editor_client.get("/admin/alerts/delivery/").status_code == 403

    # The server is back: a chief editor sends it again, with every try again before it.
    chief_editor_client.post(
        "/admin/alerts/delivery/",
        {"action": "retry", "_selected_action": [delivery.pk]},
    )
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        run_worker()
    finally:
        controller.stop()
    (mail,) = inbox.messages
    assert "Sahiwal Coal Power" in body(mail)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.SENT,
        1,
        "",
    )
    assert editor_client.get("/admin/alerts/subscription/").status_code == 403


def test_a_confirmation_mail_is_retried_then_given_up_for_chief_editors(
    client, make, smtp_port, settings, run_worker, chief_editor_client
):
    settings.CPEC_ALERTS_MAX_ATTEMPTS = 2
    subscribe(client, make.make_project(), "unreachable@example.org")

    run_worker()  # no server listens on smtp_port: both tries fail

    first, last = sorted(mail_results(status="FAILED"), key=jobs.attempt_of)
    assert (jobs.attempt_of(first), jobs.attempt_of(last)) == (1, 2)
    assert first.task_path.endswith("send_confirmation")
    assert not mail_results(status="READY").exists()
    page = chief_editor_client.get(f"/admin/django_tasks_database/dbtaskresult/{last.pk}/change/")
    assert page.status_code == 200 and "ConnectionRefusedError" in page.text


def test_subscribing_is_rate_limited_per_address_and_per_client(client, make, settings):
    settings.CPEC_ALERTS_PER_ADDRESS_PER_HOUR = 2
    settings.CPEC_ALERTS_PER_CLIENT_PER_HOUR = 4
    project = make.make_project()
    assert subscribe(client, project, "bombed@example.org").status_code == 302
    assert subscribe(client, project, "BOMBED@example.org").status_code == 302
    refused = subscribe(client, project, "bombed@example.org")
    assert refused.status_code == 429
    assert "Too many alert requests" in refused.text and refused["Retry-After"] == "3600"
    assert subscribe(client, project, "other@example.org").status_code == 302
    assert subscribe(client, project, "third@example.org").status_code == 302
    assert subscribe(client, project, "fourth@example.org").status_code == 429
    # Another client may still subscribe its own address.
    elsewhere = subscribe(
        type(client)(REMOTE_ADDR="192.0.2.9"), project, "fourth@example.org"
    ).status_code
    assert elsewhere == 302
    assert Subscription.objects.count() == 4


def test_a_confirmation_link_expires_and_a_tampered_one_is_refused(
    client, make, monkeypatch, run_worker, inbox
):
    from cpec_tracker.site.alerts import services

    project = make.make_project()
    subscribe(client, project, "late@example.org")
    subscription = Subscription.objects.get()
    old = __import__("time").time() - 4 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: old)
    expired = services.confirm_token(subscription)
    monkeypatch.undo()
    fresh = services.confirm_token(subscription)

    for token in (expired, fresh[:-2] + "xx", f"{subscription.pk + 1}:{fresh.split(':', 1)[1]}"):
        for method in (client.get, client.post):
            response = method(f"/alerts/confirm/{token}/")
            assert response.status_code == 400, token
            assert "not valid, or has expired" in response.text
    assert not Subscription.objects.get().confirmed
    assert client.post(f"/alerts/confirm/{fresh}/").status_code == 200
    assert Subscription.objects.get().confirmed


@pytest.mark.parametrize(
    "values, status",
    [
        ({"email": "not-an-address", "frequency": "each"}, 400),
        ({"email": "a@example.org", "frequency": "hourly"}, 400),
        (
            {
                "email": "a@example.org",
                "frequency": "each",
                "feed": "/changes/feed.atom?record=projects/nowhere",
            },
            404,
        ),
        ({"email": "a@example.org", "frequency": "each", "feed": "/projects/"}, 404),
        ({"email": "a@example.org", "frequency": "each", "feed": "https://evil.example/x"}, 404),
        (
            {
                "email": "a@example.org",
                "frequency": "each",
                "feed": "/projects/feed.atom?sector=nope",
            },
            404,
        ),
        ({"email": "a@example.org", "frequency": "each", "feed": "/x\x00"}, 400),
        ({"email": "a@example.org", "frequency": "each", "feed": ""}, 400),
    ],
)
def test_bad_subscriptions_are_refused_with_a_message(client, make, values, status):
    make.make_project(slug="somewhere")
    values.setdefault("feed", "/changes/feed.atom?record=projects/somewhere")
    response = client.post("/alerts/subscribe/", values)
    assert response.status_code == status
    assert '<p class="form-errors"' in response.text
    assert not Subscription.objects.exists()


def test_a_cross_site_subscription_is_refused(client, make):
    project = make.make_project()
    response = client.post(
        "/alerts/subscribe/",
        {"email": "a@example.org", "frequency": "each", "feed": record_feed(project)["url"]},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_the_follow_controls_offer_alerts_on_cached_pages(client, make, page_cache):
    project = make.make_project(slug="followed-here")
    for url in (project.get_absolute_url(), "/projects/?sector=energy", "/search/?q=port"):
        client.get(url)  # rendered and stored
        second = client.get(url)
        assert 'action="/alerts/subscribe/"' in second.text, url
        assert "csrfmiddlewaretoken" not in second.text
        assert second.get("X-Cache") == "hit", url
    page = client.get(project.get_absolute_url()).text
    assert 'name="feed" value="/changes/feed.atom?record=projects/followed-here"' in page


def test_a_subscription_keeps_its_language(client, make, run_worker, inbox):
    project = make.make_project(slug="in-urdu")
    response = subscribe(client, project, "urdu@example.org", language_prefix="/ur")
    assert response.status_code == 302 and response["Location"].startswith("/ur/alerts/")
    subscription = Subscription.objects.get()
    assert subscription.language == "ur"
    assert subscription.feed_url == "/changes/feed.atom?record=projects/in-urdu"
    assert subscription.page_url == "/ur/projects/in-urdu/"
    run_worker()
    (mail,) = inbox.messages
    assert "/ur/alerts/confirm/" in body(mail)


def test_the_manage_page_lists_an_address_alerts_and_changes_their_frequency(
    client, make, django_assert_max_num_queries
):
    from cpec_tracker.site.alerts import services

    projects = [make.make_project(title=f"Managed {n}") for n in range(3)]
    subscriptions = [confirmed_subscription(p, "reader@example.org") for p in projects]
    confirmed_subscription(projects[0], "someone-else@example.org")
    url = f"/alerts/manage/{services.address_key('Reader@example.org')}/"

    with django_assert_max_num_queries(3):
        page = client.get(url)
    assert page.status_code == 200
    assert all(f"Managed {n}" in page.text for n in range(3))
    assert "someone-else" not in page.text
    assert f"/alerts/unsubscribe/{subscriptions[0].unsubscribe_token}/" in page.text

    changed = client.post(url, {"subscription": subscriptions[1].pk, "frequency": "daily"})
    assert changed.status_code == 200
    assert Subscription.objects.get(pk=subscriptions[1].pk).frequency == "daily"
    others = Subscription.objects.get(email="someone-else@example.org")
    assert client.post(url, {"subscription": others.pk, "frequency": "daily"}).status_code == 404
    assert client.post(url, {"subscription": "x", "frequency": "daily"}).status_code == 400
    # The link names no address (nothing in it reads as one), and cannot be made from one.
    assert "reader" not in url
    assert client.get("/alerts/manage/forged-token/").status_code == 404
    forged = signing.Signer(salt="other").sign("reader@example.org")
    assert client.get(f"/alerts/manage/{forged}/").status_code == 404


def test_the_digest_command_queues_the_daily_digest_once(make, run_worker):
    from io import StringIO

    from django_tasks_db.models import DBTaskResult

    for _ in range(2):
        call_command("alerts_digest", stdout=StringIO())
    queued = DBTaskResult.objects.filter(task_path=send_digests.module_path, status="READY")
    assert queued.count() == 3  # two digests now, one tomorrow
    run_worker()
    later = DBTaskResult.objects.filter(task_path=send_digests.module_path, status="READY")
    assert later.count() == 1 and later.get().run_after > timezone.now()
