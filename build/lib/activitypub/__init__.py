"""Pure ActivityPub protocol: vocabulary, builders and strict parsers. No I/O here."""
