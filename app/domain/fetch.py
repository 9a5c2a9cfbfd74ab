"""Fetch an article page from a URL a person typed, without letting that URL reach inside our network.

A URL is attacker-chosen input: left alone, "fetch this article" would read cloud metadata
(169.254.169.254), admin pages on 10.x or services on localhost (server-side request forgery). So:

- only http and https, no user name or password in the URL, only ports 80, 443, 8080 and 8443;
- names that only mean something inside a network (single labels, .internal, .local, metadata
  names) are refused before any lookup;
- the host is resolved here, and refused if ANY of its addresses is loopback, private, link-local
  (cloud metadata included), multicast, unspecified, reserved, shared (100.64/10) or otherwise not
  public, IPv4 addresses inside IPv6 ones (::ffff:10.0.0.5, 6to4, NAT64) judged as IPv4;
- the connection is made to the address that was checked, never by looking the name up again, so
  a DNS answer that changes between the check and the connect (rebinding) cannot move us; the peer
  of the open socket is checked once more; TLS still verifies the certificate for the name;
- redirects are followed here, one at a time, each target checked like the first URL;
- the whole fetch has a time limit, the body a size limit counted while it streams, and only HTML
  and plain text are read.

`fetch_allow_loopback_for_tests` (test only) opens loopback addresses on any port so tests can serve
pages from their own server; private, link-local and metadata addresses stay refused even then.
"""
from __future__ import annotations

import dataclasses
import ipaddress
import socket
import time
from dataclasses import dataclass, field

import httpcore
import httpx

from app.domain.errors import DomainError
from app.domain.inputs import is_ascii_int

ALLOWED_SCHEMES = ("http", "https")
ALLOWED_PORTS = (80, 443, 8080, 8443)
# Content types read, and the suffix that tells parse_document how to read the body.
CONTENT_TYPES = {"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt"}
# What an RSS or Atom feed is served as (feedparser reads the body whatever it says it is).
FEED_TYPES = {"application/rss+xml": ".xml", "application/atom+xml": ".xml", "application/rdf+xml": ".xml",
              "application/x-rss+xml": ".xml", "application/xml": ".xml", "text/xml": ".xml",
              "text/plain": ".xml"}
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
CONNECT_TIMEOUT = 5.0
USER_AGENT = "claimtracker/0.1 (article fetch for analysts)"

BLOCKED_NAMES = frozenset({
    "localhost", "metadata", "metadata.google.internal", "metadata.goog", "instance-data",
    "instance-data.ec2.internal", "metadata.tencentyun.com", "metadata.platformequinix.com"})
BLOCKED_SUFFIXES = (".internal", ".local", ".localhost", ".localdomain", ".home.arpa", ".lan",
                    ".intranet", ".corp")
# Cloud metadata services (AWS, GCP, Azure, Oracle, DigitalOcean; ECS tasks; AWS over IPv6;
# Alibaba). Their ranges are refused anyway; naming them makes the refusal say why.
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200"))
SHARED_NETWORK = ipaddress.ip_network("100.64.0.0/10")
NAT64_NETWORKS = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


class FetchError(DomainError):
    """The page could not be fetched (timeout, no connection, an error status from the site)."""

    status_code = 502


@dataclass(frozen=True)
class FetchKind:
    """What a fetch asks for and accepts: article pages, or feeds."""

    content_types: dict[str, str]
    accept: str
    what: str


PAGE = FetchKind(CONTENT_TYPES, "text/html,application/xhtml+xml,text/plain;q=0.9", "an HTML or text page")
FEED = FetchKind(FEED_TYPES, "application/atom+xml,application/rss+xml,application/xml;q=0.9,text/xml;q=0.9",
                 "an RSS or Atom feed")


class FetchRefused(FetchError):
    """The URL, an address it resolves to, or what it answered is not allowed."""

    status_code = 422


@dataclass(frozen=True)
class FetchedPage:
    url: str                      # as asked
    final_url: str                # after redirects: the article's url
    content_type: str             # e.g. "text/html"
    charset: str | None
    body: bytes
    address: str                  # the IP address the page came from
    redirects: tuple[str, ...] = field(default=())
    etag: str | None = None       # validators for the next conditional GET of a feed
    last_modified: str | None = None
    not_modified: bool = False    # a 304 to a conditional GET: no body, nothing changed

    @property
    def host(self) -> str:
        return httpx.URL(self.final_url).host

    @property
    def suffix(self) -> str:
        return {**CONTENT_TYPES, **FEED_TYPES}.get(self.content_type, ".txt")


def address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_loopback: bool = False) -> str | None:
    """What kind of non-public address `ip` is ("a private address"), or None when it is public."""
    embedded = _embedded_ipv4(ip)
    if embedded is not None:  # the network delivers it to that IPv4 address: judge that one
        return address_problem(embedded, allow_loopback)
    if ip.is_loopback:
        return None if allow_loopback else "a loopback address"
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    checks = (("is_link_local", "a link-local address"), ("is_multicast", "a multicast address"),
              ("is_unspecified", "an unspecified address"))
    for attr, label in checks:
        if getattr(ip, attr):
            return label
    if ip.version == 4 and ip in SHARED_NETWORK:
        return "a shared (carrier-grade NAT) address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    return None if ip.is_global else "not a public address"


def _embedded_ipv4(ip) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo client, NAT64), if any."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in net for net in NAT64_NETWORKS):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def check_url(url: str | httpx.URL, allow_loopback: bool = False) -> httpx.URL:
    """The URL parsed, or FetchRefused saying what is wrong with it; the address is checked at connect."""
    try:
        parsed = httpx.URL(str(url).strip())
    except (httpx.InvalidURL, TypeError, ValueError):
        raise FetchRefused(f"refused: {str(url)[:200]!r} is not a valid URL") from None
    scheme = parsed.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "a URL without a scheme"
        raise FetchRefused(f"refused: only http and https URLs can be fetched, not {shown}")
    if parsed.userinfo:
        raise FetchRefused("refused: the URL carries a user name or password")
    host = parsed.host.rstrip(".").lower()
    if not host:
        raise FetchRefused("refused: the URL has no host")
    port = parsed.port or (443 if scheme == "https" else 80)
    if not allow_loopback and port not in ALLOWED_PORTS:
        allowed = ", ".join(map(str, ALLOWED_PORTS))
        raise FetchRefused(f"refused: port {port} (only {allowed} can be fetched)")
    _check_name(host, allow_loopback)
    return parsed


def _check_name(host: str, allow_loopback: bool) -> None:
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        ip = None
    if ip is not None:
        problem = address_problem(ip, allow_loopback)
        if problem:
            raise FetchRefused(f"refused: {ip} is {problem}")
        return
    if allow_loopback and host == "localhost":
        return
    if host in BLOCKED_NAMES or host.endswith(BLOCKED_SUFFIXES) or "." not in host:
        raise FetchRefused(f"refused: {host} is a name inside a private network, not a public site")


def resolve(host: str, port: int) -> list[str]:
    """The addresses a name resolves to (tests replace this to play DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def vetted_addresses(host: str, port: int, allow_loopback: bool) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address of `host`, or FetchRefused if any one of them is not public: a name with one
    private address among public ones could be answered by either, so it is refused whole."""
    try:
        found = resolve(host, port)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}: {getattr(exc, 'strerror', None) or exc}") from None
    addresses = list(dict.fromkeys(ipaddress.ip_address(a.split("%")[0]) for a in found))
    if not addresses:
        raise FetchError(f"cannot resolve {host}: no address")
    for ip in addresses:
        problem = address_problem(ip, allow_loopback)
        if problem:
            where = f"{ip} is" if host.strip("[]") == str(ip) else f"{host} resolves to {ip},"
            raise FetchRefused(f"refused: {where} {problem}")
    return addresses


class PinnedBackend(httpcore.SyncBackend):
    """Connects only to addresses vetted here, by IP, so the name is looked up exactly once per
    connection; httpcore still sends the name as TLS SNI and verifies the certificate against it."""

    def __init__(self, allow_loopback: bool) -> None:
        self.allow_loopback = allow_loopback

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        error: Exception | None = None
        for ip in vetted_addresses(host, port, self.allow_loopback):
            try:
                stream = super().connect_tcp(str(ip), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            peer = ipaddress.ip_address(str(stream.get_extra_info("server_addr")[0]).split("%")[0])
            if peer != ip or address_problem(peer, self.allow_loopback):
                stream.close()
                raise FetchRefused(f"refused: connected to {peer}, not the checked address {ip}")
            return stream
        raise error or httpcore.ConnectError(f"no address of {host} answered")


class PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport (request and response mapping, error types) over PinnedBackend."""

    def __init__(self, allow_loopback: bool) -> None:
        super().__init__(trust_env=False, retries=0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False), max_connections=4,
            max_keepalive_connections=0, retries=0, network_backend=PinnedBackend(allow_loopback))


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    allow_loopback: bool = False

    @classmethod
    def from_settings(cls, settings) -> FetchLimits:
        return cls(settings.fetch_timeout, settings.fetch_max_bytes, settings.fetch_max_redirects,
                   settings.fetch_allow_loopback_for_tests)


def fetch_page(url: str, limits: FetchLimits, kind: FetchKind = PAGE,
               validators: dict[str, str] | None = None) -> FetchedPage:
    """GET an HTML or text page (or a feed), following redirects one checked hop at a time, within
    the limits. `validators` (If-None-Match, If-Modified-Since) make it conditional: a 304 is a
    FetchedPage with not_modified set and no body."""
    current = check_url(url, limits.allow_loopback)
    deadline = time.monotonic() + limits.timeout
    hops: list[str] = []
    headers = {"User-Agent": USER_AGENT, "Accept": kind.accept, **(validators or {})}
    with httpx.Client(transport=PinnedTransport(limits.allow_loopback), follow_redirects=False,
                      trust_env=False, headers=headers) as client:
        while True:
            try:
                page = _fetch_once(client, current, deadline, limits, kind)
            except httpx.TimeoutException:
                raise FetchError(f"timed out: {current.host} took longer than {limits.timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch {current.host}: {exc or type(exc).__name__}") from None
            if isinstance(page, FetchedPage):
                return dataclasses.replace(page, url=str(url), redirects=tuple(hops))
            if len(hops) >= limits.max_redirects:
                raise FetchRefused(f"refused: more than {limits.max_redirects} redirects")
            current = check_url(page, limits.allow_loopback)
            hops.append(str(current))


def _fetch_once(client: httpx.Client, url: httpx.URL, deadline: float, limits: FetchLimits,
                kind: FetchKind) -> FetchedPage | httpx.URL:
    """One request: the page, or the URL a redirect points to (not yet checked)."""
    remaining = _remaining(deadline, url, limits)
    timeout = httpx.Timeout(remaining, connect=min(CONNECT_TIMEOUT, remaining))
    with client.stream("GET", url, timeout=timeout) as response:
        if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
            return url.join(response.headers["location"])
        validators = {"etag": _header(response, "etag"), "last_modified": _header(response, "last-modified")}
        if response.status_code == 304:
            return FetchedPage(str(url), str(url), "", None, b"", "", not_modified=True, **validators)
        if response.status_code != 200:
            raise FetchError(f"{url.host} answered {response.status_code} {response.reason_phrase}".rstrip())
        content_type, charset = _content_type(response, kind)
        declared = response.headers.get("content-length", "")
        if is_ascii_int(declared) and int(declared) > limits.max_bytes:
            raise FetchRefused(f"refused: the page is {int(declared):,} bytes, over the limit of "
                               f"{limits.max_bytes:,} bytes")
        server = response.extensions["network_stream"].get_extra_info("server_addr")
        body = _read_body(response, deadline, url, limits)
        return FetchedPage(str(url), str(url), content_type, charset, body, str(server[0]) if server else "",
                           **validators)


def _header(response: httpx.Response, name: str) -> str | None:
    """A validator header worth sending back: present, printable and short enough to store."""
    value = response.headers.get(name, "").strip()
    return value if value and len(value) <= 200 and value.isprintable() else None


def _remaining(deadline: float, url: httpx.URL, limits: FetchLimits) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"timed out: {url.host} took longer than {limits.timeout:g} s")
    return remaining


def _content_type(response: httpx.Response, kind: FetchKind) -> tuple[str, str | None]:
    raw = response.headers.get("content-type", "")
    media = raw.split(";")[0].strip().lower()
    if media not in kind.content_types:
        shown = media or "no content type"
        raise FetchRefused(f"refused: {response.url.host} sent {shown}, not {kind.what}")
    return media, response.charset_encoding


def _read_body(response: httpx.Response, deadline: float, url: httpx.URL, limits: FetchLimits) -> bytes:
    """The decoded body, stopped as soon as it passes the size limit or the deadline."""
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limits.max_bytes:
            raise FetchRefused(f"refused: the page is over the limit of {limits.max_bytes:,} bytes")
        _remaining(deadline, url, limits)
    return bytes(body)
