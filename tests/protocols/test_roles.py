"""Protocol roles travel with the table: JSON round trip, old files, renumbering, clear errors."""

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocols.errors import InvalidTableError, TableFormatError
from protocols.roles import Roles
from protocols.table import CorrelationTable

UNIFORM = np.full((2, 3, 2, 2), 0.25)


def test_roles_round_trip_through_json_and_old_files_still_load():
    t = CorrelationTable(UNIFORM, roles=Roles((0, 1), (1, 2), (1, 1), (0, 0)))
    d = json.loads(t.to_json())
    assert d["roles"] == {"chsh_x": [0, 1], "chsh_y": [1, 2], "chsh_minus": [1, 1], "key_pair": [0, 0]}
    assert CorrelationTable.from_json(t.to_json()).roles == t.roles
    del d["roles"]
    assert CorrelationTable.from_dict(d).roles is None  # a file written before roles existed


def test_default_minus_is_the_second_input_of_each_party():
    assert Roles((1, 0), (2, 1)).chsh_minus == (0, 1)


@given(st.permutations([0, 1, 2]))
def test_select_inputs_renumbers_the_roles(perm):
    t = CorrelationTable(UNIFORM, roles=Roles((0, 1), (0, 1), (1, 1), (0, 2)))
    s = t.select_inputs(y=list(perm))
    inverse = {old: new for new, old in enumerate(perm)}
    assert s.roles.key_pair == (0, inverse[2])
    assert s.roles.chsh_y == (inverse[0], inverse[1]) and s.roles.chsh_minus == (1, inverse[1])
    assert t.select_inputs(y=[0, 1]).roles is None  # the key input is gone: the roles are dropped


def test_roles_that_do_not_exist_in_the_table_are_named():
    with pytest.raises(InvalidTableError, match=r"role key_pair = \[0, 3\] names Bob's input 3"):
        CorrelationTable(UNIFORM, roles=Roles(key_pair=(0, 3)))
    with pytest.raises(InvalidTableError, match="role chsh_x = \\[0, 2\\] names Alice's input 2"):
        CorrelationTable(UNIFORM, roles=Roles(chsh_x=(0, 2)))
    with pytest.raises(InvalidTableError, match="role key_pair must be a pair"):
        Roles(key_pair=(0, 1, 2))
    with pytest.raises(InvalidTableError, match="role chsh_y must be a pair"):
        Roles(chsh_y="01")
    with pytest.raises(InvalidTableError, match="two different inputs"):
        Roles(chsh_x=(1, 1))
    with pytest.raises(InvalidTableError, match="chsh_minus"):
        Roles(chsh_minus=(0, 2))
    d = json.loads(CorrelationTable(UNIFORM).to_json())
    with pytest.raises(TableFormatError, match="unknown roles"):
        CorrelationTable.from_dict({**d, "roles": {"key": [0, 2]}})
    with pytest.raises(TableFormatError, match="roles must be an object"):
        CorrelationTable.from_dict({**d, "roles": [0, 2]})
    with pytest.raises(InvalidTableError, match="role key_pair"):
        CorrelationTable.from_dict({**d, "roles": {"key_pair": [0, -1]}})
