"""Matching: relate a new item to the stored corpus of stories on the topic.

Pure core, no I/O except ``persist``. Read in the order data moves:
``normalise`` (+ ``aliases``, ``stopwords``) → ``inverted`` (candidate index) → ``score`` →
``topic`` (relevance facets) → ``index`` (``Matcher``); ``persist`` saves and loads a
Matcher's index; ``evaluation`` scores it on labelled items. The compare command over the store
is ``newsbot.compare``.

Public surface used by the pipeline:

- ``Matcher(threshold=..., duplicate_threshold=..., aliases=..., topic=...)`` with
  ``add(story_id, title, text)``, ``match(title, text, limit=5) -> MatchResult``, ``len()``
- ``Topic.from_config(...)`` to describe another running story in config
"""

from newsbot.matching.index import Matcher, MatcherError
from newsbot.matching.topic import DEFAULT_TOPIC, Facet, Topic

__all__ = ["DEFAULT_TOPIC", "Facet", "Matcher", "MatcherError", "Topic"]
