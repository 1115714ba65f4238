"""corpus_db: turn a folder of news articles into a research-grade SQLite corpus."""

__version__ = "0.1.0"
