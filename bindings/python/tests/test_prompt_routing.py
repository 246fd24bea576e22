"""A model that routes by prompt, from Python: each label reaches its pool, and
``response.switch.route`` explains the decision."""
import libswitch


def test_route_is_explained(mock):
    config = {
        "pools": [
            {"id": "strong", "providers": [mock.provider("s", "strong-model")]},
            {"id": "cheap", "providers": [mock.provider("c", "cheap-model")]},
        ],
        "models": {"auto": {"router": {"strategy": "heuristic", "routes": {
            "code": [{"pool": "strong"}], "complex": [{"pool": "strong"}],
            "simple": [{"pool": "cheap"}], "general": [{"pool": "cheap"}]}}}},
    }
    with libswitch.Router.from_dict(config) as router:
        code = router.chat.completions.create(
            model="auto", messages=[{"role": "user", "content": "how do I reverse a list in python"}])
        route = code.switch.route
        assert isinstance(route, libswitch.PromptRoute)
        assert (route.strategy, route.rules, route.label, route.target) == ("heuristic", "standard", "code", "strong")
        assert code.switch.pool == "strong"
        assert [s.label for s in route.scores] == ["code", "complex", "simple"]
        assert isinstance(route.scores[0], libswitch.RouteScore)
        assert route.scores[0].score >= route.scores[0].threshold
        assert "language or tool" in route.scores[0].signals
        assert route.decision_us >= 0

        simple = router.chat.completions.create(
            model="auto", messages=[{"role": "user", "content": "What is the capital of Peru?"}])
        assert (simple.switch.route.label, simple.switch.pool) == ("simple", "cheap")
        assert mock.stats()["attempts"] == {"strong-model": 1, "cheap-model": 1}

    # A model that does not route by prompt has no route.
    plain = mock.config(mock.provider("a", "plain-model"))
    with libswitch.Router.from_dict(plain) as router:
        assert router.chat.completions.create(model="chat", messages=[{"role": "user", "content": "hi"}]).switch.route is None


def _semantic_config(mock, strategy="semantic"):
    """Model "auto": one route of its own, "legal", embedded by the application's function."""
    return {
        "pools": [
            {"id": "law", "providers": [mock.provider("l", "law-model")]},
            {"id": "other", "providers": [mock.provider("o", "other-model")]},
        ],
        "models": {"auto": {"router": {
            "strategy": strategy,
            "semantic": {"embedder": "callback", "defaultRoutes": False,
                         "routes": {"legal": {"utterances": ["my lease", "my landlord"], "threshold": 0.9}}},
            "routes": {"legal": [{"pool": "law"}], "code": [{"pool": "other"}], "general": [{"pool": "other"}]}}}},
    }


def _legal_axis(text):
    """Texts about leases and landlords along one axis, everything else along another."""
    legal = "lease" in text or "landlord" in text
    return [1.0, 0.0, 0.0] if legal else [0.0, 1.0, 0.0]


def _ask(router, text):
    return router.chat.completions.create(model="auto", messages=[{"role": "user", "content": text}])


def test_python_embedder_routes_semantic_requests(mock):
    seen = []

    def embed(text):
        seen.append(text)
        return _legal_axis(text)

    with libswitch.Router.from_dict(_semantic_config(mock), embedder=embed) as router:
        assert seen == ["my lease", "my landlord"]  # the utterances, when the router was built
        r = _ask(router, "my landlord kept the deposit")
        route = r.switch.route
        assert (route.strategy, route.embedder, route.label, r.switch.pool) == ("semantic", "callback", "legal", "law")
        assert route.scores[0].router == "semantic"
        assert route.scores[0].score == 1.0  # the same axis as the route's centroid
        assert route.fallback is None
        other = _ask(router, "write a poem about rain")
        assert (other.switch.route.label, other.switch.pool) == ("general", "other")  # abstained
        assert "no route reached its similarity threshold" in other.switch.route.reason
        assert seen[2:] == ["my landlord kept the deposit", "write a poem about rain"]


def test_python_embedder_from_asyncio_and_hybrid_votes(mock):
    import asyncio

    async def main():
        async with libswitch.AsyncRouter.from_dict(_semantic_config(mock, "hybrid"), embedder=_legal_axis) as router:
            r = await router.chat.completions.create(
                model="auto", messages=[{"role": "user", "content": "landlord drama with the deposit again"}])
            return r.switch.route

    route = asyncio.run(main())
    assert route.strategy == "hybrid"
    assert [(v.router, v.label) for v in route.votes] == [("heuristic", "general"), ("semantic", "legal")]
    assert isinstance(route.votes[0], libswitch.RouteVote)
    assert route.votes[0].weight == 0.5 and route.votes[1].confidence == 1.0
    assert route.label == "legal"


def test_failing_python_embedder_falls_back_to_the_heuristic(mock):
    failing = {"on": False}

    def embed(text):
        if failing["on"]:
            raise RuntimeError("the embedding service is down")
        return _legal_axis(text)

    with libswitch.Router.from_dict(_semantic_config(mock), embedder=embed) as router:
        failing["on"] = True
        r = _ask(router, "how do I reverse a list in python")
        assert r.choices[0].message.content  # served
        assert r.switch.route.label == "code"  # the heuristic decided
        assert "RuntimeError: the embedding service is down" in r.switch.route.fallback
        assert "so the heuristic decided" in r.switch.route.fallback

    with libswitch.Router.from_dict(_semantic_config(mock), embedder=lambda text: "not numbers") as router:
        # The utterances already failed: every request falls back, and says why.
        r = _ask(router, "my lease")
        assert "embedding route \"legal\"'s utterances" in r.switch.route.fallback


def test_callback_config_without_embedder_is_refused(mock):
    import pytest

    with pytest.raises(ValueError, match='model "auto" embeds with a callback, and the router was given none'):
        libswitch.Router.from_dict(_semantic_config(mock))


def _cascade_config(mock, judge="callback"):
    """Model "auto": a cascade of "cheap" then "strong" (listed the other way round)."""
    return {
        "pools": [
            {"id": "strong", "providers": [mock.provider("s", "strong-model", costPerToken=0.00001)]},
            {"id": "cheap", "providers": [mock.provider("c", "cheap-model", costPerToken=0.000001)]},
        ],
        "models": {"auto": {"router": {"strategy": "cascade", "cascade": {
            "steps": [{"pool": "strong"}, {"pool": "cheap"}], "judge": judge}}}},
    }


def test_cascade_with_a_python_judge(mock):
    verdicts = {"cheap-model": (0.2, 0.9), "strong-model": (0.9, 0.9)}
    seen = []

    def judge(prompt, answer):
        seen.append((prompt, answer))
        return verdicts["cheap-model" if "cheap-model" in answer else "strong-model"]

    with libswitch.Router.from_dict(_cascade_config(mock), judge=judge) as router:
        r = _ask(router, "What is the capital of Peru?")
        route = r.switch.route
        assert route.strategy == "cascade"
        assert [(s.pool, s.accepted) for s in route.steps] == [("cheap", False), ("strong", True)]
        assert isinstance(route.steps[0], libswitch.CascadeStep)
        assert route.steps[0].quality == 0.2 and "escalated by the judge callback" in route.steps[0].note
        assert route.spent_usd == sum(s.cost_usd for s in route.steps) and route.spent_usd > 0
        assert r.switch.pool == "strong"
        assert [p for p, _ in seen] == ["What is the capital of Peru?"] * 2
        assert mock.stats()["attempts"] == {"cheap-model": 1, "strong-model": 1}

        # A stream gets only the accepted answer.
        chunks = list(router.chat.completions.create(
            model="auto", stream=True, messages=[{"role": "user", "content": "What is the capital of Peru?"}]))
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        assert "strong-model" in text and "cheap-model" not in text

    def broken(prompt, answer):
        raise ValueError("judge offline")

    with libswitch.Router.from_dict(_cascade_config(mock), judge=broken) as router:
        r = _ask(router, "What is the capital of Peru?")
        assert "the built-in judge (the judge callback failed: ValueError: judge offline)" in r.switch.route.steps[0].note


def test_cascade_judge_callback_is_required(mock):
    import pytest

    with pytest.raises(ValueError, match="judges its cascade with a callback, and the router was given none"):
        libswitch.Router.from_dict(_cascade_config(mock))


def test_pool_embedder(mock):
    """The pool embedder from Python: the router embeds through its own pool, the utterances once."""
    config = {
        "pools": [
            {"id": "embed", "providers": [mock.provider("e", "embed-model")]},
            {"id": "chat", "providers": [mock.provider("c", "chat-model")]},
        ],
        "models": {"auto": {"router": {
            "strategy": "semantic",
            "semantic": {"embedder": "pool", "pool": "embed", "defaultRoutes": False,
                         "routes": {"legal": {"utterances": ["my lease", "my landlord"]}}},
            "routes": {"legal": [{"pool": "chat"}], "general": [{"pool": "chat"}]}}}},
    }
    with libswitch.Router.from_dict(config) as router:
        for _ in range(2):
            r = router.chat.completions.create(model="auto", messages=[{"role": "user", "content": "my lease ends"}])
            assert r.switch.route.embedder == "pool"
            assert r.switch.route.fallback is None
            assert r.switch.pool == "chat"
        assert mock.stats()["attempts"] == {"embed-model": 2, "chat-model": 2}
