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
from django.core.management import call_command

from cpec_tracker.editing.review import Proposal
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
