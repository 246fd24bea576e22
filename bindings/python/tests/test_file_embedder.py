"""The file embedder with wordllama's model, end to end: a router whose semantic embedder is
"file" with no paths uses the files of the installed wordllama package, its route scores are the
cosine similarities wordllama's own embeddings give, and its token ids are the `tokenizers`
library's. Without wordllama these tests are skipped, except under CI=true, where they fail."""
import json
import os
import shutil

import pytest

import libswitch
from libswitch import _core
from libswitch._wordllama import MODEL_VAR, TOKENIZER_VAR, wordllama_files

from conftest import REPO

ROUTES = {
    "code": ["write a python function that sorts a list of numbers",
             "fix the bug in my javascript react component",
             "how do I use a hash map in C++"],
    "cooking": ["how long should I boil an egg", "a recipe for banana bread",
                "which spices go well with roast lamb"],
    "travel": ["the best time of year to visit Japan", "cheap flights to Lisbon in spring",
               "what should I pack for a week in Iceland"],
}

PROMPTS = [
    "Can you help me debug a segfault in my C program?",
    "What can I cook for dinner with chicken, rice and a lemon?",
    "  Planning a trip to   Kyoto 🇯🇵\nany tips for   the temples?",
    "Ça va? Où est la gare, s'il vous plaît? 12345",
]

TRICKY = [
    "", " ", "   ", "  leading spaces", "trailing spaces   ", "multiple    spaces  inside",
    "new\nline", "\n", "\n\nparagraphs\n\n", "tab\tbed\r\nwindows", "emoji 😀 👍🏽 👨‍👩‍👧 🇯🇵",
    "中文字符和日本語のテキスト", "한국어 텍스트", "café naïve Ångström résumé", "Привет, мир",
    "0123456789 3.14159 -42 1e10", "<s>special</s> <unk> tokens", "a\u00a0non-breaking\u200bzero-width",
    "def f(x):\n    return x ** 2  # square", "ſ ﬁ Ⅻ ½",
]


def require_wordllama():
    try:
        import tokenizers  # noqa: F401
        import wordllama  # noqa: F401
    except ImportError as e:
        if os.environ.get("CI") == "true":
            pytest.fail(f"wordllama is required when CI=true, and cannot be imported: {e}")
        pytest.skip(f"wordllama is not installed ({e}); pip install wordllama to run this test")
    files = wordllama_files()
    assert files, "wordllama is installed but libswitch does not find its bundled model and tokenizer"
    return files


@pytest.fixture(scope="module")
def files():
    return require_wordllama()


@pytest.fixture(scope="module")
def wl(files, tmp_path_factory):
    from wordllama import WordLlama

    try:
        return WordLlama.load(disable_download=True)
    except FileNotFoundError:
        # wordllama 0.4 looks for its bundled tokenizer in wordllama/tokenizer/, while the wheel
        # ships it in wordllama/tokenizers/; offline it then finds none. Its cache is searched next.
        cache = tmp_path_factory.mktemp("wordllama-cache")
        (cache / "tokenizers").mkdir()
        shutil.copy(files[TOKENIZER_VAR], cache / "tokenizers")
        return WordLlama.load(cache_dir=str(cache), disable_download=True)


@pytest.fixture
def no_embedding_env(monkeypatch):
    monkeypatch.delenv(MODEL_VAR, raising=False)
    monkeypatch.delenv(TOKENIZER_VAR, raising=False)


def router_config(mock, embedder=None):
    semantic = {"embedder": "file", "defaultRoutes": False,
                "routes": {label: {"utterances": u, "threshold": 0} for label, u in ROUTES.items()}}
    semantic.update(embedder or {})
    return {
        "pools": [{"id": "main", "providers": [mock.provider("m", "file-embedder-model")]}],
        "models": {"auto": {"primaryPoolId": "main", "router": {
            "strategy": "semantic", "semantic": semantic,
            "routes": {label: [{"pool": "main"}] for label in ROUTES}}}},
    }


def unit(v):
    import numpy as np

    v = np.asarray(v, dtype=np.float64)
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def expected_scores(wl, prompt):
    """src/prompt/semantic.cpp's math: each route the renormalised sum of its utterances'
    normalised embeddings, and a score the cosine with the prompt's embedding."""
    query = unit(wl.embed(prompt)[0])
    scores = {}
    for label, utterances in ROUTES.items():
        centroid = unit(sum(unit(e) for e in wl.embed(utterances)))
        scores[label] = float(query @ centroid)
    return scores


def test_route_scores_are_wordllamas_cosines(mock, wl, no_embedding_env):
    config = libswitch.Config.from_dict(router_config(mock))  # no model or tokenizer: wordllama's
    assert MODEL_VAR not in os.environ  # supplied for the load only
    with libswitch.Router(config) as router:
        for prompt in PROMPTS:
            response = router.chat.completions.create(model="auto", messages=[{"role": "user", "content": prompt}])
            route = response.switch.route
            got = {s.label: s.score for s in route.scores}
            want = expected_scores(wl, prompt)
            assert got.keys() == want.keys()
            for label in want:
                assert got[label] == pytest.approx(want[label], abs=1e-4), (prompt, label, got, want)
            assert route.label == max(want, key=want.get)
    assert expected_scores(wl, PROMPTS[0])["code"] > expected_scores(wl, PROMPTS[0])["cooking"]


def test_token_ids_are_the_tokenizers_librarys(files):
    from tokenizers import Tokenizer

    path = files[TOKENIZER_VAR]
    reference = Tokenizer.from_file(path)
    got = _core._file_embedder_tokens(path, TRICKY)
    for text, ids in zip(TRICKY, got):
        assert ids == reference.encode(text, add_special_tokens=False).ids, text


def test_token_ids_on_the_labelled_set(files):
    """Every message of the prompt-routing set: prose, code and ten languages besides English."""
    from tokenizers import Tokenizer

    texts = []
    with open(REPO / "benchmarks" / "prompt_routing" / "labelled.jsonl", encoding="utf-8") as f:
        for line in f:
            texts += [m["content"] for m in json.loads(line)["messages"] if isinstance(m.get("content"), str)]
    assert len(texts) > 600
    path = files[TOKENIZER_VAR]
    reference = [e.ids for e in Tokenizer.from_file(path).encode_batch(texts, add_special_tokens=False)]
    assert _core._file_embedder_tokens(path, texts) == reference


def test_explicit_paths_win_over_wordllama(mock, files, no_embedding_env, tmp_path):
    absent = str(tmp_path / "absent.safetensors")
    with pytest.raises(libswitch.ConfigError) as e:
        libswitch.Config.from_dict(router_config(mock, {"model": absent}))
    assert f'the model file "{absent}" does not exist' in str(e.value)


def test_without_wordllama_the_paths_are_required(mock, no_embedding_env, monkeypatch):
    monkeypatch.setattr("libswitch._wordllama.wordllama_files", lambda: None)
    with pytest.raises(libswitch.ConfigError) as e:
        libswitch.Config.from_dict(router_config(mock))
    assert "the file embedder needs a model file; set model or SWITCH_EMBEDDING_MODEL" in str(e.value)
