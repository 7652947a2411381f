"""Bringing an artist's back catalogue in: an Instagram export, a Mastodon archive, or a folder
(or ZIP) of images with an optional CSV. Readers turn an archive into items; the service
(cara_fed/services/imports.py) screens their images into drafts the artist publishes."""
