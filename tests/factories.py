import factory
from django.contrib.auth.hashers import make_password

from accounts.models import User

PASSWORD = "correct-horse-battery-staple"
_PASSWORD_HASH = None


def password_hash() -> str:
    # Argon2 is slow by design; hash the shared test password once per process.
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(PASSWORD)
    return _PASSWORD_HASH


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    name = factory.Faker("name")
    password = factory.LazyFunction(password_hash)
