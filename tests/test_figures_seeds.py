"""Acceptance: every required figure of each seed article is found, and no noise is taken."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsbot.figures.extract import extract_figures
from newsbot.types import Figure

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = json.loads((ROOT / "tests" / "data" / "seed_figures.json").read_text(encoding="utf-8"))
SEEDS = sorted(EXPECTED["seeds"])
# Noise entries written as words: the number each one contains.
WORD_NOISE = {"dreitägigen": 3}


def _figures(name: str) -> list[Figure]:
    return extract_figures((ROOT / "seeds" / name).read_text(encoding="utf-8"), language="de")


def _matches(fig: Figure, want: dict) -> bool:
    claimants = [c.lower() for c in want["claimant_any"]]
    return (
        (want["value"] is None or fig.value == want["value"])
        and fig.low == want["low"]
        and fig.high == want["high"]
        and fig.unit.lower() == want["unit"].lower()
        and fig.subject == want["subject"]
        and (not claimants or any(c in (fig.claimant or "").lower() for c in claimants))
    )


@pytest.mark.parametrize("name", SEEDS)
def test_required_figures_found(name: str) -> None:
    figs = _figures(name)
    for want in EXPECTED["seeds"][name]["figures"]:
        if want.get("optional"):
            continue
        assert any(_matches(f, want) for f in figs), (want, figs)


@pytest.mark.parametrize("name", SEEDS)
def test_optional_figures_right_when_taken(name: str) -> None:
    figs = _figures(name)
    for want in EXPECTED["seeds"][name]["figures"]:
        if not want.get("optional"):
            continue
        taken = [
            f
            for f in figs
            if f.subject == want["subject"] or f.unit.lower() == want["unit"].lower()
        ]
        assert not taken or any(_matches(f, want) for f in taken), (want, taken)


@pytest.mark.parametrize("name", SEEDS)
def test_noise_not_taken(name: str) -> None:
    text = (ROOT / "seeds" / name).read_text(encoding="utf-8")
    figs = _figures(name)
    for noise in EXPECTED["seeds"][name]["noise"]:
        digits = re.findall(r"\d+", noise)
        value = float(digits[-1]) if digits else float(WORD_NOISE[noise])
        assert noise in text
        lines = [ln for ln in text.splitlines() if noise in ln]
        for fig in figs:
            if fig.value == value:
                assert not any(fig.quote in ln for ln in lines), (noise, fig)


def test_seed_figures_carry_claimant_and_quote() -> None:
    fig = next(
        f
        for f in _figures("002_1bf99e9070e36d9d.txt")
        if f.subject == "russian soldiers killed or wounded"
    )
    assert fig.qualifier and fig.qualifier.lower() == "mehr als"
    assert "600.000" in fig.quote
