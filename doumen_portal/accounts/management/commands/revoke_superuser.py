"""End a break-glass superuser's powers; recorded in the audit log."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from doumen_portal.accounts.services import revoke_superuser
from doumen_portal.exceptions import PortalError

from .create_breakglass_superuser import _operator


class Command(BaseCommand):
    help = "Take the superuser flag from an account, with the reason (recorded in the audit log)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True)

    def handle(self, *args, username, reason, **options):
        account = get_user_model().objects.filter(username=username).first()
        if account is None:
            raise CommandError(f"No account {username}.")
        try:
            revoke_superuser(account, reason=reason, operator=_operator())
        except PortalError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(self.style.SUCCESS(f"{username} is no longer a superuser; this was recorded."))
