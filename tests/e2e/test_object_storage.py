"""Media in object storage, end to end: instances as processes whose media live in buckets of
a real S3 server (SeaweedFS on loopback, tests/seaweedfs.py), driven through the CLI and HTTP.

- proxy mode: a cloaked post's original, rendition and thumbnail land in the bucket (the
  cloak's child process reads the original from there), /media/ answers them with the
  headers a media directory's file gets, a follower's server fetches and shows them, the
  original is readable neither at /media/ nor from the bucket without the key, and deleting
  the post removes the objects;
- redirect mode: refused at start while the public URL is the bare bucket (it cannot send the
  no-AI headers), started behind a proxy that adds them (standing in for the operator's CDN),
  and then /media/ redirects there and the image comes back with the headers;
- a bucket that would show private originals is refused at start;
- /healthz says 503, naming the media store, while SeaweedFS is down or the bucket is gone."""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.utils import parsedate_to_datetime

import httpx
import pytest

from tests.conftest import artwork
from tests.instances import free_port, wait_for
from tests.seaweedfs import SeaweedFS

FAST_CLOAK = "steps = 2\nlease_seconds = 3.0\npoll_interval_seconds = 0.2\nretry_seconds = 0.2"
# What a media response says beyond its bytes, the same wherever the file lives.
SAME_HEADERS = (
    "content-type",
    "cache-control",
    "x-robots-tag",
    "tdm-reservation",
    "x-content-type-options",
    "content-security-policy",
)


def _post(site, tmp_path, seed: int) -> str:
    image = tmp_path / f"work-{seed}.jpg"
    image.write_bytes(artwork(400, 300, seed=seed))
    return site.cli("post", "ana", "--image", str(image), "--alt", "a study").stdout.strip()


def _files(site) -> tuple[str, str, str]:
    [row] = site.query("SELECT file_name, thumb_file, original_file FROM media_attachments")
    return row


def test_proxy_mode_keeps_media_in_the_bucket_and_serves_them_as_local_files(
    make_instance, seaweedfs: SeaweedFS, tmp_path
):
    bucket = seaweedfs.new_bucket(prefix="cara/")
    a = make_instance(
        "a", bucket=bucket, media_config=bucket.media_config(), cloak_config=FAST_CLOAK
    )
    b = make_instance("b")  # a follower; its own media wherever --media says
    a.cli("user", "add", "ana")
    b.cli("user", "add", "ben")
    assert "accepted" in b.cli("follow", "ben", f"ana@{a.domain}").stdout

    page = _post(a, tmp_path, seed=5)
    # The cloak's child process reads the original from the bucket; the rendition goes there.
    wait_for(lambda: a.query("SELECT cloak_pending FROM posts") == [(0,)], 120, what="the cloak")
    published, thumb, original = _files(a)
    assert original.startswith("private/") and published.startswith("local/")
    assert {published, thumb, original} <= bucket.names()
    assert not (a.root / "data" / "media").exists(), "nothing of the media on disk"
    assert bucket.head(published)["Metadata"] == {
        "x-robots-tag": "noai, noimageai",
        "tdm-reservation": "1",
    }

    served = httpx.get(f"{a.base_url}/media/{published}")
    assert served.status_code == 200
    assert served.content == bucket.get(published)
    assert httpx.get(f"{a.base_url}/media/{thumb}").content == bucket.get(thumb)

    # The follower's server fetched it from /media/ and serves its copy from its own store:
    # both answers say the same, header for header.
    [entry] = wait_for(lambda: b.timeline("ben"), what="the work on ben's server")
    [media] = entry["media"]
    assert media["remote_url"] == f"{a.base_url}/media/{published}"
    copy = httpx.get(f"{b.base_url}/media/{media['file_name']}")
    assert copy.status_code == 200 and copy.content == served.content
    assert {h: served.headers.get(h) for h in SAME_HEADERS} == {
        h: copy.headers.get(h) for h in SAME_HEADERS
    }
    assert served.headers["x-robots-tag"] == "noai, noimageai"
    assert served.headers["tdm-reservation"] == "1"
    assert served.headers["etag"] == f'"{published.split("/")[1].split(".")[0]}"'
    modified = parsedate_to_datetime(served.headers["last-modified"])
    assert modified == bucket.head(published)["LastModified"]

    # Caches revalidate without the image being read again.
    for validator in (
        {"If-None-Match": served.headers["etag"]},
        {"If-Modified-Since": served.headers["last-modified"]},
    ):
        again = httpx.get(f"{a.base_url}/media/{published}", headers=validator)
        assert again.status_code == 304 and again.content == b""
        assert again.headers["x-robots-tag"] == "noai, noimageai"
    stale = httpx.get(f"{a.base_url}/media/{published}", headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200 and stale.content == served.content

    # The original: never at /media/, and not from the bucket without the key.
    assert httpx.get(f"{a.base_url}/media/{original}").status_code == 404
    assert httpx.get(f"{bucket.url}cara/{original}").status_code == 403
    assert httpx.get(f"{bucket.url}cara/{published}").status_code == 403  # proxy: all private

    a.cli("delete", "ana", page)
    wait_for(lambda: not {published, thumb, original} & bucket.names(), what="the objects to go")
    assert httpx.get(f"{a.base_url}/media/{published}").status_code == 404
    wait_for(lambda: not b.has_media(media["file_name"]), what="the follower's copy to go")


class HeaderProxy:
    """A reverse proxy on loopback in front of SeaweedFS that adds the no-AI headers to every
    answer: it stands in for the CDN (or nginx) an operator puts in front of a bucket in
    redirect mode, since a bucket cannot send those headers itself. GET and HEAD only."""

    def __init__(self, upstream: str, headers: dict[str, str]) -> None:
        self.port = free_port()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.forward(self, "GET")

            def do_HEAD(self) -> None:
                owner.forward(self, "HEAD")

            def log_message(self, *args) -> None:
                pass

        self.upstream, self.headers = upstream, headers
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def forward(self, handler: http.server.BaseHTTPRequestHandler, method: str) -> None:
        request = urllib.request.Request(self.upstream + handler.path, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                status, headers, body = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as refused:
            status, headers, body = refused.code, refused.headers, refused.read()
        handler.send_response(status)
        for name in ("Content-Type", "Cache-Control", "ETag", "Last-Modified"):
            if headers.get(name):
                handler.send_header(name, headers[name])
        for name, value in self.headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if method == "GET":
            handler.wfile.write(body)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def cdn(seaweedfs: SeaweedFS) -> Iterator[HeaderProxy]:
    proxy = HeaderProxy(
        seaweedfs.endpoint, {"X-Robots-Tag": "noai, noimageai", "tdm-reservation": "1"}
    )
    yield proxy
    proxy.close()


def test_redirect_mode_starts_only_behind_a_proxy_that_sends_the_headers(
    make_instance, seaweedfs: SeaweedFS, cdn: HeaderProxy, tmp_path
):
    bucket = seaweedfs.new_bucket(prefix="m/", public_prefixes=("local/", "remote/"))

    # The bucket's own URL serves the public objects, but without the headers: refused.
    bare = make_instance(
        "bare", bucket=bucket, media_config=bucket.media_config("redirect", bucket.url), start=False
    )
    with pytest.raises(AssertionError, match="exited at start") as refused:
        bare.start()
    message = str(refused.value)
    assert "serves media without the no-AI headers" in message
    assert "X-Robots-Tag: noai, noimageai; tdm-reservation: 1" in message
    assert "add them to every response at the CDN or proxy" in message
    assert 's3_serve = "proxy"' in message
    assert not [name for name in bucket.names() if "cara-fed-check" in name], "probes removed"

    # Behind the proxy that adds them: it starts.
    public = f"{cdn.url}/{bucket.name}/"
    site = make_instance(
        "site", bucket=bucket, media_config=bucket.media_config("redirect", public)
    )
    site.cli("user", "add", "ana")
    _post(site, tmp_path, seed=9)
    published, thumb, original = _files(site)
    assert {published, thumb, original} <= bucket.names()

    moved = httpx.get(f"{site.base_url}/media/{published}")
    assert moved.status_code == 302
    assert moved.headers["location"] == f"{public}m/{published}"
    assert moved.headers["x-robots-tag"] == "noai, noimageai"
    image = httpx.get(f"{site.base_url}/media/{published}", follow_redirects=True)
    assert image.status_code == 200 and image.content == bucket.get(published)
    assert image.headers["content-type"] == "image/jpeg"
    assert image.headers["x-robots-tag"] == "noai, noimageai"
    assert image.headers["tdm-reservation"] == "1"
    assert image.headers["cache-control"] == "public, max-age=31536000, immutable"

    # The original stays private: no /media/ for it, and the bucket refuses it to anyone
    # without the key, directly and through the public URL.
    assert httpx.get(f"{site.base_url}/media/{original}").status_code == 404
    assert httpx.get(f"{bucket.url}m/{original}").status_code == 403
    assert httpx.get(f"{public}m/{original}").status_code == 403


def test_presigned_mode_serves_a_bucket_nobody_can_read_through_signed_urls(
    make_instance, seaweedfs: SeaweedFS, cdn: HeaderProxy, tmp_path
):
    bucket = seaweedfs.new_bucket(prefix="p/")  # no bucket policy: nothing is anonymous
    site = make_instance(
        "signed", bucket=bucket, media_config=bucket.media_config("presigned", cdn.url)
    )
    site.cli("user", "add", "ana")
    _post(site, tmp_path, seed=11)
    published, _, original = _files(site)
    assert httpx.get(f"{bucket.url}p/{published}").status_code == 403

    moved = httpx.get(f"{site.base_url}/media/{published}")
    assert moved.status_code == 302
    location = moved.headers["location"]
    # The endpoint's place taken by the proxy that adds the headers; the rest as signed.
    assert location.startswith(f"{cdn.url}/{bucket.name}/p/{published}?")
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=7200" in location
    assert moved.headers["cache-control"] == "private, max-age=3600"
    image = httpx.get(location)
    assert image.status_code == 200 and image.content == bucket.get(published)
    assert image.headers["x-robots-tag"] == "noai, noimageai"
    assert image.headers["tdm-reservation"] == "1"

    # The signature names one object: the same query for the private original is refused,
    # and the original has no /media/ address to presign.
    assert httpx.get(location.replace(published, original)).status_code == 403
    assert httpx.get(f"{site.base_url}/media/{original}").status_code == 404

    # Without the proxy the presigned URL is the bucket's own, which cannot send the
    # headers: refused at start, as in redirect mode.
    bare = make_instance(
        "bare", bucket=bucket, media_config=bucket.media_config("presigned"), start=False
    )
    with pytest.raises(AssertionError, match="exited at start") as refused:
        bare.start()
    assert "serves media without the no-AI headers" in str(refused.value)


def test_a_bucket_that_would_show_private_originals_is_refused(make_instance, seaweedfs):
    bucket = seaweedfs.new_bucket(public_prefixes=("",))  # everything readable: a mistake
    site = make_instance("open", bucket=bucket, media_config=bucket.media_config(), start=False)
    with pytest.raises(AssertionError, match="exited at start") as refused:
        site.start()
    assert "private originals (private/...) would be public" in str(refused.value)
    assert "Allow anonymous reads of local/* and remote/* only" in str(refused.value)


def test_health_names_the_media_store_while_it_is_down(make_instance):
    own = SeaweedFS().start()  # stopped below: the session's server stays up for the others
    try:
        bucket = own.new_bucket()
        site = make_instance("health", bucket=bucket, media_config=bucket.media_config())
        healthy = {"status": "ok", "database": "ok", "media": "ok"}
        assert httpx.get(site.base_url + "/healthz").json() == healthy

        own.client().delete_bucket(Bucket=bucket.name)
        gone = httpx.get(site.base_url + "/healthz")
        assert gone.status_code == 503
        assert gone.json()["media"] == f"bucket {bucket.name} does not exist"
        own.client().create_bucket(Bucket=bucket.name)
        assert httpx.get(site.base_url + "/healthz").json() == healthy

        own.stop()
        down = httpx.get(site.base_url + "/healthz")
        assert down.status_code == 503
        assert down.json() == {
            "status": "unavailable",
            "database": "ok",
            "media": "unreachable: EndpointConnectionError",
        }
    finally:
        own.cleanup()
