"""Print the current TOTP code of an account: a development stand-in for the authenticator app."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from doumen_portal.security.mfa import totp_code, totp_secret


class Command(BaseCommand):
    help = "Print the current six-digit TOTP code of a user (DEBUG only), e.g. for the seed_demo staff."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        # Anyone who can run this on a server could pass any account's second factor.
        if not settings.DEBUG:
            raise CommandError("totp_code is for development only and refuses to run with DEBUG off.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if authenticator is None:
            raise CommandError(f"{username} has no TOTP authenticator; run seed_demo or activate one.")
        self.stdout.write(totp_code(totp_secret(authenticator)))
