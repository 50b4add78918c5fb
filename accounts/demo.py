"""Demo people for `manage.py seed_demo`: believable names, bios and avatars."""

from __future__ import annotations

import io
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from accounts.models import User

DEMO_PASSWORD = settings.DEMO_PASSWORD

PEOPLE = [
    ("ada", "Ada Okafor", "Distributed systems at night, sourdough by day. Opinions are my cat's.", "Lagos"),
    ("bruno", "Bruno Costa", "Photographer. Chasing light across the Atlantic coast.", "Porto"),
    ("chen", "Chen Wei", "Making maps talk. GIS, cycling and dumplings.", "Taipei"),
    ("dana", "Dana Levi", "Product designer. Small details, big feelings.", "Tel Aviv"),
    ("elif", "Elif Yılmaz", "Astrophysics PhD student. Yes, I can see your house from here.", "Istanbul"),
    ("farah", "Farah Haddad", "Chef and food writer. Za'atar on everything.", "Beirut"),
    ("gus", "Gus Andersson", "Trail runner, climate data nerd.", "Umeå"),
    ("hana", "Hana Sato", "Illustrator. Drawing a tiny frog every day of the year.", "Osaka"),
    ("ivan", "Ivan Petrov", "Chess coach. 1. e4 and see what happens.", "Sofia"),
    ("jules", "Jules Martin", "Jazz pianist. Coffee is a chord progression.", "Lyon"),
    ("kofi", "Kofi Mensah", "Football, fintech and fresh mangoes.", "Accra"),
    ("lena", "Lena Fischer", "Urban gardener. Balcony tomatoes are a lifestyle.", "Berlin"),
    ("mateo", "Mateo Ruiz", "Teacher. History is just gossip with sources.", "Mexico City"),
    ("nadia", "Nadia Rahman", "Public health researcher. Wash your hands.", "Dhaka"),
    ("omar", "Omar Farouk", "Architect. Concrete, light and shadow.", "Cairo"),
    ("priya", "Priya Nair", "Open-source maintainer. Please read the contributing guide.", "Bengaluru"),
    ("quinn", "Quinn Murphy", "Podcast host. Long walks, longer conversations.", "Dublin"),
    ("rosa", "Rosa Bianchi", "Marine biologist. Octopuses are smarter than us.", "Naples"),
    ("sam", "Sam Taylor", "Indie game developer. Shipping is a feature.", "Melbourne"),
    ("tomas", "Tomás Novak", "Brewer of small-batch beer and big opinions.", "Prague"),
    ("uma", "Uma Patel", "Pediatric nurse. Night shifts and good snacks.", "Leicester"),
    ("victor", "Victor Hugo Lima", "Samba percussion and data engineering.", "São Paulo"),
    ("wren", "Wren Clarke", "Poet. Birds, weather, the space between.", "Edinburgh"),
    ("xia", "Xia Lin", "Robotics engineer. My vacuum cleaner fears me.", "Shenzhen"),
    ("yusuf", "Yusuf Demir", "Civil engineer building bridges, literally.", "Ankara"),
    ("zoe", "Zoe Adams", "Science journalist. Ask me about mushrooms.", "Vancouver"),
    ("amara", "Amara Obi", "Novelist. Drafting chapter nine, again.", "Abuja"),
    ("ben", "Ben Cohen", "Cardiologist. Take the stairs.", "New York"),
    ("carmen", "Carmen Vidal", "Flamenco dancer and software tester.", "Seville"),
    ("dev", "Dev Malhotra", "Street food critic. Rating every samosa in the city.", "Delhi"),
]


def make_avatar(name: str, hue: int, size: int = 256) -> ContentFile:
    """A soft two-colour gradient with the person's initials."""
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    top = _hsl(hue, 0.65, 0.55)
    bottom = _hsl((hue + 40) % 360, 0.70, 0.40)
    for y in range(size):
        t = y / size
        draw.line([(0, y), (size, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    font = ImageFont.load_default(size=size // 3)
    draw.text((size / 2, size / 2), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=85)
    return ContentFile(buffer.getvalue())


def _hsl(hue: int, saturation: float, lightness: float) -> tuple[int, int, int]:
    import colorsys

    r, g, b = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return round(r * 255), round(g * 255), round(b * 255)


def seed_users(rng: random.Random) -> list[User]:
    password = make_password(DEMO_PASSWORD)  # hash once: Argon2 is slow on purpose
    users = []
    for username, name, bio, location in PEOPLE:
        user = User.objects.create(
            username=username,
            email=f"{username}@example.com",
            name=name,
            bio=bio,
            location=location,
            website=f"https://{username}.example.com" if rng.random() < 0.4 else "",
            password=password,
        )
        user.avatar.save("avatar.webp", make_avatar(name, rng.randrange(360)), save=True)
        users.append(user)

    moderator = User.objects.create(
        username="moderator", email="moderator@example.com", name="Mo Derator", password=password, is_staff=True
    )
    moderator.groups.add(Group.objects.get(name="Moderators"))
    User.objects.create(
        username="root", email="root@example.com", name="Site admin", password=password,
        is_staff=True, is_superuser=True,
    )  # fmt: skip
    return users
