from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import authenticator_number_matching as m

OBJ = "authenticationMethodsPolicy/MicrosoftAuthenticator"


def _authenticator(t: object) -> dict[str, object]:
    for cfg in t.one("authenticationMethodsPolicy")["authenticationMethodConfigurations"]:  # type: ignore[attr-defined]
        if cfg["id"] == "MicrosoftAuthenticator":
            return cfg  # type: ignore[no-any-return]
    raise AssertionError


def test_pass_enabled_with_matching() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {(OBJ, True)}


def test_fail_matching_disabled() -> None:
    t = secure_tenant()
    _authenticator(t)["featureSettings"] = {"numberMatchingRequiredState": {"state": "disabled"}}
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {(OBJ, False)}


def test_older_per_target_shape_is_read() -> None:
    t = secure_tenant()
    cfg = _authenticator(t)
    del cfg["featureSettings"]
    cfg["includeTargets"] = [{"id": "all_users", "numberMatchingRequiredState": "disabled"}]
    assert run(m, t).status is Status.FAIL
