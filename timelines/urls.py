from django.urls import path

from timelines import views

urlpatterns = [
    path("", views.home, name="home"),
    path("timeline/newer", views.newer, name="timeline-newer"),
    path("@<str:username>", views.profile, name="profile"),
    path("@<str:username>/replies", views.profile, {"tab": "replies"}, name="profile-replies"),
    path("@<str:username>/media", views.profile, {"tab": "media"}, name="profile-media"),
    path("@<str:username>/likes", views.profile, {"tab": "likes"}, name="profile-likes"),
]
