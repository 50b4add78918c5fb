from django.urls import path

from timelines import lists_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("timeline/newer", views.newer, name="timeline-newer"),
    path("@<str:username>", views.profile, name="profile"),
    path("@<str:username>/replies", views.profile, {"tab": "replies"}, name="profile-replies"),
    path("@<str:username>/media", views.profile, {"tab": "media"}, name="profile-media"),
    path("@<str:username>/likes", views.profile, {"tab": "likes"}, name="profile-likes"),
    path("lists", lists_views.lists_page, name="lists"),
    path("lists/for/<str:username>", lists_views.profile_lists, name="profile-lists"),
    path("lists/<str:list_id>", lists_views.list_page, name="list"),
    path("lists/<str:list_id>/newer", lists_views.list_newer, name="list-newer"),
    path("lists/<str:list_id>/edit", lists_views.list_edit, name="list-edit"),
    path("lists/<str:list_id>/delete", lists_views.list_delete, name="list-delete"),
    path("lists/<str:list_id>/members", lists_views.list_members, name="list-members"),
    path(
        "lists/<str:list_id>/members/<str:username>/<str:action>",
        lists_views.list_member_action,
        name="list-member-action",
    ),
]
