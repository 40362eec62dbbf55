"""Lift a login lockout from the command line, with an entry in the audit log."""

from django.core.management.base import BaseCommand, CommandError

from doumen_portal.exceptions import PortalError
from doumen_portal.security.services import unlock_login


class Command(BaseCommand):
    help = (
        "Lift the login lockout of an account (mobile number or e-mail, as typed) and/or a client address. "
        "Recorded in the audit log; use it instead of axes_reset, which is not."
    )

    def add_arguments(self, parser):
        parser.add_argument("login", nargs="?", default="", help="Mobile number or e-mail of the account.")
        parser.add_argument("--ip", default="", help="Client address to unlock.")

    def handle(self, *args, login, ip, **options):
        try:
            removed = unlock_login(login=login, ip_address=ip)
        except PortalError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"Removed {removed} failure record(s).")
