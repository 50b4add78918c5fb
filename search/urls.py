from django.urls import path

from search import views

urlpatterns = [path("explore", views.explore, name="explore")]
