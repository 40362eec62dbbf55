"""The Chinese catalog is complete and compiled, and every page renders in both languages."""

import gettext
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import require
from tests.factories import StaffFactory, VerifiedCitizenFactory

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def unquote(chunks: list[str]) -> str:
    return "".join(chunk.encode("latin-1", "backslashreplace").decode("unicode_escape") for chunk in chunks)


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgid_plural, msgstr (list) and flags."""
    entries, entry, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry or {"flags": set(), "msgid": [], "msgid_plural": [], "msgstr": {}, "msgctxt": []}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        else:
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$', line)
            if match:
                name, index, text = match.groups()
                if name.startswith("msgstr"):
                    field = ("msgstr", int(index or 0))
                    entry["msgstr"][field[1]] = [text]
                else:
                    field = (name, None)
                    entry[name] = [text]
            elif line.startswith('"') and field:
                text = line[1:-1]
                if field[0] == "msgstr":
                    entry["msgstr"][field[1]].append(text)
                else:
                    entry[field[0]].append(text)
    return [
        {
            "msgid": unquote(e["msgid"]),
            "msgctxt": unquote(e["msgctxt"]),
            "msgstr": [unquote(chunks) for _index, chunks in sorted(e["msgstr"].items())],
            "fuzzy": "fuzzy" in e["flags"],
        }
        for e in entries
        if e["msgid"] or e["msgstr"]
    ]


def untranslated(entries):
    return [e["msgid"] for e in entries if e["msgid"] and (e["fuzzy"] or not all(e["msgstr"]))]


def test_zh_hans_catalog_has_no_empty_or_fuzzy_msgstr():
    entries = parse_po(PO)
    assert len(entries) > 100
    assert untranslated(entries) == []


def test_compiled_catalog_matches_the_po_file():
    compiled = gettext.GNUTranslations(MO.open("rb"))
    for entry in parse_po(PO):
        if entry["msgid"] and not entry["msgctxt"]:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]


def test_every_translatable_string_in_the_code_is_in_the_catalog(tmp_path):
    """Run makemessages on a mirror of the project whose catalog is a copy: a string added without a
    translation shows up empty there, and the real catalog is left alone."""
    require(shutil.which("xgettext") is not None, "GNU gettext (xgettext)")
    base = Path(settings.BASE_DIR)
    for name in ["doumen_portal", "incubator", "petitions", "smallbiz", "social_work", "templates"]:
        (tmp_path / name).symlink_to(base / name)
    copy = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(PO, copy / "django.po")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        call_command("makemessages", locale=["zh_Hans"], symlinks=True, no_obsolete=True, verbosity=0)
    finally:
        os.chdir(cwd)
    assert untranslated(parse_po(copy / "django.po")) == []


# Every page template is reached by one of these; the test fails when a template is added without a page.
PAGES_ANONYMOUS = ["/", "/petitions/", "/incubator/", "/smallbiz/", "/social-work/", "/no-such-page/"]
PAGES_CITIZEN = ["/my-affairs/", "/accounts/profile/", "/inbox/", "/accounts/identity-correction/"]
PAGES_UNVERIFIED = ["/accounts/real-name/"]
PAGES_ANONYMOUS += ["/petitions/progress/", "/privacy/", "/terms/"]
PAGES_CITIZEN += ["/petitions/new/", "/petitions/mine/"]
PAGES_CITIZEN += ["/accounts/api-tokens/", "/accounts/close/"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_template_renders_in_both_languages(client, language):
    from django.test import Client

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    used = set()

    def fetch(http, url):
        response = http.get(url)
        assert response.status_code in (200, 404), url
        page = response.content.decode()
        expected_lang = "zh-Hans" if language == "zh-hans" else "en"
        assert f'<html lang="{expected_lang}">' in page, url
        used.update(t.name for t in response.templates if t.name)

    for url in PAGES_ANONYMOUS:
        fetch(client, url)
    citizen = Client()
    citizen.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    person = VerifiedCitizenFactory()
    citizen.force_login(person)
    for url in PAGES_CITIZEN:
        fetch(citizen, url)
    from doumen_portal.accounts.services import submit_identity_correction

    correction = submit_identity_correction(person, corrected_name="李明华", id_number="11010519491231002X", reason="x")
    fetch(citizen, correction.get_absolute_url())
    fetch(citizen, reverse("accounts:correction_step", args=[correction.reference]) + "?action=withdraw")
    for url in __import__("tests.petitions.pages").petitions.pages.petition_pages_of(person):
        fetch(citizen, url)
    from tests.incubator.conftest import pages_with_data

    for url in pages_with_data(person):
        fetch(citizen, url)
    unverified = Client()
    unverified.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    unverified.force_login(StaffFactory(is_staff=False))
    for url in PAGES_UNVERIFIED:
        fetch(unverified, url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    fetch(client, reverse("account_login"))
    fetch(client, reverse("account_signup"))
    fetch(client, reverse("api_docs"))
    fetch(client, reverse("accounts:password_reset_sms"))
    fetch(client, reverse("account_request_login_code"))
    # The second pages of the SMS password reset and of the login by code, reached by asking for a code.
    client.post(reverse("accounts:password_reset_sms"), {"phone": "13912345678"})
    fetch(client, reverse("accounts:password_reset_sms_confirm"))
    client.post(reverse("account_request_login_code"), {"phone": "13912340000"})
    fetch(client, reverse("account_confirm_login_code"))

    templates = Path(settings.BASE_DIR) / "templates"
    pages = {
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        # partials and layouts are parts of pages; admin pages have their own tests; documents/ are PDFs
        if not {"partials", "layouts", "admin", "documents"} & set(path.parts)
    }
    # 403, 413, 429, 500 and the lockout page are rendered by their own tests; base.html by every page.
    missing = pages - used - {"403.html", "413.html", "429.html", "500.html", "security/locked_out.html"}
    assert missing == set()
