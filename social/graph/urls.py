from django.urls import path, re_path

from social.graph import filters_views, views

urlpatterns = [
    re_path(
        r"^@(?P<username>[A-Za-z][A-Za-z0-9_]{0,14})/(?P<action>follow|unfollow|block|unblock|mute|unmute)$",
        views.relation_action,
        name="relation-action",
    ),
    path("@<str:username>/followers", views.followers_page, name="followers"),
    path("@<str:username>/following", views.following_page, name="following"),
    path("follow-requests", views.requests_page, name="follow-requests"),
    path(
        "follow-requests/<int:request_id>/approve", views.request_answer, {"answer": "approve"}, name="request-approve"
    ),
    path("follow-requests/<int:request_id>/deny", views.request_answer, {"answer": "deny"}, name="request-deny"),
    path("settings/blocked", views.blocked_page, name="settings-blocked"),
    path("settings/muted", views.muted_page, name="settings-muted"),
    path("settings/muted-words", filters_views.muted_words_page, name="settings-muted-words"),
    path("settings/muted-words/<int:word_id>/remove", filters_views.muted_word_remove, name="muted-word-remove"),
    path("suggestions", views.suggestions, name="suggestions"),
]
