"""Links that try to aim the card fetcher at something else, or to make it read forever.

Each one is posted for real; the post is made (201), gets no card, and nothing
else about it changes. The fetcher's own answers are checked against a real
HTTP server on 127.0.0.1 (tests/link_server.py); "loopback allowed" is the
tests' setting, turned off again where loopback itself is the attack.
"""

import time

import pytest

from config.kernel import opengraph
from config.kernel.fetch import FetchRefused, fetch, refusal
from tweets.models import LinkCard, Tweet

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(user_api, django_capture_on_commit_callbacks):
    def send(text):
        with django_capture_on_commit_callbacks(execute=True):
            response = user_api.post("/api/v1/tweets", {"text": text}, format="json")
        assert response.status_code == 201, response.content
        return response.json()["tweetData"]

    return send


def assert_posted_without_card(user_api, posted: dict) -> None:
    """The post is there as it was answered, with no card; no card of any page was made."""
    now = user_api.get(f"/api/v1/tweets/{posted['id']}").json()["tweet"]
    assert now["card"] is None
    assert {k: v for k, v in now.items() if k != "card"} == {k: v for k, v in posted.items() if k != "card"}
    assert Tweet.objects.get(pk=posted["id"]).link_card_id is None
    assert not LinkCard.objects.filter(state=LinkCard.State.OK).exists()


def test_the_database_port_on_loopback_gets_no_card(send, user_api, settings):
    settings.LINK_PREVIEW_ALLOW_LOOPBACK = False
    for url in ("http://127.0.0.1:5432/", "http://localhost:5432/", "http://[::1]:5432/", "http://0x7f000001:5432/"):
        assert_posted_without_card(user_api, send(f"look {url}"))
        with pytest.raises(FetchRefused, match="loopback"):  # refused by its address, before any connection
            fetch(url)


def test_the_cloud_metadata_address_gets_no_card(send, user_api, link_server):
    for url in (
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",  # the same, IPv4-mapped in IPv6
        "http://[::ffff:a9fe:a9fe]/",
    ):
        assert_posted_without_card(user_api, send(url))


def test_a_redirect_chain_to_a_private_address_gets_no_card(send, user_api, link_server):
    assert_posted_without_card(user_api, send(link_server.url("/chain-to-private")))
    assert link_server.requests["/chain-to-private"] == 1 and link_server.requests["/chain-2"] == 1
    assert_posted_without_card(user_api, send(link_server.url("/to-metadata")))


def test_a_page_that_never_ends_is_read_to_1_mb_and_gets_no_card(send, user_api, link_server):
    started = time.monotonic()
    assert_posted_without_card(user_api, send(link_server.url("/endless")))
    assert time.monotonic() - started < 5
    time.sleep(0.1)  # the server notices the closed connection at its next write
    assert 1_000_000 < link_server.sent["/endless"] < 1_400_000


def test_a_50_mb_page_is_read_to_1_mb_only(send, user_api, link_server):
    """Served lazily, without a Content-Length: the fetcher stops reading at 1 MB, not at 50."""
    assert_posted_without_card(user_api, send(link_server.url("/huge")))
    time.sleep(0.1)
    assert 1_000_000 < link_server.sent["/huge"] < 1_400_000  # of 52,428,800


def test_a_50_mb_page_that_says_so_is_refused_before_reading(send, user_api, link_server):
    assert_posted_without_card(user_api, send(link_server.url("/huge-declared")))
    time.sleep(0.1)
    assert link_server.sent["/huge-declared"] < 300_000  # at most what the socket took before it closed


def test_a_slow_drip_stops_at_the_overall_deadline_not_per_read(send, user_api, link_server, settings):
    """A byte every 50 ms never trips a per-read timeout; the one deadline for the whole fetch stops it."""
    settings.LINK_PREVIEW_TIMEOUT = 1.5
    started = time.monotonic()
    assert_posted_without_card(user_api, send(link_server.url("/slow")))
    assert 1.4 < time.monotonic() - started < 3
    assert link_server.sent["/slow"] < 60


def test_four_redirects_are_refused_three_are_followed(send, user_api, link_server):
    assert_posted_without_card(user_api, send(link_server.url("/hops/4")))
    assert link_server.requests["/article"] == 0
    assert fetch(link_server.url("/hops/3")).url == link_server.url("/article")


@pytest.mark.parametrize("path", ["/pdf", "/no-type", "/image.png", "/missing", "/empty"])
def test_what_isnt_an_html_page_with_something_to_show_gets_no_card(send, user_api, link_server, path):
    assert_posted_without_card(user_api, send(link_server.url(path)))
    assert LinkCard.objects.get().state == LinkCard.State.FAILED


def test_a_failed_card_is_final_no_refetch_for_each_post(send, user_api, link_server):
    send(link_server.url("/pdf"))
    send(f"again {link_server.url('/pdf')}")
    assert link_server.requests["/pdf"] == 1


def test_the_connection_goes_to_the_address_checked_with_the_name_as_host(link_server):
    """No second DNS lookup to race (rebinding): the pool is made for the checked IP; the name travels as Host."""
    page = fetch(f"http://localhost:{link_server.port}/article")
    assert page.url.startswith("http://localhost:") and b"og:title" in page.body
    assert link_server.hosts[-1] == f"localhost:{link_server.port}"


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/", "file:///etc/passwd", "gopher://x/", "http://user:pw@example.com/", "http:///nohost"],
)
def test_only_http_and_https_urls_without_credentials(url):
    with pytest.raises(FetchRefused):
        fetch(url)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "224.0.0.1", "255.255.255.255", "240.0.0.1", "192.0.2.1", "198.18.0.1",
        "0.0.0.0",  # noqa: S104 - an address to refuse, not one to bind
        "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",  # IPv4-mapped
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo whose client is 127.0.0.1
    ],
)  # fmt: skip
def test_private_and_special_addresses_are_refused(address, settings):
    settings.LINK_PREVIEW_ALLOW_LOOPBACK = False
    assert refusal(address) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.216.34"])
def test_public_addresses_pass(address):
    assert refusal(address) is None


def test_the_test_setting_lets_only_loopback_through(settings):
    settings.LINK_PREVIEW_ALLOW_LOOPBACK = True
    assert refusal("127.0.0.1") is None and refusal("::1") is None and refusal("::ffff:127.0.0.1") is None
    for other in ("10.0.0.1", "169.254.169.254", "192.168.0.1", "fc00::1"):
        assert refusal(other) is not None


@pytest.mark.parametrize(
    "html",
    [
        "<a" * 500_000,  # fed whole to html.parser, minutes of rescanning the unfinished tag
        "</" * 500_000,
        "<meta" * 200_000,
        "<title" * 170_000,
        ("<meta " + "a=b " * 999 + ">") * 250,
    ],
)
def test_a_hostile_megabyte_of_markup_parses_in_about_a_second(html):
    started = time.monotonic()
    info = opengraph.parse(html[: 1024 * 1024], "http://example.com/")
    assert time.monotonic() - started < 3 and info.is_empty


def test_a_non_ascii_host_is_fetched_by_its_idna_name(link_server):
    with pytest.raises(FetchRefused, match="DNS"):  # looked up as xn--bcher-kva.invalid: no such name
        fetch("http://bücher.invalid/")


@pytest.fixture
def https_server(settings, tmp_path):
    """An HTTPS server on 127.0.0.1 with a certificate for "localhost" from the test's own CA (trusted here)."""
    from tests.link_server import Server, make_certificates, tls

    settings.LINK_PREVIEW_ALLOW_LOOPBACK = True
    ca_file, cert_file, key_file = make_certificates(tmp_path)
    settings.LINK_PREVIEW_CA_BUNDLE = ca_file
    server = tls(Server(), cert_file, key_file).start()
    yield server
    server.stop()


def test_https_goes_to_the_checked_address_with_the_name_as_sni_and_checked_certificate(https_server):
    page = fetch(https_server.url("/article"))
    assert b"og:title" in page.body
    assert https_server.sni[-1] == "localhost" and https_server.hosts[-1] == f"localhost:{https_server.port}"


def test_https_refuses_a_certificate_for_another_name_or_from_an_unknown_ca(https_server, settings):
    with pytest.raises(FetchRefused):  # connected to 127.0.0.1 as "127.0.0.1": the certificate names localhost
        fetch(f"https://127.0.0.1:{https_server.port}/article")
    settings.LINK_PREVIEW_CA_BUNDLE = ""  # the public CAs (certifi): our test CA is none of them
    with pytest.raises(FetchRefused, match=r"(?i)certificate"):
        fetch(https_server.url("/article"))
    assert https_server.requests["/article"] == 0
