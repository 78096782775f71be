"""A PEL's pages for one conviction's details and sentences (the shared implementation is
candidates/conviction_pages.py; the list, new and delete pages are in routes.py)."""

from flask_login import current_user

from marketplace.candidates import conviction_pages
from marketplace.permissions import roles
from marketplace.prisons import bp
from marketplace.prisons.routes import _person_or_404
from marketplace.types import Role


@bp.route("/people/<id:candidate_id>/convictions/<id:record_id>/details",
          methods=["GET", "POST"])
@roles(Role.PEL)
def conviction_details(candidate_id: int, record_id: int):
    return conviction_pages.details_page(_person_or_404(candidate_id), current_user, record_id,
                                         own=False)


@bp.route("/people/<id:candidate_id>/convictions/<id:record_id>/sentences/new",
          methods=["GET", "POST"])
@roles(Role.PEL)
def sentence_new(candidate_id: int, record_id: int):
    return conviction_pages.sentence_page(_person_or_404(candidate_id), current_user, record_id,
                                          None, own=False)


@bp.route("/people/<id:candidate_id>/convictions/<id:record_id>/sentences/<id:number>",
          methods=["GET", "POST"])
@roles(Role.PEL)
def sentence_edit(candidate_id: int, record_id: int, number: int):
    return conviction_pages.sentence_page(_person_or_404(candidate_id), current_user, record_id,
                                          number, own=False)


@bp.route("/people/<id:candidate_id>/convictions/<id:record_id>/sentences/<id:number>/delete",
          methods=["GET", "POST"])
@roles(Role.PEL)
def sentence_delete(candidate_id: int, record_id: int, number: int):
    return conviction_pages.sentence_delete(_person_or_404(candidate_id), current_user,
                                            record_id, number, own=False)
