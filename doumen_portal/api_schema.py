"""The OpenAPI schema documents the errors each operation really answers, in the one error shape."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from .api_errors import ErrorSerializer

WRITES = ("POST", "PUT", "PATCH", "DELETE")


class PortalAutoSchema(AutoSchema):
    """Adds to every operation the error answers of the API (see ``api_errors``):

    - 400 when the operation takes a body or query parameters (field errors, malformed or too deep JSON);
    - 401 always: not signed in, or an expired, revoked or unknown API token (``WWW-Authenticate: Token``);
    - 403 always: no permission, a staff session without the second factor, a missing CSRF token;
    - 404 when the address names an object (it does not exist or is not yours) and for lists (past the last
      page);
    - 409 for writes refused in the object's current state.
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        answers = {"401": "Not signed in, or the API token is expired or revoked.", "403": "Not allowed."}
        if method in WRITES or any(p["in"] == "query" for p in parameters):
            answers["400"] = "The input or a query parameter is not valid; `fields` names them."
        if any(p["in"] == "path" for p in parameters) or self._is_list_view():
            answers["404"] = "Nothing was found (or it is not yours to see)."
        if method in WRITES:
            answers["409"] = "Not possible in the object's current state, or it clashes with stored data."
        for status, description in sorted(answers.items()):
            operation["responses"].setdefault(
                status, self._get_response_for_code(OpenApiResponse(ErrorSerializer, description), status)
            )
        return operation
