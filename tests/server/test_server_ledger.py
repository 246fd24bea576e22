"""The usage ledger behind switch-server: DATABASE_URL turns it on, each request leaves a row with
the request's x-correlation-id and the authenticated client's key id, the row holds no key, and
`switchctl usage --by key` reads it back (docs/ledger.md)."""
import hashlib
import json
import os
import sqlite3
import subprocess

from conftest import CANARY, REPO, standard_config, wait_until

TEAM_KEY = "sk-team-ledger-canary-4b7e1c9a3d5f"
CHAT = {"model": "chat", "messages": [{"role": "user", "content": "Say hello."}]}


def rows(path):
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return db.execute("SELECT correlation_id, client_id, model, pool, provider, status, error_class"
                              " FROM switch_usage ORDER BY id").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return None  # not created yet


def test_rows_carry_the_correlation_and_client_ids(mock, start_server, tmp_path):
    config = standard_config(mock)
    config["auth"] = {"enabled": True, "api_keys": [
        {"id": "team-a", "sha256": hashlib.sha256(TEAM_KEY.encode()).hexdigest()}]}
    path = tmp_path / "ledger.db"
    server = start_server(config, env={"DATABASE_URL": f"sqlite://{path}"})
    auth = {"Authorization": "Bearer " + TEAM_KEY}
    status, headers, _ = server.request("POST", "/v1/chat/completions", CHAT,
                                        headers=dict(auth, **{"x-correlation-id": "order-123"}))
    assert status == 200
    assert headers["x-correlation-id"] == "order-123"
    status, _, _ = server.request("POST", "/v1/chat/completions", dict(CHAT, model="nope"), headers=auth)
    assert status == 404
    status, _, _ = server.request("POST", "/v1/chat/completions", CHAT)  # no key: refused before routing
    assert status == 401

    assert wait_until(lambda: rows(path) is not None and len(rows(path)) == 2)
    first, second = rows(path)
    assert first == ("order-123", "team-a", "chat", "main", "m1", 200, "success")
    assert second[1:] == ("team-a", "nope", "", "", 404, "not_found")
    assert second[0] != ""  # the server made a correlation id for it

    usage = subprocess.run([os.environ.get("SWITCHCTL", str(REPO / "build" / "tools" / "switchctl")), "usage",
                            "--by", "key", "--json", "--database", f"sqlite://{path}"],
                           capture_output=True, text=True, timeout=60)
    assert usage.returncode == 0, usage.stderr
    report = json.loads(usage.stdout)
    assert [(g["key"], g["requests"], g["errors"]) for g in report["groups"]] == [("team-a", 2, 1)]

    for suffix in ("", "-wal"):
        if os.path.exists(f"{path}{suffix}"):
            data = open(f"{path}{suffix}", "rb").read()
            assert CANARY.encode() not in data and TEAM_KEY.encode() not in data
