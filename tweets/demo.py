"""Demo posts for `manage.py seed_demo`: threads, tags, mentions, pictures, likes, bookmarks."""

from __future__ import annotations

import io
import random
import zoneinfo
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from config.kernel.errors import ServiceError
from tweets import draft_services, poll_votes, services
from tweets.models import Poll, Tweet

TOPICS = {
    "ada": ["Finally fixed the flaky test. It was DNS. It's always DNS. #programming", "Sourdough day 3: the starter lives. #baking"],
    "bruno": ["Golden hour at the Douro never gets old. #photography", "New lens, who dis. #photography"],
    "chen": ["Mapped every bike lane in the city this weekend. #maps #cycling", "Dumplings > everything. Fight me. #food"],
    "dana": ["Good design is invisible until it's missing. #design", "Spent 3 hours on a 4px margin. Worth it. #design"],
    "elif": ["Clear skies tonight: Jupiter and four moons through the backyard scope. #astronomy", "Thesis chapter 2 done! #phdlife"],
    "farah": ["Za'atar on roasted carrots. Trust me. #food #recipes", "Market haul: figs, sumac, fresh mint. #food"],
    "gus": ["Ran 21 km through fresh snow. Legs are soup. #running", "Arctic sea ice extent plotted for 40 years. It's not great. #climate"],
    "hana": ["Frog #214: a frog in a raincoat. #art #dailyfrog", "Frog #215: frog reading the news. #art #dailyfrog"],
    "ivan": ["Puzzle of the day: white to move and mate in 3. #chess", "The Queen's Gambit Declined is underrated. #chess"],
    "jules": ["Late set tonight, playing Monk all evening. #jazz", "Coffee is a chord progression: bitter, sweet, resolve. #jazz"],
    "kofi": ["What a goal in the 89th minute! #football", "Mobile money is changing small businesses here. #fintech"],
    "lena": ["First balcony tomato of the season 🍅 #gardening", "Compost is just slow magic. #gardening"],
    "mateo": ["History is gossip with sources. Today: the Aztec calendar. #history", "My students asked if I was alive in 1990. #teaching"],
    "nadia": ["Vaccination rates are up 12% in our district this year. #publichealth", "Wash your hands. That's the post. #publichealth"],
    "omar": ["Concrete can be warm if the light is right. #architecture", "Visited a brutalist library today. Stunning. #architecture"],
    "priya": ["Released v2.0 of our library! Thank you contributors 💜 #opensource", "Please read CONTRIBUTING.md 🙏 #opensource"],
    "quinn": ["New episode out: a conversation about silence. #podcast", "Recording in a closet full of coats for acoustics. #podcast"],
    "rosa": ["Octopuses can taste with their arms. #science #ocean", "Dove with a curious cuttlefish today. #ocean"],
    "sam": ["Shipped the demo build! #gamedev #indiedev", "Spent the day fixing a bug where the cat walks through walls. #gamedev"],
    "tomas": ["New batch: a smoky rye lager. #beer", "Fermentation is patience in a bucket. #beer"],
    "uma": ["Night shift snack ranking: 1. clementines 2. toast. #nursing", "Kids are braver than adults. Every day. #nursing"],
    "victor": ["Samba school rehearsal tonight 🥁 #music", "Pipelines green across the board. #dataengineering"],
    "wren": ["The rain writes its own poems on the window. #poetry", "A heron, still as a question. #poetry"],
    "xia": ["Our robot arm folded a towel. Badly. But it folded it. #robotics", "Sensors are hard. #robotics"],
    "yusuf": ["The new bridge passed its load test today. #engineering", "Steel sings when the wind is right. #engineering"],
    "zoe": ["Mycelium networks are the internet of the forest. #science #mushrooms", "Found a chanterelle patch! #mushrooms"],
    "amara": ["Chapter nine, draft six. #writing", "A good sentence is a small house. #writing"],
    "ben": ["Take the stairs. Your heart will thank you. #health", "Blood pressure check: free at the clinic this Saturday. #health"],
    "carmen": ["Found a bug by dancing around the edge cases. #testing", "Flamenco and QA both need rhythm. #testing"],
    "dev": ["Samosa #47: crispy, spicy, perfect. 9/10. #food #streetfood", "The chaat stall near the station is unbeatable. #streetfood"],
}  # fmt: skip

# What everyone is talking about in the last hours: gives the demo a few trends.
BUZZ = {
    "eclipse": [
        "The partial eclipse just started, go outside! #eclipse", "Pinhole camera ready #eclipse",
        "Clouds parted just in time #eclipse", "Eclipse through a colander: dozens of tiny crescents #eclipse",
        "My dog is very confused by the #eclipse", "Birds went quiet during the #eclipse. Eerie.",
    ],
    "launchday": [
        "We're live! Thank you all #launchday", "Coffee number four. #launchday",
        "First bug report in 6 minutes, a record #launchday", "Proud of this team #launchday",
    ],
}  # fmt: skip

REPLIES = [
    "This is great!", "Totally agree.", "Wait, really? Tell me more.", "Love this 💯", "Saving this for later.",
    "Ha, same here.", "Beautiful.", "Can you share how?", "This made my day.", "Underrated take.",
]  # fmt: skip


def _picture(rng: random.Random) -> SimpleUploadedFile:
    """A small landscape: a gradient sky, hills and a sun."""
    width, height = 900, 560
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    top = (rng.randrange(40, 120), rng.randrange(80, 160), rng.randrange(160, 255))
    bottom = (rng.randrange(200, 255), rng.randrange(120, 200), rng.randrange(80, 160))
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    sun_x, sun_y = rng.randrange(100, width - 100), rng.randrange(60, 220)
    draw.ellipse([sun_x - 45, sun_y - 45, sun_x + 45, sun_y + 45], fill=(255, 236, 170))
    for layer in range(3):
        base = 300 + layer * 90
        shade = 60 + layer * 35
        points = (
            [(0, height)] + [(x, base - rng.randrange(0, 120)) for x in range(0, width + 150, 150)] + [(width, height)]
        )
        draw.polygon(points, fill=(shade // 2, shade, shade // 2 + 20))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile("landscape.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed_tweets(rng: random.Random, users: list) -> int:
    now = timezone.now()
    by_name = {u.username: u for u in users}
    posts = []
    for username, lines in TOPICS.items():
        author = by_name[username]
        for line in lines:
            when = now - timedelta(hours=rng.uniform(2, 24 * 9))
            if rng.random() < 0.3:
                friend = rng.choice(users)
                line = f"{line} cc @{friend.username}" if friend != author else line
            uploads = (
                [(_picture(rng), "A painted landscape of hills under a sunset sky")] if rng.random() < 0.15 else []
            )
            posts.append(services.tweet_create(author=author, text_input=line, uploads=uploads, created_at=when))
    for lines in BUZZ.values():
        for line, author in zip(lines, rng.sample(users, len(lines)), strict=True):
            when = now - timedelta(minutes=rng.uniform(5, 150))
            posts.append(services.tweet_create(author=author, text_input=line, created_at=when))
    posts.sort(key=lambda t: t.created_at)
    count = len(posts)

    for tweet in rng.sample(posts, 25):
        replier = rng.choice([u for u in users if u != tweet.author])
        when = tweet.created_at + timedelta(minutes=rng.randrange(3, 240))
        reply = services.tweet_create(
            author=replier, text_input=rng.choice(REPLIES), reply_to_id=tweet.pk, created_at=min(when, now)
        )
        count += 1
        if rng.random() < 0.4:
            services.tweet_create(
                author=tweet.author, text_input="Thank you! 🙏", reply_to_id=reply.pk, created_at=min(when, now)
            )
            count += 1
    for tweet in rng.sample(posts, 8):
        quoter = rng.choice([u for u in users if u != tweet.author])
        services.tweet_create(
            author=quoter, text_input="Everyone should read this 👇", quote_of_id=tweet.pk,
            created_at=min(tweet.created_at + timedelta(hours=rng.uniform(1, 12)), now),
        )  # fmt: skip
        count += 1
    for tweet in posts:
        for fan in rng.sample(users, rng.randrange(0, 12)):
            services.like_create(user=fan, tweet_id=tweet.pk)
    for tweet in rng.sample(posts, 12):
        fan = rng.choice([u for u in users if u != tweet.author])
        services.retweet_create(user=fan, tweet_id=tweet.pk)
        count += 1
    return count + seed_polls(rng, by_name)


def seed_pins_and_warnings(rng: random.Random, users: list) -> int:
    """Posts behind a content warning (one with sensitive images), and a pinned post for every demo person.

    Returns how many posts it wrote.
    """
    now = timezone.now()
    by_name = {u.username: u for u in users}
    services.tweet_create(
        author=by_name["quinn"],
        text_input="The narrator was the detective all along. I'm still not over it. #podcast",
        content_warning="Spoilers: the season finale",
        created_at=now - timedelta(hours=rng.uniform(1, 6)),
    )
    services.tweet_create(
        author=by_name["rosa"],
        text_input="Found this huntsman spider in the dive shed. Harmless, and very fast. #science",
        content_warning="Spiders (close-up photo)",
        sensitive=True,
        uploads=[(_picture(rng), "A close-up photo, under the blur for people who'd rather not see spiders")],
        created_at=now - timedelta(hours=rng.uniform(1, 6)),
    )
    for user in users:
        first = user.tweets.filter(reply_to__isnull=True, retweet_of__isnull=True).order_by("id").first()
        if first is not None:
            services.tweet_pin(user=user, tweet_id=first.pk)
    return 2


def seed_bookmarks(rng: random.Random, users: list) -> int:
    """A few saved posts each for some people ('ada', the demo login, among them), newest bookmark last.

    Run after the follows and blocks exist: a post someone may not see is skipped, as the service refuses it.
    """
    by_name = {u.username: u for u in users}
    savers = [by_name["ada"], *rng.sample([u for u in users if u.username != "ada"], 5)]
    originals = list(Tweet.objects.filter(retweet_of__isnull=True, reply_to__isnull=True).order_by("id"))
    saved = 0
    for saver in savers:
        for tweet in rng.sample(originals, min(6, len(originals))):
            if tweet.author_id == saver.pk:
                continue
            try:
                services.bookmark_create(user=saver, tweet_id=tweet.pk)
            except ServiceError:
                continue
            saved += 1
    return saved


def seed_polls(rng: random.Random, by_name: dict) -> int:
    """A running poll (ada, the demo login, may still vote) and an ended one she voted in."""
    now = timezone.now()
    running = services.tweet_create(
        author=by_name["chen"], text_input="How do you get to work? #cycling",
        poll_choices=["Bike", "Bus or tram", "On foot", "Car"], poll_duration=timedelta(days=1),
        created_at=now - timedelta(hours=3),
    )  # fmt: skip
    ended = services.tweet_create(
        author=by_name["ivan"], text_input="Best first opening to learn? #chess",
        poll_choices=["Italian Game", "London System", "Queen's Gambit"], poll_duration=timedelta(days=1),
        created_at=now - timedelta(hours=20),
    )  # fmt: skip
    voters = [u for name, u in by_name.items() if name not in ("ada", "chen", "ivan")]
    for tweet, choices in ((running, 4), (ended, 3)):
        for voter in rng.sample(voters, 14):
            poll_votes.poll_vote(user=voter, tweet_id=tweet.pk, positions=[rng.randint(1, choices)])
    poll_votes.poll_vote(user=by_name["ada"], tweet_id=ended.pk, positions=[1])
    # Demo data only: the second poll has ended (votes can't be cast after the end), and is announced now.
    Poll.objects.filter(tweet=ended).update(closes_at=now - timedelta(hours=1))
    poll_votes.poll_end(poll_id=Poll.objects.get(tweet=ended).pk)
    return 2


def seed_drafts(users: list) -> int:
    """A draft and a scheduled post (tomorrow at 09:00 in Lisbon) for 'ada', to see on /drafts and /scheduled."""
    ada = next(user for user in users if user.username == "ada")
    draft_services.draft_create(author=ada, text_input="Thread idea: ten things DNS taught me. (draft) #programming")
    lisbon = zoneinfo.ZoneInfo("Europe/Lisbon")
    tomorrow = (timezone.now().astimezone(lisbon) + timedelta(days=1)).replace(hour=9, minute=0, second=0)
    draft_services.draft_create(
        author=ada,
        text_input="Good morning! Sourdough day 4: the loaf. #baking",
        scheduled_at=tomorrow.replace(microsecond=0),
        time_zone="Europe/Lisbon",
    )
    return 2
