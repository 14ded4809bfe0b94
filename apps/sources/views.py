from django.http import HttpResponse


def home(request):
    return HttpResponse("ok")


def source_detail(request, source_id: int):
    return HttpResponse("ok")
