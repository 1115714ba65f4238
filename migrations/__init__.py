"""Numbered SQL schema migrations, applied in order by corpus_db.store.

Never edit a migration that has been released: add a new numbered file.
"""
