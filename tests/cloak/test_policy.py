from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from urllib.robotparser import RobotFileParser

import pytest

from cloak import policy
from cloak.xmp import DMI_PROHIBITED_AIML, rights_xmp


def parsed(text: str) -> RobotFileParser:
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    return parser


@pytest.mark.parametrize(
    "bot",
    [
        "GPTBot",
        "CCBot",
        "Google-Extended",
        "ClaudeBot",
        "anthropic-ai",
        "PerplexityBot",
        "Applebot-Extended",
        "meta-externalagent",
        "Bytespider",
        "cohere-training-data-crawler",
        "img2dataset",
    ],
)
def test_robots_txt_refuses_ai_crawlers_everywhere(bot):
    robots = parsed(policy.robots_txt())
    for path in ("/", "/@artist", "/media/local/abc.png", "/users/artist"):
        assert not robots.can_fetch(bot, f"https://art.example{path}")


@pytest.mark.parametrize("bot", ["Googlebot", "Bingbot", "DuckDuckBot", "Mastodon/4.5.0"])
def test_robots_txt_leaves_search_crawlers_alone(bot):
    robots = parsed(policy.robots_txt())
    assert robots.can_fetch(bot, "https://art.example/@artist")
    assert robots.can_fetch(bot, "https://art.example/media/local/abc.png")
    assert not robots.can_fetch(bot, "https://art.example/inbox")


def test_ai_txt_refuses_datasets():
    text = policy.ai_txt()
    assert text.startswith("# Spawning AI")
    assert "Disallow: *.png" in text and "Disallow: *.jpg" in text
    assert not parsed(text).can_fetch("img2dataset", "https://art.example/media/local/x.png")


def test_tdmrep_reserves_all_paths_with_an_optional_policy():
    [entry] = json.loads(policy.tdmrep_json())
    assert entry == {"location": "/*", "tdm-reservation": 1}
    [entry] = json.loads(policy.tdmrep_json("https://art.example/tdm"))
    assert entry["tdm-policy"] == "https://art.example/tdm"


@pytest.mark.parametrize(
    "agent, expected",
    [
        (
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
            "+https://openai.com/gptbot)",
            True,
        ),
        ("CCBot/2.0 (https://commoncrawl.org/faq/)", True),
        ("img2dataset/1.45", True),
        ("Mozilla/5.0 (compatible; ClaudeBot/1.0; +claudebot@anthropic.com)", True),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", False),
        ("Mastodon/4.5.0 (http.rb/5.2.0; +https://m.example/)", False),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", False),
        ("", False),
    ],
)
def test_ai_crawlers_are_recognised_by_user_agent(agent, expected):
    assert policy.is_ai_crawler(agent) is expected


def test_headers():
    assert policy.response_headers() == {"X-Robots-Tag": "noai, noimageai", "tdm-reservation": "1"}
    assert policy.response_headers("https://p.example")["tdm-policy"] == "https://p.example"


def test_rights_xmp_is_well_formed_and_escaped():
    xmp = rights_xmp(
        creator='Ana "A&B" <x>',
        copyright_notice="© 2026 Ana",
        credit="Ana (@ana@art.example)",
        web_statement="https://art.example/@ana",
    )
    body = xmp[xmp.index("<x:xmpmeta") : xmp.index("</x:xmpmeta>") + len("</x:xmpmeta>")]
    root = ET.fromstring(body)
    description = root.find(".//{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description")
    assert description.get("{http://ns.useplus.org/ldf/xmp/1.0/}DataMining") == DMI_PROHIBITED_AIML
    creator = root.find(
        ".//{http://purl.org/dc/elements/1.1/}creator//"
        "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li"
    )
    assert creator.text == 'Ana "A&B" <x>'
