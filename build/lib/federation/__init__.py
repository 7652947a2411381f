"""The wire: HTTP signatures, digests, keys, the guarded HTTP client, delivery."""
