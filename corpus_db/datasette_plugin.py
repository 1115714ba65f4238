"""Datasette plugin: registered through the `datasette` entry point."""
from datasette import hookimpl

from .store import register_functions


@hookimpl
def prepare_connection(conn):
    register_functions(conn)
