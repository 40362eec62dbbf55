"""System checks: the fonts and libraries PDF rendering needs are there, so letters never print in tofu."""

import ctypes.util
from pathlib import Path

from django.core.checks import Error, register

from .pdf import INSTALL_HINT, configured_fonts, face_names


@register()
def check_pdf_fonts(app_configs=None, **kwargs):
    errors = []
    for _weight, path, face, setting in configured_fonts():
        if not Path(path).is_file():
            errors.append(
                Error(f"The PDF font {path} ({setting}) does not exist.", hint=INSTALL_HINT, id="documents.E001")
            )
            continue
        try:
            names = face_names(path)
        except Exception as error:  # a damaged or unreadable file: report it, do not crash every command
            errors.append(Error(f"The PDF font {path} cannot be read: {error}", hint=INSTALL_HINT, id="documents.E002"))
            continue
        if len(names) > 1 and face not in names:
            errors.append(
                Error(
                    f"The font collection {path} has no face named {face!r}.",
                    hint=f"Set {setting}_FACE to one of: {', '.join(names)}.",
                    id="documents.E002",
                )
            )
    if not ctypes.util.find_library("harfbuzz-subset"):
        errors.append(
            Error(
                "HarfBuzz subsetting (libharfbuzz-subset) is missing: WeasyPrint cannot embed fonts.",
                hint=INSTALL_HINT,
                id="documents.E003",
            )
        )
    return errors
