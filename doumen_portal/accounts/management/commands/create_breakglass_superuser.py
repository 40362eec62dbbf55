"""Create a break-glass superuser: the only way a superuser is made (never in the admin), and recorded."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from doumen_portal.accounts.services import create_breakglass_superuser
from doumen_portal.exceptions import PortalError

PASSWORD_VARIABLE = "BREAKGLASS_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a superuser for an emergency, with the reason; the creation and every admin request of the "
        f"account are written to the audit log. The password is asked for, or read from ${PASSWORD_VARIABLE} "
        "with --no-input."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--phone", required=True, help="Mobile number of the person who will use the account.")
        parser.add_argument("--reason", required=True, help="Why the account is needed (recorded).")
        parser.add_argument("--no-input", action="store_true", help=f"Read the password from ${PASSWORD_VARIABLE}.")

    def handle(self, *args, username, phone, reason, no_input, **options):
        if no_input:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(f"Set ${PASSWORD_VARIABLE} or leave out --no-input.")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            account = create_breakglass_superuser(
                username=username, phone=phone, password=password, reason=reason, operator=_operator()
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except PortalError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Superuser {account.username} created and recorded. It sets up its authenticator at the first "
                "admin visit; end it with `manage.py revoke_superuser` when the emergency is over."
            )
        )


def _operator() -> str:
    """The operating-system account running the command, for the audit log."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
