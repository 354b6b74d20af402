"""Shared test configuration.

* the ``slow`` marker is skipped unless ``--runslow`` is given;
* hypothesis is derandomised by default (profile ``ci``) so a CI run is reproducible; set
  ``HYPOTHESIS_PROFILE=explore`` to search with fresh random examples.
"""

import os
import tempfile

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)  # speed lives in benchmarks/
settings.register_profile("explore", derandomize=False, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
# the on-disk cache (protocols.diskcache) of a test run lives in a fresh folder, never the user's
os.environ.setdefault("DIQKD_CACHE_DIR", tempfile.mkdtemp(prefix="diqkd-test-cache-"))


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow (tox -e slow)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
