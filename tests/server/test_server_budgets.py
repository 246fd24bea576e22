"""Budgets over windows behind switch-server (docs/budgets.md): a budget per API key refuses,
through the official OpenAI SDK, a request whose worst case does not fit, with 429 and a message
naming the budget and the key's id (never the key); a cheaper request still fits; and another
key has a budget of its own."""
import hashlib

import openai
import pytest

from conftest import standard_config

ALICE_KEY = "sk-alice-canary-5f1c9e2a7d3b8e4f"
BOB_KEY = "sk-bob-canary-0a6d4c8e2f7b1d9a"


def budget_config(mock):
    config = standard_config(mock)
    # m1 costs 0.000001 USD a token: a request's worst case is its prompt estimate plus max_tokens.
    config["budgets"] = [{"name": "per-key", "per": "client", "window": "day", "limit_usd": 0.0005}]
    config["auth"] = {"enabled": True, "api_keys": [
        {"id": "alice", "sha256": hashlib.sha256(ALICE_KEY.encode()).hexdigest()},
        {"id": "bob", "sha256": hashlib.sha256(BOB_KEY.encode()).hexdigest()}]}
    return config


def client_for(server, key):
    return openai.OpenAI(base_url=server.base + "/v1", api_key=key, max_retries=0)


def ask(client, max_tokens):
    return client.chat.completions.create(model="chat", max_tokens=max_tokens,
                                          messages=[{"role": "user", "content": "Say hello."}])


def test_a_budget_per_key_refuses_what_does_not_fit_and_admits_what_does(mock, start_server):
    server = start_server(budget_config(mock))
    alice, bob = client_for(server, ALICE_KEY), client_for(server, BOB_KEY)
    # 1,000 tokens could cost 0.001 USD, twice what the day allows.
    with pytest.raises(openai.RateLimitError) as refused:
        ask(alice, 1000)
    assert refused.value.status_code == 429
    message = refused.value.body["message"]
    assert 'budget "per-key" (client "alice") has spent 0 of its 0.0005 USD this day' in message
    assert "it starts again in" in message
    assert ALICE_KEY not in message
    assert mock.stats()["attempts"] == {}  # refused before any provider was asked
    # A smaller worst case fits, and is reconciled to what it cost.
    answer = ask(alice, 20)
    assert answer.choices[0].message.content
    assert ask(alice, 20).usage.completion_tokens == 7
    # Bob's day has its own budget.
    assert ask(bob, 20).choices[0].message.content
    assert mock.stats()["attempts"] == {"m1": 3}
