"""Shared test configuration: the ``slow`` marker is skipped unless --runslow is given."""

import pytest


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow (tox -e slow)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
