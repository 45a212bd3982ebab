"""Matching: relate a new item to the stored corpus of stories on the topic.

Pure core, no I/O. Public surface used by the pipeline:

- ``index.Matcher(threshold=..., aliases=...)`` with ``add(story_id, title, text)`` and
  ``match(title, text, limit=5) -> MatchResult``
"""
