"""The editors' groups and what their members may do; applied by migrations, not by hand.

Editors add, change and view tracker records; they cannot publish or delete them.
Chief editors may also delete, and publish and unpublish records (the `publish_<model>`
permission, which only public records — those with a publication status — have).
"""

from django.contrib.auth.management import create_permissions

TRACKER_APPS = ["cpec_tracker", "meetings", "projects"]
EDITORS = "Editors"
CHIEF_EDITORS = "Chief editors"
# Editors keep records: they may add, change and view them; deleting is left to chief editors.
EDITOR_ACTIONS = ["add", "change", "view"]
CHIEF_EDITOR_ACTIONS = ["add", "change", "view", "delete", "publish"]


def publish_codename(model):
    """The permission to publish and unpublish records of `model`: "publish_meeting"."""
    return f"publish_{model._meta.model_name}"


def _create_default_permissions(apps):
    # Permissions are normally created after migrations finish; create them now so the
    # groups can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None


def _tracker_models(apps):
    """The tracker's own models, without the history tables django-simple-history adds and
    without bookkeeping that has no permissions at all (the page cache's data version)."""
    return [
        model
        for app_label in TRACKER_APPS
        for model in apps.get_app_config(app_label).get_models()
        if not model._meta.model_name.startswith("historical") and model._meta.default_permissions
    ]


def _is_publishable(model):
    return any(field.name == "publication_status" for field in model._meta.fields)


def _grant(apps, group_name, actions):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name=group_name)
    permissions = []
    for model in _tracker_models(apps):
        content_type, _ = ContentType.objects.get_or_create(
            app_label=model._meta.app_label, model=model._meta.model_name
        )
        for action in actions:
            if action == "publish":
                if not _is_publishable(model):
                    continue
                codename = publish_codename(model)
                name = f"Can publish and unpublish {model._meta.verbose_name}"
            else:
                codename = f"{action}_{model._meta.model_name}"
                name = f"Can {action} {model._meta.verbose_name}"
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name}
            )
            permissions.append(permission)
    group.permissions.add(*permissions)


def grant_editor_permissions(apps, schema_editor):
    """Create the Editors group and give it every editor action on every tracker model."""
    _create_default_permissions(apps)
    _grant(apps, EDITORS, EDITOR_ACTIONS)


def grant_chief_editor_permissions(apps, schema_editor):
    """Create the Chief editors group: editors' actions plus delete, publish and unpublish."""
    _create_default_permissions(apps)
    _grant(apps, CHIEF_EDITORS, CHIEF_EDITOR_ACTIONS)
