from __future__ import annotations

import os

import pytest

from cara_fed.config import ConfigError, load_config


def test_relative_paths_resolve_against_the_config_file(tmp_path, monkeypatch):
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "instance.toml").write_text('[instance]\ndata_dir = "state"\n')
    monkeypatch.chdir(tmp_path)
    config = load_config("etc/instance.toml")
    assert config.data_dir == folder / "state"
    assert config.database_path.parent == folder / "state"


def test_domain_keeps_a_non_default_port(tmp_path):
    (tmp_path / "i.toml").write_text('[instance]\nurl = "http://127.0.0.1:8081/"\n')
    config = load_config(tmp_path / "i.toml")
    assert (config.base_url, config.domain) == ("http://127.0.0.1:8081", "127.0.0.1:8081")


def test_defaults_are_safe(tmp_path):
    (tmp_path / "i.toml").write_text("")
    config = load_config(tmp_path / "i.toml")
    assert config.federation.allow_private_addresses is False
    assert config.federation.authorized_fetch is False


S3 = (
    '[media]\nbackend = "s3"\ns3_endpoint = "http://127.0.0.1:8333"\n'
    's3_access_key = "k"\ns3_secret_key = "s"\n'
)
S3_BUCKET = f'{S3}s3_bucket = "art"\n'


@pytest.mark.parametrize(
    "text, reason",
    [
        ("[server]\nport = 0\n", "port must be 1-65535"),
        ('[server]\nport = "80"\n', "port must be int"),
        ("[federation]\nauthorized_fetch = 1\n", "authorized_fetch must be bool"),
        ('[instance]\nurl = "ftp://x.example"\n', "http(s) URL"),
        ("[nonsense]\n", "unknown section"),
        ('[instance]\naccent_color = "red"\n', "accent_color must be a colour as #rrggbb"),
        ('[database]\nurl = "mysql://h/db"\n', "must be postgres://"),
        ('[database]\nurl = "postgres://127.0.0.1:5432"\n', "must be postgres://"),
        ("[database]\npool_size = 0\n", "pool_size must be at least 1"),
        ('[cloak]\nstrength = "max"\n', "strength must be one of low, default, strong"),
        ("[cloak]\nsteps = 0\n", "steps must be 1-1000"),
        ("[cloak]\nmax_attempts = 0\n", "must be > 0"),
        ("[media]\nmax_published_pixels = 0\n", "max_published_pixels must be positive"),
        ('[media]\nbackend = "gcs"\n', 'backend must be "local" or "s3"'),
        ('[media]\nbackend = "s3"\n', "s3_endpoint must be the http(s) URL"),
        (f'{S3}s3_bucket = "Media_Bucket"\n', "s3_bucket must name a bucket"),
        (f'{S3_BUCKET}s3_serve = "cdn"\n', 's3_serve must be "proxy", "redirect" or "presigned"'),
        (
            f'{S3_BUCKET}s3_serve = "presigned"\ns3_public_url = "https://cdn.example/media/"\n',
            "s3_public_url must be an origin",
        ),
        (f'{S3_BUCKET}s3_serve = "redirect"\n', "s3_public_url is needed for s3_serve"),
        (f'{S3_BUCKET}s3_prefix = "a/../b"\n', "s3_prefix must be a plain key prefix"),
    ],
)
def test_impossible_values_are_refused_with_the_reason(tmp_path, text, reason):
    (tmp_path / "i.toml").write_text(text)
    with pytest.raises(ConfigError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        load_config(tmp_path / "i.toml")


def test_the_example_config_loads_and_matches_the_defaults():
    example = load_config(
        os.path.join(os.path.dirname(__file__), "..", "..", "instance.example.toml")
    )
    empty_defaults = type(example.delivery)()
    assert example.delivery == empty_defaults
    assert example.federation == type(example.federation)()
    assert example.media == type(example.media)()
    assert example.screening == type(example.screening)()
    assert example.policy == type(example.policy)()
    assert example.cloak == type(example.cloak)()


def test_a_postgres_url_is_named_without_its_password(tmp_path):
    (tmp_path / "i.toml").write_text(
        '[database]\nurl = "postgres://cara:s%40cret@db.internal:6432/cara"\n'
    )
    config = load_config(tmp_path / "i.toml")
    assert config.on_postgres
    assert config.database_name == "postgres://cara@db.internal:6432/cara"
    assert "cret" not in config.database_name


def test_the_bucket_keys_may_come_from_the_environment(tmp_path, monkeypatch):
    """So that the secret need not be written in the config file."""
    bare = '[media]\nbackend = "s3"\ns3_endpoint = "https://s3.example"\ns3_bucket = "art"\n'
    (tmp_path / "i.toml").write_text(bare)
    monkeypatch.delenv("CARA_FED_S3_ACCESS_KEY", raising=False)
    monkeypatch.delenv("CARA_FED_S3_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match=r"\$CARA_FED_S3_ACCESS_KEY and \$CARA_FED_S3_SECRET"):
        load_config(tmp_path / "i.toml")
    monkeypatch.setenv("CARA_FED_S3_ACCESS_KEY", "from-env")
    monkeypatch.setenv("CARA_FED_S3_SECRET_KEY", "secret-from-env")
    config = load_config(tmp_path / "i.toml")
    assert config.media.s3_credentials() == ("from-env", "secret-from-env")
    (tmp_path / "i.toml").write_text(bare + 's3_access_key = "file"\ns3_secret_key = "file-s"\n')
    assert load_config(tmp_path / "i.toml").media.s3_credentials() == ("file", "file-s")
