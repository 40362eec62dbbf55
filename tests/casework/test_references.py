"""One reference generator for every case type: per prefix and year, gap-free, with an unguessable suffix."""

import threading

import pytest
from django.db import connection

from doumen_portal.casework.models import CaseSequence
from doumen_portal.casework.references import PATTERN, next_reference, normalize_reference
from tests.conftest import require


@pytest.mark.django_db
def test_each_prefix_and_year_counts_on_its_own():
    numbers = [
        next_reference("XF", year=2026),
        next_reference("XF", year=2026),
        next_reference("FH", year=2026),
        next_reference("XF", year=2027),
    ]

    assert [number[:14] for number in numbers] == [
        "XF2026-000001-",
        "XF2026-000002-",
        "FH2026-000001-",
        "XF2027-000001-",
    ]
    assert all(PATTERN.match(number) for number in numbers)


@pytest.mark.django_db
def test_a_new_year_starts_again_at_one_and_the_old_year_continues():
    CaseSequence.objects.create(prefix="PG", year=2026, last_number=41)

    assert next_reference("PG", year=2027).startswith("PG2027-000001-")
    assert next_reference("PG", year=2026).startswith("PG2026-000042-")


@pytest.mark.django_db
def test_the_suffix_cannot_be_told_from_the_neighbour():
    suffixes = {next_reference("SM", year=2026)[-2:] for _ in range(40)}
    assert len(suffixes) > 1
    assert not {"0", "O", "1", "I"} & set("".join(suffixes))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("fh2026-000123-7k", "FH2026-000123-7K"),
        ("ＰＧ２０２６　０００１２３　７Ｋ", "PG2026-000123-7K"),
        ("SM2026000123 7K", "SM2026-000123-7K"),
        ("fh2026-7kq4x9pa", "FH2026-7KQ4X9PA"),  # issued before the shared sequence: still found
        (" nonsense ", "NONSENSE"),
    ],
)
def test_references_are_read_however_they_are_typed(typed, expected):
    assert normalize_reference(typed) == expected


@pytest.mark.django_db(transaction=True)
def test_references_taken_at_the_same_moment_leave_no_gap_and_no_double():
    require(connection.vendor == "postgresql", "PostgreSQL (row locks)")
    count = 6
    barrier = threading.Barrier(count)
    numbers, errors = [], []

    def take():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            numbers.append(next_reference("FH", year=2026))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=take) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(number.split("-")[1] for number in numbers) == [f"{n:06d}" for n in range(1, count + 1)]
