"""invitations to apply

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

STATUS = sa.Enum('sent', 'applied', 'declined', 'expired', name='invitation_status',
                 create_constraint=True)


def upgrade():
    op.create_table('invitations',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=False),
    sa.Column('status', STATUS, nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status = 'sent' OR decided_at IS NOT NULL", name=op.f('ck_invitations_decided_has_date')),
    sa.CheckConstraint("status <> 'applied' OR application_id IS NOT NULL", name=op.f('ck_invitations_applied_has_application')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_invitations_application_id_applications'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_invitations_candidate_id_candidates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_invitations_opportunity_id_opportunities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_invitations_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('opportunity_id', 'candidate_id', name=op.f('uq_invitations_opportunity_id_candidate_id'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_candidate_id'), ['candidate_id'], unique=False)


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_candidate_id'))

    op.drop_table('invitations')
    STATUS.drop(op.get_bind(), checkfirst=True)
