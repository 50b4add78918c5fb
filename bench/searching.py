"""Search in the benchmark: the queries the load test sends, and the query plans it records.

Tweet search draws from a mix of realistic queries: a common word, two words,
a rare word, a phrase of two adjacent words from a real tweet, a #tag,
`from:user word`, and `word -otherword`; a fifth of them sorted by `top`. User
search draws username prefixes ("user12"), fragments of display names, and
display-name words with two neighbouring letters swapped ("Jonh").

The plans are EXPLAIN (ANALYZE, BUFFERS) of the SQL the project's own search
selectors send (search.selectors.search_tweets and search_users, recorded
with an execute wrapper as they run), for a rare word, a common word (latest
and top) and a typo'd name, planned for their values. Were statements
prepared (DATABASES OPTIONS "prepare_threshold"; Django leaves it off, and
server-side binding alone prepares nothing), PostgreSQL could switch a query
to a generic plan after five runs, one that cannot see how common a word is:
that plan is then recorded too.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import random
import re
import time
import urllib.parse

from bench import build, vocab

TWEET_KINDS = {"word": 20, "two_words": 15, "rare": 15, "phrase": 15, "tag": 10, "from": 10, "exclude": 15}
USER_KINDS = {"prefix": 35, "fragment": 35, "typo": 30}
SEARCH_LIMIT = 20  # results per page, as the web client asks
TOP_SHARE = 0.2  # of tweet searches sorted by `top` rather than the default `latest`
COMMON_PSEUDO = 20  # the most frequent pseudo-words are about as common as the common words
RARE_FROM = 1000  # pseudo-words from this rank on are in under 100 tweets at full scale
PLAN_RARE_MATCHES = 25  # the rare word whose plan is recorded is in about this many tweets
PLAN_COMMON_WORD = "coffee"
PLAN_USER_QUERY = "jonh"  # "John" with two letters swapped, as SPEC's example
PLAN_VIEWER = "reader1000"


# --- the queries ------------------------------------------------------------------------------


def search_inputs(seed: int = 11, tweets_sampled: int = 800, tweet_queries: int = 1500, user_queries: int = 1000):
    """Queries for both search rows, from the data set itself (phrases and authors of real tweets, real names).

    A random stream of its own, so adding search left the other tests' draws as they were.
    """
    from accounts.models import User
    from tweets.models import Tweet

    rng = random.Random(seed)
    known = set(build.WORDS) | set(build.rare_words())
    ids = list(Tweet.objects.filter(retweet_of__isnull=True).order_by("id").values_list("id", flat=True))
    chosen = rng.sample(ids, min(len(ids), tweets_sampled))
    samples = [
        (username, words)
        for username, text in Tweet.objects.filter(id__in=chosen).order_by("id").values_list("author__username", "text")
        if (words := text.split()) and all(w[0] in "#@" or w in known for w in words)  # generated tweets only
    ]
    users = list(User.objects.filter(email__endswith="@bench.example").order_by("id").values_list("username", "name"))
    return {
        "tweet_queries": [tweet_query(rng, samples) for _ in range(tweet_queries)],
        "user_queries": [user_query(rng, users) for _ in range(user_queries)],
    }


def tweet_query(rng: random.Random, samples: list[tuple[str, list[str]]]) -> tuple[str, str]:
    """One tweet search: (query text, sort)."""
    rare = build.rare_words()
    common = build.WORDS + rare[:COMMON_PSEUDO]
    kind = rng.choices(list(TWEET_KINDS), weights=list(TWEET_KINDS.values()))[0]
    username, words = rng.choice(samples)
    plain = [w for w in words if w[0] not in "#@"]
    if kind == "word":
        query = rng.choice(common)
    elif kind == "two_words":
        second = rng.choice(common) if rng.random() < 0.5 else rng.choice(rare[COMMON_PSEUDO:RARE_FROM])
        query = f"{rng.choice(common)} {second}"
    elif kind == "rare":
        query = rng.choice(rare[RARE_FROM:])
    elif kind == "phrase":
        pairs = [(a, b) for a, b in itertools.pairwise(words) if a[0] not in "#@" and b[0] not in "#@"]
        query = '"{} {}"'.format(*rng.choice(pairs)) if pairs else rng.choice(plain)
    elif kind == "tag":
        query = "#" + rng.choices(build.TAGS, weights=[1 / (i + 1) for i in range(len(build.TAGS))])[0]
    elif kind == "from":
        query = f"from:{username} {rng.choice(plain)}"
    else:
        word, other = rng.sample(common, 2)
        query = f"{word} -{other}"
    return query, "top" if rng.random() < TOP_SHARE else "latest"


def user_query(rng: random.Random, users: list[tuple[str, str]]) -> str:
    """One user search: a username prefix, part of a display name, or a display-name word with a typo."""
    kind = rng.choices(list(USER_KINDS), weights=list(USER_KINDS.values()))[0]
    username, name = rng.choice(users)
    parts = name.split()
    if kind == "prefix":
        digits = username.removeprefix("user") if username.startswith("user") else "1"
        return "user" + digits[: rng.randint(1, len(digits))]
    if kind == "fragment":
        part = rng.choice(parts)
        query = rng.choice([name, part, part[: rng.randint(min(3, len(part)), len(part))]])
    else:
        query = typo(rng, max(parts, key=len) if rng.random() < 0.3 else rng.choice(parts))
    return query.lower() if rng.random() < 0.5 else query


def typo(rng: random.Random, word: str) -> str:
    """The word with two neighbouring, different letters swapped ("John" -> "Jonh")."""
    spots = [i for i in range(len(word) - 1) if word[i] != word[i + 1]]
    if len(word) < 4 or not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def requests(kind: str, queries, tokens: list[str], rng: random.Random) -> list[dict]:
    """Load-test requests for GET /api/v1/search, each query URL-encoded and sent with a random reader's token."""
    made = []
    for query in queries:
        params = {"q": query, "type": "users", "limit": SEARCH_LIMIT}
        if kind == "tweets":
            text, sort = query
            params = {"q": text, "type": "tweets", "limit": SEARCH_LIMIT, "sort": sort}
        path = "/api/v1/search?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
        made.append({"path": path, "headers": {"Authorization": f"Bearer {rng.choice(tokens)}"}})
    return made


# --- the plans --------------------------------------------------------------------------------


def plan_queries(tweets_with_text: int) -> dict[str, dict]:
    """The searches whose plans are recorded: a rare word of known size, a common word (both sorts), a typo."""
    rare = build.rare_words()
    rank = next(
        (r for r in range(len(rare)) if vocab.expected_matches(r, tweets_with_text) < PLAN_RARE_MATCHES),
        len(rare) - 1,
    )
    return {
        "tweets_rare_word": {"type": "tweets", "q": rare[rank], "sort": "latest"},
        "tweets_common_word": {"type": "tweets", "q": PLAN_COMMON_WORD, "sort": "latest"},
        "tweets_common_word_top": {"type": "tweets", "q": PLAN_COMMON_WORD, "sort": "top"},
        "users_typo": {"type": "users", "q": PLAN_USER_QUERY},
    }


def search_plans(viewer_username: str = PLAN_VIEWER) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of the search query that each search in plan_queries() runs.

    Calls the project's own selectors, search.selectors.search_tweets(viewer, parsed, page, sort) and
    search_users(viewer, text, page), for a first page, and records every query they send: the plan is of
    the one that searches (it reads `search_vector`, or ranks people by trigram similarity).
    """
    from django.db import connection

    from accounts.models import User
    from config.kernel.api.pagination import PageRequest
    from tweets.models import Tweet

    try:
        from search import selectors

        search_tweets, search_users, parse = selectors.search_tweets, selectors.search_users, query_parser()
    except (ImportError, AttributeError) as error:
        return {"error": f"the search selectors are not there: {error}"}
    viewer = User.objects.get(username=viewer_username)
    page = PageRequest(cursor=None, limit=SEARCH_LIMIT)
    tweets_with_text = Tweet.objects.filter(retweet_of__isnull=True).count()
    plans = {}
    for name, spec in plan_queries(tweets_with_text).items():
        if spec["type"] == "tweets":
            parsed = parse(spec["q"])
            call, marker = functools.partial(search_tweets, viewer, parsed, page, spec["sort"]), "search_vector"
        else:
            call, marker = functools.partial(search_users, viewer, spec["q"], page), "similarity"
        call()  # warm: the plan is of a second run, as under load
        sent: list[dict] = []
        started = time.perf_counter()
        with connection.execute_wrapper(_recorder(sent)):
            results, _ = call()
        elapsed = (time.perf_counter() - started) * 1000
        main = ([q for q in sent if marker in q["sql"].lower()] or sorted(sent, key=lambda q: -q["ms"]))[0]
        plans[name] = {
            **spec, "viewer": viewer_username, "results": len(results), "call_ms": round(elapsed, 2),
            "queries_ms": [q["ms"] for q in sent], "sql": main["sql"], "params": [str(p) for p in main["params"]],
            **explain(connection, main["sql"], main["params"]),
        }  # fmt: skip
    return plans


def _recorder(sent: list):
    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sent.append(
                {"sql": sql, "params": list(params or ()), "ms": round((time.perf_counter() - started) * 1000, 2)}
            )

    return record


def query_parser():
    """The project's parser of the search language (plain words, "phrases", #tag, from:user, -word)."""
    for module_name, attribute in (("search.query", "parse"), ("search.selectors", "parse_query")):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if hasattr(module, attribute):
            return getattr(module, attribute)
    raise AttributeError("no query parser: expected search.query.parse(text)")


_PLACEHOLDER = re.compile(r"%%|%s")


def explain(connection, sql: str, params) -> dict:
    """The plan for these values (run twice, the second kept: warm buffers), and the generic one if it can be used."""
    from psycopg import ClientCursor

    analyze = "EXPLAIN (ANALYZE, BUFFERS) "
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(analyze + sql, params)
            custom = "\n".join(row[0] for row in cursor.fetchall())
    raw = connection.connection  # psycopg's own: no placeholders parsed in what it runs without parameters
    if raw.prepare_threshold is None:
        return {"plan": custom, "generic_plan": None}
    # The generic plan: PREPARE the statement with $n placeholders, force a generic plan, EXECUTE with the values.
    numbered = iter(range(1, len(params) + 1))
    prepared = _PLACEHOLDER.sub(lambda m: "%" if m.group(0) == "%%" else f"${next(numbered)}", sql)
    arguments = ClientCursor(raw).mogrify(", ".join(["%s"] * len(params)), list(params)) if params else ""
    execute = f"EXECUTE bench_plan({arguments})" if params else "EXECUTE bench_plan"
    with raw.cursor() as cursor:
        try:
            cursor.execute("SET plan_cache_mode = force_generic_plan")
            cursor.execute(f"PREPARE bench_plan AS {prepared}")
            for _ in range(2):
                cursor.execute(analyze + execute)
                generic = "\n".join(row[0] for row in cursor.fetchall())
        except Exception as error:  # the generic plan is extra; the one for the values is what matters
            generic = f"(no generic plan: {error})"
            raw.rollback()
        finally:
            # Only our own statement: psycopg keeps its prepared ones on this connection too.
            cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = 'bench_plan'")
            if cursor.fetchone():
                cursor.execute("DEALLOCATE bench_plan")
            cursor.execute("RESET plan_cache_mode")
    return {"plan": custom, "generic_plan": generic}


def plans_text(plans: dict, scale: str) -> str:
    """The plans as text, for bench/results/<scale>-plans.txt and docs/PERFORMANCE.md."""
    if "error" in plans:
        return f"Search query plans, {scale} scale: not recorded ({plans['error']}).\n"
    lines = [
        f"Search query plans, {scale} scale: EXPLAIN (ANALYZE, BUFFERS) of the search query, a first page of "
        f"{SEARCH_LIMIT}.",
        "",
    ]
    for name, plan in plans.items():
        what = f"q={plan['q']!r}" + (f", sort={plan['sort']}" if "sort" in plan else "")
        lines += [
            f"## {name}: type={plan['type']}, {what}, viewer @{plan['viewer']}",
            "",
            f"{plan['results']} results; the selector took {plan['call_ms']} ms for {len(plan['queries_ms'])} "
            f"queries of {', '.join(str(ms) for ms in plan['queries_ms'])} ms (a first run warmed the caches).",
            "",
            f"SQL: {plan['sql']}",
            f"params: {plan['params']}",
            "",
            plan["plan"],
            "",
        ]
        if plan["generic_plan"]:
            lines += [
                "The generic plan a prepared statement may switch to after five runs:",
                "",
                plan["generic_plan"],
                "",
            ]
    return "\n".join(lines)
