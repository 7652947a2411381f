"""The admin's screening tools: screen files, measure screening on labelled images, and keep
the list of generated-art sources (including a Mastodon domain-block CSV)."""

from __future__ import annotations

import json

import pytest

from tests.inbox.screening import images as img


@pytest.fixture
def offline(make_instance):
    instance = make_instance("tools", start=False, extra_config='[screening]\nclassifier = "off"\n')
    instance.cli("init")
    return instance


def test_screen_reports_a_verdict_and_evidence_per_file(offline, tmp_path):
    marked = tmp_path / "m.png"
    marked.write_bytes(
        img.png_with_text(img.photo("rocket").resize((200, 150)), parameters=img.A1111_PARAMETERS)
    )
    clean = tmp_path / "c.jpg"
    clean.write_bytes(img.encode(img.photo("coffee"), "JPEG"))
    junk = tmp_path / "j.png"
    junk.write_text("not an image")
    out = json.loads(offline.cli("screen", str(marked), str(clean), str(junk), "--json").stdout)
    assert [r["verdict"] for r in out] == ["refuse", "accept", "error"]
    assert out[0]["evidence"][0]["signal"] == "generator"
    text = offline.cli("screen", str(clean), "--text", "#aiart").stdout
    assert "refuse" in text and "declaration" in text


def test_screen_eval_counts_per_signal_and_label(offline, tmp_path):
    folder = tmp_path / "labelled"
    folder.mkdir()
    rows = ["path,label"]
    for i, name in enumerate(img.PHOTOS):
        (folder / f"real{i}.jpg").write_bytes(img.encode(img.photo(name), "JPEG"))
        rows.append(f"real{i}.jpg,real")
    (folder / "ai0.png").write_bytes(
        img.png_with_text(img.photo("coffee").resize((64, 64)), parameters=img.A1111_PARAMETERS)
    )
    (folder / "ai1.png").write_bytes(
        img.hide_stealth(img.photo("chelsea").resize((64, 64)), {"prompt": "x"})
    )
    rows += ["ai0.png,ai", "ai1.png,AI"]
    (folder / "labels.csv").write_text("\n".join(rows) + "\n")
    report = json.loads(offline.cli("screen-eval", str(folder), "--json").stdout)
    assert report["images"] == {"real": 4, "ai": 2}
    assert report["overall"]["ai"] == {"refuse": 2}
    assert report["overall"]["real"] == {"accept": 4}
    assert report["signals"]["generator"]["ai"] == {"refuse": 2}
    assert report["signals"]["generator"]["real"] == {}
    (folder / "labels.csv").write_text("path,label\nreal0.jpg,maybe\n")
    bad = offline.cli("screen-eval", str(folder), check=False)
    assert bad.returncode == 1 and "label must be ai or real" in bad.stderr


def test_sources_can_be_listed_one_by_one_or_from_a_mastodon_csv(offline, tmp_path):
    offline.cli("sources", "add", "account", "https://gen.example/users/bot")
    offline.cli("sources", "add", "domain", "HTTPS://Slop.example/")
    mastodon_export = tmp_path / "blocks.csv"
    mastodon_export.write_text(
        "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n"
        "aigen.example,suspend,false,false,generated art only,false\n"
        "slop.example,silence,true,false,,false\n"
    )
    assert "listed 1 new domain" in offline.cli("sources", "import", str(mastodon_export)).stdout
    listing = offline.cli("sources", "list").stdout
    assert "account  https://gen.example/users/bot" in listing
    assert "domain   slop.example" in listing and "aigen.example" in listing
    broken = tmp_path / "broken.csv"
    broken.write_text("domain\nok.example\nnot a domain/at all\n")
    result = offline.cli("sources", "import", str(broken), check=False)
    assert result.returncode == 1 and "line 3" in result.stderr
    assert "ok.example" not in offline.cli("sources", "list").stdout  # all or nothing
    offline.cli("sources", "remove", "domain", "slop.example")
    assert "slop.example" not in offline.cli("sources", "list").stdout
