"""Fill an empty database with a living demo site."""

import random

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, seed_users
from accounts.models import User
from notifications.demo import seed_conversation_mutes
from social.graph.demo import seed_graph
from social.messages.demo import seed_messages
from social.moderation.demo import seed_reports
from timelines.demo import seed_lists
from tweets.demo import seed_bookmarks, seed_drafts, seed_pins_and_warnings, seed_tweets


class Command(BaseCommand):
    help = "Create demo people (and, as features land, their posts, follows and messages)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any user exists.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for a repeatable demo.")

    def handle(self, *args, if_empty: bool, seed: int, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo makes accounts with a published password; not in production.")
        if User.objects.exists():
            if if_empty:
                self.stdout.write("The database already has users; no demo data added.")
                return
            raise CommandError("The database already has users. Use a fresh database for the demo.")
        rng = random.Random(seed)
        with transaction.atomic():
            users = seed_users(rng)
            EmailAddress.objects.bulk_create(
                EmailAddress(user=user, email=user.email, verified=True, primary=True)
                for user in User.objects.exclude(email="")
            )
            posts = seed_tweets(rng, users)
            posts += seed_pins_and_warnings(rng, users)
            graph = seed_graph(rng, users)
            sent = seed_messages(users)
            seed_reports(users)
            seed_conversation_mutes(users)  # 'ada' muted one thread
            seed_bookmarks(rng, users)
            seed_drafts(users)
            lists = seed_lists(rng, users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(users)} people, {graph['follows']} follows, {posts} posts, {sent} messages."
            )
        )
        self.stdout.write("'ada' has a draft and a post scheduled for tomorrow (/drafts, /scheduled).")
        self.stdout.write(f"{lists} lists: 'ada' has a public 'Favourites' and a private 'Reading later'.")
        self.stdout.write("'wren' is private with a pending request from 'bruno'; 'dana' blocked 'ivan'.")
        self.stdout.write(f"Log in as any of them (e.g. 'ada') with the password {DEMO_PASSWORD!r};")
        self.stdout.write("'moderator' and 'root' (superuser) use it too, at /admin/ (two reports are waiting).")
