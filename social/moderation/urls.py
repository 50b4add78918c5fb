from django.urls import path, re_path

from social.moderation import views

urlpatterns = [
    re_path(
        r"^report/(?P<target_type>tweet|user|message)/(?P<target_id>[0-9]{1,20})$",
        views.report,
        name="report",
    ),
    path("notices", views.notices, name="moderation-notices"),
]
