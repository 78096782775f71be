"""Pages of a long list: `?page=N`, PAGE_SIZE items a page, shown with GOV.UK pagination
(templates/components/pagination.html).

A page number a person or a link can send is never an error: one that is missing or not a
whole number from 1 up is page 1, and one past the end is the last page. Lists from the
database are counted and cut there (`of_query`, two queries however long the list); ranked
lists from matching are cut from a fixed window of the best results (`of_ranked`).
"""

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import sqlalchemy as sa

from marketplace.extensions import db

T = TypeVar("T")

PAGE_SIZE = 20
# Ranked results (jobs for a person, people for a role) are ranked again after the search index
# answers (constraints, then scoring), so every page of one list must come from the same
# window of results, or an item could move between pages. Five pages is the window: past the
# best 100, a person gets more from a narrower search (the page says so) than from page 6, and
# ranking twice as many costs every "Jobs for you" and "Matched candidates" twice the database
# work (issue 15: at 100,000 people those two pages were most of the service's CPU).
RANKED_PAGES = 5
RANKED_WINDOW = RANKED_PAGES * PAGE_SIZE
_LARGEST = 1_000_000  # more pages than any list here could have


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list. `total` is None where the list's length is not known; `capped`
    says the list was cut at the ranked window and more exist beyond it."""

    items: list[T]
    number: int
    size: int = PAGE_SIZE
    total: int | None = None
    has_next: bool = False
    capped: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def last(self) -> int | None:
        if self.total is None:
            return None
        return max(1, math.ceil(self.total / self.size))

    @property
    def first_shown(self) -> int:
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last_shown(self) -> int:
        return (self.number - 1) * self.size + len(self.items)

    @property
    def several(self) -> bool:
        """More than one page: the pagination links are worth showing."""
        return self.has_previous or self.has_next

    def numbers(self) -> list[int | None]:
        """Page numbers for the links, None for an ellipsis: the first, the last, and those
        next to the current one (the GOV.UK pagination pattern)."""
        last = self.last or (self.number + 1 if self.has_next else self.number)
        wanted = {1, last, self.number - 1, self.number, self.number + 1}
        shown: list[int | None] = []
        for n in sorted(n for n in wanted if 1 <= n <= last):
            if shown and n - (shown[-1] or 0) > 1:
                shown.append(None)
            shown.append(n)
        return shown


def number(args: Mapping[str, str]) -> int:
    """The page asked for by `?page=N`: 1 when it is missing or not a whole number from 1 up;
    a number too large for any list is kept within an integer (`of_query` and `of_ranked` then
    show the last page)."""
    text = (args.get("page") or "").strip()
    if not re.fullmatch(r"[0-9]+", text):
        return 1
    return max(1, int(text)) if len(text) <= 6 else _LARGEST


def of_query(query: sa.Select, page: int, size: int = PAGE_SIZE, *, scalars: bool = True
             ) -> Page:
    """One page of a select (which must order by a key with an id tie-breaker), its total, and
    a page past the end moved back to the last. Returns model objects when `scalars`, else
    rows."""
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    page = min(page, max(1, math.ceil(total / size)))
    cut = query.limit(size).offset((page - 1) * size)
    items = list(db.session.scalars(cut) if scalars else db.session.execute(cut))
    return Page(items, page, size, total=total, has_next=page * size < total)


def of_ranked(ranked: Sequence[T], page: int, size: int = PAGE_SIZE) -> Page[T]:
    """One page of ranked results fetched with k = RANKED_WINDOW + 1 (the one more says
    whether the window cut the list). A page past the end is the last."""
    window = list(ranked[:RANKED_PAGES * size])
    last = max(1, math.ceil(len(window) / size))
    page = min(page, last)
    return Page(window[(page - 1) * size:page * size], page, size, total=len(window),
                has_next=page < last, capped=len(ranked) > len(window))
