"""The pagination helper (pure): a page of `limit` rows, and a cursor only when there are more."""

import base64

import pytest

from servicekit.errors import ServiceError
from servicekit.pagination import InvalidCursorError, decode_cursor, encode_cursor, paginate

ROWS = [{"no": n, "name": f"row {n}"} for n in range(1, 6)]


def position(row: dict[str, object]) -> object:
    return row["no"]


def test_a_page_with_more_rows_after_it_gives_the_cursor_of_its_last_row() -> None:
    page, cursor = paginate(ROWS[:3], 2, position)
    assert page == ROWS[:2]
    assert cursor is not None and decode_cursor(cursor) == 2


def test_the_last_page_gives_no_cursor() -> None:
    assert paginate(ROWS[:2], 2, position) == (ROWS[:2], None)
    assert paginate(ROWS[:1], 2, position) == (ROWS[:1], None)
    assert paginate([], 2, position) == ([], None)


def test_reading_page_after_page_visits_every_row_once() -> None:
    seen, after = [], None
    while True:
        found = [row for row in ROWS if after is None or row["no"] > after][:3]  # limit + 1
        page, cursor = paginate(found, 2, position)
        seen += page
        if cursor is None:
            break
        after = decode_cursor(cursor)
    assert seen == ROWS


def test_cursors_carry_any_json_position() -> None:
    for where in (["2020-01-01", 17], {"item": "A", "entry": 3}, "x", 0):
        assert decode_cursor(encode_cursor(where)) == where
    assert decode_cursor(None) is None
    page, cursor = paginate(ROWS, 1, lambda row: [row["name"], row["no"]])
    assert decode_cursor(cursor) == ["row 1", 1]


@pytest.mark.parametrize("cursor", ["", "!!!", "not base64 at all", base64.urlsafe_b64encode(b"{not json").decode(),
                                    base64.urlsafe_b64encode(b"\xff\xfe").decode(), "e30", "\u00e9t\u00e9"])
def test_a_cursor_not_handed_out_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursorError) as refused:
        decode_cursor(cursor)
    assert isinstance(refused.value, ServiceError)
    assert (refused.value.status, refused.value.slug, refused.value.title) == (400, "invalid-cursor", "Invalid cursor")
