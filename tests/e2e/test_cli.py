"""The admin CLI: plain output, and a one-line reason with a non-zero exit on every failure,
leaving nothing half-done behind."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from tests.conftest import artwork
from tests.instances import REPO


@pytest.fixture
def offline(make_instance):
    """An instance that is configured but not serving: the CLI works on its database alone."""
    instance = make_instance("cli", start=False)
    instance.cli("init")
    return instance


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cara-fed: ")
    return lines[0]


def test_init_is_safe_to_run_twice(offline):
    offline.cli("user", "add", "ann")
    again = offline.cli("init")
    assert "initialised" in again.stdout
    assert "ann" in offline.cli("user", "list").stdout


def test_config_errors_are_one_line(tmp_path):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cara_fed", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={"PYTHONPATH": str(REPO)},
        )

    assert "not found" in one_line_error(run("--config", "missing.toml", "user", "list"))
    assert "instance.toml" in one_line_error(run("user", "list"))  # the documented default
    (tmp_path / "bad.toml").write_text("[instance\nurl=")
    assert "not valid TOML" in one_line_error(run("--config", "bad.toml", "init"))
    (tmp_path / "typo.toml").write_text('[instance]\nulr = "https://x.example"\n')
    assert "unknown key 'ulr'" in one_line_error(run("--config", "typo.toml", "init"))
    (tmp_path / "path.toml").write_text('[instance]\nurl = "https://x.example/sub"\n')
    assert "without a path" in one_line_error(run("--config", "path.toml", "init"))


def test_config_path_can_come_from_the_environment(offline):
    result = subprocess.run(
        [sys.executable, "-m", "cara_fed", "user", "list"],
        capture_output=True,
        text=True,
        env={**offline.env(), "CARA_FED_CONFIG": str(offline.config_path)},
    )
    assert result.returncode == 0 and "no accounts yet" in result.stdout


def test_account_names_are_checked(offline):
    assert "not a valid name" in one_line_error(offline.cli("user", "add", "Bad Name", check=False))
    offline.cli("user", "add", "ann")
    assert "already exists" in one_line_error(offline.cli("user", "add", "ann", check=False))
    assert "at least 8" in one_line_error(
        offline.cli("user", "add", "bea", "--password-stdin", check=False, stdin="short\n")
    )
    offline.cli("user", "add", "bea", "--password-stdin", stdin="a long password\n")
    [(stored,)] = offline.query("SELECT password_hash FROM actors WHERE username = 'bea'")
    assert stored.startswith("scrypt$") and "a long password" not in stored


def test_bad_posts_are_refused_and_leave_nothing(offline, tmp_path):
    offline.cli("user", "add", "ann")
    good = tmp_path / "good.jpg"
    good.write_bytes(artwork(50, 50))
    text = tmp_path / "notes.jpg"
    text.write_text("this is not an image")
    cases = [
        (["--image", str(good)], "--alt"),
        (["--image", str(good), "--alt", "  "], "no alt text"),
        (["--image", str(tmp_path / "missing.jpg"), "--alt", "x"], "cannot read"),
        (
            ["--image", str(good), "--alt", "ok", "--image", str(text), "--alt", "x"],
            "not a readable image",
        ),
        ([], "at least one --image"),
    ]
    for args, reason in cases:
        assert reason in one_line_error(offline.cli("post", "ann", *args, check=False))
    assert "no local account" in one_line_error(
        offline.cli("post", "nobody", "--image", str(good), "--alt", "x", check=False)
    )
    assert offline.query("SELECT count(*) FROM posts") == [(0,)]
    assert offline.query("SELECT count(*) FROM outbound_activities") == [(0,)]
    media = offline.root / "data" / "media" / "local"
    assert not media.exists() or not any(media.iterdir())


def test_delete_and_follow_errors(offline):
    offline.cli("user", "add", "ann")
    assert "no post at" in one_line_error(
        offline.cli("delete", "ann", "http://127.0.0.1:1/@ann/1", check=False)
    )
    assert f"there is no account nobody on {offline.domain}" in one_line_error(
        offline.cli("follow", "ann", "nobody", check=False)
    )
    assert "not an account handle" in one_line_error(
        offline.cli("follow", "ann", "someone@bad/host", check=False)
    )
    assert "cannot find" in one_line_error(
        offline.cli("follow", "ann", "someone@127.0.0.1:1", check=False)
    )


def test_serve_says_where_it_is_and_how_to_add_an_artist(make_instance):
    instance = make_instance("served")
    log = instance.log()
    assert f"cara-fed is serving {instance.base_url}" in log
    assert "user add NAME" in log
    assert httpx.get(instance.base_url + "/").status_code == 200


def test_media_is_served_with_validators(make_instance, tmp_path):
    instance = make_instance("media")
    instance.cli("user", "add", "ann")
    picture = tmp_path / "w.png"
    picture.write_bytes(artwork(40, 30, fmt="PNG"))
    instance.cli("post", "ann", "--image", str(picture), "--alt", "small")
    [(name,)] = instance.query("SELECT file_name FROM media_attachments")
    url = f"{instance.base_url}/media/{name}"
    first = httpx.get(url)
    assert first.status_code == 200 and first.headers["content-type"] == "image/png"
    assert first.headers["etag"] and first.headers["last-modified"]
    again = httpx.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    for bad in ("local/../../instance.toml", "..%2F..%2Finstance.toml", "local/x.png"):
        assert httpx.get(f"{instance.base_url}/media/{bad}").status_code == 404
    deliveries = instance.cli("deliveries").stdout
    assert "no deliveries yet" in deliveries  # nobody follows ann: nothing to send


def test_webfinger_over_plain_http_is_its_own_setting(make_instance):
    """Fetching from loopback (allow_private_addresses) does not by itself mean looking
    handles up over plain http: that is webfinger_http_fallback."""
    b = make_instance("b")
    b.cli("user", "add", "bob")
    a = make_instance("a", start=False, webfinger_http=False)
    a.cli("init")
    a.cli("user", "add", "ann")
    assert "cannot find" in one_line_error(a.cli("follow", "ann", f"bob@{b.domain}", check=False))
    a.webfinger_http = True
    a.write_config()
    # Found over http and sent (A is not serving, so B cannot fetch A's key yet: pending).
    assert f"ann → bob@{b.domain}: pending" in a.cli("follow", "ann", f"bob@{b.domain}").stdout
