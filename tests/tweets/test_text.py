"""Tweet text: NFC code points, blank text, and the entities parser."""

import pytest

from config.kernel import text


def checked(raw, has_media=False):
    from tweets.services import _checked_text

    return _checked_text(raw, has_media=has_media)


@pytest.mark.parametrize(
    ("raw", "length"),
    [
        ("a" * 280, 280),
        ("👍" * 280, 280),  # one code point each
        ("e\u0301" * 280, 280),  # e + combining acute becomes é under NFC
        ("שלום עולם " * 28, 279),  # right-to-left text counts the same way (trailing space trimmed)
        ("a\u200bb", 3),  # a zero-width space is still a code point
    ],
)
def test_lengths_that_fit(raw, length):
    assert text.length(checked(raw)) == length


@pytest.mark.parametrize(
    "raw",
    [
        "a" * 281,
        "👍" * 281,
        "👨‍👩‍👧" * 57,  # 5 code points each (3 people, 2 zero-width joiners): 285
        "q\u0301" * 141,  # no precomposed q-acute: 2 code points each, 282
    ],
)
def test_lengths_that_do_not(raw):
    from config.kernel.errors import ServiceError

    with pytest.raises(ServiceError) as caught:
        checked(raw)
    assert caught.value.fields == {"text": [caught.value.message]}
    assert "280" in caught.value.message


def test_nfc_is_applied():
    assert checked("Cafe\u0301") == "Café"


def test_blank_text_needs_media():
    from config.kernel.errors import ServiceError

    for blank in ("", "   ", "\u200b\u200b", "\n\t\ufeff"):
        with pytest.raises(ServiceError):
            checked(blank)
        assert checked(blank, has_media=True) == ""


def test_control_characters_are_dropped_but_newlines_kept():
    assert checked("a\x00b\x07c\r\nd") == "abc\nd"


def entities_of(kind, raw):
    return [e for e in text.parse(raw) if e["type"] == kind]


def test_hashtags_are_case_folded_and_numbers_are_not_tags():
    tags = [e["tag"] for e in entities_of("hashtag", "Hello #Django and #DJANGO, #1 a#b #straße #東京")]
    assert tags == ["django", "django", "strasse", "東京"]


def test_hashtags_in_right_to_left_text():
    assert [e["tag"] for e in entities_of("hashtag", "שלום #עולם")] == ["עולם"]


def test_mentions():
    found = entities_of("mention", "hi @Alice, @bob_2! mail@example.com @toolongusername_x")
    assert [e["username"] for e in found] == ["Alice", "bob_2"]


def test_urls_trim_trailing_punctuation_and_ignore_other_schemes():
    raw = "see (https://example.com/a_(b)) and https://x.org/page. javascript:alert(1) ftp://nope"
    urls = [e["url"] for e in entities_of("url", raw)]
    assert urls == ["https://example.com/a_(b)", "https://x.org/page"]


def test_a_hashtag_inside_a_url_is_part_of_the_url():
    found = text.parse("https://example.com/#section")
    assert [e["type"] for e in found] == ["url"]


def test_offsets_are_code_points():
    raw = "👍 #tag"
    (tag,) = entities_of("hashtag", raw)
    assert raw[tag["start"] : tag["end"]] == "#tag"
