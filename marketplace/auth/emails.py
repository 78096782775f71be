"""The emails about a person's account. Each link is absolute and works once, or for a while."""

from flask import url_for

from marketplace import mail
from marketplace.auth import services
from marketplace.models import User

SERVICE = "Fair Chance Marketplace"


def confirm_address(user: User) -> None:
    """The link that confirms a new account's address and finishes registering."""
    link = url_for("auth.confirm_email", token=services.confirmation_token(user), _external=True)
    mail.send(user.email, f"Confirm your email address for the {SERVICE}",
              f"Hello {user.full_name},\n\nTo finish creating your account, confirm your email "
              f"address with this link. It works for {services.CONFIRM_DAYS} days:\n\n{link}\n\n"
              "If you did not ask for an account, ignore this email and no account will be "
              "made.")


def already_registered(user: User) -> None:
    """Someone tried to register with an address that has an account: tell its owner, who may
    have forgotten, how to get in, without saying so on the page (which anyone could read)."""
    if user.email_confirmed_at is None:
        confirm_address(user)  # they registered before and lost the first link
        return
    sign_in = url_for("auth.sign_in", _external=True)
    reset = url_for("auth.reset_request", _external=True)
    mail.send(user.email, f"You already have an account on the {SERVICE}",
              f"Hello {user.full_name},\n\nSomeone tried to create an account on the {SERVICE} "
              f"with this email address. You already have one, so nothing has changed.\n\n"
              f"To sign in, go to:\n\n{sign_in}\n\nIf you have forgotten your password, reset "
              f"it here:\n\n{reset}\n\nIf it was not you, you can ignore this email. Nobody "
              "can use your account without your password.")


def reset_password(user: User) -> None:
    link = url_for("auth.reset_password", token=services.reset_token(user), _external=True)
    mail.send(user.email, f"Reset your {SERVICE} password",
              f"Hello {user.full_name},\n\nUse this link to choose a new password. "
              f"It works for 1 hour and only once:\n\n{link}\n\nIf you did not ask for "
              "this, you can ignore this email.")
