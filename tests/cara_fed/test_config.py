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


@pytest.mark.parametrize(
    "text, reason",
    [
        ("[server]\nport = 0\n", "port must be 1-65535"),
        ('[server]\nport = "80"\n', "port must be int"),
        ("[federation]\nauthorized_fetch = 1\n", "authorized_fetch must be bool"),
        ('[instance]\nurl = "ftp://x.example"\n', "http(s) URL"),
        ("[nonsense]\n", "unknown section"),
        ('[database]\nurl = "mysql://h/db"\n', "must be postgres://"),
        ('[database]\nurl = "postgres://127.0.0.1:5432"\n', "must be postgres://"),
        ("[database]\npool_size = 0\n", "pool_size must be at least 1"),
        ('[cloak]\nstrength = "max"\n', "strength must be one of low, default, strong"),
        ("[cloak]\nsteps = 0\n", "steps must be 1-1000"),
        ("[cloak]\nmax_attempts = 0\n", "must be > 0"),
        ("[media]\nmax_published_pixels = 0\n", "max_published_pixels must be positive"),
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
