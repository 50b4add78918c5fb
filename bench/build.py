"""Build the SPEC §5 `bench` data set into PostgreSQL, with COPY.

    python -m bench.build [--scale full|small] [--seed 5]
    python -m bench.build --scale full --users 50000 --tweets 2000000 --celebrities 10

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

Any size: --users, --tweets, --likes (default 2x tweets), --follows-per-user
(the median number of followees), --celebrities (accounts followed by about
half of everyone) and --reader-following (whom `reader1000` follows, whatever
its name says) each replace the preset's figure; what depends on them shrinks
to fit (see resolve()), and a combination that cannot be generated is refused.
The same sizes and seed give the same data set. The sizes built are recorded
in the table `bench_dataset` (stored_parameters() reads them back).
"""

from __future__ import annotations

import argparse
import bisect
import functools
import json
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
# The sizes the options replace (argparse dest = key); the rest of a preset (days) stays.
OPTIONS = ("users", "tweets", "likes", "median_followees", "stars", "reader_following")
MIN_USERS = 15  # everyone follows at least 3 accounts and at most a fifth of everyone: 3 <= users / 5
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


class ScaleError(ValueError):
    """Sizes the generator cannot make."""


def resolve(preset: str, **given: int | None) -> dict:
    """The preset's sizes with the given ones in their place, and what depends on them scaled to fit.

    A preset with nothing given comes back unchanged, so `full` and `small` stay as they were.
    Raises ScaleError for a combination that cannot be generated.
    """
    base = SCALES[preset]
    given = {key: value for key, value in given.items() if value is not None}
    if unknown := set(given) - set(OPTIONS):
        raise TypeError(f"unknown sizes: {sorted(unknown)}")
    if any(value < 0 for value in given.values()):
        raise ScaleError("sizes cannot be negative")
    n = given.get("users", base["users"])
    if n < MIN_USERS:
        raise ScaleError(f"--users {n}: at least {MIN_USERS} (everyone follows 3 to a fifth of everyone)")
    # Each user follows at most a fifth of everyone, drawn from non-stars: leave that many to draw from.
    most_stars = n - 1 - n // 5
    stars = given.get("stars", min(base["stars"], most_stars))
    if stars > most_stars:
        raise ScaleError(f"--celebrities {stars}: at most {most_stars} with {n} users (the rest are followed by draw)")
    median = given.get("median_followees", min(base["median_followees"], n // 5))
    if not 3 <= median <= n // 5:
        raise ScaleError(
            f"--follows-per-user {median}: between 3 and {n // 5} with {n} users "
            "(everyone follows at least 3 and at most a fifth of everyone)"
        )
    # The heavy reader follows non-stars other than itself; half of them by default, as drawing by
    # popularity until nearly every quiet account is hit takes long.
    most_followed = n - 1 - stars
    reader = given.get("reader_following", min(base["reader_following"], most_followed // 2))
    if reader > most_followed:
        raise ScaleError(f"--reader-following {reader}: at most {most_followed} (users other than itself and stars)")
    tweets = given.get("tweets", base["tweets"])
    if tweets < 1:
        raise ScaleError("--tweets: at least 1 (likes and retweets need a post)")
    likes = given.get("likes", 2 * tweets)
    # Likes are distinct (user, post) pairs drawn at random, over the ~90 % of posts that are not retweets;
    # past half of all pairs the draw mostly hits pairs it already has.
    most_likes = n * tweets * 9 // 20
    if likes > most_likes:
        raise ScaleError(f"--likes {likes}: at most {most_likes:,} ({n:,} users x {tweets:,} posts x 0.45)")
    return {**base, "users": n, "tweets": tweets, "likes": likes, "stars": stars, "median_followees": median,
            "reader_following": reader}  # fmt: skip


def parameters(preset: str, seed: int, **given: int | None) -> dict:
    """What a data set built with these arguments records: compare with stored_parameters() to reuse it."""
    return {"preset": preset, "seed": seed, "data_version": DATA_VERSION, **resolve(preset, **given)}


def stored_parameters(connection) -> dict | None:
    """The parameters the database's data set was built with (a psycopg connection), or None if unknown."""
    import psycopg

    try:
        with connection.transaction():
            # As text: Django's connections load jsonb as a string, plain psycopg ones as a dict.
            row = connection.execute("SELECT parameters::text FROM bench_dataset").fetchone()
    except psycopg.errors.UndefinedTable:
        return None
    return json.loads(row[0]) if row else None


def add_size_options(parser: argparse.ArgumentParser) -> None:
    """--users and the rest, for bench.build and bench.run alike; None means the preset's figure."""
    parser.add_argument("--users", type=int, metavar="N", help="accounts (the last one is reader1000)")
    parser.add_argument("--tweets", type=int, metavar="N", help="posts over 30 days")
    parser.add_argument("--likes", type=int, metavar="N", help="likes (default: twice the posts)")
    parser.add_argument("--follows-per-user", dest="median_followees", type=int, metavar="N", help="median followees")
    parser.add_argument(
        "--celebrities", dest="stars", type=int, metavar="N", help="accounts followed by about half of everyone"
    )
    parser.add_argument("--reader-following", type=int, metavar="N", help="accounts reader1000 follows")


def size_options(args: argparse.Namespace) -> dict:
    """The sizes given on the command line, for resolve() and parameters()."""
    return {key: getattr(args, key) for key in OPTIONS if getattr(args, key) is not None}


def size_argv(args: argparse.Namespace) -> list[str]:
    """The same sizes as command-line arguments for bench.build (bench.run passes them on)."""
    flags = {"median_followees": "--follows-per-user", "stars": "--celebrities"}
    argv = []
    for key, value in size_options(args).items():
        argv += [flags.get(key, "--" + key.replace("_", "-")), str(value)]
    return argv


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
        if total > self.n * len(originals) // 2:  # resolve() allows for ~90 % originals; a tiny set may have fewer
            raise ScaleError(f"{total:,} likes: at most {self.n * len(originals) // 2:,} over {len(originals):,} posts")
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


def copy(cursor, table: str, columns: list[str], rows, same: dict | None = None) -> None:
    """COPY rows into a table; `same` gives columns whose value is one constant in every row
    (the app's defaults live in Python, not in the database, so COPY must name them)."""
    from psycopg.types.json import Jsonb

    started = time.monotonic()
    same = same or {}
    names = ", ".join([*columns, *same])
    tail = list(same.values())
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copier:
        for row in rows:
            copier.write_row([Jsonb(v) if isinstance(v, list) else v for v in row] + tail)
    say(f"  {table}: {len(rows):,} rows in {time.monotonic() - started:.1f}s")


def record(cursor, recorded: dict) -> None:
    """Keep the sizes beside the data, in the same transaction: a runner reads what it measures.

    A table of its own, outside Django's migrations, so the app never sees it.
    """
    from psycopg.types.json import Jsonb

    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_dataset (id int PRIMARY KEY CHECK (id = 1), parameters jsonb NOT NULL, "
        "built_at timestamptz NOT NULL DEFAULT now())"
    )
    cursor.execute(
        "INSERT INTO bench_dataset (id, parameters) VALUES (1, %s) "
        "ON CONFLICT (id) DO UPDATE SET parameters = EXCLUDED.parameters, built_at = now()",
        [Jsonb(recorded)],
    )


def build(scale_name: str, seed: int, **given: int | None) -> None:
    recorded = parameters(scale_name, seed, **given)  # refuses impossible sizes before any work
    scale = resolve(scale_name, **given)
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    sizes = ", ".join(f"{key} {scale[key]:,}" for key in OPTIONS)
    say(f"building the {scale_name} data set ({sizes}; seed {seed}) into {connection.settings_dict['NAME']}")
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
             "last_seen_at", "notification_prefs", "suspended_at", "suspension_reason"], users,
             same={"show_sensitive_media": False, "expand_content_warnings": False})  # fmt: skip

        copy(cursor, "social_follow", ["id", "created_at", "followee_id", "follower_id"], follows)
        copy(cursor, "tweets_hashtag", ["id", "name", "created_at"],
             [(i, tag, builder.now) for tag, i in builder.tag_ids.items()])  # fmt: skip
        copy(cursor, "tweets_tweet", ["id", "text", "entities", "conversation_id", "has_media", "like_count",
             "retweet_count", "reply_count", "quote_count", "created_at", "edited_at", "author_id", "quote_of_id",
             "reply_to_id", "retweet_of_id", "fanned_out"], tweets,
             same={"content_warning": "", "sensitive": False, "has_poll": False})  # fmt: skip
        copy(cursor, "tweets_tweethashtag", ["id", "hashtag_id", "tweet_id"], hashtag_links)
        copy(cursor, "tweets_tweet_mentions", ["id", "tweet_id", "user_id"], mentions)
        copy(cursor, "tweets_like", ["id", "created_at", "user_id", "tweet_id"], likes)
        for table in ("accounts_user", "social_follow", "tweets_hashtag", "tweets_tweethashtag",
                      "tweets_tweet_mentions", "tweets_like"):  # fmt: skip
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
        record(cursor, recorded)
    say("vacuuming and analyzing (index-only scans need the visibility map)")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    say(f"done: {len(users):,} users, {len(follows):,} follows, {len(tweets):,} tweets, {len(likes):,} likes")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.build", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=SCALES, default="full", help="the preset the other sizes replace parts of")
    parser.add_argument("--seed", type=int, default=5)
    add_size_options(parser)
    args = parser.parse_args(argv)
    try:
        resolve(args.scale, **size_options(args))
    except ScaleError as error:
        parser.error(str(error))
    try:
        build(args.scale, args.seed, **size_options(args))
    except ScaleError as error:  # found while generating (a tiny set with few posts): nothing was written
        parser.exit(2, f"{parser.prog}: error: {error}\n")


if __name__ == "__main__":
    main()
