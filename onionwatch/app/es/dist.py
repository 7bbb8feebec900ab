"""The distribution: Elastic's integration-test zip fetched from Maven Central with ``mvn``, its
SHA-256 checked against the pin, unzipped once."""
from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

from onionwatch.app.es.base import (ES_MAVEN_ARTIFACT, ES_MAVEN_GROUP, ES_VERSION, ES_ZIP_SHA256,
                                    MAVEN_DEPENDENCY_PLUGIN, NodeError, say)
from onionwatch.app.es.layout import Layout, flocked, maven_coordinates, mkdirs_public, zip_name
from onionwatch.app.es.process import tail_text

__all__ = ["sha256_of", "find_mvn", "fetch_zip", "unzip_dist", "ensure_dist"]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def find_mvn() -> str | None:
    env = os.environ.get("ONIONWATCH_ES_MVN")
    if env:
        return env if os.access(env, os.X_OK) else None
    return shutil.which("mvn")


def fetch_zip(layout: Layout) -> Path:
    """Make sure the pinned zip is in the cache (via Maven) and matches ES_ZIP_SHA256."""
    if layout.zip.is_file():
        if sha256_of(layout.zip) == ES_ZIP_SHA256:
            return layout.zip
        say(f"cached {layout.zip} has a wrong checksum; fetching it again")
        layout.zip.unlink()
    mkdirs_public(layout.cache)
    t0 = time.monotonic()
    local_repo = Path.home() / ".m2" / "repository" / Path(*ES_MAVEN_GROUP.split(".")) / ES_MAVEN_ARTIFACT / ES_VERSION / zip_name()
    mvn = find_mvn()
    if mvn is None and local_repo.is_file():
        say(f"mvn not found; using {local_repo} from the local Maven repository")
        shutil.copyfile(local_repo, layout.zip)
    else:
        if mvn is None:
            raise NodeError(
                "Maven (mvn) is not installed, and the Elasticsearch zip is not cached yet.",
                hint="install it with `apt-get update && apt-get install -y maven` "
                     "(or point ONIONWATCH_ES_MVN at an mvn binary), then run this again.")
        say(f"fetching {maven_coordinates()} from Maven Central into {layout.cache} ...")
        with tempfile.TemporaryDirectory(prefix="mvn-", dir=layout.cache) as tmp:
            # cwd=tmp: no pom.xml there, so mvn runs as a plain downloader.
            cmd = [mvn, "-B", "-q", f"{MAVEN_DEPENDENCY_PLUGIN}:copy", f"-Dartifact={maven_coordinates()}",
                   f"-DoutputDirectory={tmp}/out", "-Dmdep.useBaseVersion=true"]
            cmd += shlex.split(os.environ.get("ONIONWATCH_ES_MVN_OPTS", ""))
            proc = subprocess.run(cmd, cwd=tmp, stdin=subprocess.DEVNULL, capture_output=True, text=True)
            got = Path(tmp) / "out" / zip_name()
            if proc.returncode != 0 or not got.is_file():
                raise NodeError(
                    f"Maven could not fetch {maven_coordinates()} (exit {proc.returncode}).",
                    hint="check that Maven Central is reachable (`mvn -v`, ~/.m2/settings.xml mirrors/proxy); "
                         "the command was: " + " ".join(shlex.quote(c) for c in cmd),
                    detail=tail_text((proc.stdout or "") + (proc.stderr or ""), 25))
            os.replace(got, layout.zip)
    digest = sha256_of(layout.zip)
    if digest != ES_ZIP_SHA256:
        bad = layout.zip.with_suffix(".zip.bad")
        os.replace(layout.zip, bad)
        raise NodeError(f"checksum mismatch for {zip_name()}: got {digest}, pinned {ES_ZIP_SHA256} (kept as {bad}).",
                        hint="if ES_VERSION was changed on purpose, update ES_ZIP_SHA256 in onionwatch/app/es/base.py.")
    say(f"fetched {zip_name()} ({layout.zip.stat().st_size / 1e6:.0f} MB) in {time.monotonic() - t0:.1f}s")
    return layout.zip


def unzip_dist(layout: Layout) -> Path:
    """Unzip once into home/dist, keeping the exec bits and making everything world-readable."""
    marker = layout.dist / ".onionwatch-unzipped"
    if marker.is_file():
        return layout.dist
    t0 = time.monotonic()
    mkdirs_public(layout.dist.parent)
    tmp = Path(tempfile.mkdtemp(prefix=".unzip-", dir=layout.dist.parent))
    try:
        with zipfile.ZipFile(layout.zip) as zf:
            top = f"elasticsearch-{ES_VERSION}/"
            for info in zf.infolist():
                if not info.filename.startswith(top) or ".." in Path(info.filename).parts:
                    raise NodeError(f"unexpected entry {info.filename!r} in {layout.zip}")
                target = tmp / info.filename
                mode = (info.external_attr >> 16) & 0o777
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
                executable = bool(mode & 0o100)
                os.chmod(target, 0o755 if executable else 0o644)
        for d, _dirs, _files in os.walk(tmp):
            os.chmod(d, 0o755)
        if layout.dist.exists():
            shutil.rmtree(layout.dist)
        os.replace(tmp / f"elasticsearch-{ES_VERSION}", layout.dist)
        marker.write_text(f"{ES_VERSION} {ES_ZIP_SHA256}\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    say(f"unzipped into {layout.dist} in {time.monotonic() - t0:.1f}s")
    return layout.dist


def ensure_dist(layout: Layout) -> Path:
    """Fetch + unzip under one lock, so concurrent starts on other ports don't race."""
    with flocked(layout.home / ".dist.lock", "fetching the distribution"):
        if (layout.dist / ".onionwatch-unzipped").is_file():
            return layout.dist
        fetch_zip(layout)
        return unzip_dist(layout)


# Notes on the integ-test zip (checked against 9.2.4 and 8.19.21; modules: apm, transport-netty4,
# x-pack-core, x-pack-security only):
# * works: index/mapping CRUD (text+keyword sub-field, date, float, nested, geo_point, ip, completion,
#   dense_vector, sparse_vector, flattened), bulk, get/mget/update(doc)/delete, refresh, _count,
#   search (bool, match, match_phrase, multi_match, simple_query_string, query_string, term, range,
#   wildcard, fuzzy, nested + inner_hits, more_like_this, function_score), aggregations (terms, stats,
#   cardinality, histogram, date_histogram, percentiles, nested, top_hits), highlight, collapse,
#   sort/search_after, scroll, point-in-time, msearch, explain, termvectors, term suggester,
#   composable + component + legacy index templates, aliases + atomic switch, rollover, close/open,
#   forcemerge, index.max_result_window, snapshots to an fs repo under path.repo.
# * missing: GET / (405), analysis-common (only the standard tokenizer; token filters lowercase, stop,
#   shingle; analyzers standard/simple/whitespace/keyword/stop; NO asciifolding, stemmers, ngram,
#   synonym, html_strip, pattern ...), scripting (painless, expression), _reindex/_update_by_query/
#   _delete_by_query (so helpers.reindex fails), percolator, mustache search templates, ingest
#   processors, data streams, ILM, SQL/ES|QL/EQL, async search, mapper-extras/x-pack field types
#   (scaled_float, search_as_you_type, token_count, rank_feature, match_only_text, wildcard,
#   constant_keyword, unsigned_long, version, geo_shape, ...), parent-join.
