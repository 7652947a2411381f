"""Outbound images: sanitising uploads, blurhash, and (later) the cloak and no-AI metadata."""
