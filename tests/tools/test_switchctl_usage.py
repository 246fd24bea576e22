"""`switchctl usage` over a SQLite ledger with a known set of rows: exact counts, tokens, costs and
nearest-rank latency percentiles per group and window; precise errors for a missing, malformed or
unreachable database."""
import datetime
import json
import socket
import sqlite3

import pytest

# The schema of docs/ledger.md, version 1, as a router creates it.
SCHEMA = """
CREATE TABLE switch_ledger_schema (version INTEGER NOT NULL);
INSERT INTO switch_ledger_schema VALUES (1);
CREATE TABLE switch_usage (
    id INTEGER PRIMARY KEY, time TEXT NOT NULL, request_id INTEGER NOT NULL,
    correlation_id TEXT NOT NULL DEFAULT '', client_id TEXT NOT NULL DEFAULT '', operation TEXT NOT NULL,
    streaming INTEGER NOT NULL, model TEXT NOT NULL, label TEXT NOT NULL, provider TEXT NOT NULL,
    pool TEXT NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cost_usd REAL,
    latency_us INTEGER NOT NULL, ttft_us INTEGER, status INTEGER NOT NULL, error_class TEXT NOT NULL,
    attempts INTEGER NOT NULL, used_fallback INTEGER NOT NULL, cache_hit INTEGER NOT NULL);
"""

# (seconds ago, model, label, pool, provider, client, in, out, cost, latency ms, status)
ROWS = [
    (10, "chat", "code", "p", "a", "k1", 10, 1, 0.01, 100, 200),
    (20, "chat", "code", "p", "a", "k1", 20, 2, 0.02, 200, 200),
    (30, "chat", "simple", "q", "b", "k2", 30, 3, None, 300, 200),
    (7200, "chat", "", "", "", "k1", 0, 0, None, 400, 503),
    (3 * 86400, "embed", "", "p", "a", "k2", 5, 0, 0.001, 50, 200),
]


def iso(seconds_ago):
    t = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=seconds_ago)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "ledger.db"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    for i, (ago, model, label, pool, provider, client, tin, tout, cost, ms, status) in enumerate(ROWS):
        db.execute(
            "INSERT INTO switch_usage (time, request_id, client_id, operation, streaming, model, label, provider, pool,"
            " input_tokens, output_tokens, cost_usd, latency_us, status, error_class, attempts, used_fallback,"
            " cache_hit) VALUES (?, ?, ?, 'chat', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, 0)",
            (iso(ago), i + 1, client, model, label, provider, pool, tin, tout, cost, ms * 1000, status,
             "success" if status == 200 else "transient"))
    db.commit()
    db.close()
    return f"sqlite://{path}"


def report(switchctl, url, *args):
    result = switchctl.run("usage", "--json", *args, env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def by_key(rep, name):
    return {g[name]: g for g in rep["groups"]}


def test_by_model_over_all_time(switchctl, ledger):
    rep = report(switchctl, ledger)
    assert rep["by"] == "model" and rep["since_seconds"] is None
    groups = by_key(rep, "model")
    chat, embed = groups["chat"], groups["embed"]
    assert [g["model"] for g in rep["groups"]] == ["chat", "embed"]  # most requests first
    assert (chat["requests"], chat["errors"], chat["input_tokens"], chat["output_tokens"]) == (4, 1, 60, 6)
    assert chat["cost_usd"] == pytest.approx(0.03, abs=1e-12) and chat["unpriced"] == 1
    # Nearest rank over 100, 200, 300, 400 ms: p50 the 2nd, p99 the 4th.
    assert (chat["p50_latency_ms"], chat["p99_latency_ms"]) == (200, 400)
    assert (embed["requests"], embed["errors"], embed["input_tokens"], embed["cost_usd"]) == (1, 0, 5, 0.001)
    total = rep["total"]
    assert (total["requests"], total["errors"], total["input_tokens"], total["output_tokens"]) == (5, 1, 65, 6)
    assert total["cost_usd"] == pytest.approx(0.031, abs=1e-12)
    assert (total["p50_latency_ms"], total["p99_latency_ms"]) == (200, 400)


def test_since_keeps_only_the_window(switchctl, ledger):
    rep = report(switchctl, ledger, "--since", "1h")
    assert rep["since_seconds"] == 3600
    assert list(by_key(rep, "model")) == ["chat"]
    chat = rep["groups"][0]
    assert (chat["requests"], chat["errors"], chat["input_tokens"]) == (3, 0, 60)
    assert (chat["p50_latency_ms"], chat["p99_latency_ms"]) == (200, 300)
    assert report(switchctl, ledger, "--since", "4d")["total"]["requests"] == 5
    assert report(switchctl, ledger, "--since", "3h")["total"]["requests"] == 4


@pytest.mark.parametrize("by, expected", [
    ("provider", {"p/a": (3, 0, 35), "q/b": (1, 0, 30), "": (1, 1, 0)}),
    ("key", {"k1": (3, 1, 30), "k2": (2, 0, 35)}),
    ("label", {"code": (2, 0, 30), "simple": (1, 0, 30), "": (2, 1, 5)}),
])
def test_other_groupings(switchctl, ledger, by, expected):
    rep = report(switchctl, ledger, "--by", by)
    got = {k: (g["requests"], g["errors"], g["input_tokens"]) for k, g in by_key(rep, by).items()}
    assert got == expected


def test_text_report(switchctl, ledger):
    result = switchctl.run("usage", "--by", "provider", "--database", ledger)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["provider", "requests", "errors", "input_tokens", "output_tokens", "cost_usd",
                                "p50_ms", "p99_ms"]
    assert lines[1].split() == ["p/a", "3", "0", "35", "3", "0.031000", "100.000", "200.000"]
    assert lines[-1].split() == ["total", "5", "1", "65", "6", "0.031000", "200.000", "400.000"]
    assert "-" in [line.split()[0] for line in lines]  # a failed request has no provider


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("args, env, code, message", [
    ((), {}, 2, "switchctl usage: no database: set DATABASE_URL or give --database URL"),
    (("--database", "mysql://u:hunter2@h/db"), {}, 2,
     'switchctl usage: --database: unsupported scheme "mysql"; expected sqlite or postgresql (or postgres)'),
    ((), {"DATABASE_URL": "sqlite:ledger.db"}, 2,
     "switchctl usage: DATABASE_URL: a SQLite URL is sqlite:///ABSOLUTE/PATH or sqlite://RELATIVE/PATH"),
    (("--since", "5y"), {"DATABASE_URL": "sqlite:///x.db"}, 2,
     'switchctl usage: --since: "5y" is not a duration; write e.g. 30s, 15m, 24h or 7d'),
    (("--by", "team"), {"DATABASE_URL": "sqlite:///x.db"}, 2,
     'switchctl usage: --by: "team" is not one of model, provider, label, key'),
    (("--database", "sqlite:///nonexistent-dir/ledger.db"), {}, 1,
     "switchctl usage: cannot read the ledger: SQLite /nonexistent-dir/ledger.db: no such file"),
])
def test_errors(switchctl, args, env, code, message):
    result = switchctl.run("usage", *args, env=env)
    assert result.returncode == code
    assert result.stderr.splitlines()[0] == message
    assert "hunter2" not in result.stderr


def test_a_database_without_a_ledger(switchctl, tmp_path):
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    result = switchctl.run("usage", "--database", f"sqlite://{path}")
    assert result.returncode == 1
    assert result.stderr.strip() == (f"switchctl usage: cannot read the ledger: SQLite {path}: no usage ledger in "
                                     "this database (no switch_ledger_schema table)")


def test_an_unreachable_postgresql(switchctl):
    port = free_port()
    result = switchctl.run("usage", "--database", f"postgresql://switch:hunter2@127.0.0.1:{port}/db")
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("switchctl usage: cannot read the ledger: PostgreSQL: cannot connect: ")
    assert f'port {port} failed: Connection refused' in result.stderr
    assert "hunter2" not in result.stderr
