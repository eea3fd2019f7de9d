"""The September monthly and Q3 quarterly reviews of the demo history: incidents,
decisions and top risks, every person named and no GUID anywhere a reader looks."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from tests.conftest import DemoHistory

GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def reviewed_text(path: Path) -> str:
    """What a reader sees: the HTML without styles, charts and tags."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def section(text: str, start: str, end: str) -> str:
    i = text.index(start)
    j = text.find(end, i + len(start))
    return text[i : j if j > 0 else None]


@pytest.fixture(scope="module", params=["monthly", "quarterly"])
def review(request: pytest.FixtureRequest, demo_history: DemoHistory) -> str:
    return reviewed_text(demo_history.file(".html", str(request.param)))


def test_no_guid_reaches_a_reader(review: str) -> None:
    assert GUID.findall(review) == []


def test_incidents_are_shown_with_actions_and_times(review: str) -> None:
    incidents = section(review, "Incidents", "Decisions")
    assert "Suspected mailbox compromise" in incidents
    assert "Admin role assignment anomaly" in incidents
    assert "Mei Sorensen (mei.sorensen@contoso.example)" in incidents  # the rogue admin
    assert "revoke sessions" in incidents and "remove forwarding" in incidents
    assert "ForwardingSmtpAddress" in incidents and "→ none" in incidents  # before → after
    assert "Time from first detection" in incidents
    assert "Jordan Lee (partner)" in incidents  # who acted, by name


def test_decisions_show_the_register_and_unapproved_grant(review: str) -> None:
    decisions = section(review, "Decisions", "Alerts and incidents")
    assert "Expired acceptances still relied on" in decisions
    assert "EXC-0001" in decisions and "EXC-0002" in decisions
    assert "break-glass Global Administrator" in decisions  # the scope, named
    assert "rejected" in decisions and "Alex Morgan (internal)" in decisions
    assert "Global Administrator role granted to" in decisions
    assert "still present" in decisions


def test_top_risks_are_distinct_exposures(review: str) -> None:
    risks = section(review, "Top risks", "Incidents")
    titles = re.findall(r" (\d)\. (.+?) (?:Critical|High|Medium|Low) severity", risks)
    assert len(titles) >= 3
    text = " ".join(t for _, t in titles)
    assert "expired risk acceptances are still relied on" in text
    assert "Unapproved grant still in place" in text
    assert "are treated as critical" not in text  # never a control's passing state
    assert sum("vulnerabilit" in t for _, t in titles) <= 1  # one risk per set of objects
