"""The pinned Elasticsearch release, the node's defaults, and how errors and progress are reported."""
from __future__ import annotations


__all__ = ["NOT_RUNNING", "ES_VERSION", "ES_MAVEN_GROUP", "ES_MAVEN_ARTIFACT", "ES_ZIP_SHA256", "MIN_JAVA_MAJOR",
           "MAVEN_DEPENDENCY_PLUGIN", "DEFAULT_PORT", "DEFAULT_HEAP", "DEFAULT_USER",
           "DEFAULT_START_TIMEOUT", "DEFAULT_STOP_TIMEOUT", "CLUSTER_NAME", "HOST", "JVM_DIRS",
           "DEFAULT_CLUSTER_PORT", "DEFAULT_CLUSTER_HEAP", "TRANSPORT_OFFSET",
           "PROG", "NodeError", "say"]


ES_VERSION = "9.2.4"


ES_MAVEN_GROUP = "org.elasticsearch.distribution.integ-test-zip"


ES_MAVEN_ARTIFACT = "elasticsearch"


ES_ZIP_SHA256 = "af7b81fe31627c7523b2546351cd4e47310faa6a72c8db8dc8f7a191e871cfaf"


MIN_JAVA_MAJOR = 21  # Elasticsearch 9.x needs Java 21+ (the zip bundles no JDK)


MAVEN_DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"


DEFAULT_PORT = 9200


DEFAULT_HEAP = "512m"


DEFAULT_CLUSTER_PORT = 9210  # a local cluster's first HTTP port (9210, 9211, 9212 for three nodes)


DEFAULT_CLUSTER_HEAP = "384m"  # per node of a local cluster


TRANSPORT_OFFSET = 100  # a cluster node's transport port is its HTTP port + 100 unless given


DEFAULT_USER = "onionwatch-es"


DEFAULT_START_TIMEOUT = 120.0


DEFAULT_STOP_TIMEOUT = 30.0
#: ``status``'s exit status when no node runs: 3, as init scripts report "program is not running"
#: (LSB). It belongs to this command alone; ``onionwatch crawl``'s 3 (a CAPTCHA) is another interface.
NOT_RUNNING = 3


CLUSTER_NAME = "onionwatch-test"


HOST = "127.0.0.1"


JVM_DIRS = ("/usr/lib/jvm", "/opt/java", "/opt")


PROG = "es_node"


class NodeError(Exception):
    """A failure with a message telling the user what to do."""

    def __init__(self, message: str, hint: str | None = None, detail: str | None = None):
        super().__init__(message)
        self.hint = hint
        self.detail = detail


def say(msg: str) -> None:
    print(f"[{PROG}] {msg}", flush=True)
