"""Saving and loading a Matcher's index, so a restart need not re-tokenise every story.

One ``.npz`` file (numpy arrays only, loaded with ``allow_pickle=False``): strings travel as
UTF-8 blobs, so a damaged or foreign file is refused, never executed. Written to a temporary
file and renamed into place, so a crash mid-save leaves the previous snapshot intact.
A snapshot made with other aliases, stop words or passage sizes is refused as stale: the store
then rebuilds by calling ``Matcher.add`` for every story, and saves a new one.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from newsbot.matching.index import Matcher, MatcherError

_TEXT_LISTS = ("passage_text", "tokens")  # normalised: never contain a newline
_JSON_LISTS = ("story_ids", "titles")  # free text from feeds


def save(matcher: Matcher, path: str | os.PathLike[str]) -> None:
    """Write ``matcher``'s snapshot to ``path`` atomically."""
    state = matcher.snapshot()
    arrays: dict[str, np.ndarray] = {}
    for key, value in state.items():
        if key in _TEXT_LISTS:
            arrays[key] = _blob("\n".join(value))
        elif key in _JSON_LISTS:
            arrays[key] = _blob(json.dumps(value, ensure_ascii=False))
        elif key == "fingerprint":
            arrays[key] = _blob(value)
        else:
            arrays[key] = np.asarray(value)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path: str | os.PathLike[str], **settings: Any) -> Matcher:
    """A Matcher built with ``settings`` (as for ``Matcher(...)``) holding the snapshot.

    Raises ``MatcherError`` if the file is missing, damaged or stale; the caller rebuilds.
    """
    matcher = Matcher(**settings)
    try:
        with np.load(path, allow_pickle=False) as data:
            state: dict[str, Any] = {}
            for key in data.files:
                value = data[key]
                if key in _TEXT_LISTS:
                    state[key] = _text(value).split("\n")
                elif key in _JSON_LISTS:
                    state[key] = json.loads(_text(value))
                elif key == "fingerprint":
                    state[key] = _text(value)
                else:
                    state[key] = value
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise MatcherError(f"cannot read matcher snapshot {os.fspath(path)!r}: {exc}") from exc
    # "\n".join of no strings and of one empty string are both "": the counts tell them apart
    if len(state.get("passage_story", ())) == 0:
        state["passage_text"] = []
    if len(state.get("offsets", ())) <= 1:
        state["tokens"] = []
    matcher.restore(state)
    return matcher


def _blob(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _text(blob: np.ndarray) -> str:
    if blob.dtype != np.uint8 or blob.ndim != 1:
        raise ValueError("expected a text blob")
    return blob.tobytes().decode("utf-8")
