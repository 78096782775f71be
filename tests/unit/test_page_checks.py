"""The page-quality checks themselves: a check that passes everything proves nothing."""

import pytest

from tests.pages import PageProblem, check_page


def _page(body: str) -> str:
    heading = "" if "<h1" in body else "<h1>Post a job</h1>"
    return ("<!DOCTYPE html><html lang=en><head><title>Post a job</title></head>"
            f"<body>{heading}{body}</body></html>")


DATE = ('<div class="govuk-date-input">'
        '<label for="d-day">Day</label><input id="d-day" name="d">'
        '<label for="d-month">Month</label><input id="d-month" name="d">'
        '<label for="d-year">Year</label><input id="d-year" name="d"></div>')
RADIOS = ('<label for="k">Job</label><input type="radio" id="k" name="k" value="job">'
          '<label for="k-2">Training</label><input type="radio" id="k-2" name="k" value="t">')


@pytest.mark.parametrize("body", [
    f"<fieldset><legend>Start date</legend>{DATE}</fieldset>",
    f'<fieldset><legend class="govuk-fieldset__legend--l">'
    f'<h1 class="govuk-fieldset__heading">Post a job</h1></legend>{RADIOS}</fieldset>',
    '<label for="q">Search</label><input id="q" name="q"><input type="hidden" name="t">'
    '<button type="submit">Search</button>',
    '<p id="say">Search candidates</p><input aria-labelledby="say" name="q">',
    '<label>Your answer <textarea name="a"></textarea></label>',
    '<label for="s">Sector</label><select id="s" name="s"><option>Any</option></select>',
])
def test_a_visibly_asked_question_passes(body):
    check_page(_page(body))


@pytest.mark.parametrize("body", [
    # What govuk-frontend-wtf renders when a template passes legend classes without text.
    f'<fieldset><legend class="govuk-fieldset__legend--s"></legend>{DATE}</fieldset>',
    f"<fieldset>{RADIOS}</fieldset>",
    f'<fieldset><legend class="govuk-visually-hidden">Start date</legend>{DATE}</fieldset>',
    f'<fieldset><legend><span class="govuk-visually-hidden">Kind</span></legend>{RADIOS}'
    "</fieldset>",
    '<input id="q" name="q">',
    '<label for="q"> </label><input id="q" name="q">',
    '<label for="q" class="govuk-visually-hidden">Search</label><input id="q" name="q">',
    '<label for="other">Search</label><input id="q" name="q">',
    '<textarea id="a" name="a"></textarea>',
    '<select id="s" name="s"><option>Any</option></select>',
    '<input aria-labelledby="nowhere" id="q" name="q">',
    # Each choice labelled but the question itself missing.
    '<fieldset><legend>Kind</legend><input type="radio" id="k" name="k"></fieldset>',
])
def test_a_question_nobody_can_see_fails(body):
    with pytest.raises(PageProblem, match="legend|label"):
        check_page(_page(body))


def test_an_acronym_in_lower_case_fails():
    check_page(_page("<main><p>This job needs a basic DBS check.</p></main>"))
    with pytest.raises(PageProblem, match="acronym"):
        check_page(_page("<main><p>This job needs a basic dbs check.</p></main>"))
