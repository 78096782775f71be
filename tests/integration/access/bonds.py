from marketplace.converters import MAX_ID
from marketplace.permissions import PUBLIC
from tests.integration.access import A, E

# Bond ids nobody has: the role rule (tests/integration/test_bonds*.py try real bonds, and
# other organisations' bonds).
_NO_BOND = {"bond_id": MAX_ID}

ACCESS = {
    "bonds.employer_bonds": (E,),
    "bonds.choose": (E,),
    "bonds.detail": (E,),
    "bonds.pay": (E,),
    "bonds.card": (E,),
    "bonds.authenticate": (E,),
    "bonds.check": (E,),
    "bonds.invoice": (E,),
    "bonds.retry": (E,),
    "bonds.cancel": (E,),
    "bonds.claim": (E,),
    "bonds.certificate": (E,),
    "bonds.admin_products": (A,),
    "bonds.admin_product_new": (A,),
    "bonds.admin_product_retire": (A,),
    "bonds.admin_ledger": (A,),
    "bonds.admin_claims": (A,),
    "bonds.admin_invoices": (A,),
    "bonds.admin_invoice_paid": (A,),
    "bonds.stripe_webhook": PUBLIC,
}
URL_ARGS = {
    "bonds.choose": lambda w: {"application_id": w["application"].id},
    "bonds.detail": lambda w: _NO_BOND,
    "bonds.pay": lambda w: _NO_BOND,
    "bonds.card": lambda w: _NO_BOND,
    "bonds.authenticate": lambda w: _NO_BOND,
    "bonds.check": lambda w: _NO_BOND,
    "bonds.invoice": lambda w: _NO_BOND,
    "bonds.retry": lambda w: _NO_BOND,
    "bonds.cancel": lambda w: _NO_BOND,
    "bonds.claim": lambda w: _NO_BOND,
    "bonds.certificate": lambda w: _NO_BOND,
    "bonds.admin_product_retire": lambda w: {"product_id": MAX_ID},
    "bonds.admin_invoice_paid": lambda w: _NO_BOND,
}
POST_ONLY = {"bonds.card", "bonds.check", "bonds.invoice", "bonds.retry",
             "bonds.admin_product_retire", "bonds.admin_invoice_paid", "bonds.stripe_webhook"}
