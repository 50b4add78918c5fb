from django.shortcuts import render


def home(request):
    if not request.user.is_authenticated:
        return render(request, "timelines/welcome.html")
    return render(request, "timelines/home.html")
