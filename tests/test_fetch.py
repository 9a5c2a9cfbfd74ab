"""The URL fetch guard against a server of the test's own on 127.0.0.1: refused without the
test-only allowance, fetched with it; non-public addresses refused on every redirect and however
the name resolves; DNS rebinding cannot move the connection; size, time and type limits hold.
The fences in tests/fetch_server.py keep every test off real DNS and off any non-loopback address."""
from __future__ import annotations

import time

import pytest

from app.domain.fetch import FetchError, FetchLimits, FetchRefused, check_url, fetch_page
from tests.fetch_server import fence, server  # noqa: F401 (fixtures)

ALLOWED = FetchLimits(timeout=5, max_bytes=100_000, max_redirects=3, allow_loopback=True)
GUARDED = FetchLimits(timeout=5, max_bytes=100_000, max_redirects=3)


def refusal(url: str, limits: FetchLimits = ALLOWED) -> FetchRefused:
    with pytest.raises(FetchRefused) as caught:
        fetch_page(url, limits)
    assert caught.value.status_code == 422
    return caught.value


def test_own_server_is_refused_without_the_test_allowance(server, fence):
    assert "refused" in refusal(server.url("/article"), GUARDED).message
    # Even on an allowed port, and by a name: the address is what counts.
    fence.answer("news.example", ["127.0.0.1"])
    message = refusal("http://news.example:8080/article", GUARDED).message
    assert message == "refused: news.example resolves to 127.0.0.1, a loopback address"
    assert "loopback" in refusal("http://127.0.0.1/", GUARDED).message
    assert "loopback" in refusal("http://[::1]:8080/", GUARDED).message
    assert server.hits.paths == [] and fence.connects == []


def test_own_server_is_fetched_with_the_test_allowance(server, fence):
    page = fetch_page(server.url("/article"), ALLOWED)
    assert page.final_url == server.url("/article") and page.redirects == ()
    assert page.content_type == "text/html" and page.charset == "utf-8"
    assert b"Harbour Ledger" in page.body and page.address == "127.0.0.1"
    assert server.hits.paths == ["/article"]


def test_connection_goes_to_the_vetted_address_with_the_name_as_host(server, fence):
    fence.answer("ledger.example", ["127.0.0.1"])
    page = fetch_page(server.url("/plain", host="ledger.example"), ALLOWED)
    assert page.content_type == "text/plain"
    assert fence.connects == ["127.0.0.1"]           # by address, never by name
    assert server.hits.hosts == [f"ledger.example:{server.port}"]


def test_dns_rebinding_cannot_redirect_the_connection(server, fence):
    """The name answers a public address to the check and loopback to any later lookup: the
    connection goes to the checked public address (stopped by the fence), never to our server."""
    fence.answer("rebind.example", ["93.184.216.34"], ["127.0.0.1"])
    with pytest.raises(FetchError) as caught:
        fetch_page(server.url("/article", host="rebind.example"), ALLOWED)
    assert "rebind.example" in caught.value.message
    assert fence.lookups == ["rebind.example"]
    assert fence.connects == ["93.184.216.34"]
    assert server.hits.paths == []


def test_redirect_chain_is_followed_hop_by_hop(server, fence):
    page = fetch_page(server.url("/r/3"), ALLOWED)
    assert page.final_url == server.url("/article")
    assert page.redirects == (server.url("/r/2"), server.url("/r/1"), server.url("/article"))
    assert server.hits.paths == ["/r/3", "/r/2", "/r/1", "/article"]


def test_too_many_redirects_and_loops_are_refused(server, fence):
    assert refusal(server.url("/r/4")).message == "refused: more than 3 redirects"
    assert refusal(server.url("/loop")).message == "refused: more than 3 redirects"
    assert server.hits.paths.count("/loop") == 4


@pytest.mark.parametrize("target, reason", [
    ("http://10.0.0.5/admin", "refused: 10.0.0.5 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a cloud metadata address"),
    ("http://[fd00:ec2::254]/latest/", "refused: fd00:ec2::254 is a cloud metadata address"),
    ("http://100.100.100.200/latest/", "refused: 100.100.100.200 is a cloud metadata address"),
    ("http://metadata.google.internal/computeMetadata/v1/", "private network"),
    ("file:///etc/passwd", "refused: only http and https URLs can be fetched, not file:"),
    ("http://admin:secret@93.184.216.34/", "user name or password"),
])
def test_redirect_to_a_private_target_is_refused_even_with_the_allowance(server, fence, target, reason):
    from urllib.parse import quote

    message = refusal(server.url("/to?target=" + quote(target, safe=""))).message
    assert reason in message
    assert fence.refused == []                      # refused before any connection was tried


def test_redirect_to_a_name_resolving_privately_is_refused(server, fence):
    fence.answer("files.example", ["192.168.1.20"])
    message = refusal(server.url("/to?target=http://files.example/report")).message
    assert message == "refused: files.example resolves to 192.168.1.20, a private address"
    assert fence.refused == []


@pytest.mark.parametrize("answer, kind", [
    (["10.0.0.5"], "a private address"),
    (["::ffff:127.0.0.1"], "a loopback address"),
    (["::ffff:10.0.0.5"], "a private address"),
    (["172.16.4.4"], "a private address"),
    (["169.254.10.1"], "a link-local address"),
    (["fe80::1"], "a link-local address"),
    (["fc00::7"], "a private address"),
    (["100.64.0.9"], "a shared (carrier-grade NAT) address"),
    (["224.0.0.251"], "a multicast address"),
    (["0.0.0.0"], "an unspecified address"),
    (["64:ff9b::a00:5"], "a private address"),       # NAT64 of 10.0.0.5
    (["93.184.216.34", "10.0.0.5"], "a private address"),  # one bad address spoils the name
])
def test_names_resolving_to_non_public_addresses_are_refused(fence, answer, kind):
    fence.answer("site.example", answer)
    message = refusal("https://site.example/news", GUARDED).message
    assert message.startswith("refused: site.example resolves to ") and message.endswith(kind)
    assert fence.connects == []


def test_test_allowance_opens_loopback_only(fence):
    fence.answer("private.example", ["10.1.2.3"])
    fence.answer("metadata.example", ["169.254.169.254"])
    fence.answer("mapped.example", ["::ffff:192.168.0.1"])
    assert "private address" in refusal("http://private.example/", ALLOWED).message
    assert "cloud metadata" in refusal("http://metadata.example/", ALLOWED).message
    assert "private address" in refusal("http://mapped.example/", ALLOWED).message
    assert fence.connects == []


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://ftp.example.org/pub/", "gopher://gopher.example.org/",
    "javascript:alert(1)", "data:text/html,<p>hi</p>", "news.example/article", "//news.example/a",
])
def test_non_http_schemes_are_refused(url, fence):
    message = refusal(url, GUARDED).message
    assert message.startswith("refused: only http and https")
    assert fence.lookups == []


@pytest.mark.parametrize("url, reason", [
    ("http://intranet/", "private network"),
    ("http://printer.local/", "private network"),
    ("http://localhost:8080/", "private network"),
    ("http://2130706433/", "private network"),          # 127.0.0.1 written as one number
    ("http://news.example:22/", "port 22"),
    ("http://news.example:6379/", "port 6379"),
])
def test_names_and_ports_are_refused_before_lookup(url, reason, fence):
    assert reason in refusal(url, GUARDED).message
    assert fence.lookups == []


def test_odd_spellings_of_loopback_are_caught_by_the_address(fence):
    with pytest.raises(FetchRefused, match="loopback"):
        check_url("http://[::ffff:127.0.0.1]/")
    assert check_url("http://news.example/a?b=1").host == "news.example"


def test_declared_huge_body_is_refused_from_its_header(server, fence):
    message = refusal(server.url("/huge-declared")).message
    assert message == "refused: the page is 52,428,800 bytes, over the limit of 100,000 bytes"


def test_undeclared_huge_body_is_stopped_while_streaming(server, fence):
    started = time.monotonic()
    message = refusal(server.url("/huge-chunked")).message
    assert message == "refused: the page is over the limit of 100,000 bytes"
    assert time.monotonic() - started < 5


def test_slow_body_times_out_on_the_total_limit(server, fence):
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch_page(server.url("/slow"), FetchLimits(timeout=1, allow_loopback=True))
    assert caught.value.message == "timed out: 127.0.0.1 took longer than 1 s"
    assert caught.value.status_code == 502
    assert time.monotonic() - started < 3


def test_wrong_content_type_and_error_status_are_clear(server, fence):
    assert refusal(server.url("/image")).message == "refused: 127.0.0.1 sent image/png, not an HTML or text page"
    with pytest.raises(FetchError) as caught:
        fetch_page(server.url("/missing"), ALLOWED)
    assert caught.value.message == "127.0.0.1 answered 404 Not Found"


def test_invalid_redirect_is_a_clear_error(server, fence):
    with pytest.raises(FetchError, match="cannot fetch 127.0.0.1: Invalid URL in location header"):
        fetch_page(server.url("/to?target=http://news.example:b:c/"), ALLOWED)


def test_unresolvable_name_and_closed_port_are_clear(fence):
    with pytest.raises(FetchError, match="cannot resolve nowhere.example"):
        fetch_page("http://nowhere.example/", GUARDED)
    with pytest.raises(FetchError, match="cannot fetch 127.0.0.1"):
        fetch_page("http://127.0.0.1:9/", ALLOWED)
