"""deploy/k8s: the kustomizations render, follow the rules below, and a real kube-apiserver accepts them.

The API server (with its own etcd) is started by deploy/k8s/check.py; its first use builds
kube-apiserver from the Go module proxy (minutes) and fetches the Strimzi CRDs through Maven.
A missing prerequisite fails the test with what to install; nothing is skipped.
"""

import base64
import functools
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from devstack import issuer as dev_issuer
from inventory_contracts.topics import PARTITIONS, all_topics
from servicekit.admin import POSTING_REQUESTER, InitSettings, KafkaPrincipal
from servicekit.auth import load_auth_settings
from servicekit.settings import SERVICE_PORTS

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
# The four services and the webhooks, each a Deployment of the one image with a database and a Kafka principal of its own.
SERVICES = {"catalog": 8001, "warehouse": 8002, "costing": 8003, "ledger": 8004, "webhooks": 8005}
COMMANDS = {**{name: ["python", "-m", name] for name in SERVICES}, "webhooks": ["inventory-webhooks"]}
SCALED = ("costing", "ledger")
SECRET = "inventory-database"
KAFKA_SECRET = "inventory-kafka"
SECRETS = (SECRET, KAFKA_SECRET)
PASSWORD_KEYS = {"admin-password", *(f"{s}-password" for s in SERVICES)}
# The Kafka principal of a system that posts by events, made by init when its password is given.
REQUESTER_KEY = "posting-requester-password"
AUTH_SECRET = "inventory-auth"
# The token each caller sends to another service's API: (variable, key of AUTH_SECRET).
CALLER_TOKENS = {
    "ledger": ("LEDGER_COSTING_TOKEN", "ledger-costing-token"),
    "costing": ("COSTING_WAREHOUSE_TOKEN", "costing-warehouse-token"),
    "warehouse": ("WAREHOUSE_CATALOG_TOKEN", "warehouse-catalog-token"),
}


def _load_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("k8s_check", K8S / "check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


check = _load_check()
TARGETS = {"base": check.BASE, **check.OVERLAYS}


def _prerequisite(function: Any, *args: Any) -> Any:
    """Calls function; a missing prerequisite fails the test with what to install."""
    try:
        return function(*args)
    except check.MissingPrerequisite as exc:
        missing = str(exc)
    pytest.fail(f"missing prerequisite: {missing}", pytrace=False)


@functools.cache
def _kustomize(target: str) -> str | Exception:
    try:
        return check.kustomize(TARGETS[target])  # type: ignore[no-any-return]
    except Exception as exc:  # reported by the test that needs it
        return exc


def render(target: str) -> str:
    """`kubectl kustomize` of base or an overlay; fails the calling test (only) when it fails."""
    text = _kustomize(target)
    if isinstance(text, check.MissingPrerequisite):
        pytest.fail(f"missing prerequisite: {text}", pytrace=False)
    if isinstance(text, Exception):
        pytest.fail(f"kustomize of {target} failed: {text}", pytrace=False)
    return text


def objects_of(target: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(render(target)) if d]


def _of(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def _pod_templates(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        f"{d['kind']}/{d['metadata']['name']}": d["spec"]["template"]["spec"]
        for d in docs
        if d["kind"] in ("Deployment", "Job")
    }


def _env(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in container.get("env", [])}


def _secret_keys(container: dict[str, Any], secret: str = SECRET) -> set[str]:
    """The keys of `secret` (a name or its prefix, as generated Secrets get a hash suffix) that the container reads."""
    return {ref["key"] for ref in _secret_refs(container) if ref["name"].startswith(secret)}


def _secret_refs(container: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["valueFrom"]["secretKeyRef"] for e in container.get("env", []) if "secretKeyRef" in e.get("valueFrom", {})]


# --- offline: what kustomize renders ---------------------------------------------------------------


@pytest.mark.timeout(1800)  # without kubectl on PATH, the first render builds it
@pytest.mark.parametrize("target", TARGETS)
def test_kustomize_renders(target: str) -> None:
    assert objects_of(target), f"{target} renders nothing"


@pytest.mark.parametrize("target", TARGETS)
def test_every_service_has_deployment_service_and_pdb(target: str) -> None:
    docs = objects_of(target)
    deployments, services, pdbs = _of(docs, "Deployment"), _of(docs, "Service"), _of(docs, "PodDisruptionBudget")
    for name, port in SERVICES.items():
        assert name in deployments and name in services and name in pdbs, f"{target}: {name}"
        labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        for selector in (services[name]["spec"]["selector"], pdbs[name]["spec"]["selector"]["matchLabels"]):
            assert selector.items() <= labels.items(), f"{target}: {name} selector does not match its pods"
        (container,) = deployments[name]["spec"]["template"]["spec"]["containers"]
        assert container["command"] == COMMANDS[name]
        assert [p["containerPort"] for p in container["ports"]] == [port]
        assert _env(container)[f"{name.upper()}_HTTP_PORT"]["value"] == str(port)
        assert _env(container)[f"{name.upper()}_HTTP_HOST"]["value"] == "0.0.0.0"
        assert [p["port"] for p in services[name]["spec"]["ports"]] == [port]


@pytest.mark.parametrize("target", TARGETS)
def test_deployments_and_job_are_hardened(target: str) -> None:
    pods = _pod_templates(objects_of(target))
    assert len(pods) == len(SERVICES) + 1, f"{target}: {sorted(pods)}"
    for where, pod in pods.items():
        context = f"{target}: {where}"
        pod_security = pod.get("securityContext", {})
        assert pod_security.get("seccompProfile", {}).get("type") == "RuntimeDefault", context
        tmp_volumes = {v["name"] for v in pod.get("volumes", []) if "emptyDir" in v}
        for container in pod["containers"]:
            security = {**pod_security, **container.get("securityContext", {})}
            assert security.get("runAsNonRoot") is True and security.get("runAsUser") == 10001, context
            assert security.get("readOnlyRootFilesystem") is True, context
            assert security.get("allowPrivilegeEscalation") is False, context
            assert security.get("capabilities", {}).get("drop") == ["ALL"], context
            assert any(m["mountPath"] == "/tmp" and m["name"] in tmp_volumes for m in container["volumeMounts"]), (
                f"{context}: no emptyDir at /tmp"
            )
            resources = container.get("resources", {})
            assert {"cpu", "memory"} <= set(resources.get("requests", {})), context
            assert "memory" in resources.get("limits", {}), context
            assert container["image"].split(":")[0].endswith("inventory-platform"), context
            if where.startswith("Deployment/"):
                for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
                    assert container.get(probe, {}).get("httpGet", {}).get("path") == path, f"{context}: {probe}"


@pytest.mark.parametrize("target", TARGETS)
def test_autoscaling_never_exceeds_the_partition_count(target: str) -> None:
    docs = objects_of(target)
    hpas, deployments = _of(docs, "HorizontalPodAutoscaler"), _of(docs, "Deployment")
    assert set(hpas) == set(SCALED), target
    for name, hpa in hpas.items():
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"] <= PARTITIONS, (
            f"{target}: {name} may scale beyond the {PARTITIONS} partitions of its topics"
        )
        assert "replicas" not in deployments[name]["spec"], f"{target}: {name} replicas would fight the HPA"
    for name, deployment in deployments.items():
        assert deployment["spec"].get("replicas", 1) <= PARTITIONS, f"{target}: {name}"
    (config,) = _of(docs, "ConfigMap").values()
    assert config["data"]["TOPIC_PARTITIONS"] == str(PARTITIONS)


@pytest.mark.parametrize("target", TARGETS)
def test_passwords_come_only_from_the_secret(target: str) -> None:
    docs = objects_of(target)
    if target == "base":
        assert not _of(docs, "Secret"), "base must not contain a Secret"
        assert "dev-only" not in render(target)
    for where, pod in _pod_templates(docs).items():
        for container in pod["containers"]:
            for name, entry in _env(container).items():
                if "PASSWORD" in name:
                    ref = entry.get("valueFrom", {}).get("secretKeyRef", {})
                    # overlays/strimzi: the Kafka admin's password is in the Secret of the KafkaUser `admin`
                    allowed = (*SECRETS, "admin") if target == "strimzi" and name == "KAFKA_PASSWORD" else SECRETS
                    assert ref.get("name", "").startswith(allowed) and "value" not in entry, f"{target}: {where} {name}"


def test_each_service_reads_only_its_own_password_and_init_all() -> None:
    docs = objects_of("base")
    for name in SERVICES:
        (container,) = _of(docs, "Deployment")[name]["spec"]["template"]["spec"]["containers"]
        assert _secret_keys(container) == {f"{name}-password"}, name
        assert "envFrom" not in container, f"{name} would see the admin URL and every other setting"
    (job,) = _of(docs, "Job").values()
    (init,) = job["spec"]["template"]["spec"]["containers"]
    assert init["command"] == ["inventory-admin", "init", "--wait", "300", "--webhooks"]
    assert job["spec"]["backoffLimit"] >= 1 and job["spec"]["ttlSecondsAfterFinished"] > 0
    assert _secret_keys(init) == PASSWORD_KEYS
    assert _env(init)["DATABASE_PASSWORD"]["valueFrom"]["secretKeyRef"]["key"] == "admin-password"


@pytest.mark.parametrize("target", TARGETS)
def test_each_service_has_only_its_own_kafka_principal_and_init_the_admin(target: str) -> None:
    docs = objects_of(target)
    (config,) = _of(docs, "ConfigMap").values()
    assert config["data"]["KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"
    assert config["data"]["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    for name in SERVICES:
        (container,) = _of(docs, "Deployment")[name]["spec"]["template"]["spec"]["containers"]
        env = _env(container)
        for key in ("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM"):
            assert env[key]["valueFrom"]["configMapKeyRef"]["key"] == key, f"{target}: {name} {key}"
        assert _secret_keys(container, KAFKA_SECRET) == {f"{name}-password"}, f"{target}: {name}"
        own = env[f"{name.upper()}_KAFKA_PASSWORD"]["valueFrom"]["secretKeyRef"]
        assert own["name"].startswith(KAFKA_SECRET) and own["key"] == f"{name}-password", f"{target}: {name}"
        kafka_passwords = {k for k in env if k.endswith("KAFKA_PASSWORD")}
        assert kafka_passwords == {f"{name.upper()}_KAFKA_PASSWORD"}, f"{target}: {name} sees {kafka_passwords}"
        admin_variables = {"KAFKA_USERNAME", "KAFKA_PASSWORD", "DATABASE_PASSWORD"} & set(env)
        assert not admin_variables, f"{target}: {name} has admin credentials {admin_variables}"
        assert not any(ref["key"] == "admin-password" or ref["name"] == "admin" for ref in _secret_refs(container)), (
            f"{target}: {name} reads an admin password"
        )
    (job,) = _of(docs, "Job").values()
    (init,) = job["spec"]["template"]["spec"]["containers"]
    env = _env(init)
    assert env["KAFKA_USERNAME"]["value"] == "admin"
    for name in SERVICES:
        ref = env[f"{name.upper()}_KAFKA_PASSWORD"]["valueFrom"]["secretKeyRef"]
        assert ref["name"].startswith(KAFKA_SECRET) and ref["key"] == f"{name}-password", f"{target}: init {name}"
    requester = env["POSTING_REQUESTER_KAFKA_PASSWORD"]["valueFrom"]["secretKeyRef"]
    assert requester["name"].startswith(KAFKA_SECRET) and requester["key"] == REQUESTER_KEY, f"{target}: init requester"
    assert requester["optional"] is True, f"{target}: a deployment without a posting requester must still initialise"
    assert "POSTING_REQUESTER_KAFKA_USERNAME" in config["data"], f"{target}: the requester's user is configurable"
    admin = env["KAFKA_PASSWORD"]["valueFrom"]["secretKeyRef"]
    if target == "strimzi":  # the User Operator's Secret of the KafkaUser `admin`, which signs in with SCRAM
        assert admin == {"name": "admin", "key": "password"} and env["KAFKA_SASL_MECHANISM"]["value"] == "SCRAM-SHA-512"
    else:  # the dev broker's admin has only a PLAIN credential
        assert admin["name"].startswith(KAFKA_SECRET) and admin["key"] == "admin-password"
        assert env["KAFKA_SASL_MECHANISM"]["value"] == "PLAIN"


def test_the_init_job_as_configured_in_dev_makes_the_webhooks_and_the_posting_requester(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The init Job's environment as the dev cluster gives it (ConfigMap and generated Secrets) is a plan with the
    webhooks' database and principal and the posting requester `posting-requester`."""
    docs = objects_of("dev")
    (config,) = _of(docs, "ConfigMap").values()
    secrets = {name.rsplit("-", 1)[0]: {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
               for name, secret in _of(docs, "Secret").items()}
    (job,) = _of(docs, "Job").values()
    (init,) = job["spec"]["template"]["spec"]["containers"]
    environment = dict(config["data"])
    for name, entry in _env(init).items():
        if "value" in entry:
            environment[name] = entry["value"]
        elif "configMapKeyRef" in entry["valueFrom"]:
            environment[name] = config["data"][entry["valueFrom"]["configMapKeyRef"]["key"]]
        else:
            ref = entry["valueFrom"]["secretKeyRef"]
            environment[name] = secrets[ref["name"].rsplit("-", 1)[0]][ref["key"]]
    for name in list(os.environ):
        if name.endswith(("_PASSWORD", "_USERNAME", "_URL")) or name.startswith(("KAFKA_", "TOPIC_")):
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    plan = InitSettings().plan([*SERVICE_PORTS, "webhooks"])
    assert plan.service_urls["webhooks"] == (
        f"postgresql://webhooks:{secrets[SECRET]['webhooks-password']}@postgres:5432/webhooks")
    assert plan.principals["webhooks"] == KafkaPrincipal("webhooks", secrets[KAFKA_SECRET]["webhooks-password"])
    assert plan.posting_requester == KafkaPrincipal(POSTING_REQUESTER, secrets[KAFKA_SECRET][REQUESTER_KEY])
    assert set(plan.wanted_acls()) == {*SERVICES, POSTING_REQUESTER}


@pytest.mark.parametrize("target", TARGETS)
def test_every_config_reference_resolves(target: str) -> None:
    docs = objects_of(target)
    ((config_name, config),) = _of(docs, "ConfigMap").items()
    data = config["data"]
    for where, pod in _pod_templates(docs).items():
        for container in pod["containers"]:
            for entry in container.get("env", []):
                ref = entry.get("valueFrom", {}).get("configMapKeyRef")
                if ref:
                    assert ref["name"] == config_name and ref["key"] in data, f"{target}: {where} {entry['name']}"
            for source in container.get("envFrom", []):
                assert source["configMapRef"]["name"] == config_name, f"{target}: {where}"
    assert data["LEDGER_COSTING_URL"] == f"http://costing:{SERVICES['costing']}"


@pytest.mark.parametrize("target", TARGETS)
def test_every_service_verifies_tokens_of_one_issuer(target: str) -> None:
    """AUTH_ISSUER, AUTH_AUDIENCE and a JWKS source from the ConfigMap, the inlined JWKS from inventory-auth
    (optional); with what the overlay gives, load_auth_settings accepts exactly one source of keys."""
    docs = objects_of(target)
    (config,) = _of(docs, "ConfigMap").values()
    data = config["data"]
    for name in SERVICES:
        (container,) = _of(docs, "Deployment")[name]["spec"]["template"]["spec"]["containers"]
        env = _env(container)
        for key in ("AUTH_ISSUER", "AUTH_AUDIENCE", "AUTH_JWKS_URL"):
            assert env[key]["valueFrom"]["configMapKeyRef"]["key"] == key, f"{target}: {name} {key}"
        assert env["AUTH_JWKS"]["valueFrom"]["secretKeyRef"] == {"name": AUTH_SECRET, "key": "jwks", "optional": True}, (
            f"{target}: {name} AUTH_JWKS"
        )
        assert "AUTH_JWKS_FILE" not in env, f"{target}: {name}"
        # The environment the pod gets: the ConfigMap's values, and AUTH_JWKS when the Secret has `jwks`.
        resolved = {key: data[key] for key in ("AUTH_ISSUER", "AUTH_AUDIENCE", "AUTH_JWKS_URL")}
        if target == "dev":  # the development issuer's keys inline, no JWKS endpoint
            assert data["AUTH_JWKS_URL"] == "", "dev: AUTH_JWKS_URL and AUTH_JWKS together refuse to start"
            settings = load_auth_settings(name, {**resolved, "AUTH_JWKS": '{"keys": []}'})
            assert (settings.issuer, settings.audience) == (dev_issuer.ISSUER, dev_issuer.AUDIENCE)
        else:  # a real issuer's JWKS endpoint; the Secret carries no `jwks`
            settings = load_auth_settings(name, resolved)
            assert settings.jwks_url and settings.jwks_url.startswith("https://"), f"{target}: {name}"
        assert settings.issuer and settings.audience, f"{target}: {name}"


@pytest.mark.parametrize("target", TARGETS)
def test_only_the_callers_get_their_own_tokens(target: str) -> None:
    """The ledger alone gets its token for costing, costing alone its token for the warehouse, the warehouse alone
    its token for the catalog; init none."""
    docs = objects_of(target)
    assert not any(s["metadata"]["name"].startswith(AUTH_SECRET) for s in _of(docs, "Secret").values()), (
        f"{target}: {AUTH_SECRET} holds tokens and is never rendered"
    )
    for name in SERVICES:
        (container,) = _of(docs, "Deployment")[name]["spec"]["template"]["spec"]["containers"]
        env = _env(container)
        own = CALLER_TOKENS.get(name)
        assert {k for k in env if "TOKEN" in k} == ({own[0]} if own else set()), f"{target}: {name}"
        assert _secret_keys(container, AUTH_SECRET) == {"jwks", *([own[1]] if own else [])}, f"{target}: {name}"
        if own:
            entry = env[own[0]]
            assert "value" not in entry, f"{target}: {name} {own[0]} is not from the Secret"
            reference = dict(entry["valueFrom"]["secretKeyRef"])
            # The warehouse asks the catalog only for cards it has not received yet: it starts without its token.
            assert reference.pop("optional", False) == (name == "warehouse"), f"{target}: {name}"
            assert reference == {"name": AUTH_SECRET, "key": own[1]}, f"{target}: {name}"
    for job in _of(docs, "Job").values():
        for container in job["spec"]["template"]["spec"]["containers"]:
            assert not _secret_keys(container, AUTH_SECRET), f"{target}: init reads {AUTH_SECRET}"
    text = render(target)
    assert "PRIVATE KEY" not in text and not re.search(r"eyJ[\w-]+\.eyJ[\w-]+\.", text), f"{target}: a key or token"


def test_dev_overlay_runs_kafka_and_durable_postgres() -> None:
    docs = objects_of("dev")
    sets, services = _of(docs, "StatefulSet"), _of(docs, "Service")
    assert {"kafka", "postgres"} <= set(sets) and {"kafka", "postgres"} <= set(services)
    secrets = _of(docs, "Secret").values()
    assert sorted(s["metadata"]["name"].rsplit("-", 1)[0] for s in secrets) == sorted(SECRETS)
    assert {s["metadata"]["name"].rsplit("-", 1)[0]: set(s["data"]) for s in secrets} == {
        SECRET: PASSWORD_KEYS, KAFKA_SECRET: {*PASSWORD_KEYS, REQUESTER_KEY}}

    (kafka,) = sets["kafka"]["spec"]["template"]["spec"]["containers"]
    env = {k: str(e.get("value")) for k, e in _env(kafka).items()}
    assert kafka["image"] == "apache/kafka:4.1.2"
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller" and env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "1"
    claims = {c["metadata"]["name"] for c in sets["kafka"]["spec"]["volumeClaimTemplates"]}
    assert any(env["KAFKA_LOG_DIRS"].startswith(m["mountPath"]) and m["name"] in claims for m in kafka["volumeMounts"])
    assert sets["kafka"]["spec"]["template"]["spec"]["enableServiceLinks"] is False, "KAFKA_PORT would become a property"
    # SASL and ACLs as in deploy/compose.yaml; the admin password only from the Secret.
    assert env["KAFKA_LISTENERS"] == "SASL_PLAINTEXT://:9092,CONTROLLER://:9093"
    assert env["KAFKA_ADVERTISED_LISTENERS"] == "SASL_PLAINTEXT://kafka:9092"
    assert env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] == "CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT"
    assert env["KAFKA_INTER_BROKER_LISTENER_NAME"] == "SASL_PLAINTEXT"
    assert env["KAFKA_SASL_ENABLED_MECHANISMS"] == "SCRAM-SHA-512,PLAIN"
    assert env["KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL"] == env["KAFKA_SASL_MECHANISM_CONTROLLER_PROTOCOL"] == "PLAIN"
    assert env["KAFKA_LISTENER_NAME_CONTROLLER_SASL_ENABLED_MECHANISMS"] == "PLAIN"
    assert env["KAFKA_AUTHORIZER_CLASS_NAME"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    assert env["KAFKA_SUPER_USERS"] == "User:admin" and env["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    names = [e["name"] for e in kafka["env"]]
    admin = _env(kafka)["ADMIN_PASSWORD"]["valueFrom"]["secretKeyRef"]
    assert admin["name"].startswith(KAFKA_SECRET) and admin["key"] == "admin-password"
    assert not any(n.startswith("KAFKA_") and "valueFrom" in _env(kafka)[n] for n in names), "a secret as a property"
    for listener in ("SASL__PLAINTEXT_PLAIN", "CONTROLLER_PLAIN"):
        key = f"KAFKA_LISTENER_NAME_{listener}_SASL_JAAS_CONFIG"
        assert 'password="$(ADMIN_PASSWORD)" user_admin="$(ADMIN_PASSWORD)";' in env[key], key
        assert names.index("ADMIN_PASSWORD") < names.index(key), f"{key} comes before ADMIN_PASSWORD: not expanded"
    assert "ScramLoginModule" in env["KAFKA_LISTENER_NAME_SASL__PLAINTEXT_SCRAM___SHA___512_SASL_JAAS_CONFIG"]

    (postgres,) = sets["postgres"]["spec"]["template"]["spec"]["containers"]
    assert postgres["image"] == "postgres:15"
    assert _env(postgres)["POSTGRES_PASSWORD"]["valueFrom"]["secretKeyRef"]["key"] == "admin-password"
    claims = {c["metadata"]["name"] for c in sets["postgres"]["spec"]["volumeClaimTemplates"]}
    pgdata = _env(postgres)["PGDATA"]["value"]
    assert any(pgdata.startswith(m["mountPath"]) and m["name"] in claims for m in postgres["volumeMounts"])
    arguments = " ".join(postgres.get("args", []) + postgres.get("command", []))
    assert "fsync" not in arguments and "synchronous_commit" not in arguments, "dev PostgreSQL must stay durable"


def test_strimzi_topics_file_matches_the_generator() -> None:
    done = subprocess.run(
        [sys.executable, str(K8S / "generate_strimzi_topics.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, f"{done.stderr} (python deploy/k8s/generate_strimzi_topics.py rewrites it)"


def test_strimzi_overlay_declares_every_topic_and_no_secret() -> None:
    docs = objects_of("strimzi")
    (cluster,) = _of(docs, "Kafka")
    pools = _of(docs, "KafkaNodePool")
    assert pools and all(p["metadata"]["labels"]["strimzi.io/cluster"] == cluster for p in pools.values())
    assert {"controller", "broker"} <= {role for p in pools.values() for role in p["spec"]["roles"]}, "KRaft roles"
    topics = _of(docs, "KafkaTopic")
    assert sorted(t["spec"]["topicName"] for t in topics.values()) == sorted(all_topics())
    for topic in topics.values():
        assert topic["spec"]["partitions"] == PARTITIONS, topic["metadata"]["name"]
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == cluster
    assert not _of(docs, "Secret"), "the strimzi overlay must not ship credentials"
    kafka = _of(docs, "Kafka")[cluster]
    (listener,) = kafka["spec"]["kafka"]["listeners"]
    assert listener["authentication"] == {"type": "scram-sha-512"} and listener["port"] == 9092
    # Strimzi spells the super users without `User:` (it adds it); authorization is the cluster's, not a listener's.
    assert kafka["spec"]["kafka"]["authorization"] == {"type": "simple", "superUsers": ["admin"]}
    # The KafkaUser `admin` alone: the services' principals are init's (a KafkaUser would fight over their ACLs).
    users = _of(docs, "KafkaUser")
    assert set(users) == {"admin"}
    assert users["admin"]["metadata"]["labels"]["strimzi.io/cluster"] == cluster
    assert users["admin"]["spec"] == {"authentication": {"type": "scram-sha-512"}}
    # The User Operator must leave the principals init manages alone.
    entity = kafka["spec"]["entityOperator"]
    assert "userOperator" in entity
    (ignored,) = [e["value"] for e in entity["template"]["userOperatorContainer"]["env"]
                  if e["name"] == "STRIMZI_IGNORED_USERS_PATTERN"]
    ((_, config_map),) = _of(docs, "ConfigMap").items()
    prefix = config_map["data"].get("TOPIC_PREFIX", "")
    for name in (*SERVICES, POSTING_REQUESTER):
        assert re.search(ignored, f"{prefix}{name}"), f"the User Operator would delete {prefix}{name}'s credentials"
    assert not re.search(ignored, "admin")
    assert not _of(docs, "StatefulSet"), "Kafka comes from Strimzi and PostgreSQL is external"
    (config,) = _of(docs, "ConfigMap").values()
    assert config["data"]["KAFKA_BOOTSTRAP_SERVERS"] == f"{cluster}-kafka-bootstrap:9092"
    for key, url in config["data"].items():
        if key.endswith("DATABASE_URL"):
            assert "@postgres:" not in url, f"{key} still names the in-cluster dev server"


# --- against a real kube-apiserver -----------------------------------------------------------------


@pytest.fixture(scope="session")
def api_server() -> Iterator[Any]:
    server = check.ApiServer(_prerequisite(check.kube_apiserver))
    try:
        _prerequisite(server.start)
        server.ensure_namespace(check.NAMESPACE)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def strimzi_crds_applied(api_server: Any) -> None:
    try:
        crds = check.strimzi_crds()
    except (check.MissingPrerequisite, RuntimeError) as exc:
        problem = str(exc)
    else:
        api_server.apply_crds(crds)
        return
    pytest.fail(
        "the Strimzi CRDs could not be obtained, so the strimzi overlay was checked by kustomize and the "
        f"offline tests only, not by the API server: {problem}",
        pytrace=False,
    )


@pytest.mark.timeout(1800)  # the first run builds kube-apiserver
def test_dev_overlay_is_accepted_by_the_api_server(api_server: Any) -> None:
    done = check.dry_run(api_server, render("dev"))
    assert done.returncode == 0, f"the API server refused overlays/dev:\n{done.stdout}{done.stderr}"
    assert done.stdout.count("(server dry run)") == len(objects_of("dev"))


@pytest.mark.timeout(1800)  # the first run builds kube-apiserver and fetches the Strimzi API
def test_strimzi_overlay_is_accepted_by_the_api_server(api_server: Any, strimzi_crds_applied: None) -> None:
    done = check.dry_run(api_server, render("strimzi"))
    assert done.returncode == 0, f"the API server refused overlays/strimzi:\n{done.stdout}{done.stderr}"
    assert done.stdout.count("(server dry run)") == len(objects_of("strimzi"))


@pytest.mark.timeout(1800)
def test_the_api_server_refuses_what_is_wrong(api_server: Any, strimzi_crds_applied: None) -> None:
    """The check has teeth: an unknown field, an invalid value and an unknown Strimzi version are refused."""
    wrong = {
        "unknown field": "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n"
        "spec: {ports: [{port: 80, targetPortt: 80}]}\n",
        "invalid value": "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: x}\n"
        "spec: {scaleTargetRef: {kind: Deployment, name: x}, minReplicas: 5, maxReplicas: 4}\n",
        "unknown CRD version": "apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata: {name: x}\n"
        "spec: {partitions: 4}\n",
    }
    for what, manifest in wrong.items():
        done = api_server.kubectl("apply", "-n", check.NAMESPACE, "--dry-run=server", "--validate=strict",
                                  "-f", "-", stdin=manifest, check=False)
        assert done.returncode != 0, f"{what} was accepted:\n{done.stdout}"
