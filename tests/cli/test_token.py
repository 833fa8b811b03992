"""Tokens of the local development issuer, without a stack: the responsibility center claim is minted on request."""

from pathlib import Path
from typing import Any

import jwt
from typer.testing import CliRunner

from devstack.cli import app as devstack
from devstack.issuer import DevIssuer
from inventory_cli.config import mint_token


def claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def test_the_cli_mints_the_responsibility_center_claim_only_when_asked(tmp_path: Path) -> None:
    DevIssuer(tmp_path)
    assert claims(mint_token(tmp_path, ["inventory:read"], 60, "EAST"))["responsibility_center"] == "EAST"
    assert "responsibility_center" not in claims(mint_token(tmp_path, ["inventory:read"], 60))


def test_devstack_token_takes_a_responsibility_center(tmp_path: Path) -> None:
    result = CliRunner().invoke(devstack, ["token", "--state-dir", str(tmp_path), "--scope", "inventory:read",
                                           "--responsibility-center", "EAST"])
    assert result.exit_code == 0, result.output
    minted = claims(result.output.strip())
    assert (minted["responsibility_center"], minted["scope"]) == ("EAST", "inventory:read")
