"""Converters between our models and ActivityStreams, one module per direction."""
