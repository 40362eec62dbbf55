from django.shortcuts import render


def index(request):
    """What the service offers and how to reach it."""
    return render(request, "smallbiz/index.html")
