"""The development issuer: one EC P-256 signing key kept in the stack's state, and the access tokens it signs.

For `devstack up`, `devstack token` and the tests; a real deployment names its own issuer (README, "Tokens and scopes").
"""

import hashlib
import json
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from servicekit.auth import SCOPES

ISSUER = "https://devstack.localhost"
AUDIENCE = "inventory"
ALGORITHM = "ES256"


class DevIssuer:
    """Signs RFC 9068 access tokens with the key in `directory` (created there the first time, private key 0600)."""

    def __init__(self, directory: Path, issuer: str = ISSUER, audience: str = AUDIENCE) -> None:
        self.directory = directory
        self.issuer = issuer
        self.audience = audience
        self.key_file = directory / "signing-key.pem"
        self.jwks_file = directory / "jwks.json"
        if not self.key_file.exists():
            directory.mkdir(parents=True, exist_ok=True)
            pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            partial = directory / "signing-key.pem.new"
            partial.touch(mode=0o600)
            partial.write_bytes(pem)
            partial.replace(self.key_file)
        private_key = serialization.load_pem_private_key(self.key_file.read_bytes(), password=None)
        assert isinstance(private_key, ec.EllipticCurvePrivateKey)
        self.private_key = private_key
        public = json.loads(ECAlgorithm.to_jwk(self.private_key.public_key()))
        self.kid = thumbprint(public)
        self.jwk = {**public, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}
        if not self.jwks_file.exists() or json.loads(self.jwks_file.read_text()) != self.jwks:
            self.jwks_file.write_text(json.dumps(self.jwks, indent=2) + "\n")

    @property
    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.jwk]}

    def env(self, inline: bool = False) -> dict[str, str]:
        """What a service needs to verify this issuer's tokens; `inline` gives the keys themselves (AUTH_JWKS),
        for a container that cannot see this machine's files."""
        keys = {"AUTH_JWKS": json.dumps(self.jwks, separators=(",", ":"))} if inline else {"AUTH_JWKS_FILE": str(self.jwks_file)}
        return {"AUTH_ISSUER": self.issuer, "AUTH_AUDIENCE": self.audience, **keys}

    def claims(
        self, scopes: Iterable[str] = SCOPES, ttl: float = 3600, subject: str = "developer", client_id: str = "devstack",
        responsibility_center: str | None = None,
    ) -> dict[str, Any]:
        """`responsibility_center`: the warehouse lets the token's holder see and post that center's documents and
        locations only."""
        now = int(time.time())
        center = {} if responsibility_center is None else {"responsibility_center": responsibility_center}
        return {
            "iss": self.issuer, "aud": self.audience, "sub": subject, "client_id": client_id,
            "iat": now, "nbf": now, "exp": now + int(ttl), "jti": uuid.uuid4().hex, "scope": " ".join(scopes),
            **center,
        }

    def sign(self, claims: dict[str, Any], headers: dict[str, Any] | None = None) -> str:
        return jwt.encode(claims, self.private_key, algorithm=ALGORITHM,
                          headers={"typ": "at+jwt", "kid": self.kid, **(headers or {})})

    def token(self, scopes: Iterable[str] = SCOPES, ttl: float = 3600, **claims: Any) -> str:
        """An access token with `scopes` (default: every scope), valid for `ttl` seconds."""
        return self.sign(self.claims(scopes, ttl, **claims))


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 JWK thumbprint of a public EC key: a stable kid."""
    members = json.dumps({k: jwk[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"), sort_keys=True)
    return jwt.utils.base64url_encode(hashlib.sha256(members.encode()).digest()).decode()
