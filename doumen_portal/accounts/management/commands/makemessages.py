"""``makemessages`` without fuzzy matching: a new string starts untranslated instead of borrowing a
similar string's translation (which would then pass for translated)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
