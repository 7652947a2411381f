"""Storage: tortoise-orm models on one SQLite file, and the queries the rest of the code uses."""
