"""One truth: every figure that appears in more than one output of the demo quarter is equal.

The outputs compared are those a user sees: `cosec metrics --format json`, the September
monthly review and the Q3 quarterly review (HTML), the Q3 evidence pack (metrics,
findings, exceptions) and `cosec incidents timeline` / `cosec exceptions show`. Each
control's verdict is also compared with the metric over the same population.

The demo history is shared by the session and read-only: CLI commands that store what
they compute (`cosec metrics`) run against a copy of its workspace.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from statistics import mean
from typing import Any

import pytest
from tests.conftest import DemoHistory
from tests.helpers import run_cli
from typer.testing import CliRunner

from cosec.controls.catalog import load_catalog
from cosec.metrics.values import MetricValue
from cosec.model.derived.csf import ControlResult, csf_rollup
from cosec.reports.content import CSF_FUNCTIONS

pytestmark = pytest.mark.slow

TENANT = "contoso"
MONTH, QUARTER = "2026-09", "2026-Q3"
# the demo writes its reviews and pack on LAST_DAY + 2 days, 09:00 UTC
REPORTED_AT = "2026-10-02T09:00:00+00:00"
QUARTER_END = MONTH_END = "2026-10-01T00:00:00+00:00"


class _Tables(HTMLParser):
    """Every table row of an HTML document as the text of its cells."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _rows(path: Path) -> list[list[str]]:
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.rows


@dataclass(frozen=True)
class Outputs:
    workspace: Path  # a copy: commands that store what they compute run here
    month: dict[str, MetricValue]  # cosec metrics --period 2026-09 --format json
    quarter: dict[str, MetricValue]  # cosec metrics --period 2026-Q3 --format json
    monthly: list[list[str]]  # table rows of the September monthly review
    quarterly: list[list[str]]  # table rows of the Q3 quarterly review
    pack: dict[str, Any]  # the pack's JSON files by name

    def cli(self, *args: str, now: str = REPORTED_AT) -> Any:
        env = {"COSEC_NOW": now, "COSEC_WORKSPACE": str(self.workspace)}
        result = run_cli(CliRunner(), ["-w", str(self.workspace), *args], env)
        return json.loads(result.output)


def _metrics(workspace: Path, period: str) -> dict[str, MetricValue]:
    env = {"COSEC_NOW": REPORTED_AT, "COSEC_WORKSPACE": str(workspace)}
    args = ["-w", str(workspace), "metrics", "--tenant", TENANT, "--period", period]
    out = json.loads(run_cli(CliRunner(), [*args, "--format", "json"], env).output)
    return {m["key"]: MetricValue.from_json(m) for m in out[TENANT]["metrics"]}


@pytest.fixture(scope="module")
def outputs(demo_history: DemoHistory, tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    workspace = tmp_path_factory.mktemp("consistency") / "workspace"
    shutil.copytree(demo_history.workspace, workspace)
    with zipfile.ZipFile(demo_history.file(".zip", "evidence")) as zf:
        pack = {n: json.loads(zf.read(n)) for n in zf.namelist() if n.endswith(".json")}
    return Outputs(
        workspace=workspace,
        month=_metrics(workspace, MONTH),
        quarter=_metrics(workspace, QUARTER),
        monthly=_rows(demo_history.file(".html", f"monthly-review-{MONTH}")),
        quarterly=_rows(demo_history.file(".html", f"quarterly-review-{QUARTER}")),
        pack=pack,
    )


def _shown(rows: list[list[str]], metric: MetricValue) -> list[list[str]]:
    """The review's rows for a metric: those whose first cell starts with its title."""
    return [r for r in rows if r and r[0].startswith(metric.title)]


def _assert_review_shows(rows: list[list[str]], metrics: dict[str, MetricValue]) -> None:
    for m in metrics.values():
        shown = _shown(rows, m)
        assert shown, f"{m.key} ({m.title}) is not in the review"
        for row in shown:
            assert m.display() in row, (m.key, m.display(), row)
        if m.unit == "%" and m.numerator is not None and m.denominator:
            fraction = f"{m.numerator:g} of {m.denominator:g}"
            assert any(fraction in r[0] for r in shown), (m.key, fraction, shown)


def test_monthly_review_shows_the_metrics_cosec_metrics_prints(outputs: Outputs) -> None:
    _assert_review_shows(outputs.monthly, outputs.month)


def test_quarterly_review_shows_the_metrics_cosec_metrics_prints(outputs: Outputs) -> None:
    _assert_review_shows(outputs.quarterly, outputs.quarter)


def test_evidence_pack_metrics_are_the_quarter_metrics(outputs: Outputs) -> None:
    packed = {m["key"]: m for m in outputs.pack["metrics.json"]}
    assert set(packed) == set(outputs.quarter)
    for key, m in outputs.quarter.items():
        got = packed[key]
        assert (got["value"], got["numerator"], got["denominator"]) == (
            m.value,
            m.numerator,
            m.denominator,
        ), key
        assert got["breakdown"] == m.breakdown, key


def test_monthly_alert_table_counts_as_the_sla_metric(outputs: Outputs) -> None:
    """The count table and the metric below it: one clock, started at the event."""
    header = next(i for i, r in enumerate(outputs.monthly) if "Triaged within SLA" in r)
    names, values = outputs.monthly[header], outputs.monthly[header + 1]
    table = dict(zip(names, (int(v) for v in values), strict=True))
    metric = outputs.month["alert_triage_within_sla"]
    assert metric.numerator is not None and metric.denominator is not None
    assert table["Alerts raised"] == metric.breakdown["raised"]
    assert table["Triaged within SLA"] == metric.numerator
    assert table["Triaged within SLA"] + table["SLA breaches"] == metric.denominator


def test_sla_metric_counts_what_the_triage_queue_shows(outputs: Outputs) -> None:
    """`cosec alerts list` SLA state at the month's end, counted, is the metric."""
    alerts = outputs.cli("alerts", "list", "--tenant", TENANT, "--all", "--json", now=MONTH_END)
    raised = [
        a
        for a in alerts
        if MONTH <= str(a["detected_at"])[:7] < "2026-10" and a["state"] != "suppressed"
    ]
    decided = [a for a in raised if a["sla"]["breached"] or a["state"] not in ("new", "triaging")]
    met = [a for a in decided if not a["sla"]["breached"]]
    metric = outputs.month["alert_triage_within_sla"]
    assert raised and metric.breakdown["raised"] == len(raised)
    assert (metric.numerator, metric.denominator) == (len(met), len(decided))


def _finding(outputs: Outputs, control_id: str) -> dict[str, Any]:
    return next(f for f in outputs.pack["findings.json"] if f["control_id"] == control_id)


def _failing_users(finding: dict[str, Any]) -> set[str]:
    return {
        e["object_name"] for e in finding["evidence"] if not e["ok"] and e["resource"] == "users"
    }


def test_idn_001_fails_exactly_for_the_members_ca_coverage_misses(outputs: Outputs) -> None:
    """The demo's gap: two enabled members excluded from the all-users MFA policy."""
    finding = _finding(outputs, "IDN-001v1")
    metric = outputs.quarter["ca_coverage_all"]
    missed = set(metric.breakdown["not_covered"])
    assert missed, "the demo tenant excludes members from its all-users MFA policy"
    assert _failing_users(finding) == missed
    assert finding["status"] in ("fail", "accepted")
    assert metric.value is not None and metric.value < 100
    assert f"{metric.numerator:g} of {metric.denominator:g} enabled members" in finding["summary"]
    glass = len(metric.breakdown["break_glass_not_counted"])
    assert f"{glass} break-glass accounts reported separately" in finding["summary"]


def test_idn_002_counts_the_admins_ca_coverage_counts(outputs: Outputs) -> None:
    """Break-glass accounts are in neither population, and both say so."""
    finding = _finding(outputs, "IDN-002v1")
    metric = outputs.quarter["ca_coverage_admins"]
    assert _failing_users(finding) == set(metric.breakdown["not_covered"])
    assert (finding["status"] == "pass") == (metric.value == 100)
    assert f"{metric.numerator:g} of {metric.denominator:g} privileged users" in finding["summary"]
    glass = metric.breakdown["break_glass_not_counted"]
    assert glass and f"{len(glass)} break-glass accounts reported separately" in finding["summary"]
    mfa = outputs.quarter["mfa_coverage_admins"]
    assert mfa.denominator == metric.denominator
    assert mfa.breakdown["break_glass_not_counted"] == glass


def test_impersonation_control_and_metric_name_the_same_people(outputs: Outputs) -> None:
    finding = _finding(outputs, "EML-001v1")
    metric = outputs.quarter["impersonation_coverage"]
    assert _failing_users(finding) == set(metric.breakdown["unprotected"])
    assert (finding["status"] == "pass") == (metric.value == 100)


def test_incident_times_are_the_timelines_times(outputs: Outputs) -> None:
    """MTTR and MTTD of the month are the means of `cosec incidents timeline` times."""
    for key, field in (
        ("incident_mttr_hours", "time_to_recover"),
        ("incident_mttd_hours", "time_to_detect"),
    ):
        metric = outputs.month[key]
        assert metric.value is not None, key
        ids = [int(i.removeprefix("cosec-")) for i in metric.breakdown["incidents"]]
        hours = [
            outputs.cli("incidents", "timeline", str(i), "--json")["times"][field] / 3600
            for i in ids
        ]
        assert metric.value == pytest.approx(mean(hours), abs=0.01), key
        assert metric.breakdown["source"] == [
            "incidents declared in cosec (timeline: first event, first detection, recovery)"
        ]


def test_pack_exception_states_are_the_states_exceptions_show_reports(outputs: Outputs) -> None:
    register = outputs.pack["exceptions.json"]
    assert register
    assert "expired" in {r["state"] for r in register}  # the demo's lapsed acceptances
    for record in register:
        shown = outputs.cli("exceptions", "show", record["id"], "--json", now=QUARTER_END)
        assert record["state"] == shown["state"], record["id"]


def test_quarterly_csf_rollup_counts_each_control_once_per_function(outputs: Outputs) -> None:
    csf = {c.id: c.csf for c in load_catalog()}
    rollup = csf_rollup(
        (
            ControlResult(f["control_id"], f["status"], f["severity"], csf[f["control_id"]])
            for f in outputs.pack["findings.json"]
        ),
        CSF_FUNCTIONS,
    )
    sentence = re.compile(r"^(\w+): (\d+) of (\d+) controls pass")
    seen = {}
    for row in outputs.quarterly:
        for cell in row:
            if found := sentence.match(cell):
                seen[found.group(1)] = (int(found.group(2)), int(found.group(3)), cell)
    for code, name in CSF_FUNCTIONS.items():
        tally = rollup.functions[code]
        if tally.total == 0:
            continue
        passed, total, text = seen[name]
        assert (passed, total) == (tally.passed, tally.total), name
        if tally.shared:
            assert f"{tally.shared} of the {total} also count under another function" in text
    assert rollup.results == sum(t for _, t, _ in seen.values())
    assert (
        rollup.results
        > rollup.controls
        == len([f for f in outputs.pack["findings.json"] if f["status"] != "not_applicable"])
    )
