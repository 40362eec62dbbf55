"""Pages of a petition for tests that visit every page (tests/test_translations.py)."""


def petition_pages_of(person) -> list[str]:
    """File a petition for ``person`` (real-name verified) and return its receipt and detail pages."""
    from django.urls import reverse

    from doumen_portal.places.models import Town
    from petitions.services import submit_petition

    town = Town.objects.order_by("pk").first() or Town.objects.create(code="jingan", name="井岸镇")
    petition = submit_petition(
        person, subject="路灯不亮", facts="小区路灯损坏", request_text="修复", respondent="井岸镇人民政府", town=town
    )
    return [reverse("petitions:receipt", args=[petition.tracking_number]), petition.get_absolute_url()]
