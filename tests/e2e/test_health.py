"""GET /healthz on a running instance: 200 with each check "ok" while the database answers
and the media directory can be written; 503 naming the media check when the directory is
not a directory; healthy again once it is; never cached, no sign-in."""

from __future__ import annotations

import shutil

import httpx

from tests.conftest import artwork


def test_health_says_what_it_checked_and_what_failed(make_instance):
    site = make_instance("health")
    fresh = httpx.get(site.base_url + "/healthz")
    assert fresh.status_code == 200
    assert fresh.json() == {"status": "ok", "database": "ok", "media": "ok"}
    assert fresh.headers["cache-control"] == "no-store"

    site.cli("user", "add", "ana")
    site.cli("post", "ana", "--image", str(_image(site)), "--alt", "a test", "--no-cloak")
    media = site.root / "data" / "media"
    assert media.is_dir()
    shutil.move(media, site.root / "media-away")
    media.write_text("not a folder")
    broken = httpx.get(site.base_url + "/healthz")
    assert broken.status_code == 503
    assert broken.json()["status"] == "unavailable" and broken.json()["database"] == "ok"
    assert broken.json()["media"].startswith("not a directory")

    media.unlink()
    shutil.move(site.root / "media-away", media)
    assert httpx.get(site.base_url + "/healthz").status_code == 200


def _image(site):
    path = site.root / "work.jpg"
    path.write_bytes(artwork(64, 48))
    return path
