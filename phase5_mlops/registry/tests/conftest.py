"""Fixtures: two trained phase 2 artifacts, a sqlite store and a throwaway PostgreSQL cluster."""

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from phase0_env.common.sysprogs import find_program
from phase2_tabular.tabular_api.train import train

# Wherever PostgreSQL is: PATH, Debian's /usr/lib/postgresql/<v>/bin, or pip's pgserver.
_INITDB = find_program("initdb")
PG_BIN = Path(_INITDB).parent if _INITDB else Path("/usr/lib/postgresql")


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory):
    """(logistic regression, random forest) artifacts, 3-fold CV to keep the suite fast."""
    root = tmp_path_factory.mktemp("artifacts")
    first = train(root / "logreg", n_splits=3, seed=0)
    second = train(root / "forest", family="random_forest", n_splits=3, seed=1)
    return first, second


@pytest.fixture(scope="session")
def sqlite_store(tmp_path_factory):
    """(tracking URI, artifact root) of one sqlite store for the session (migrations cost ~5 s)."""
    root = tmp_path_factory.mktemp("mlflow")
    return f"sqlite:///{root / 'mlflow.db'}", root / "artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_db_user(cmd: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server binaries as `postgres` when we are root."""
    if os.geteuid() != 0:
        return cmd
    if shutil.which("runuser") is None:
        pytest.skip("running as root and runuser is missing: cannot start PostgreSQL")
    return ["runuser", "-u", "postgres", "--", *cmd]


@pytest.fixture(scope="session")
def postgres_store(tmp_path_factory):
    """A throwaway PostgreSQL cluster on a free 127.0.0.1 port: (`postgresql://` URI, root)."""
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        pytest.skip("PostgreSQL is not installed (initdb, pg_ctl not found; make setup)")
    import psycopg2

    # Not under pytest's tmp_path: its parents are private to root, and the server runs
    # as `postgres`, which must reach its data directory.
    data = Path(tempfile.mkdtemp(prefix="registry-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    subprocess.run(
        _as_db_user(
            [str(PG_BIN / "initdb"), "-D", str(data / "db"), "-U", "mlflow", "-A", "trust"]
        ),
        **run,
    )
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data / "db")]
    subprocess.run(
        _as_db_user([*pg_ctl, "-o", options, "-l", str(data / "log"), "-w", "-t", "60", "start"]),
        **run,
    )
    try:
        conn = psycopg2.connect(host="127.0.0.1", port=port, user="mlflow", dbname="postgres")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("CREATE DATABASE mlflow")
        conn.close()
        artifact_dir = tmp_path_factory.mktemp("pg-artifacts")
        yield f"postgresql+psycopg2://mlflow@127.0.0.1:{port}/mlflow", artifact_dir
    finally:
        subprocess.run(_as_db_user([*pg_ctl, "-m", "fast", "-w", "stop"]), capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, sqlite_store):
    """(tracking URI, artifact root) of each kind of store."""
    if request.param == "sqlite":
        return sqlite_store
    return request.getfixturevalue("postgres_store")


@pytest.fixture
def model_name():
    """A fresh registered-model name, so tests sharing a store never see each other."""
    return f"penguins_{uuid.uuid4().hex[:8]}"
