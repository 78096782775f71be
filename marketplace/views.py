"""Pages that belong to no one area: the start page, the dashboard switch, policies."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from marketplace import notify
from marketplace.permissions import public, signed_in
from marketplace.types import Role

bp = Blueprint("views", __name__)

DASHBOARDS = {
    Role.CANDIDATE: "candidates.dashboard",
    Role.EMPLOYER: "employers.dashboard",
    Role.PEL: "prisons.dashboard",
    Role.ADMIN: "admin.dashboard",
}

NAVIGATION = {
    Role.CANDIDATE: [("candidates.dashboard", "Home"), ("candidates.jobs", "Jobs for you"),
                     ("candidates.profile", "My profile"),
                     ("candidates.disclosure", "What to tell employers"),
                     ("candidates.activity", "Who has seen my details")],
    Role.EMPLOYER: [("employers.dashboard", "Home"), ("employers.opportunities", "Opportunities"),
                    ("reports.outcomes", "Outcomes")],
    Role.PEL: [("prisons.dashboard", "Home"), ("prisons.caseload", "Caseload"),
               ("reports.outcomes", "Outcomes")],
    Role.ADMIN: [("admin.dashboard", "Home"), ("admin.organisations", "Organisations"),
                 ("admin.invites", "Invite staff"), ("reports.outcomes", "Outcomes")],
}


@bp.app_context_processor
def navigation():
    def navigation_items() -> list[dict]:
        from flask import request

        if not current_user.is_authenticated:
            return [{"href": url_for("auth.sign_in"), "text": "Sign in",
                     "active": request.endpoint == "auth.sign_in"}]
        items = [{"href": url_for(endpoint), "text": text, "active": request.endpoint == endpoint}
                 for endpoint, text in NAVIGATION[current_user.role]]
        if notify.KINDS_FOR[current_user.role]:
            unread = notify.unread_count(current_user)
            items.append({"href": url_for("notifications.index"),
                          "text": f"Notifications ({unread} new)" if unread else "Notifications",
                          "active": request.endpoint == "notifications.index"})
        return items

    def navigation_end() -> str:
        # Sign out is a POST: a GET link could be triggered by another site.
        return _sign_out_form() if current_user.is_authenticated else ""

    return {"navigation_items": navigation_items, "navigation_end": navigation_end}


def _sign_out_form() -> str:
    from flask_wtf.csrf import generate_csrf
    from markupsafe import Markup

    return Markup(
        '<li class="govuk-service-navigation__item">'
        '<form method="post" action="{}" class="fcm-inline-form">'
        '<input type="hidden" name="csrf_token" value="{}">'
        '<button class="govuk-service-navigation__link fcm-link-button" type="submit">'
        "Sign out</button></form></li>"
    ).format(url_for("auth.sign_out"), generate_csrf())


@bp.route("/")
@public
def start():
    if current_user.is_authenticated:
        return redirect(url_for("views.dashboard"))
    return render_template("start.html")


@bp.route("/dashboard")
@signed_in
def dashboard():
    return redirect(url_for(DASHBOARDS[current_user.role]))


@bp.route("/accessibility")
@public
def accessibility():
    return render_template("accessibility.html")


@bp.route("/privacy")
@public
def privacy():
    return render_template("privacy.html")
