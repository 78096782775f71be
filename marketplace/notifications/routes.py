from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from marketplace import notify
from marketplace.notifications import bp
from marketplace.notifications.forms import EmailSettingsForm
from marketplace.permissions import signed_in


@bp.route("")
@signed_in
def index():
    notices = notify.latest(current_user)
    new = {n.id for n in notices if n.read_at is None}
    notify.mark_all_read(current_user)  # seen now: the count in the menu goes back to none
    return render_template("notifications/index.html", notices=notices, new=new)


@bp.route("/settings", methods=["GET", "POST"])
@signed_in
def settings():
    kinds = notify.KINDS_FOR[current_user.role]
    muted = notify.muted(current_user)
    form = EmailSettingsForm(data={"emails": [k.value for k in kinds if k.value not in muted]})
    form.emails.choices = [(k.value, k.label.capitalize()) for k in kinds]
    if form.validate_on_submit():
        wanted = set(form.emails.data or [])
        notify.set_muted(current_user, {k for k in kinds if k.value not in wanted})
        flash("Your email choices are saved.", "success")
        return redirect(url_for("notifications.index"))
    return render_template("notifications/settings.html", form=form, kinds=kinds)
