"""Pages of the API's lists: a page number that is not one is a 400 naming ``page``."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class PortalPageNumberPagination(PageNumberPagination):
    """DRF's page numbers (``?page=2``, ``?page=last``). ``?page=abc`` or ``?page=0`` is bad input (400 with
    the parameter named), not a missing page; a page past the last one is still a 404."""

    def get_page_number(self, request, paginator):
        value = super().get_page_number(request, paginator)
        if value in self.last_page_strings:
            return value
        try:
            number = int(str(value))
        except ValueError:
            number = 0
        if number < 1:
            raise ValidationError({self.page_query_param: [_("Give a page number: 1, 2, 3…")]})
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters
