"""Words and names for the bench data set, made without a network and the same on every machine.

The 52 common words in bench/build.py each turn up in about a fifth of all
tweets, which never shows how a full-text index behaves on a term it holds a
few times. So every tweet also gets one to three pseudo-words from a vocabulary
of a few thousand, drawn Zipf-weighted: the first of them are about as common
as the common words, the last are in a handful of tweets at full scale.

The vocabulary depends on VOCAB_SEED only (not on the build's --seed), so the
load test can pick a term of a known rank without reading the database. Every
pseudo-word ends in a, o or u and is five to ten plain letters: a stemmer
would leave it whole, and no search configuration drops it as a stop word.

Display names are a first name and a last name from the lists below, so
searching "jonh" has a "John" to find, and fragments of names match some
users, not all or none.
"""

from __future__ import annotations

import itertools
import random

VOCAB_SEED = 8  # the vocabulary is fixed; the build's --seed only changes who writes what
RARE_WORDS = 5000
ZIPF_S = 1.0
RARE_PER_TWEET = ((1, 0.5), (2, 0.35), (3, 0.15))  # how many pseudo-words a tweet gets, and how often

_ONSETS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"] * 3 + [
    "br", "dr", "gr", "kr", "pl", "st", "tr", "sh", "ch", "th"]  # fmt: skip
_VOWELS = ["a", "e", "i", "o", "u"]
_CODAS = [""] * 6 + ["n", "r", "l", "s", "m"]
_FINAL_VOWELS = ["a", "o", "u"]

FIRST_NAMES = [
    "John", "Maria", "James", "Anna", "David", "Sofia", "Michael", "Emma", "Daniel", "Olivia", "Thomas", "Laura",
    "Robert", "Julia", "William", "Sarah", "Joseph", "Elena", "Charles", "Clara", "Peter", "Hannah", "Andrew", "Alice",
    "Samuel", "Grace", "Benjamin", "Chloe", "Lucas", "Nora", "Matthew", "Isabel", "Henry", "Amelia", "Oliver", "Lucia",
    "Jacob", "Mia", "Ethan", "Zoe", "Noah", "Leah", "Liam", "Ava", "Mateo", "Camila", "Hugo", "Ines", "Pablo",
    "Marta", "Luca", "Giulia", "Marco", "Chiara", "Jonas", "Lena", "Felix", "Mila", "Emil", "Freya", "Sven", "Astrid",
    "Pierre", "Camille", "Louis", "Juliette", "Antoine", "Margot", "Ivan", "Olga", "Dmitri", "Irina", "Piotr",
    "Zofia", "Jan", "Katarzyna", "Kenji", "Yuki", "Hiroshi", "Aiko", "Wei", "Mei", "Jun", "Lin", "Arjun", "Priya",
    "Rahul", "Ananya", "Omar", "Layla", "Yusuf", "Amira", "Kwame", "Amara", "Tunde", "Zainab", "Diego", "Valentina",
    "Carlos", "Gabriela", "Rafael", "Beatriz", "Tiago", "Leila", "Nikos", "Eleni", "Aidan", "Siobhan", "Connor",
    "Niamh", "Jonathan", "Johanna", "Joan", "Jon", "Johan", "Marie", "Mario", "Maren",
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin",
    "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
    "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter",
    "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers",
    "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward", "Cox", "Richardson",
    "Wood", "Watson", "Brooks", "Bennett", "Gray", "Hughes", "Price", "Sanders", "Myers", "Long", "Ross", "Foster",
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Muller", "Schmidt", "Schneider",
    "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent",
    "Fournier", "Girard", "Nowak", "Kowalski", "Wisniewski", "Ivanov", "Petrov", "Sokolov", "Jensen", "Nielsen",
    "Hansen", "Larsen", "Andersson", "Johansson", "Karlsson", "Silva", "Santos", "Oliveira", "Pereira", "Costa",
    "Tanaka", "Suzuki", "Takahashi", "Watanabe", "Wang", "Zhang", "Chen", "Liu", "Kumar", "Sharma", "Patel",
    "Singh", "Gupta", "Okafor", "Mensah", "Adeyemi", "Haddad", "Nasser", "Papadopoulos", "Murray", "Byrne",
    "Kennedy", "Novak", "Horvat", "Kovacs", "Nagy",
]  # fmt: skip


def rare_vocabulary(count: int = RARE_WORDS, seed: int = VOCAB_SEED, avoid=()) -> list[str]:
    """`count` distinct pseudo-words ("brakilo", "stemura"), most frequent first."""
    rng = random.Random(seed)
    taken = {word.lower() for word in avoid}
    words: list[str] = []
    while len(words) < count:
        syllables = rng.choice((2, 2, 3, 3, 3, 4))
        parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables - 1)]
        parts.append(rng.choice(_ONSETS) + rng.choice(_FINAL_VOWELS))
        word = "".join(parts)
        if 5 <= len(word) <= 10 and word not in taken:
            taken.add(word)
            words.append(word)
    return words


def zipf_cumulative(count: int, s: float = ZIPF_S) -> list[float]:
    """Cumulative weights for rank 1..count with weight 1/rank**s, for random.choices(cum_weights=...)."""
    return list(itertools.accumulate(1 / (rank**s) for rank in range(1, count + 1)))


def expected_matches(rank: int, tweets_with_text: int, count: int = RARE_WORDS, s: float = ZIPF_S) -> float:
    """About how many tweets hold the pseudo-word of this rank (0-based), for picking a rare term of known size."""
    per_tweet = sum(n * share for n, share in RARE_PER_TWEET)
    harmonic = sum(1 / (r**s) for r in range(1, count + 1))
    return tweets_with_text * per_tweet * (1 / ((rank + 1) ** s)) / harmonic
