"""Build the SPEC §5 `bench` data set into PostgreSQL, with COPY.

    python -m bench.build [--scale full|small] [--seed 5]

Full scale: 10,000 users; a power-law follow graph (median ~100 followees,
five accounts followed by half of everyone, one reader following exactly
1,000); 500,000 tweets over 30 days (posts, replies, retweets, quotes, tags,
mentions); 1,000,000 likes. Counts are computed while generating, so every
denormalised column is right without a recount. Reads DATABASE_URL; the
database is migrated and its content tables emptied first.

Tweets mix 52 common words (each in about a fifth of all tweets) with one to
three pseudo-words from a Zipf-weighted vocabulary of 5,000 (bench/vocab.py),
so search meets terms in tens of thousands of tweets and terms in a handful.
Display names are varied first and last names. Both are drawn from their own
random streams, so the follow graph, authors, times and common words are the
same as before they were added.
"""

from __future__ import annotations

import argparse
import bisect
import functools
import math
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from bench import vocab

SCALES = {
    "full": {"users": 10_000, "tweets": 500_000, "likes": 1_000_000, "stars": 5, "median_followees": 100,
             "reader_following": 1000, "days": 30},
    "small": {"users": 600, "tweets": 12_000, "likes": 24_000, "stars": 3, "median_followees": 25,
              "reader_following": 150, "days": 30},
}  # fmt: skip
STAR_SHARE = 0.5  # each star is followed by about half of all users
ACTIVE_SHARE = 0.9  # visited in the last day; the rest have been away for weeks
TAGS = [
    "django", "python", "music", "football", "art", "science", "food", "travel", "photography", "news",
    "gaming", "books", "running", "climate", "design", "coffee", "space", "cats", "dogs", "movies",
    "jazz", "history", "health", "startups", "opensource", "chess", "cycling", "ocean", "poetry", "robots",
]  # fmt: skip
WORDS = [
    "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "morning", "coffee", "bright", "sun", "rain",
    "city", "train", "bridge", "river", "music", "loud", "quiet", "garden", "tomato", "bread", "market", "friend",
    "family", "weekend", "ticket", "concert", "idea", "plan", "code", "test", "ship", "bug", "release", "moon",
    "star", "planet", "ocean", "wave", "mountain", "trail", "snow", "light", "shadow", "window", "story",
    "chapter", "page", "book", "cat",
]  # fmt: skip
# Bench users carry this in their bio: bench.run rebuilds a data set made by an older generator.
DATA_VERSION = 2
BIO = f"Generated for the benchmark (data v{DATA_VERSION})."
TRUNCATE = [
    "tweets_tweet_mentions", "tweets_tweethashtag", "tweets_hashtag", "tweets_like", "tweets_tweetedit",
    "tweets_media", "tweets_tweet", "social_follow", "social_followrequest", "social_block", "social_mute",
    "knox_authtoken", "account_emailaddress", "django_session", "accounts_user_groups",
    "accounts_user_user_permissions", "accounts_idempotencykey", "accounts_user",
]  # fmt: skip


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


@functools.cache
def rare_words() -> list[str]:
    """The pseudo-word vocabulary, most frequent first (the same list bench.run draws search terms from)."""
    return vocab.rare_vocabulary(avoid=WORDS + TAGS)


def setup_django() -> None:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


class Builder:
    def __init__(self, scale: dict, seed: int):
        self.scale = scale
        self.rng = random.Random(seed)
        # Separate streams for what was added later, so the rest of the data set stays as it was.
        self.names_rng = random.Random(f"{seed}-names")
        self.words_rng = random.Random(f"{seed}-words")
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.n = scale["users"]

    # --- people and the graph ----------------------------------------------------------

    def users(self) -> list[tuple]:
        from django.contrib.auth.hashers import make_password

        password = make_password("bench-password", hasher="pbkdf2_sha256")
        joined = self.now - timedelta(days=self.scale["days"] + 30)
        rows = []
        self.active = []
        for uid in range(1, self.n + 1):
            active = self.rng.random() < ACTIVE_SHARE or uid <= self.scale["stars"] or uid == self.n
            seen = self.now - (timedelta(hours=self.rng.uniform(0, 24)) if active else timedelta(days=45))
            if active:
                self.active.append(uid)
            username = "reader1000" if uid == self.n else f"user{uid}"
            name = f"{self.names_rng.choice(vocab.FIRST_NAMES)} {self.names_rng.choice(vocab.LAST_NAMES)}"
            rows.append([uid, password, None, False, "", "", False, True, joined, username,
                         f"{username}@bench.example", name, BIO,
                         "", "", "", "", False, "everyone", 0, 0, seen, "{}", None, ""])  # fmt: skip
        return rows

    def follows(self) -> list[tuple]:
        """Preferential attachment: popular accounts get most follows; a few stars get half of everyone."""
        n, stars = self.n, self.scale["stars"]
        ranks = list(range(1, n + 1))
        self.rng.shuffle(ranks)
        weights = [1 / (r**0.85) for r in ranks]
        cumulative = []
        total = 0.0
        for w in weights:
            total += w
            cumulative.append(total)
        pairs: set[tuple[int, int]] = set()
        sigma = 0.9
        for follower in range(1, n + 1):
            if follower == n:
                want = self.scale["reader_following"]
            else:
                want = int(
                    min(max(math.exp(self.rng.gauss(math.log(self.scale["median_followees"]), sigma)), 3), n / 5)
                )
            chosen: set[int] = set()
            while len(chosen) < want:
                draw = bisect.bisect_left(cumulative, self.rng.random() * total) + 1
                if draw != follower and draw > stars:
                    chosen.add(draw)
            pairs.update((follower, followee) for followee in chosen)
            for star in range(1, stars + 1):
                if star != follower and follower != n and self.rng.random() < STAR_SHARE:
                    pairs.add((follower, star))
        self.followers_count = [0] * (n + 1)
        self.following_count = [0] * (n + 1)
        rows = []
        created = self.now - timedelta(days=self.scale["days"] + 5)
        for fid, (follower, followee) in enumerate(sorted(pairs), start=1):
            self.followers_count[followee] += 1
            self.following_count[follower] += 1
            rows.append((fid, created, followee, follower))
        return rows

    # --- tweets ------------------------------------------------------------------------

    def tweets(self) -> tuple[list, list, list, list]:
        from config.kernel import ids, text

        total, n = self.scale["tweets"], self.n
        activity = [math.exp(self.rng.gauss(0, 1.1)) for _ in range(n + 1)]
        activity[0] = 0
        for star in range(1, self.scale["stars"] + 1):
            activity[star] *= 4
        authors = self.rng.choices(range(n + 1), weights=activity, k=total)
        span = self.scale["days"] * 86400
        moments = sorted(self.now - timedelta(seconds=self.rng.uniform(60, span)) for _ in range(total))
        tag_weights = [1 / (i + 1) for i in range(len(TAGS))]
        rare = rare_words()
        rare_cumulative = vocab.zipf_cumulative(len(rare))
        rare_counts = [n for n, _ in vocab.RARE_PER_TWEET]
        rare_shares = [share for _, share in vocab.RARE_PER_TWEET]
        self.tag_ids = {tag: i + 1 for i, tag in enumerate(TAGS)}

        rows, hashtag_links, mention_rows = [], [], []
        originals: list[int] = []  # ids that can be replied to, retweeted, quoted
        root_of: dict[int, int] = {}
        counts: dict[int, list[int]] = {}  # id -> [reply, retweet, quote]
        retweeted: set[tuple[int, int]] = set()
        last_ms, sequence = None, 0
        self.tweet_ids, self.tweet_authors = [], []
        self._index: dict[int, int] = {}
        for author, moment in zip(authors, moments, strict=True):
            ms = int(moment.timestamp() * 1000)
            sequence = sequence + 1 if ms == last_ms else 0
            last_ms = ms
            tweet_id = ids.id_at(moment, sequence)
            roll = self.rng.random()
            reply_to = quote_of = retweet_of = None
            body = ""
            if originals and roll < 0.10:
                retweet_of = originals[int(len(originals) * (1 - self.rng.random() ** 3)) - 1]
                if (author, retweet_of) in retweeted or self.tweet_authors[self._index[retweet_of]] == author:
                    retweet_of = None
                else:
                    retweeted.add((author, retweet_of))
                    counts[retweet_of][1] += 1
            if retweet_of is None:
                words = self.rng.choices(WORDS, k=self.rng.randint(5, 22))
                how_many = self.words_rng.choices(rare_counts, weights=rare_shares)[0]
                for word in self.words_rng.choices(rare, cum_weights=rare_cumulative, k=how_many):
                    words.insert(self.words_rng.randint(0, len(words)), word)
                if self.rng.random() < 0.3:
                    words.append("#" + self.rng.choices(TAGS, weights=tag_weights)[0])
                if self.rng.random() < 0.05:
                    words.insert(0, f"@user{self.rng.randint(1, n - 1)}")
                body = " ".join(words)[:280]
                if originals and 0.10 <= roll < 0.22:
                    reply_to = originals[int(len(originals) * (1 - self.rng.random() ** 4)) - 1]
                    counts[reply_to][0] += 1
                elif originals and 0.22 <= roll < 0.25:
                    quote_of = originals[int(len(originals) * (1 - self.rng.random() ** 3)) - 1]
                    counts[quote_of][2] += 1
            entities = []
            if body:
                for entity in text.parse(body):
                    if entity["type"] == "mention":
                        mentioned = int(entity["username"][4:])
                        entity = {**entity, "user_id": mentioned}
                        mention_rows.append((len(mention_rows) + 1, tweet_id, mentioned))
                    elif entity["type"] == "hashtag":
                        hashtag_links.append((len(hashtag_links) + 1, self.tag_ids[entity["tag"]], tweet_id))
                    entities.append(entity)
            conversation = root_of.get(reply_to, reply_to) if reply_to else tweet_id
            root_of[tweet_id] = conversation
            counts[tweet_id] = [0, 0, 0]
            self._index[tweet_id] = len(self.tweet_ids)
            self.tweet_ids.append(tweet_id)
            self.tweet_authors.append(author)
            if retweet_of is None:
                originals.append(tweet_id)
            rows.append([tweet_id, body, entities, conversation, False, 0, 0, 0, 0, moment, None, author,
                         quote_of, reply_to, retweet_of, True])  # fmt: skip
        for row in rows:
            reply_count, retweet_count, quote_count = counts[row[0]]
            row[6], row[7], row[8] = retweet_count, reply_count, quote_count
        self.originals = originals
        self.tweet_rows = rows
        return rows, hashtag_links, mention_rows

    def likes(self) -> list[tuple]:
        total = self.scale["likes"]
        originals = self.originals
        pairs: set[tuple[int, int]] = set()
        like_counts: dict[int, int] = {}
        while len(pairs) < total:
            tweet_id = originals[int(len(originals) * (1 - self.rng.random() ** 2.5)) - 1]
            user = self.rng.randint(1, self.n)
            if (user, tweet_id) not in pairs:
                pairs.add((user, tweet_id))
                like_counts[tweet_id] = like_counts.get(tweet_id, 0) + 1
        by_id = {row[0]: row for row in self.tweet_rows}
        for tweet_id, count in like_counts.items():
            by_id[tweet_id][5] = count
        rows = []
        for lid, (user, tweet_id) in enumerate(sorted(pairs, key=lambda p: p[1]), start=1):
            rows.append((lid, by_id[tweet_id][9] + timedelta(minutes=5), user, tweet_id))
        return rows


def copy(cursor, table: str, columns: list[str], rows) -> None:
    from psycopg.types.json import Jsonb

    started = time.monotonic()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copier:
        for row in rows:
            copier.write_row([Jsonb(v) if isinstance(v, list) else v for v in row])
    say(f"  {table}: {len(rows):,} rows in {time.monotonic() - started:.1f}s")


def build(scale_name: str, seed: int) -> None:
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    scale = SCALES[scale_name]
    say(f"building the {scale_name} data set into {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    builder = Builder(scale, seed)
    say("generating users and the follow graph")
    users = builder.users()
    follows = builder.follows()
    for row in users:
        row[19], row[20] = builder.followers_count[row[0]], builder.following_count[row[0]]
    say(f"generating {scale['tweets']:,} tweets")
    tweets, hashtag_links, mentions = builder.tweets()
    say(f"generating {scale['likes']:,} likes")
    likes = builder.likes()

    import psycopg

    database = connection.settings_dict
    raw = psycopg.connect(
        dbname=database["NAME"], user=database["USER"], host=database["HOST"], port=database["PORT"] or 5432,
        password=database["PASSWORD"] or None,
    )  # fmt: skip
    with raw, raw.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TRUNCATE)} RESTART IDENTITY CASCADE")
        copy(cursor, "accounts_user", ["id", "password", "last_login", "is_superuser", "first_name", "last_name",
             "is_staff", "is_active", "date_joined", "username", "email", "name", "bio", "location", "website",
             "avatar", "header", "is_private", "who_can_message", "followers_count", "following_count",
             "last_seen_at", "notification_prefs", "suspended_at", "suspension_reason"], users)  # fmt: skip

        copy(cursor, "social_follow", ["id", "created_at", "followee_id", "follower_id"], follows)
        copy(cursor, "tweets_hashtag", ["id", "name", "created_at"],
             [(i, tag, builder.now) for tag, i in builder.tag_ids.items()])  # fmt: skip
        copy(cursor, "tweets_tweet", ["id", "text", "entities", "conversation_id", "has_media", "like_count",
             "retweet_count", "reply_count", "quote_count", "created_at", "edited_at", "author_id", "quote_of_id",
             "reply_to_id", "retweet_of_id", "fanned_out"], tweets)  # fmt: skip
        copy(cursor, "tweets_tweethashtag", ["id", "hashtag_id", "tweet_id"], hashtag_links)
        copy(cursor, "tweets_tweet_mentions", ["id", "tweet_id", "user_id"], mentions)
        copy(cursor, "tweets_like", ["id", "created_at", "user_id", "tweet_id"], likes)
        for table in ("accounts_user", "social_follow", "tweets_hashtag", "tweets_tweethashtag",
                      "tweets_tweet_mentions", "tweets_like"):  # fmt: skip
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
    say("vacuuming and analyzing (index-only scans need the visibility map)")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    say(f"done: {len(users):,} users, {len(follows):,} follows, {len(tweets):,} tweets, {len(likes):,} likes")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=SCALES, default="full")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    build(args.scale, args.seed)


if __name__ == "__main__":
    main()
