import unicodedata

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class PortalLanguageMiddleware:
    """Chinese unless the person chose otherwise.

    Pages follow the language cookie set by the language switch, then the signed-in person's saved choice,
    not the browser's Accept-Language: the portal is Chinese first, and an English-language phone should
    not surprise a Doumen villager. API clients, which have no cookie, may ask with Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in SUPPORTED:
            language = None
        if language is None and request.path_info.startswith("/api/"):
            accepted = translation.get_language_from_request(request)
            language = accepted if accepted in SUPPORTED else None
        if language is None and settings.SESSION_COOKIE_NAME in request.COOKIES:
            # A signed-in person on a new device: the language they chose before.
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.language in SUPPORTED:
                language = user.language
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        return response


class RateLimitedMiddleware:
    """Turn allauth's rate-limit refusals raised deep inside a flow into the friendly 429 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from allauth.core.exceptions import RateLimited
        from allauth.core.ratelimit import respond_429

        if isinstance(exception, RateLimited):
            return respond_429(request)
        return None


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than the portal reads, before anything reads it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE covers form fields, not files: without this a form with five file
    inputs took whatever arrived. A declared body above REQUEST_BODY_MAX_BYTES (the files of one request
    plus the form fields; the proxy's limit is the same) answers 413; on the API, a JSON body above
    DATA_UPLOAD_MAX_MEMORY_SIZE answers the API's JSON 400, never an HTML page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_BYTES:
            return self._too_large(request)
        if _is_api(request) and not _is_multipart(request) and length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return self._api_body_too_large()
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import RequestDataTooBig

        # A body without a declared length is counted as it is read: the same answer when it overflows.
        if isinstance(exception, RequestDataTooBig) and _is_api(request):
            return self._api_body_too_large()
        return None

    @staticmethod
    def _too_large(request):
        from django.http import JsonResponse
        from django.shortcuts import render
        from django.template.defaultfilters import filesizeformat
        from django.utils.translation import gettext

        total = filesizeformat(settings.ATTACHMENT_MAX_REQUEST_BYTES)
        each = filesizeformat(settings.ATTACHMENT_MAX_BYTES)
        if _is_api(request):
            detail = gettext("The request is too large: files sent at once may total at most %(total)s.")
            return JsonResponse({"detail": detail % {"total": total}, "code": "request_too_large"}, status=413)
        return render(request, "413.html", {"total": total, "each": each}, status=413)

    @staticmethod
    def _api_body_too_large():
        from django.http import JsonResponse
        from django.template.defaultfilters import filesizeformat
        from django.utils.translation import gettext

        detail = gettext("The request body is too large: at most %(limit)s.") % {
            "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
        return JsonResponse({"detail": detail, "code": "request_too_large"}, status=400)


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _is_multipart(request) -> bool:
    return request.META.get("CONTENT_TYPE", "").startswith("multipart/")


class RefuseControlCharactersMiddleware:
    """A path with a control character (NUL, line breaks...) names nothing: 404. A query parameter with a
    NUL byte is refused with 400. PostgreSQL cannot store or compare NUL, so without this such an address
    reached the database and ended in a server error. API requests get the API's error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_control_character(request.path_info):
            if request.path_info.startswith("/api/"):
                from .api_errors import NOTHING_FOUND, error_body

                return JsonResponse(error_body(NOTHING_FOUND, "not_found"), status=404)
            raise Http404(gettext("Nothing was found at this address."))
        refused = sorted({name for name, values in request.GET.lists() if "\x00" in name + "".join(values)})
        if refused:
            message = gettext("A query parameter contains a NUL character: %(names)s.") % {
                "names": ", ".join(name.replace("\x00", "\\0") for name in refused)
            }
            if request.path_info.startswith("/api/"):
                from .api_errors import error_body

                fields = {name.replace("\x00", "\\0"): [message] for name in refused}
                return JsonResponse(error_body(message, "invalid", fields), status=400)
            raise BadRequest(message)
        return self.get_response(request)


def _has_control_character(text: str) -> bool:
    return any(unicodedata.category(character) == "Cc" for character in text)
