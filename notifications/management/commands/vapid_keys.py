"""Print a new VAPID key pair for Web Push, as environment lines."""

from django.core.management.base import BaseCommand

from config.embedded.vapid import generate


class Command(BaseCommand):
    help = (
        "Make a new VAPID key pair (P-256) for Web Push and print it as VAPID_PRIVATE_KEY= and VAPID_PUBLIC_KEY= "
        "lines for the environment. Keep the pair: browsers subscribed for its public key, and a new pair leaves "
        "them without push until they subscribe again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--subject", default="", help="Also print VAPID_SUBJECT (a mailto: or https: URL).")

    def handle(self, *args, subject: str, **options):
        private, public = generate()
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}")
        if subject:
            self.stdout.write(f"VAPID_SUBJECT={subject}")
