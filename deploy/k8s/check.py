"""Checks deploy/k8s against a real Kubernetes API server, without a cluster.

    python deploy/k8s/check.py            # kustomize every overlay, `kubectl apply --dry-run=server` each
    python deploy/k8s/check.py --serve    # start the API server and wait (prints a KUBECONFIG to use)

What it needs and caches under $INVENTORY_CACHE (default ~/.cache/inventory-platform):
- kube-apiserver, built once from the Go module proxy with the module in apiserver/ (Go >= 1.23;
  about 5 minutes cold on 2 cores) into kube-apiserver-<version>/;
- the Strimzi CRDs (Kafka, KafkaNodePool, KafkaTopic, KafkaUser), printed once from io.strimzi:api
  (Maven Central, strimzi-crds/pom.xml) by strimzi-crds/PrintCrds.java into strimzi-crds-<version>/
  (crds-<hash of PrintCrds.java>.yaml: a changed printer prints them again);
- etcd (Debian: etcd-server), openssl, java and mvn on the machine, and kubectl (with kustomize):
  the one on PATH, else one built like kube-apiserver.

The API server runs on 127.0.0.1 with a static token (AlwaysAllow authorization), a self-signed
serving certificate and its own etcd, both in a temporary directory removed on stop. No kubelet
or controllers run: nothing is scheduled, the server validates and admits (dry run) what it gets.
tests/deploy/test_kubernetes.py uses this module.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
APISERVER_MODULE = HERE / "apiserver"
STRIMZI_POM = HERE / "strimzi-crds" / "pom.xml"
STRIMZI_PRINTER = HERE / "strimzi-crds" / "PrintCrds.java"
STRIMZI_KINDS = ("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser")  # what PrintCrds.java prints
BASE = HERE / "base"
OVERLAYS = {"dev": HERE / "overlays" / "dev", "strimzi": HERE / "overlays" / "strimzi"}
NAMESPACE = "inventory"  # the overlays' namespace
GO_CANDIDATES = ("go", "/usr/local/go/bin/go", "/usr/lib/go/bin/go")


class MissingPrerequisite(RuntimeError):
    """Something the check needs is not on this machine and could not be built or fetched."""


def cache_dir() -> Path:
    return Path(os.environ.get("INVENTORY_CACHE") or Path.home() / ".cache" / "inventory-platform")


def kubernetes_version() -> str:
    """The k8s.io/kubernetes version apiserver/go.mod requires (the one built)."""
    match = re.search(r"^require k8s\.io/kubernetes (v\S+)$", (APISERVER_MODULE / "go.mod").read_text(), re.M)
    assert match, "apiserver/go.mod must require k8s.io/kubernetes on one line"
    return match.group(1)


def strimzi_version() -> str:
    match = re.search(r"<strimzi\.version>([^<]+)</strimzi\.version>", STRIMZI_POM.read_text())
    assert match, "strimzi-crds/pom.xml must set strimzi.version"
    return match.group(1)


def _tool(name: str, hint: str, candidates: tuple[str, ...] = ()) -> str:
    for candidate in candidates or (name,):
        found = shutil.which(candidate)
        if found:
            return found
    raise MissingPrerequisite(f"{name} not found: {hint}")


def kubectl_path() -> str:
    """kubectl from PATH, else the one built (like kube-apiserver) from the module in apiserver/."""
    found = shutil.which("kubectl")
    return found or str(_go_built("kubectl"))


def _run(cmd: list[str], what: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({' '.join(cmd)}):\n{done.stdout}\n{done.stderr}")
    return done  # type: ignore[no-any-return]


def kube_apiserver(log: bool = True) -> Path:
    """The cached kube-apiserver binary; built with Go from the module proxy when absent."""
    return _go_built("kube-apiserver", log)


def _go_built(command: str, log: bool = True) -> Path:
    """k8s.io/kubernetes/cmd/<command> at the version apiserver/go.mod requires, cached; built when absent."""
    version = kubernetes_version()
    target = cache_dir() / f"kube-apiserver-{version}" / command
    if target.exists():
        return target
    if command in _BUILD_FAILURES:  # once per process: every caller gets the first failure
        raise _BUILD_FAILURES[command]
    try:
        return _go_build(command, version, target, log)
    except (MissingPrerequisite, RuntimeError) as exc:
        _BUILD_FAILURES[command] = exc
        raise


_BUILD_FAILURES: dict[str, Exception] = {}


def _go_build(command: str, version: str, target: Path, log: bool) -> Path:
    hint = f"install Go >= 1.23 (https://go.dev/dl, or /usr/local/go) to build {command}"
    go = _tool("go", hint, GO_CANDIDATES)
    go_version = subprocess.run([go, "env", "GOVERSION"], capture_output=True, text=True).stdout.strip()
    found = re.match(r"go1\.(\d+)", go_version)
    if not found or int(found.group(1)) < 21:  # 1.21 and later fetch the go 1.23 toolchain go.mod names
        raise MissingPrerequisite(f"{go} is {go_version or 'unusable'}: {hint}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{command}.partial-{os.getpid()}")
    minor = version.lstrip("v").split(".")[1]
    ldflags = (
        f"-s -w -X k8s.io/component-base/version.gitVersion={version}"
        f" -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor={minor}"
    )
    if log:
        print(f"building {command} {version} into {target.parent} (several minutes the first time)", flush=True)
    started = time.monotonic()
    _run(
        [go, "build", "-trimpath", "-ldflags", ldflags, "-o", str(partial), f"k8s.io/kubernetes/cmd/{command}"],
        f"building {command}",
        cwd=APISERVER_MODULE,
        env={**os.environ, "CGO_ENABLED": "0"},
    )
    partial.replace(target)
    if log:
        print(f"built {command} in {time.monotonic() - started:.0f} s", flush=True)
    return target


def strimzi_crds(log: bool = True) -> Path:
    """YAML of the Strimzi CRDs (STRIMZI_KINDS), cached; fetched through Maven when absent.

    The cache is keyed by the Strimzi version and by PrintCrds.java's content, so that a printer
    printing other CRDs is run again.
    """
    version = strimzi_version()
    home = cache_dir() / f"strimzi-crds-{version}"
    printer = hashlib.sha256(STRIMZI_PRINTER.read_bytes()).hexdigest()[:12]
    target = home / f"crds-{printer}.yaml"
    if target.exists():
        return target
    mvn = _tool("mvn", "install Maven (Debian: maven) to fetch io.strimzi:api from Maven Central")
    java = _tool("java", "install a JDK >= 17 (Debian: openjdk-17-jdk-headless) to print the Strimzi CRDs")
    libs = home / "libs"
    if log:
        print(f"fetching io.strimzi:api {version} into {libs}", flush=True)
    _run(
        [
            mvn, "-B", "-q", "-f", str(STRIMZI_POM),
            "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
            "-DincludeScope=runtime", f"-DoutputDirectory={libs}",
        ],
        "fetching the Strimzi API jars",
    )
    printed = _run([java, "-cp", f"{libs}/*", str(STRIMZI_PRINTER)], "printing the Strimzi CRDs").stdout
    kinds = re.findall(r'^    kind: "(\w+)"$', printed, re.M)
    crds = printed.count('kind: "CustomResourceDefinition"')
    if crds != len(STRIMZI_KINDS) or sorted(kinds) != sorted(STRIMZI_KINDS):
        raise RuntimeError(f"PrintCrds.java printed not the CRDs of {', '.join(STRIMZI_KINDS)}:\n{printed[:2000]}")
    partial = home / f"crds.yaml.partial-{os.getpid()}"
    partial.write_text(printed)
    partial.replace(target)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ApiServer:
    """etcd plus kube-apiserver on free 127.0.0.1 ports in a temporary directory; a context manager."""

    def __init__(self, binary: Path, workdir: Path | None = None) -> None:
        self.binary = binary
        self._own_dir = workdir is None
        self.dir = Path(tempfile.mkdtemp(prefix="kube-apiserver-")) if workdir is None else workdir
        self.kubeconfig = self.dir / "kubeconfig"
        self.processes: list[subprocess.Popen[bytes]] = []
        self.port = 0

    def __enter__(self) -> ApiServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, name: str, cmd: list[str]) -> subprocess.Popen[bytes]:
        log = open(self.dir / f"{name}.log", "wb")  # noqa: SIM115 - owned by the process
        process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.processes.append(process)
        return process

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def start(self, timeout: float = 120.0) -> None:
        etcd_bin = _tool("etcd", "install etcd (Debian: apt-get install etcd-server)")
        openssl = _tool("openssl", "install openssl")
        etcd_port, peer_port, self.port = free_port(), free_port(), free_port()
        etcd = self._spawn("etcd", [
            etcd_bin, "--name", "check", "--data-dir", str(self.dir / "etcd"),
            "--listen-client-urls", f"http://127.0.0.1:{etcd_port}",
            "--advertise-client-urls", f"http://127.0.0.1:{etcd_port}",
            "--listen-peer-urls", f"http://127.0.0.1:{peer_port}",
            "--initial-advertise-peer-urls", f"http://127.0.0.1:{peer_port}",
            "--initial-cluster", f"check=http://127.0.0.1:{peer_port}",
            "--log-level", "warn",
        ])
        self._wait(lambda: _http_ok(f"http://127.0.0.1:{etcd_port}/health"), etcd, "etcd", timeout)

        key = self.dir / "service-account.key"
        _run([openssl, "genrsa", "-out", str(key), "2048"], "generating the service account key")
        token = "check-" + os.urandom(16).hex()
        (self.dir / "tokens.csv").write_text(f"{token},check-admin,check-admin,system:masters\n")
        apiserver = self._spawn("kube-apiserver", [
            str(self.binary),
            f"--etcd-servers=http://127.0.0.1:{etcd_port}",
            "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", f"--secure-port={self.port}",
            f"--cert-dir={self.dir / 'certs'}",
            f"--token-auth-file={self.dir / 'tokens.csv'}",
            "--authorization-mode=AlwaysAllow",
            f"--service-account-key-file={key}", f"--service-account-signing-key-file={key}",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            "--service-cluster-ip-range=10.96.0.0/16",
            "--endpoint-reconciler-type=none",
            "--enable-priority-and-fairness=false",
            "--profiling=false",
        ])
        self.kubeconfig.write_text(
            "apiVersion: v1\nkind: Config\n"
            f"clusters:\n- name: check\n  cluster:\n    server: https://127.0.0.1:{self.port}\n"
            "    insecure-skip-tls-verify: true\n"
            f"users:\n- name: check\n  user:\n    token: {token}\n"
            "contexts:\n- name: check\n  context:\n    cluster: check\n    user: check\n"
            "current-context: check\n"
        )
        self._wait(lambda: self.kubectl("get", "--raw", "/readyz", check=False).returncode == 0,
                   apiserver, "kube-apiserver", timeout)

    def _wait(self, ready: object, process: subprocess.Popen[bytes], name: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log_tail(name)}")
            if ready():  # type: ignore[operator]
                return
            time.sleep(0.5)
        raise RuntimeError(f"{name} not ready within {timeout:.0f} s:\n{self.log_tail(name)}")

    def kubectl(self, *args: str, check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        cmd = [kubectl_path(), f"--kubeconfig={self.kubeconfig}", *args]
        done = subprocess.run(cmd, capture_output=True, text=True, input=stdin, timeout=300)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done

    def ensure_namespace(self, name: str) -> None:
        if self.kubectl("get", "namespace", name, check=False).returncode != 0:
            self.kubectl("create", "namespace", name)

    def apply_crds(self, crds: Path) -> None:
        """Creates the CRDs for real and waits until the server serves their kinds."""
        self.kubectl("apply", "--server-side", "-f", str(crds))
        self.kubectl("wait", "--for=condition=Established", "--timeout=60s", "-f", str(crds))

    def stop(self) -> None:
        for process in reversed(self.processes):  # kube-apiserver first, then etcd
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        self.processes.clear()
        if self._own_dir and not os.environ.get("KEEP_TEST_STATE"):
            shutil.rmtree(self.dir, ignore_errors=True)


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def kustomize(directory: Path) -> str:
    """`kubectl kustomize <directory>` (offline)."""
    return _run([kubectl_path(), "kustomize", str(directory)], f"kustomize {directory}").stdout


def dry_run(server: ApiServer, rendered: str) -> subprocess.CompletedProcess[str]:
    """`kubectl apply --dry-run=server --validate=strict` of rendered manifests; not raising."""
    return server.kubectl("apply", "--dry-run=server", "--validate=strict", "-f", "-", stdin=rendered, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serve", action="store_true", help="start the API server (with the CRDs) and wait")
    args = parser.parse_args(argv)
    try:
        binary = kube_apiserver()
        crds = strimzi_crds()
        with ApiServer(binary) as server:
            server.ensure_namespace(NAMESPACE)
            server.apply_crds(crds)
            if args.serve:
                print(f"KUBECONFIG={server.kubeconfig}  (Ctrl-C stops it)", flush=True)
                try:
                    while True:
                        time.sleep(3600)
                except KeyboardInterrupt:
                    return 0
            failed = 0
            kustomize(BASE)
            print("base: kustomize ok")
            for name, overlay in OVERLAYS.items():
                done = dry_run(server, kustomize(overlay))
                print(f"{name}: {'ok' if done.returncode == 0 else 'REFUSED'}\n{done.stdout}{done.stderr}")
                failed += done.returncode != 0
            return 1 if failed else 0
    except MissingPrerequisite as exc:
        print(f"missing prerequisite: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
