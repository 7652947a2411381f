"""ActivityStreams names and the JSON-LD context we emit.

Mastodon and most fediverse servers read compacted JSON by its short names and do no JSON-LD
processing, so the context only has to declare the extension terms we use, the way Mastodon's
own documents do.
"""

from __future__ import annotations

AS_NS = "https://www.w3.org/ns/activitystreams"
SECURITY_V1 = "https://w3id.org/security/v1"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
# The compacted spellings receivers must treat as the Public collection (ActivityPub §5.6).
PUBLIC_ALIASES = frozenset({PUBLIC, "as:Public", "Public"})

AS_JSON = "application/activity+json"
LD_JSON_AS = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
JRD_JSON = "application/jrd+json"
# What we send as Accept when fetching ActivityPub objects (Mastodon sends the same pair).
AS_ACCEPT = f"{AS_JSON}, {LD_JSON_AS}"

ACTOR_TYPES = frozenset({"Person", "Service", "Application", "Group", "Organization"})
MEDIA_TYPES = frozenset({"Document", "Image", "Video", "Audio"})

EXTENSION_TERMS: dict[str, object] = {
    "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
    "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
    "movedTo": {"@id": "as:movedTo", "@type": "@id"},
    "sensitive": "as:sensitive",
    "Hashtag": "as:Hashtag",
    "toot": "http://joinmastodon.org/ns#",
    "featured": {"@id": "toot:featured", "@type": "@id"},
    "discoverable": "toot:discoverable",
    "indexable": "toot:indexable",
    "suspended": "toot:suspended",
    "blurhash": "toot:blurhash",
    "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"},
    "schema": "http://schema.org#",
    "PropertyValue": "schema:PropertyValue",
    "value": "schema:value",
    # FEP-5e53 (draft) defines the property but no namespace yet; this IRI names the FEP.
    "xRobotsTag": "https://w3id.org/fep/5e53#xRobotsTag",
}

CONTEXT: list[object] = [AS_NS, SECURITY_V1, EXTENSION_TERMS]


def is_activitypub_media_type(content_type: str | None) -> bool:
    """True for `application/activity+json` and AS2-profiled `application/ld+json`."""
    if not content_type:
        return False
    main, _, params = content_type.partition(";")
    main = main.strip().lower()
    if main == AS_JSON:
        return True
    if main == "application/ld+json":
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "profile":
                return AS_NS in value.strip().strip('"').split()
    return False
