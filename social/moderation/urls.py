from django.urls import path

from social.moderation import views

urlpatterns = [
    # Plain converters, so a card's report link is built the short way (config/kernel/template_urls.py):
    # a regex pattern sent each post card through Django's reverse(). The view judges the kind and the id.
    path("report/<str:target_type>/<int:target_id>", views.report, name="report"),
    path("notices", views.notices, name="moderation-notices"),
]
