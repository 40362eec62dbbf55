from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

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
