import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cpec_tracker.editing.roles import CHIEF_EDITORS, EDITORS

PASSWORD_VARIABLE = "CPEC_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a staff account in the Editors group (--chief: the Chief editors group). The "
        f"password is prompted for, or read from {PASSWORD_VARIABLE} when set (for scripts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--chief",
            action="store_true",
            help="A chief editor, who may also publish, unpublish and delete records.",
        )

    def handle(self, *args, username, email, chief, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists; nothing was changed.")
        user = User(username=username, email=email, is_staff=True)
        password = os.environ.get(PASSWORD_VARIABLE) or self.prompt_password()
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user.set_password(password)
        user.save()
        group = CHIEF_EDITORS if chief else EDITORS
        user.groups.add(Group.objects.get(name=group))
        self.stdout.write(f"createeditor: created {username!r} in the {group} group")

    def prompt_password(self):
        if not os.isatty(0):
            raise CommandError(f"No terminal to prompt on: set {PASSWORD_VARIABLE}.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match; nothing was changed.")
        return password
