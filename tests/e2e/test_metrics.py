"""GET /metrics on a running instance: off (404) without `[server] metrics_token`; with it,
404 to a scrape without the right bearer token, and to the right one Prometheus's text
format with the queues, the inbox's count and the screening verdicts as the database has
them, read by prometheus_client's own parser."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import artwork

TOKEN = "s3cret-scrape-token"


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_metrics_are_off_unless_a_token_is_set(make_instance):
    site = make_instance("nometrics")
    assert httpx.get(site.base_url + "/metrics").status_code == 404
    # An empty token set nowhere is not a token that opens it.
    empty = httpx.get(site.base_url + "/metrics", headers={"Authorization": "Bearer x"})
    assert empty.status_code == 404


def test_metrics_show_the_instance_to_the_token_holder_only(make_instance, tmp_path):
    site = make_instance(
        "metrics", server_config=f'worker_processes = 1\nmetrics_token = "{TOKEN}"'
    )
    assert httpx.get(site.base_url + "/metrics").status_code == 404
    wrong = httpx.get(site.base_url + "/metrics", headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 404
    site.cli("user", "add", "ana")
    image = tmp_path / "w.jpg"
    image.write_bytes(artwork(64, 48))
    site.cli("post", "ana", "--image", str(image), "--alt", "a study", "--no-cloak")
    scraped = httpx.get(site.base_url + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    assert scraped.headers["cache-control"] == "no-store"
    values = samples(scraped.text)
    [(verdict, count)] = site.query(
        "SELECT screening_verdict, count(*) FROM media_attachments GROUP BY screening_verdict"
    )
    assert values[("cara_media_screening", (("verdict", verdict),))] == count == 1
    assert values[("cara_inbound_activities_total", ())] == 0
    for queue in ("deliveries", "inbound", "cloak"):
        assert ("cara_queue_due", (("queue", queue),)) in values
