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
