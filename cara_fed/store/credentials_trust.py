"""The peer instances' Content Credentials CAs this instance trusts, each for its own
domain's works, and the remote images whose credentials a new trust may change."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from cara_fed.store.models import MediaAttachment, TrustedCredentials

UNTRUSTED = "untrusted"


async def anchors_for(domain: str) -> str:
    """The PEM certificates trusted for `domain`'s works, concatenated ("" for none)."""
    pems = await TrustedCredentials.filter(domain=domain.lower()).values_list("ca_pem", flat=True)
    return "".join(str(p) for p in pems)


async def trust(domain: str, ca_pem: str, sha256: str, source: str) -> bool:
    """Trust `ca_pem` for `domain`; False when it was trusted already."""
    try:
        await TrustedCredentials.create(
            domain=domain.lower(), ca_pem=ca_pem, sha256=sha256, source=source
        )
    except IntegrityError:
        return False
    return True


async def distrust(domain: str) -> int:
    return await TrustedCredentials.filter(domain=domain.lower()).delete()


async def trusted() -> list[TrustedCredentials]:
    return await TrustedCredentials.all().order_by("domain", "id")


async def untrusted_images_of(domain: str) -> list[MediaAttachment]:
    """Cached remote images of `domain`'s accounts whose credentials validated but whose
    signer was not trusted: trusting its CA may change what they show."""
    rows = await MediaAttachment.filter(
        post__author__domain=domain.lower(),
        post__local=False,
        file_name__not_isnull=True,
        credentials__isnull=False,
    )
    return [r for r in rows if (r.credentials or {}).get("state") == UNTRUSTED]


async def set_credentials(image: MediaAttachment, record: dict | None) -> None:
    await MediaAttachment.filter(id=image.pk).update(credentials=record)
