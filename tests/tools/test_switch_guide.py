"""Every example configuration in the Switch guide loads and validates, or gives precise diagnostics."""
import copy
import json

import pytest

from guide_blocks import env_assignments, fenced

# Store names the guide's fragments refer to without defining them.
BASE_STORES = {
    name: {"type": "simple", "source": "env", "config": {"apiKeyVar": var}}
    for name, var in [("openai", "OPENAI_API_KEY"), ("anthropic", "ANTHROPIC_API_KEY"), ("custom", "CUSTOM_KEY"),
                      ("creds", "CREDS_KEY"), ("alibaba", "DASHSCOPE_API_KEY"), ("together", "TOGETHER_API_KEY")]
}
BASE_PROVIDER = {"name": "p1", "provider": "openai", "credentialsRef": "openai", "modelName": "gpt-4o-mini"}


def json_blocks(guide):
    return [json.loads(block) for block in fenced(guide, "json")]


def complete(fragment, all_blocks):
    """A whole config around a guide fragment, adding only what the fragment refers to."""
    keys = set(fragment)
    doc = {"credentialStores": copy.deepcopy(BASE_STORES)}
    if keys & {"circuitBreaker", "healthThresholds"}:
        doc["pools"] = [dict({"id": "host", "providers": [BASE_PROVIDER]}, **fragment)]
    elif keys == {"providers"}:
        doc["pools"] = [{"id": "host", "providers": fragment["providers"]}]
    else:
        assert keys <= {"credentialStores", "pools", "models"}, keys
        doc["credentialStores"].update(fragment.get("credentialStores", {}))
        doc["pools"] = fragment.get("pools", [])
        if "models" in fragment:
            doc["models"] = fragment["models"]
            # The model-mapping example names pools that earlier examples define.
            defined = {pool["id"] for pool in doc["pools"]}
            wanted = {m["primaryPoolId"] for m in fragment["models"].values()} - defined
            for block in all_blocks:
                for pool in block.get("pools", []):
                    if pool["id"] in wanted:
                        doc["pools"].append(pool)
                        wanted.discard(pool["id"])
    return doc


def test_the_guide_has_the_examples_this_suite_expects(switch_guide):
    # A new example in the guide must be looked at, not silently skipped.
    assert len(fenced(switch_guide, "json")) == 20


def test_the_schema_overview_reports_its_placeholders_precisely(switchctl, switch_guide, tmp_path):
    overview = json_blocks(switch_guide)[0]
    path = tmp_path / "overview.json"
    path.write_text(json.dumps(overview))
    report = switchctl.validate_json(path)
    errors = {(d["path"], d["message"].split(";")[0]) for d in report["diagnostics"] if d["severity"] == "error"}
    assert ("credentialStores.store-name.type", 'unknown value "simple|aws|google|azure|oauth"') in errors
    assert ("credentialStores.store-name.source", 'unknown value "env|file|vault|aws-secrets|inline"') in errors
    assert ("pools[0].providers[0].provider", 'unknown value "openai|anthropic|bedrock|together|custom"') in errors
    assert ("pools[0].fallbackPoolIds[0]", 'unknown pool "backup-pool-id"') in errors
    assert len(errors) == 4, report["diagnostics"]


@pytest.mark.parametrize("index", range(1, 20))
def test_each_example_validates(switchctl, switch_guide, tmp_path, index):
    blocks = json_blocks(switch_guide)
    doc = complete(blocks[index], blocks)
    path = tmp_path / f"example{index}.json"
    path.write_text(json.dumps(doc))
    report = switchctl.validate_json(path)
    assert report["valid"], report["diagnostics"]
    unexpected = [d for d in report["diagnostics"] if "no models are defined" not in d["message"]]
    assert unexpected == [], unexpected


def test_the_complete_examples_need_no_help(switchctl, switch_guide, tmp_path):
    # Development, production and definitions.json examples stand on their own.
    for index in (16, 17, 19):
        path = tmp_path / f"complete{index}.json"
        path.write_text(json.dumps(json_blocks(switch_guide)[index]))
        report = switchctl.validate_json(path)
        assert report["valid"] and report["diagnostics"] == [], report


def test_model_definitions_from_the_environment(switchctl, switch_guide, tmp_path):
    env = env_assignments(fenced(switch_guide, "bash")[0])
    result = switchctl.run("validate", env={"MODEL_DEFINITIONS": env["MODEL_DEFINITIONS"]}, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "MODEL_DEFINITIONS: valid: 0 pools, 0 providers, 0 models" in result.stdout


def test_the_guides_tuning_variables_are_accepted(switchctl, switch_guide, tmp_path):
    env = {}
    for block in fenced(switch_guide, "bash"):
        env.update(env_assignments(block))
    path = tmp_path / "definitions.json"
    path.write_text(json.dumps(json_blocks(switch_guide)[19]))
    report = switchctl.validate_json(path, env=env)
    assert report["valid"], report


def test_a_bad_tuning_variable_is_named(switchctl, switch_guide, tmp_path):
    path = tmp_path / "definitions.json"
    path.write_text(json.dumps(json_blocks(switch_guide)[19]))
    report = switchctl.validate_json(path, env={"PERMANENT_FAILURE_BASE_TIMEOUT_MS": "1000"})
    assert not report["valid"]
    assert report["diagnostics"][0]["path"] == "env:PERMANENT_FAILURE_BASE_TIMEOUT_MS"
