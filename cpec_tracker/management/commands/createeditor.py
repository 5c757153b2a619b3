import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cpec_tracker.roles import EDITORS

PASSWORD_VARIABLE = "CPEC_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a staff account in the Editors group. The password is prompted for, or read "
        f"from {PASSWORD_VARIABLE} when set (for scripts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, email, **options):
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
        user.groups.add(Group.objects.get(name=EDITORS))
        self.stdout.write(f"createeditor: created {username!r} in the {EDITORS} group")

    def prompt_password(self):
        if not os.isatty(0):
            raise CommandError(f"No terminal to prompt on: set {PASSWORD_VARIABLE}.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match; nothing was changed.")
        return password
