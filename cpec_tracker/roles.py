"""The editors' group and what its members may do; applied by migrations, not by hand."""

from django.contrib.auth.management import create_permissions

TRACKER_APPS = ["cpec_tracker", "meetings", "projects"]
EDITORS = "Editors"
# Editors keep records: they may add, change and view them, but deleting is left to admins.
EDITOR_ACTIONS = ["add", "change", "view"]


def grant_editor_permissions(apps, schema_editor):
    """Create the Editors group and give it every editor action on every tracker model."""
    # Permissions are normally created after migrations finish; create them now so the
    # group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    codenames = [
        f"{action}_{model._meta.model_name}"
        for app_label in TRACKER_APPS
        for model in apps.get_app_config(app_label).get_models()
        for action in EDITOR_ACTIONS
    ]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=TRACKER_APPS, codename__in=codenames)
    )
