from django.urls import path

from search import views

urlpatterns = [
    path("explore", views.explore, name="explore"),
    path("search", views.search, name="search"),
    path("search/mentions", views.mention_suggestions, name="mention-suggestions"),
    path("search/hashtags", views.hashtag_suggestions, name="hashtag-suggestions"),
    path("trends", views.trends_panel, name="trends-panel"),
    path("hashtag/<str:tag>", views.hashtag, name="hashtag"),
]
