"""The page arithmetic behind every long list (marketplace/pagination.py)."""

import pytest

from marketplace.pagination import RANKED_WINDOW, Page, number, of_ranked


@pytest.mark.parametrize(("sent", "page"), [
    (None, 1), ("", 1), ("1", 1), ("2", 2), (" 3 ", 3), ("0", 1), ("-2", 1), ("abc", 1),
    ("1.5", 1), ("2e3", 1), ("٣", 1), ("999999", 999_999), ("1000000", 1_000_000),
    ("9" * 5000, 1_000_000),
])
def test_the_page_asked_for_is_a_whole_number_from_one_up(sent, page):
    assert number({} if sent is None else {"page": sent}) == page


@pytest.mark.parametrize(("current", "last", "shown"), [
    (1, 1, [1]),
    (1, 2, [1, 2]),
    (1, 9, [1, 2, None, 9]),
    (5, 9, [1, None, 4, 5, 6, None, 9]),
    (3, 9, [1, 2, 3, 4, None, 9]),
    (9, 9, [1, None, 8, 9]),
])
def test_page_links_are_the_ends_and_the_neighbours(current, last, shown):
    page = Page(items=["x"], number=current, total=last * 20)
    assert page.numbers() == shown


def test_without_a_total_the_links_reach_one_past_the_current_page():
    assert Page(items=["x"], number=3, has_next=True).numbers() == [1, 2, 3, 4]
    assert Page(items=["x"], number=3).numbers() == [1, 2, 3]


def test_ranked_results_page_within_the_window_and_clamp_to_the_last():
    ranked = list(range(45))
    second = of_ranked(ranked, 2)
    assert (second.items, second.first_shown, second.last_shown) == (
        list(range(20, 40)), 21, 40)
    assert second.has_previous and second.has_next and not second.capped
    assert of_ranked(ranked, 99).items == list(range(40, 45))
    assert of_ranked([], 4).items == [] and of_ranked([], 4).number == 1


def test_ranked_results_past_the_window_are_cut_and_said_to_be():
    ranked = list(range(RANKED_WINDOW + 1))
    last = of_ranked(ranked, 1000)
    assert last.total == RANKED_WINDOW and last.capped and not last.has_next
    assert last.items[-1] == RANKED_WINDOW - 1
