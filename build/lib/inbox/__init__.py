"""Inbound: verify → authorize → dedupe → persist, then one handler per activity type."""
