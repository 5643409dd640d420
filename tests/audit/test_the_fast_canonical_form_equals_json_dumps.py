"""The fast canonical encoder is byte for byte json.dumps(sort_keys, no whitespace)."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from vern.audit.chain import CANONICAL_FIELDS, canonical_bytes, canonical_time

texts = st.text(max_size=80)
ids = st.none() | st.integers(min_value=1, max_value=2**63 - 1)
detail_values = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | texts
details = st.dictionaries(st.text(min_size=1, max_size=20), detail_values, max_size=5)


@given(
    seq=st.integers(min_value=1, max_value=2**63 - 1),
    at=st.datetimes(timezones=st.just(dt.UTC)),
    actor_id=ids,
    centre_id=ids,
    strings=st.tuples(texts, texts, texts, texts, texts, texts),
    details=details,
)
def test_canonical_bytes_equal_sorted_compact_json(
    *,
    seq: int,
    at: dt.datetime,
    actor_id: int | None,
    centre_id: int | None,
    strings: tuple[str, str, str, str, str, str],
    details: dict[str, object],
) -> None:
    actor_role, action, object_type, object_id, request_id, reason = strings
    fields: dict[str, object] = {
        "seq": seq,
        "at": canonical_time(at),
        "actor_id": actor_id,
        "actor_role": actor_role,
        "centre_id": centre_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "request_id": request_id,
        "reason": reason,
        "details": details,
    }

    expected = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("ascii")

    assert canonical_bytes(**fields) == expected  # type: ignore[arg-type]
    assert tuple(sorted(fields)) == CANONICAL_FIELDS


def test_canonical_time_is_utc_with_microseconds() -> None:
    oslo = dt.datetime(2025, 6, 1, 14, 0, tzinfo=ZoneInfo("Europe/Oslo"))

    assert canonical_time(oslo) == "2025-06-01T12:00:00.000000+00:00"
