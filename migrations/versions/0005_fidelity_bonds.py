"""fidelity bonds, payments and Stripe events

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

ENUMS = ('bond_status', 'payment_method', 'ledger_kind')


def upgrade():
    op.create_table('bond_products',
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('cover_pence', sa.Integer(), nullable=False),
    sa.Column('term_months', sa.Integer(), nullable=False),
    sa.Column('premium_pence', sa.Integer(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('cover_pence > 0', name=op.f('ck_bond_products_cover_positive')),
    sa.CheckConstraint('premium_pence > 0', name=op.f('ck_bond_products_premium_positive')),
    sa.CheckConstraint('term_months BETWEEN 1 AND 60', name=op.f('ck_bond_products_term_in_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bond_products'))
    )
    op.create_table('stripe_events',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stripe_events'))
    )
    op.create_table('bonds',
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('bought_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending_payment', 'awaiting_invoice', 'payment_failed', 'active', 'cancelling', 'cancelled', 'expired', 'claimed', name='bond_status', create_constraint=True), nullable=False),
    sa.Column('method', sa.Enum('card', 'invoice', name='payment_method', create_constraint=True), nullable=True),
    sa.Column('premium_pence', sa.Integer(), nullable=False),
    sa.Column('cover_pence', sa.Integer(), nullable=False),
    sa.Column('term_months', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('payment_intent_id', sa.String(length=255), nullable=True),
    sa.Column('failure_reason', sa.Text(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('cancelled_on', sa.Date(), nullable=True),
    sa.Column('refund_pence', sa.Integer(), nullable=True),
    sa.Column('refund_id', sa.String(length=255), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status <> 'active' OR (starts_on IS NOT NULL AND ends_on IS NOT NULL)", name=op.f('ck_bonds_active_has_dates')),
    sa.CheckConstraint("status NOT IN ('active', 'expired', 'claimed', 'cancelling', 'cancelled') OR method = 'invoice' OR payment_intent_id IS NOT NULL OR starts_on IS NULL", name=op.f('ck_bonds_card_cover_has_payment')),
    sa.CheckConstraint("status NOT IN ('cancelling', 'cancelled') OR cancelled_on IS NOT NULL OR starts_on IS NULL", name=op.f('ck_bonds_cancelled_has_date')),
    sa.CheckConstraint('refund_pence IS NULL OR refund_pence >= 0', name=op.f('ck_bonds_refund_not_negative')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_bonds_application_id_applications'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['bought_by_id'], ['users.id'], name=op.f('fk_bonds_bought_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_bonds_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['product_id'], ['bond_products.id'], name=op.f('fk_bonds_product_id_bond_products'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bonds')),
    sa.UniqueConstraint('payment_intent_id', name=op.f('uq_bonds_payment_intent_id')),
    sa.UniqueConstraint('reference', name=op.f('uq_bonds_reference')),
    sa.UniqueConstraint('refund_id', name=op.f('uq_bonds_refund_id'))
    )
    with op.batch_alter_table('bonds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bonds_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bonds_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bonds_status'), ['status'], unique=False)

    op.create_table('bond_claims',
    sa.Column('bond_id', sa.Integer(), nullable=False),
    sa.Column('loss_on', sa.Date(), nullable=False),
    sa.Column('amount_pence', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('amount_pence > 0', name=op.f('ck_bond_claims_amount_positive')),
    sa.ForeignKeyConstraint(['bond_id'], ['bonds.id'], name=op.f('fk_bond_claims_bond_id_bonds'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_bond_claims_reported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bond_claims'))
    )
    with op.batch_alter_table('bond_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bond_claims_bond_id'), ['bond_id'], unique=False)

    op.create_table('bond_ledger',
    sa.Column('bond_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('payment', 'refund', name='ledger_kind', create_constraint=True), nullable=False),
    sa.Column('method', sa.Enum('card', 'invoice', name='payment_method', create_constraint=True), nullable=False),
    sa.Column('amount_pence', sa.Integer(), nullable=False),
    sa.Column('stripe_id', sa.String(length=255), nullable=True),
    sa.Column('stripe_charge_id', sa.String(length=255), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("method = 'invoice' OR stripe_id IS NOT NULL", name=op.f('ck_bond_ledger_card_has_stripe_id')),
    sa.CheckConstraint('amount_pence > 0', name=op.f('ck_bond_ledger_amount_positive')),
    sa.ForeignKeyConstraint(['bond_id'], ['bonds.id'], name=op.f('fk_bond_ledger_bond_id_bonds'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_bond_ledger_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bond_ledger')),
    sa.UniqueConstraint('stripe_id', name=op.f('uq_bond_ledger_stripe_id'))
    )
    with op.batch_alter_table('bond_ledger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bond_ledger_bond_id'), ['bond_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bond_ledger_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('bond_ledger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bond_ledger_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_bond_ledger_bond_id'))

    op.drop_table('bond_ledger')
    with op.batch_alter_table('bond_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bond_claims_bond_id'))

    op.drop_table('bond_claims')
    with op.batch_alter_table('bonds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bonds_status'))
        batch_op.drop_index(batch_op.f('ix_bonds_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_bonds_application_id'))

    op.drop_table('bonds')
    op.drop_table('stripe_events')
    op.drop_table('bond_products')
    for name in ENUMS:
        sa.Enum(name=name).drop(op.get_bind(), checkfirst=True)
