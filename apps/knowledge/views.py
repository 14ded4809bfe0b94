from django.http import HttpResponse


def theme_index(request):
    return HttpResponse("ok")


def theme_detail(request, slug: str):
    return HttpResponse("ok")
