"""`[server] log_format = "json"`: every line a JSON object with the time, level, logger,
message and process, and a traceback as a field of its own; the default stays plain text."""

from __future__ import annotations

import io
import json
import logging

import pytest

from cara_fed import logs
from cara_fed.config import ConfigError, load_config


@pytest.fixture
def captured():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)
    logs.configure("text")


def test_json_lines_carry_the_fields_and_the_traceback(captured):
    logs.configure("json")
    log = logging.getLogger("cara_fed.test")
    try:
        raise ValueError("a peer sent nonsense")
    except ValueError:
        log.warning("delivery %s failed", 7, exc_info=True)
    [line] = captured.getvalue().splitlines()[-1:]
    entry = json.loads(line)
    assert entry["level"] == "warning" and entry["logger"] == "cara_fed.test"
    assert entry["message"] == "delivery 7 failed" and entry["pid"] > 0
    assert entry["time"].endswith("+00:00")
    assert "ValueError: a peer sent nonsense" in entry["exception"]


def test_text_is_the_default_and_anything_else_is_refused(captured, tmp_path):
    (tmp_path / "i.toml").write_text("")
    logs.configure(load_config(tmp_path / "i.toml").server.log_format)
    logging.getLogger("cara_fed.test").warning("plain")
    assert captured.getvalue().splitlines()[-1] == "WARNING cara_fed.test: plain"
    (tmp_path / "bad.toml").write_text('[server]\nlog_format = "xml"\n')
    with pytest.raises(ConfigError, match='log_format must be "text" or "json"'):
        load_config(tmp_path / "bad.toml")
