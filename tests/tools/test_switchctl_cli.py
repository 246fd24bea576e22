"""switchctl's interface: help, version, exit codes, compiler-style output and JSON."""
import json


def test_help_and_version(switchctl):
    help_run = switchctl.run("--help")
    assert help_run.returncode == 0 and "validate [--json] [--resolve] [FILE]" in help_run.stdout
    version = switchctl.run("--version")
    assert version.returncode == 0 and version.stdout.startswith("switchctl 0.1.0 (libswitch 0.1.0, libcurl/")


def test_usage_errors_exit_2(switchctl):
    assert switchctl.run().returncode == 2
    assert switchctl.run("frobnicate").returncode == 2
    assert switchctl.run("validate", "--bogus").returncode == 2
    assert switchctl.run("validate", "a.json", "b.json").returncode == 2


def test_valid_file_prints_a_summary(switchctl, tmp_path):
    path = tmp_path / "ok.json"
    path.write_text('{"pools": [{"id": "p", "providers": [{"name": "a", "provider": "ollama", "modelName": "m"}]}],'
                    ' "models": {"m": {"primaryPoolId": "p"}}}')
    result = switchctl.run("validate", str(path))
    assert result.returncode == 0
    assert result.stdout == f"{path}: valid: 1 pool, 1 provider, 1 model; 0 errors, 0 warnings\n"


def test_invalid_file_prints_compiler_style_lines(switchctl, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"pools": [{"id": "p", "routingStrategy": "fastest", "providers": '
                    '[{"name": "a", "provider": "ollama", "modelName": "m", "timout": 1}]}]}')
    result = switchctl.run("validate", str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f'{path}: pools[0].routingStrategy: error: unknown value "fastest"; expected one of: fastest_response, ' \
           'weighted, cost_optimized, round_robin, least_connections; did you mean "fastest_response"?' in lines
    assert f'{path}: pools[0].providers[0].timout: warning: unknown key, ignored; did you mean "timeout"?' in lines
    assert lines[-1] == f"{path}: invalid: 1 pool, 1 provider, 0 models; 1 error, 2 warnings"


def test_json_output_is_machine_readable(switchctl, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("pools: 3\n")
    result = switchctl.run("validate", "--json", str(path))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["diagnostics"][0] == {"severity": "error", "path": "pools",
                                        "message": "expected an array of pools, got an integer", "suggestion": ""}
    assert report["summary"]["errors"] == 1


def test_missing_and_unreadable_files_exit_1(switchctl, tmp_path):
    result = switchctl.run("validate", str(tmp_path / "nope.json"))
    assert result.returncode == 1 and "does not exist" in result.stdout
    result = switchctl.run("validate", str(tmp_path))
    assert result.returncode == 1 and "not a regular file" in result.stdout


def test_without_a_file_the_default_load_order_is_used(switchctl, tmp_path):
    (tmp_path / "definitions.json").write_text('{"models": {}}')
    result = switchctl.run("validate", cwd=tmp_path)
    assert result.returncode == 0
    assert "./definitions.json: valid: 0 pools" in result.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    result = switchctl.run("validate", cwd=empty)
    assert result.returncode == 1 and "no configuration found" in result.stdout
    result = switchctl.run("validate", cwd=empty, env={"OPENAI_API_KEY": "sk-x"})
    assert result.returncode == 0 and "environment (provider keys): valid: 1 pool" in result.stdout


def test_the_canary_key_never_reaches_the_output(switchctl, tmp_path):
    canary = "sk-canary-switchctl-5d1e9f0a7b"
    path = tmp_path / "leaky.json"
    path.write_text(json.dumps({
        "credentialStores": {"k": {"type": "simple", "source": "env", "config": {"apiKey": canary}}},
        "pools": [{"id": "p", "providers": [{"name": "a", "provider": "openai", "credentialsRef": "k", "modelName": "m",
                                             "headers": {"Authorization": "Bearer " + canary + "\n"},
                                             "apiBase": f"https://{canary}@api.example.com/v1"}]}]}))
    for args in (("validate", str(path)), ("validate", "--json", str(path))):
        result = switchctl.run(*args, env={"LEAK": canary})
        assert result.returncode == 1
        assert canary not in result.stdout + result.stderr


def test_validate_resolve_reports_each_store_without_values(switchctl, tmp_path):
    import socket
    with socket.socket() as s:  # a loopback port with nothing listening on it
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    path = tmp_path / "stores.json"
    path.write_text(json.dumps({
        "credentialStores": {
            "present": {"type": "simple", "config": {"apiKeyVar": "PRESENT_KEY"}},
            "missing": {"type": "simple", "config": {"apiKeyVar": "MISSING_KEY"}},
            "vault": {"type": "simple", "source": "vault",
                      "config": {"path": "secret/openai", "key": "api_key", "address": f"http://127.0.0.1:{closed}"}},
        },
        "pools": [{"id": "p", "providers": [{"name": "a", "provider": "openai", "credentialsRef": "present",
                                             "modelName": "m"}]}],
        "models": {"m": {"primaryPoolId": "p"}},
    }))
    env = {"PRESENT_KEY": "sk-canary-resolve-0a9b8c", "VAULT_TOKEN": "vault-canary-token-1d2e3f"}
    # Without --resolve, nothing is resolved: the file is valid.
    assert switchctl.run("validate", str(path), env=env).returncode == 0
    result = switchctl.run("validate", "--resolve", str(path), env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert 'credential store "present": resolved' in lines
    assert any('credential store "missing"' in l and "MISSING_KEY" in l and "not set" in l for l in lines)
    assert any('credential store "vault"' in l and "could not be reached" in l for l in lines)
    assert lines[-1] == "credentials: 1 of 3 stores resolved"
    report = switchctl.run("validate", "--json", "--resolve", str(path), env=env)
    assert report.returncode == 1
    stores = {c["store"]: c for c in json.loads(report.stdout)["credentials"]}
    assert stores["present"] == {"store": "present", "resolved": True}
    assert not stores["missing"]["resolved"] and "MISSING_KEY" in stores["missing"]["error"]
    for output in (result.stdout, result.stderr, report.stdout, report.stderr):
        assert "sk-canary-resolve" not in output and "vault-canary-token" not in output
