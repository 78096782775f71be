"""Checked messages: the inbox and one application's thread, for employers, candidates and
PELs. Who may read and write, and what each sees, is decided in custody/messages.py."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from marketplace.custody import CustodyError, messages
from marketplace.messages import bp, services
from marketplace.messages.forms import MessageForm
from marketplace.permissions import require, roles
from marketplace.types import Role


@bp.app_context_processor
def unread_messages():
    """`unread_messages()` in any template: the signed-in employer's or candidate's count."""

    def count() -> int:
        if not current_user.is_authenticated or current_user.role not in (Role.EMPLOYER,
                                                                          Role.CANDIDATE):
            return 0
        return messages.unread_count(current_user)

    return {"unread_messages": count}


@bp.route("/")
@roles(Role.EMPLOYER, Role.CANDIDATE)
def inbox():
    return render_template("messages/inbox.html", threads=messages.inbox(current_user))


@bp.route("/applications/<id:application_id>", methods=["GET", "POST"])
@roles(Role.EMPLOYER, Role.CANDIDATE, Role.PEL)
def thread(application_id: int):
    application = services.application(application_id)
    require(application is not None and messages.can_read(current_user, application))
    writable = messages.can_write(current_user, application)
    form = MessageForm()
    if writable and form.validate_on_submit():
        try:
            sent = messages.write(application, author=current_user, body=form.body.data)
        except CustodyError as error:
            form.body.errors = [*form.body.errors, str(error)]
        else:
            flash("Message sent." if sent.status.reached_recipient else
                  "Message saved. It will be sent once it has been checked by the prison "
                  "employment lead.", "success")
            return redirect(url_for("messages.thread", application_id=application.id))
    return render_template("messages/thread.html", application=application, form=form,
                           writable=writable, checked=messages.checked(application),
                           messages=messages.thread(application, reader=current_user))
