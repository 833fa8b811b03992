"""A single-node Apache Kafka broker in KRaft mode, run from jars that Maven fetches once."""

import asyncio
import base64
import hashlib
import os
import secrets
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from servicekit.admin import wait_for_kafka
from servicekit.settings import KafkaAuth

from .processes import port_open, spawn, stop, wait_until

POM = Path(__file__).resolve().parents[2] / "pom.xml"
JVM_OPTS = "-Xms256m -Xmx768m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
ADMIN = "admin"
MECHANISM = "SCRAM-SHA-512"


class KafkaLaunchError(RuntimeError):
    pass


def cache_root() -> Path:
    return Path(os.environ.get("INVENTORY_CACHE", Path.home() / ".cache" / "inventory-platform"))


def broker_classpath() -> Path:
    """The broker's jars, fetched by Maven into the cache the first time (keyed by the pom's content)."""
    digest = hashlib.sha256(POM.read_bytes()).hexdigest()[:12]
    libs = cache_root() / f"kafka-{digest}" / "libs"
    if (libs / ".complete").exists():
        return libs
    if shutil.which("mvn") is None:
        raise KafkaLaunchError("Maven (mvn) is needed once to fetch the Kafka jars; install it: apt-get install maven")
    libs.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            "mvn", "-B", "-q", "-f", str(POM),
            "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
            "-DincludeScope=runtime", f"-DoutputDirectory={libs}",
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise KafkaLaunchError(f"fetching the Kafka jars failed:\n{result.stdout}\n{result.stderr}")
    if not any(jar.name.startswith("log4j-slf4j") for jar in libs.iterdir()):
        raise KafkaLaunchError("the Kafka classpath has no logging binding; check deploy/local/pom.xml")
    (libs / ".complete").touch()
    return libs


@dataclass
class KafkaBroker:
    """Clients authenticate with SASL/SCRAM-SHA-512 and are authorised by ACLs (KRaft's StandardAuthorizer).

    The super user `admin` (inter-broker traffic, init, the tests' own clients) gets its SCRAM credential when
    the storage is formatted; its password is kept in the data folder (`admin.password`, mode 0600).
    """

    data_dir: Path
    port: int
    controller_port: int

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def admin_password(self) -> str:
        path = self.data_dir / "admin.password"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(24))
        return path.read_text().strip()

    @property
    def admin_auth(self) -> KafkaAuth:
        return KafkaAuth(security_protocol="SASL_PLAINTEXT", sasl_mechanism=MECHANISM, username=ADMIN,
                         password=self.admin_password)

    def start(self, timeout: float = 90) -> None:
        libs = broker_classpath()
        config = self.data_dir / "server.properties"
        logs = self.data_dir / "kraft-logs"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config.touch(mode=0o600)  # it holds the admin password
        config.write_text(self._properties(logs))
        (self.data_dir / "log4j2.properties").write_text(_LOG4J)
        env = {
            **os.environ,
            "KAFKA_HEAP_OPTS": "",
            "LOG_DIR": str(self.data_dir),
        }
        java = ["java", *JVM_OPTS.split(), f"-Dlog4j2.configurationFile={self.data_dir / 'log4j2.properties'}",
                f"-Dkafka.logs.dir={self.data_dir}", "-cp", f"{libs}/*"]
        if (logs / "meta.properties").exists() and not (self.data_dir / "admin.password").exists():
            raise KafkaLaunchError(f"{logs} was formatted without SASL/SCRAM credentials (by an older launcher); "
                                   f"remove {self.data_dir} to start this broker afresh")
        if not (logs / "meta.properties").exists():
            cluster_id = random_cluster_id()
            scram = f"{MECHANISM}=[name={ADMIN},password={self.admin_password}]"
            formatted = subprocess.run(
                [*java, "kafka.tools.StorageTool", "format", "--standalone", "-t", cluster_id, "-c", str(config),
                 "--add-scram", scram],
                capture_output=True, text=True, env=env,
            )
            if formatted.returncode != 0:
                raise KafkaLaunchError(f"formatting Kafka storage failed:\n{formatted.stdout}\n{formatted.stderr}")
        self.process = spawn([*java, "kafka.Kafka", str(config)], self.data_dir / "broker.log", env=env)
        try:
            wait_until(lambda: self.process.poll() is not None or port_open(self.port), timeout, "Kafka port")
            if self.process.poll() is not None:
                raise KafkaLaunchError(f"Kafka exited at start; see {self.data_dir / 'broker.log'}")
            asyncio.run(wait_for_kafka(self.bootstrap_servers, timeout, self.admin_auth))
        except BaseException:
            stop(self.process)
            raise

    def stop(self) -> None:
        if getattr(self, "process", None) is not None:
            stop(self.process, timeout=30)

    def kill(self) -> None:
        from .processes import kill
        kill(self.process)

    def _properties(self, logs: Path) -> str:
        return f"""
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:{self.controller_port}
listeners=SASL_PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}
advertised.listeners=SASL_PLAINTEXT://127.0.0.1:{self.port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
inter.broker.listener.name=SASL_PLAINTEXT
sasl.enabled.mechanisms={MECHANISM}
sasl.mechanism.inter.broker.protocol={MECHANISM}
listener.name.sasl_plaintext.{MECHANISM.lower()}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="{ADMIN}" password="{self.admin_password}";
# The controller authenticates with PLAIN (its users are in this file; SCRAM's live in the metadata it serves):
# on PLAINTEXT it would see User:ANONYMOUS, which then needs to be a super user.
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="{ADMIN}" password="{self.admin_password}" user_{ADMIN}="{self.admin_password}";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:{ADMIN}
allow.everyone.if.no.acl.found=false
log.dirs={logs}
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=168
"""


_LOG4J = """
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
logger.kafka.name = kafka.server.KafkaRaftServer
logger.kafka.level = INFO
"""


def random_cluster_id() -> str:
    """A random Kafka Uuid (16 bytes, base64url), never one starting with '-': the storage tool would take it for
    an option (one start in 64 failed so)."""
    while (cluster_id := base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")).startswith("-"):
        continue
    return cluster_id
