"""Identities where the help says not to put them (issue 14 point 10): the pure validator in
vern.core.identifiers, then the case and child forms and services that use it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import login_verified, make_centre, make_user
from vern.accounts.models import Role
from vern.cases import services
from vern.cases.forms import CaseForm, ChildForm, ChildRemoveForm
from vern.cases.models import Case, CaseChild
from vern.core.identifiers import (
    check_digit,
    contains_national_id,
    is_valid_national_id,
    looks_like_full_name,
    national_ids,
    with_check_digits,
)

birth_days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
individual = st.integers(min_value=0, max_value=999)


def first_nine(day: dt.date, number: int, *, d_number: bool = False) -> str:
    return f"{day.day + (40 if d_number else 0):02d}{day.month:02d}{day.year % 100:02d}{number:03d}"


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(birth_days, individual, st.booleans())
def test_a_number_with_its_check_digits_is_valid_and_found(
    day: dt.date, number: int, d_number: bool
) -> None:
    full = with_check_digits(first_nine(day, number, d_number=d_number))
    if full is None:  # no number is issued with these nine digits
        return
    assert is_valid_national_id(full)
    assert [m.digits for m in national_ids(f"Sak {full}")] == [full]
    assert national_ids(full)[0].d_number is d_number
    assert contains_national_id(f"{full[:6]} {full[6:]}")


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(birth_days, individual, st.integers(min_value=9, max_value=10), st.integers(1, 9))
def test_changing_one_digit_breaks_the_check_digits(
    day: dt.date, number: int, position: int, delta: int
) -> None:
    full = with_check_digits(first_nine(day, number))
    if full is None:
        return
    changed = full[:position] + str((int(full[position]) + delta) % 10) + full[position + 1 :]
    assert not is_valid_national_id(changed)
    # Still refused: a fødselsnummer with a typo still points at one person.
    assert contains_national_id(changed)


def test_the_check_digits_of_known_numbers() -> None:
    # k1: 11 - (weighted sum mod 11), 11 -> 0, 10 -> no number.
    assert check_digit("000000000", (3, 7, 6, 1, 8, 9, 4, 5, 2)) == 0
    assert with_check_digits("010190123") is None  # k1 would be 10
    assert is_valid_national_id("01010000000") is False
    assert is_valid_national_id("0101900000") is False  # ten digits
    assert is_valid_national_id("0101900000a") is False


def test_the_issue_s_example_and_its_variants_are_found() -> None:
    for text in ("01019012345", "Rom 4 01019012345", "010190 12345", "010190-12345"):
        assert contains_national_id(text), text


def test_numbers_that_are_no_date_of_birth_or_too_long_are_not_found() -> None:
    for text in ("Rom 4 – mars", "Barn 1", "32019012345", "01139012345", "0101901234567", "12345"):
        assert not contains_national_id(text), text
    assert contains_national_id("41019012345")  # a D-number: day + 40
    assert not contains_national_id("72019012345")


@pytest.mark.parametrize(
    "text", ["Kari Nordmann", "Ola Per Hansen", "Anne-Lise Berg", "Barn Åse Ødegård 2019"]
)
def test_what_looks_like_a_full_name_is_noticed(text: str) -> None:
    assert looks_like_full_name(text)


@pytest.mark.parametrize(
    "text", ["Rom 4 – mars", "Barn 1", "Kari", "A B", "KRISE SENTER", "R4 Mars"]
)
def test_a_nickname_or_code_is_not_taken_for_a_name(text: str) -> None:
    assert not looks_like_full_name(text)


# --- The forms and the services ---


def test_a_case_reference_with_a_national_id_is_refused_naming_the_field() -> None:
    form = CaseForm({"reference": "01019012345", "language": "nb"})

    assert not form.is_valid()
    assert "«Referanse»" in form.errors["reference"][0]
    assert "fødselsnummer" in form.errors["reference"][0]


def test_a_child_label_with_a_full_name_is_warned_about_and_can_be_confirmed() -> None:
    warned = ChildForm({"label": "Emma Hansen"})
    assert not warned.is_valid()
    assert "«Betegnelse»" in warned.errors["label"][0]
    assert "confirm_not_a_name" in [field.name for field in warned]

    confirmed = ChildForm({"label": "Emma Hansen", "confirm_not_a_name": "on"})
    assert confirmed.is_valid(), confirmed.errors


def test_a_child_label_with_a_name_and_a_number_is_refused_even_when_confirmed() -> None:
    form = ChildForm({"label": "Emma 01019012345", "confirm_not_a_name": "on"})

    assert not form.is_valid()
    assert "fødselsnummer" in form.errors["label"][0]


def test_an_unbound_form_does_not_show_the_confirmation() -> None:
    assert "confirm_not_a_name" not in [field.name for field in CaseForm()]
    assert "confirm_not_a_name" not in [field.name for field in ChildForm()]


@pytest.mark.django_db
def test_the_services_refuse_a_national_id_from_any_client() -> None:
    centre = make_centre()
    user = make_user(Role.ANSATT, centre)
    with pytest.raises(ValidationError) as refused:
        services.case_create(acting_user=user, reference="Rom 010190 12345")
    assert "reference" in refused.value.message_dict
    case = services.case_create(acting_user=user, reference="Rom 4")
    with pytest.raises(ValidationError) as refused_child:
        services.child_add(acting_user=user, case=case, label="41019012345", birth_year=None)
    assert "label" in refused_child.value.message_dict
    assert not CaseChild.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_the_new_case_page_refuses_a_national_id_and_keeps_what_was_typed(client: Client) -> None:
    centre = make_centre()
    user = make_user(Role.ANSATT, centre)
    login_verified(client, user)

    response = client.post(
        "/saker/ny/", {"reference": "01019012345", "name": "Kari", "language": "nb"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "kan ikke inneholde et fødselsnummer" in body
    assert 'value="Kari"' in body
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_new_case_page_warns_about_a_name_and_creates_the_case_once_confirmed(
    client: Client,
) -> None:
    centre = make_centre()
    user = make_user(Role.ANSATT, centre)
    login_verified(client, user)

    warned = client.post("/saker/ny/", {"reference": "Rom Nord", "language": "nb"})
    assert warned.status_code == 200
    assert "ser ut som et fullt navn" in warned.content.decode()
    assert 'name="confirm_not_a_name"' in warned.content.decode()

    created = client.post(
        "/saker/ny/", {"reference": "Rom Nord", "language": "nb", "confirm_not_a_name": "on"}
    )
    assert created.status_code == 302
    assert Case.objects.get().reference == "Rom Nord"


def test_the_note_on_a_wrongly_registered_child_refuses_a_national_id() -> None:
    form = ChildRemoveForm({"note": "Feil barn, 010190 12345"})

    form.is_valid()

    assert "«Merknad»" in form.errors["note"][0]
