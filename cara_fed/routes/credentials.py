"""The instance's Content Credentials CA, published for peers and people to pin: every image
this instance publishes is signed under it (cara_fed/credentials_identity.py)."""

from __future__ import annotations

from quart import Blueprint, Response

from cara_fed.routes.current import current_instance

bp = Blueprint("credentials", __name__)
CA_PATH = "/.well-known/content-credentials.pem"
# Named in the instance actor's `attachment` Links; no registered relation type exists yet.
CA_REL = "content-credentials-ca"
PEM_TYPE = "application/x-pem-file"


@bp.get(CA_PATH)
async def content_credentials_ca() -> Response:
    identity = current_instance().credentials.identity()
    return Response(
        identity.ca_pem,
        content_type=PEM_TYPE,
        headers={"Cache-Control": "public, max-age=3600"},
    )
