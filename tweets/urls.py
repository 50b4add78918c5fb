from django.urls import path

from tweets import draft_views, link_card_views, poll_views, views

status = "@<str:username>/status/<int:tweet_id>"

urlpatterns = [
    path("compose", views.compose, name="compose"),
    path("compose/card-preview", link_card_views.card_preview, name="link-card-preview"),
    path("drafts", draft_views.drafts_page, name="drafts"),
    path("drafts/save", draft_views.draft_save, name="draft-save"),
    path("drafts/<int:draft_id>/edit", draft_views.draft_edit, name="draft-edit"),
    path("drafts/<int:draft_id>/delete", draft_views.draft_delete, name="draft-delete"),
    path("drafts/<int:draft_id>/publish", draft_views.draft_publish_now, name="draft-publish"),
    path("scheduled", draft_views.scheduled_page, name="scheduled"),
    path(status, views.tweet_page, name="tweet"),
    path(f"{status}/likes", views.likers_page, name="tweet-likes"),
    path(f"{status}/retweets", views.retweeters_page, name="tweet-retweets"),
    path(f"{status}/quotes", views.quotes_page, name="tweet-quotes"),
    path(f"{status}/history", views.history_page, name="tweet-history"),
    path(f"{status}/edit", views.edit_page, name="tweet-edit"),
    path(f"{status}/delete", views.delete_page, name="tweet-delete"),
    path("media/<int:media_id>/item", views.media_item, name="media-item"),
    path("tweets/<int:tweet_id>/like", views.like, name="tweet-like"),
    path("tweets/<int:tweet_id>/unlike", views.unlike, name="tweet-unlike"),
    path("tweets/<int:tweet_id>/retweet", views.retweet, name="tweet-retweet"),
    path("tweets/<int:tweet_id>/unretweet", views.unretweet, name="tweet-unretweet"),
    path("tweets/<int:tweet_id>/pin", views.pin, name="tweet-pin"),
    path("tweets/<int:tweet_id>/unpin", views.unpin, name="tweet-unpin"),
    path("tweets/<int:tweet_id>/bookmark", views.bookmark, name="tweet-bookmark"),
    path("tweets/<int:tweet_id>/unbookmark", views.unbookmark, name="tweet-unbookmark"),
    path("bookmarks", views.bookmarks_page, name="bookmarks"),
    path("tweets/<int:tweet_id>/poll/vote", poll_views.vote, name="tweet-poll-vote"),
]
