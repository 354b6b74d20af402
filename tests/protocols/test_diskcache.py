"""The on-disk cache (``protocols.diskcache``) and the BFF engine's cached recession direction."""

import numpy as np
import pytest

from protocols import diskcache
from protocols.bff import EntropyEngine, routes


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DIQKD_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_round_trip_and_keys(cache):
    a = {"x": np.arange(5.0), "y": np.eye(2)}
    key = diskcache.cache_key("demo", np.arange(3), 1.5, "s")
    assert diskcache.load("demo", key) is None
    diskcache.store("demo", key, a)
    got = diskcache.load("demo", key)
    assert set(got) == {"x", "y"} and np.array_equal(got["x"], a["x"]) and np.array_equal(got["y"], a["y"])
    # every part, its dtype and shape enter the key
    assert diskcache.cache_key("demo", np.arange(3), 1.5, "s") == key
    for other in (diskcache.cache_key("demo", np.arange(3.0), 1.5, "s"), diskcache.cache_key("demo", np.arange(3), 1.5),
                  diskcache.cache_key("demo2", np.arange(3), 1.5, "s"),
                  diskcache.cache_key("demo", np.arange(3).reshape(1, 3), 1.5, "s")):
        assert other != key


def test_the_package_version_is_part_of_the_key(cache, monkeypatch):
    key = diskcache.cache_key("demo", 1)
    monkeypatch.setattr(diskcache, "_version", lambda: "9.9.9")
    assert diskcache.cache_key("demo", 1) != key


def test_a_corrupt_file_reads_as_absent(cache):
    key = diskcache.cache_key("demo", 2)
    (cache / "demo").mkdir()
    (cache / "demo" / f"{key}.npz").write_bytes(b"not an npz file")
    assert diskcache.load("demo", key) is None


def test_caching_off(monkeypatch):
    monkeypatch.setenv("DIQKD_CACHE_DIR", "off")
    assert diskcache.cache_dir() is None
    diskcache.store("demo", "k", {"x": np.zeros(1)})
    assert diskcache.load("demo", "k") is None


def test_an_unwritable_folder_is_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("DIQKD_CACHE_DIR", str(blocker / "below"))  # a folder under a file cannot exist
    diskcache.store("demo", "k", {"x": np.zeros(1)})
    assert diskcache.load("demo", "k") is None


def _counting(monkeypatch):
    calls = []
    real = routes.recession_direction

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(routes, "recession_direction", counted)
    return calls


def test_the_recession_direction_is_computed_once_per_machine(cache, monkeypatch):
    calls = _counting(monkeypatch)
    first = EntropyEngine(2, 2, 0, "chsh", nodes=4).recession_direction()
    second = EntropyEngine(2, 2, 0, "chsh", nodes=4).recession_direction()
    assert len(calls) == 1
    assert second.min_eig > 0 and second.min_eig == pytest.approx(first.min_eig, rel=1e-9)
    assert np.allclose(second.z, first.z, rtol=0, atol=1e-12)
    # another norm bound (another m) is another entry
    EntropyEngine(2, 2, 0, "chsh", nodes=6).recession_direction()
    assert len(calls) == 2


def test_a_tampered_recession_direction_is_not_trusted(cache, monkeypatch):
    calls = _counting(monkeypatch)
    good = EntropyEngine(2, 2, 0, "chsh", nodes=4).recession_direction()
    (path,) = (cache / "bff").glob("*.npz")
    np.savez(path, z=np.zeros_like(good.z), lam=good.lam, mu=good.mu)  # not strictly feasible
    again = EntropyEngine(2, 2, 0, "chsh", nodes=4).recession_direction()
    assert len(calls) == 2 and again.min_eig > 0
    np.savez(path, z=good.z[:-1], lam=good.lam, mu=good.mu)  # wrong shape
    EntropyEngine(2, 2, 0, "chsh", nodes=4).recession_direction()
    assert len(calls) == 3
