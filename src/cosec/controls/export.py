"""Assessment outputs: JSON, CSV, OCSF 1.x Compliance Finding events, self-contained HTML.

Pure functions from a run (and its diff against the previous run) to text; writing files
and printing belong to the CLI.
"""

from __future__ import annotations

import io
import json
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from cosec import csvsafe
from cosec.config import Severity
from cosec.controls.base import Status
from cosec.controls.catalog import control_by_id
from cosec.controls.finding import Finding
from cosec.controls.run import AssessmentRun, Change, RunDiff

OCSF_VERSION = "1.3.0"
HTML_EVIDENCE_ROWS = 200  # per finding; the JSON output always carries all of it

_SEVERITY_ID = {Severity.LOW: 2, Severity.MEDIUM: 3, Severity.HIGH: 4, Severity.CRITICAL: 5}
# OCSF compliance.status_id: 0 Unknown, 1 Pass, 2 Warning, 3 Fail, 99 Other
_COMPLIANCE = {
    Status.PASS: (1, "Pass"),
    Status.FAIL: (3, "Fail"),
    Status.ACCEPTED: (99, "Accepted"),
    Status.NOT_APPLICABLE: (99, "Not applicable"),
    Status.NOT_ASSESSED: (0, "Not assessed"),
    Status.ERROR: (0, "Error"),
}
# OCSF finding status_id: 1 New, 3 Suppressed, 4 Resolved, 0 Unknown
_FINDING_STATUS = {Status.FAIL: 1, Status.ACCEPTED: 3, Status.PASS: 4}


def _diff_dict(diff: RunDiff | None) -> dict[str, Any]:
    if diff is None:
        return {"previous_run": None}
    return {"previous_run": diff.previous_run} | {c.value: list(diff.of(c)) for c in Change}


def to_json(run: AssessmentRun, diff: RunDiff | None = None) -> str:
    doc = {
        "run": run.id,
        "tenant": run.tenant,
        "snapshot": run.snapshot_id,
        "snapshot_taken_at": run.snapshot_taken_at.isoformat(),
        "assessed_at": run.assessed_at.isoformat(),
        "counts": run.counts,
        "changes": _diff_dict(diff),
        "findings": [f.as_dict() for f in run.findings],
    }
    return json.dumps(doc, indent=2, sort_keys=True, default=str)


CSV_FIELDS = (
    "control_id",
    "title",
    "area",
    "severity",
    "status",
    "summary",
    "affected",
    "would_pass_with",
    "accepted_by",
    "owner_configure",
    "owner_respond",
    "missing_permission",
    "missing_licence",
)


def to_csv(run: AssessmentRun) -> str:
    out = io.StringIO()
    writer = csvsafe.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for f in run.findings:
        owners = f.owner_labels()
        writer.writerow(
            {
                "control_id": f.control_id,
                "title": f.title,
                "area": f.area.value,
                "severity": f.severity.value,
                "status": f.status.value,
                "summary": f.summary,
                "affected": "; ".join(o.label() for o in f.affected),
                "would_pass_with": f.would_pass_with,
                "accepted_by": "; ".join(f.accepted_by),
                "owner_configure": owners.get("configure", ""),
                "owner_respond": owners.get("respond", ""),
                "missing_permission": f.missing_permission or "",
                "missing_licence": f.missing_licence or "",
            }
        )
    return out.getvalue()


def ocsf_event(run: AssessmentRun, f: Finding, product_version: str) -> dict[str, Any]:
    """One OCSF Compliance Finding (class_uid 2003, activity Create)."""
    control = control_by_id(f.control_id)
    status_id, status = _COMPLIANCE[f.status]
    millis = int(run.assessed_at.timestamp() * 1000)
    standards = ["NIST CSF 2.0"]
    standards += ["CIS Microsoft 365 Foundations"] if control.cis else []
    standards += ["CISA SCuBA M365"] if control.scuba else []
    return {
        "class_uid": 2003,
        "class_name": "Compliance Finding",
        "category_uid": 2,
        "category_name": "Findings",
        "activity_id": 1,
        "activity_name": "Create",
        "type_uid": 200301,
        "severity_id": _SEVERITY_ID[f.severity],
        "severity": f.severity.value.capitalize(),
        "status_id": _FINDING_STATUS.get(f.status, 0),
        "time": millis,
        "message": f.summary,
        "metadata": {
            "version": OCSF_VERSION,
            "product": {"name": "cosec", "vendor_name": "cosec", "version": product_version},
            "uid": f"{run.id}:{f.control_id}",
        },
        "finding_info": {
            "uid": f"{run.tenant}:{f.control_id}",
            "title": f.title,
            "desc": control.rationale,
            "created_time": millis,
            "types": [f.area.value],
        },
        "compliance": {
            "control": f.control_id,
            "standards": standards,
            "requirements": list(control.csf + control.cis + control.scuba),
            "status": status,
            "status_id": status_id,
            "status_detail": f.would_pass_with or f.summary,
        },
        "resources": [{"uid": o.id, "name": o.name, "type": o.resource} for o in f.affected],
        "remediation": {"desc": f"{control.remediation.portal}. {control.remediation.command}"},
        "unmapped": {
            "tenant": run.tenant,
            "owners": f.owner_labels(),
            "evidence": [o.as_dict() for o in f.evidence],
        },
    }


def to_ocsf(run: AssessmentRun, product_version: str) -> str:
    """OCSF events as JSON Lines, one Compliance Finding per control."""
    return "".join(
        json.dumps(ocsf_event(run, f, product_version), sort_keys=True, default=str) + "\n"
        for f in run.findings
    )


def to_html(run: AssessmentRun, diff: RunDiff | None = None) -> str:
    env = Environment(
        loader=PackageLoader("cosec.controls", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    areas: dict[str, list[Finding]] = {}
    for f in run.findings:
        areas.setdefault(f.area.value, []).append(f)
    return env.get_template("assessment.html.j2").render(
        run=run,
        areas=areas,
        diff=_diff_dict(diff),
        changes=[c.value for c in Change],
        control=control_by_id,
        max_rows=HTML_EVIDENCE_ROWS,
        json=lambda v: json.dumps(v, default=str),
    )
