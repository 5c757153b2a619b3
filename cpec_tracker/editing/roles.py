"""The editors' groups and what their members may do, granted after every `migrate`.

Editors add, change and view tracker records; they cannot publish or delete them.
Chief editors may also delete, and publish and unpublish records (the `publish_<model>`
permission, which only public records — those with a publication status — have).
The groups are given the permissions of every kind of record in the registry by a
post_migrate handler, so a new kind gets them without a migration of its own.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django_tasks_db.models import DBTaskResult

from cpec_tracker.editing.models import PendingChange
from cpec_tracker.records import registry
from cpec_tracker.records.models import ErrorReport

EDITORS = "Editors"
CHIEF_EDITORS = "Chief editors"
# Editors keep records: they may add, change and view them; deleting is left to chief editors.
EDITOR_ACTIONS = ["add", "change", "view"]
CHIEF_EDITOR_ACTIONS = ["add", "change", "view", "delete", "publish"]
GROUP_ACTIONS = {EDITORS: EDITOR_ACTIONS, CHIEF_EDITORS: CHIEF_EDITOR_ACTIONS}
# The review queue (cpec_tracker.editing.review): everyone sees what waits; chief editors
# approve and reject.
REVIEW_ACTIONS = {EDITORS: ["view"], CHIEF_EDITORS: ["view", "review"]}
# Readers' reports are not a kind of record: editors read and close them (readers add them,
# without an account); chief editors may also delete one (spam).
REPORT_ACTIONS = {EDITORS: ["change", "view"], CHIEF_EDITORS: ["change", "view", "delete"]}
# Background jobs (the /data/ build, alerts; cpec_tracker/jobs.py): chief editors see their
# results in the admin, failed ones with their traceback; nobody changes them by hand.
JOB_ACTIONS = {EDITORS: [], CHIEF_EDITORS: ["view"]}


def publish_codename(model):
    """The permission to publish and unpublish records of `model`: "publish_meeting"."""
    return f"publish_{model._meta.model_name}"


def _is_publishable(model):
    return any(field.name == "publication_status" for field in model._meta.fields)


def _permission(model, action, using):
    """The permission for `action` on `model`, created when missing (Django creates the
    default ones after migrate too, app by app; this may run before an app's turn)."""
    content_type = ContentType.objects.db_manager(using).get_for_model(
        model, for_concrete_model=False
    )
    if action == "publish":
        codename = publish_codename(model)
        name = f"Can publish and unpublish {model._meta.verbose_name}"
    else:
        codename = f"{action}_{model._meta.model_name}"
        name = f"Can {action} {model._meta.verbose_name}"
    permission, _ = Permission.objects.using(using).get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def grant_editors_permissions(sender=None, *, using="default", **kwargs):
    """post_migrate handler: create the editors' groups if missing and give each its actions
    on every registered kind, and its part in reviews. Safe to run any number of times."""
    for group_name, actions in GROUP_ACTIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        group.permissions.add(
            *(
                _permission(kind.model, action, using)
                for kind in registry.record_kinds()
                for action in actions
                if action in kind.model._meta.default_permissions
                or (action == "publish" and _is_publishable(kind.model))
            ),
            *(_permission(PendingChange, action, using) for action in REVIEW_ACTIONS[group_name]),
            *(_permission(ErrorReport, action, using) for action in REPORT_ACTIONS[group_name]),
            *(_permission(DBTaskResult, action, using) for action in JOB_ACTIONS[group_name]),
        )
