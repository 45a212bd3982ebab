"""Matching: relate a new item to the stored corpus of stories on the topic.

Pure core, no I/O. Public surface used by the pipeline:

- ``Matcher(threshold=..., duplicate_threshold=..., aliases=..., topic=...)`` with
  ``add(story_id, title, text)`` and ``match(title, text, limit=5) -> MatchResult``
- ``Topic`` / ``Facet`` to describe another running story in config
"""

from newsbot.matching.index import Matcher, MatcherError
from newsbot.matching.topic import DEFAULT_TOPIC, Facet, Topic

__all__ = ["DEFAULT_TOPIC", "Facet", "Matcher", "MatcherError", "Topic"]
