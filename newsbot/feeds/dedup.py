"""How a feed entry is recognised again: guid, then canonical link, then title+date hash.

Everything here is pure: keys are computed from an :class:`~newsbot.types.Item`, and the
new/seen/updated decision takes whatever the store knows about earlier entries through the
small :class:`SeenLookup` protocol. :class:`SeenIndex` is an in-memory implementation (tests, a
poll that loads a feed's known keys once, and de-duplication inside one fetched document).

Matching rules (``classify_entry``):

1. same guid → the same entry;
2. same canonical link → the same entry, unless *both* entries carry guids and those differ
   (some feeds point every entry at their home page; distinct guids then mean distinct stories);
3. same hash of normalised title + publication date → the same story (a re-published copy, or a
   feed that regenerates its guids on every build).

A matched entry whose title/text fingerprint changed is ``"updated"`` when it was matched by
guid or link (an edit of that entry); a hash-only match cannot tell an edit from a copy, so it
is ``"seen"``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newsbot.types import Item

# Query parameters that only say where a click came from. Prefix match for the families.
TRACKING_PREFIXES = ("utm_", "at_", "wt_", "ns_", "pk_", "mtm_", "hsa_", "_hs")
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
        "twclid", "ttclid", "li_fat_id", "igshid", "igsh", "mc_cid", "mc_eid", "mkt_tok",
        "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid", "s_cid", "cmpid", "ocid",
        "ito", "wtmc", "ref_src", "xtor", "__twitter_impression", "smid", "sr_share",
    }
)  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}

Verdict = Literal["new", "seen", "updated"]


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_link(url: str) -> str:
    """The link with tracking parameters, fragment, default port and host case removed.

    Only http(s) URLs are rewritten; anything else (``tag:``, ``urn:``, garbage) comes back
    stripped of surrounding whitespace, so this never raises. Query order is kept: the result
    is still the address a reader can open.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname:
            return url
        host = parts.hostname.lower()
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        port = parts.port
    except ValueError:  # bad port, unbalanced brackets, …
        return url
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{userinfo}@{netloc}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not _is_tracking(k)]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def normalise_title(title: str) -> str:
    """Case-, width-, punctuation- and whitespace-insensitive form of a headline."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    kept = (ch if ch.isalnum() else " " for ch in folded)
    return " ".join("".join(kept).split())


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def content_hash(title: str, published: datetime | None) -> str:
    """Hash of the normalised title and the UTC publication *date* (not time).

    The date, not the timestamp, so a copy re-stamped a few hours later on the same day still
    matches; undated entries hash on the title alone.
    """
    day = published.astimezone(UTC).date().isoformat() if published is not None else ""
    return _digest("title+date", normalise_title(title), day)


def entry_fingerprint(title: str, text: str) -> str:
    """Hash of what a reader sees (title and text), to notice an entry edited in place."""
    return _digest("fingerprint", normalise_title(title), " ".join(text.split()))


@dataclass(frozen=True, slots=True)
class DedupKeys:
    """The three keys an entry can be recognised by; ``guid``/``link`` may be missing."""

    guid: str | None
    link: str | None
    hash: str


def dedup_keys(item: Item) -> DedupKeys:
    """Keys for an item from :func:`newsbot.feeds.parse.parse_feed`.

    ``parse_feed`` sets ``entry_id`` to the guid, else the canonical link, else the content
    hash. An ``entry_id`` equal to the hash or to the canonical link is not a guid (a guid that
    *is* the permalink adds nothing the link does not already say), so ``guid`` is ``None``.
    """
    digest = content_hash(item.title, item.published)
    link = canonical_link(item.link) or None if item.link else None
    guid = item.entry_id if item.entry_id not in ("", digest, link) else None
    return DedupKeys(guid=guid, link=link, hash=digest)


@dataclass(frozen=True, slots=True)
class SeenEntry:
    """What the store remembers about an entry it already has."""

    entry_id: str
    keys: DedupKeys
    fingerprint: str


@dataclass(frozen=True, slots=True)
class Classification:
    """Outcome of :func:`classify_entry`; ``previous`` is the stored entry that matched."""

    verdict: Verdict
    previous: SeenEntry | None = None
    matched_by: Literal["guid", "link", "hash"] | None = None


class SeenLookup(Protocol):
    """Finds a stored entry by one key; the store can implement this with three queries."""

    def by_guid(self, guid: str) -> SeenEntry | None: ...
    def by_link(self, link: str) -> SeenEntry | None: ...
    def by_hash(self, digest: str) -> SeenEntry | None: ...


class SeenIndex:
    """In-memory :class:`SeenLookup`. ``add`` entries as they are accepted, so a document that
    lists the same entry twice yields it once."""

    def __init__(self, entries: list[SeenEntry] | tuple[SeenEntry, ...] = ()) -> None:
        self._guid: dict[str, SeenEntry] = {}
        self._link: dict[str, SeenEntry] = {}
        self._hash: dict[str, SeenEntry] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: SeenEntry) -> None:
        """Remember ``entry``; a later entry with the same key replaces the earlier one."""
        if entry.keys.guid:
            self._guid[entry.keys.guid] = entry
        if entry.keys.link:
            self._link[entry.keys.link] = entry
        self._hash[entry.keys.hash] = entry

    def by_guid(self, guid: str) -> SeenEntry | None:
        return self._guid.get(guid)

    def by_link(self, link: str) -> SeenEntry | None:
        return self._link.get(link)

    def by_hash(self, digest: str) -> SeenEntry | None:
        return self._hash.get(digest)


def classify_entry(keys: DedupKeys, fingerprint: str, seen: SeenLookup) -> Classification:
    """Decide whether an entry is new, already known, or a known entry that was edited."""
    if keys.guid and (previous := seen.by_guid(keys.guid)) is not None:
        return _compare(previous, fingerprint, "guid")
    if keys.link and (previous := seen.by_link(keys.link)) is not None:
        both_have_guids = keys.guid is not None and previous.keys.guid is not None
        if not both_have_guids or previous.keys.guid == keys.guid:
            return _compare(previous, fingerprint, "link")
    if (previous := seen.by_hash(keys.hash)) is not None:
        return Classification("seen", previous, "hash")
    return Classification("new")


def _compare(
    previous: SeenEntry, fingerprint: str, matched_by: Literal["guid", "link"]
) -> Classification:
    verdict: Verdict = "seen" if previous.fingerprint == fingerprint else "updated"
    return Classification(verdict, previous, matched_by)
