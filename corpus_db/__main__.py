"""`python -m corpus_db` runs the `corpus` command line."""
from .cli import cli

cli()
