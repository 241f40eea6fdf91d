import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.bsn import WEIGHTS, generate_fake_bsn, is_valid_bsn, mask_bsn


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("111222333", True),  # 9+8+7+12+10+8+9+6-3 = 66 = 6*11
        ("123456782", True),
        ("123456789", False),
        ("000000000", False),  # sum 0 is not a BSN
        ("11122233", False),  # too short
        ("1112223334", False),  # too long
        ("11122233a", False),
        ("１１１２２２３３３", False),  # full-width digits are not ASCII
        (111222333, False),  # not a string
        (None, False),
    ],
)
def test_known_values(value, valid):
    assert is_valid_bsn(value) is valid


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_valid_exactly_when_weighted_sum_divisible_by_11(digits):
    total = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True))
    assert is_valid_bsn(digits) == (total % 11 == 0 and total != 0)


@given(st.integers(min_value=0, max_value=2**32))
def test_generated_fake_bsns_pass(seed):
    assert is_valid_bsn(generate_fake_bsn(random.Random(seed)))


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 8), st.integers(1, 9))
def test_single_digit_change_of_valid_bsn_is_detected(digits, position, delta):
    if not is_valid_bsn(digits):
        return
    changed = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1 :]
    # weights 2..9 are coprime with 11, so any single-digit change breaks the test
    assert not is_valid_bsn(changed)


def test_mask_shows_only_last_three_digits():
    assert mask_bsn("111222333") == "******333"
