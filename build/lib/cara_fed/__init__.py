"""cara-fed: a federated ActivityPub server for artists."""

__version__ = "0.1.0"
SOFTWARE_NAME = "cara-fed"
