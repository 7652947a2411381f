"""The schema, one migration at a time (tortoise-orm's own migrations; cara_fed/store/migrate.py
runs them). Made by `python -m cara_fed.store.make_migration NAME` from the models, never edited
by hand but to re-create indexes a SQLite table rebuild drops (see migrate.py)."""
