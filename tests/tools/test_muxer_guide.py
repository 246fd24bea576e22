"""ModelMuxer's YAML configuration loads, with precise diagnostics for the server-only keys it ignores."""
import pytest

from guide_blocks import env_assignments, fenced

# switch-server reads `server` and `auth` (tests/server); the library reads `database` (the usage
# ledger) and `cache` (the response cache), whose redis backend needs REDIS_URL set.
REDIS_CACHE = '''  backend: "redis"
  default_ttl: 3600
  redis:
    url: "${REDIS_URL}"
    pool_size: 10
'''
KEYS = {"OPENAI_API_KEY": "sk-test-openai-000000000000", "ANTHROPIC_API_KEY": "sk-ant-test-00000000000000",
        "DATABASE_URL": "sqlite:///var/lib/switch/ledger.db"}


def yaml_blocks(guide, memory_cache=True):
    """config.yaml and models.yaml; config.yaml's cache with the memory backend unless asked not
    to, since the guide's redis backend needs REDIS_URL (test_the_guides_redis_cache_...)."""
    blocks = fenced(guide, "yaml")
    assert len(blocks) == 2, "the guide has config.yaml and models.yaml"
    if memory_cache:
        assert REDIS_CACHE in blocks[0]
        blocks[0] = blocks[0].replace(REDIS_CACHE, '  backend: "memory"\n  default_ttl: 3600\n')
    return blocks


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_config_yaml_loads_and_names_each_ignored_key(switchctl, muxer_guide, tmp_path):
    report = switchctl.validate_json(write(tmp_path, "config.yaml", yaml_blocks(muxer_guide)[0]), env=KEYS)
    assert report["valid"], report["diagnostics"]
    assert not any("ModelMuxer setting, ignored" in d["message"] for d in report["diagnostics"])
    assert not any(d["path"].startswith(("server", "auth")) for d in report["diagnostics"])
    # The monitoring section is read whole: metrics, tracing and logging all work, so it says nothing.
    assert not any(d["path"].startswith("monitoring") for d in report["diagnostics"])
    # The database section is read: its url turns the usage ledger on; the pool keys do nothing.
    no_effect = {d["path"] for d in report["diagnostics"] if d["message"].startswith("has no effect")}
    assert no_effect == {"database.pool_size", "database.max_overflow", "database.pool_timeout"}
    assert all(d["severity"] == "warning" for d in report["diagnostics"])
    # Each (provider, model) of its providers section becomes a pool and a model.
    assert report["summary"]["pools"] == 5 and report["summary"]["models"] == 5


def test_the_guides_redis_cache_loads_with_redis_url_and_says_how_to_do_without(switchctl, muxer_guide, tmp_path):
    path = write(tmp_path, "config.yaml", yaml_blocks(muxer_guide, memory_cache=False)[0])
    report = switchctl.validate_json(path, env={**KEYS, "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert report["valid"], report["diagnostics"]
    assert not any(d["path"].startswith("cache") for d in report["diagnostics"])
    # REDIS_URL unset: one error, at the url, whose suggestion says how to use the top-level server.
    report = switchctl.validate_json(path, env=KEYS)
    assert not report["valid"]
    errors = {d["path"]: d for d in report["diagnostics"] if d["severity"] == "error"}
    assert set(errors) == {"cache.redis.url"}
    assert "REDIS_URL" in errors["cache.redis.url"]["message"]
    assert "${REDIS_URL:-}" in errors["cache.redis.url"]["suggestion"]


def test_config_yaml_without_its_keys_names_the_missing_variables(switchctl, muxer_guide, tmp_path):
    report = switchctl.validate_json(write(tmp_path, "config.yaml", yaml_blocks(muxer_guide)[0]))
    errors = {(d["path"], d["message"]) for d in report["diagnostics"] if d["severity"] == "error"}
    assert errors == {("providers.openai.api_key", "environment variable OPENAI_API_KEY is not set"),
                      ("providers.anthropic.api_key", "environment variable ANTHROPIC_API_KEY is not set"),
                      ("database.url", "environment variable DATABASE_URL is not set")}


def test_config_yaml_without_a_database_says_how_to_leave_the_ledger_off(switchctl, muxer_guide, tmp_path):
    keys = {k: v for k, v in KEYS.items() if k != "DATABASE_URL"}
    config_yaml = yaml_blocks(muxer_guide)[0]
    report = switchctl.validate_json(write(tmp_path, "config.yaml", config_yaml), env=keys)
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert [(d["path"], d["suggestion"]) for d in errors] == [
        ("database.url", 'set it to turn the usage ledger on, or write "${DATABASE_URL:-}" to leave the ledger off '
                         "while it is unset")]
    # Written as suggested, the config is valid and the ledger is off.
    assert 'url: "${DATABASE_URL}"' in config_yaml
    fixed = config_yaml.replace('url: "${DATABASE_URL}"', 'url: "${DATABASE_URL:-}"')
    report = switchctl.validate_json(write(tmp_path, "fixed.yaml", fixed), env=keys)
    assert report["valid"], report["diagnostics"]


def test_models_yaml_loads_its_pricing_and_preferences(switchctl, muxer_guide, tmp_path):
    report = switchctl.validate_json(write(tmp_path, "models.yaml", yaml_blocks(muxer_guide)[1]))
    assert report["valid"], report["diagnostics"]
    # Alone, nothing serves the preferred models yet: one warning per target, no errors.
    unserved = [d for d in report["diagnostics"] if "no pool serves" in d["message"]]
    assert len(unserved) == 6


def test_both_files_together_resolve_every_preference(switchctl, muxer_guide, tmp_path):
    config_yaml, models_yaml = yaml_blocks(muxer_guide)
    report = switchctl.validate_json(write(tmp_path, "muxer.yaml", config_yaml + "\n" + models_yaml), env=KEYS)
    assert report["valid"], report["diagnostics"]
    assert [d for d in report["diagnostics"] if "no pool serves" in d["message"]] == []


@pytest.mark.parametrize("block", range(4))
def test_routing_environment_is_accepted(switchctl, muxer_guide, tmp_path, block):
    env = env_assignments(fenced(muxer_guide, "env")[block])
    env.update(KEYS)
    path = write(tmp_path, "config.yaml", yaml_blocks(muxer_guide)[0])
    if env.get("CACHE_BACKEND") == "redis":
        # The caching block's redis backend is refused, by name; with memory the block loads.
        report = switchctl.validate_json(path, env=env)
        assert [d["path"] for d in report["diagnostics"] if d["severity"] == "error"] == ["env:CACHE_BACKEND"]
        env["CACHE_BACKEND"] = "memory"
    report = switchctl.validate_json(path, env=env)
    assert report["valid"], report["diagnostics"]


def test_a_bad_threshold_in_the_environment_is_named(switchctl, muxer_guide, tmp_path):
    env = dict(KEYS, CASCADE_QUALITY_THRESHOLD="high")
    report = switchctl.validate_json(write(tmp_path, "config.yaml", yaml_blocks(muxer_guide)[0]), env=env)
    assert not report["valid"]
    assert [d["path"] for d in report["diagnostics"] if d["severity"] == "error"] == ["env:CASCADE_QUALITY_THRESHOLD"]
