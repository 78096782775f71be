"""custody channel: people in prison through their employment lead (issue 13)

Custody details and platform consent, dated work readiness, releases with claim codes and the
PEL's 12 months of read access, checked messages, Jobpoint devices and their requests.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kiosk_devices',
    sa.Column('prison_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_kiosk_devices_created_by_id_users')),
    sa.ForeignKeyConstraint(['prison_id'], ['prisons.id'], name=op.f('fk_kiosk_devices_prison_id_prisons')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_kiosk_devices_revoked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_devices'))
    )
    with op.batch_alter_table('kiosk_devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_devices_prison_id'), ['prison_id'], unique=False)

    op.create_table('claim_codes',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_claim_codes_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_claim_codes_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_claim_codes_code_hash'))
    )
    with op.batch_alter_table('claim_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_codes_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('custody_details',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('release_certainty', sa.Enum('fixed', 'parole', 'hdc', name='release_date_certainty', create_constraint=True), nullable=False),
    sa.Column('right_to_work_seen', sa.Boolean(), nullable=False),
    sa.Column('right_to_work_seen_on', sa.Date(), nullable=True),
    sa.Column('right_to_work_seen_by', sa.String(length=120), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('NOT right_to_work_seen OR (right_to_work_seen_on IS NOT NULL AND right_to_work_seen_by IS NOT NULL)', name=op.f('ck_custody_details_evidence_has_date_and_checker')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_custody_details_added_by_id_users')),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_custody_details_candidate_id_candidates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custody_details')),
    sa.UniqueConstraint('candidate_id', name=op.f('uq_custody_details_candidate_id'))
    )
    op.create_table('kiosk_requests',
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('handled_at', sa.DateTime(), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_kiosk_requests_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['device_id'], ['kiosk_devices.id'], name=op.f('fk_kiosk_requests_device_id_kiosk_devices')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_kiosk_requests_handled_by_id_users')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_kiosk_requests_opportunity_id_opportunities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_requests'))
    )
    with op.batch_alter_table('kiosk_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_requests_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kiosk_requests_device_id'), ['device_id'], unique=False)

    op.create_table('platform_consents',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('form_version', sa.String(length=20), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('(withdrawn_at IS NULL) = (withdrawn_by_id IS NULL)', name=op.f('ck_platform_consents_withdrawal_has_actor')),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_platform_consents_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_platform_consents_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_platform_consents_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_consents'))
    )
    with op.batch_alter_table('platform_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_consents_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('readiness_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('ready', 'ready_with_support', 'not_yet', name='readiness_level', create_constraint=True), nullable=False),
    sa.Column('support', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_readiness_entries_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_readiness_entries_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_readiness_entries'))
    )
    with op.batch_alter_table('readiness_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_readiness_entries_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('releases',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('prison_id', sa.Integer(), nullable=False),
    sa.Column('released_on', sa.Date(), nullable=False),
    sa.Column('pel_access_until', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_releases_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prison_id'], ['prisons.id'], name=op.f('fk_releases_prison_id_prisons')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_releases_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_releases'))
    )
    with op.batch_alter_table('releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_releases_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_releases_prison_id'), ['prison_id'], unique=False)

    op.create_table('messages',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.Enum('to_employer', 'to_candidate', name='message_direction', create_constraint=True), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('waiting', 'approved', 'returned', 'rejected', 'delivered', name='message_status', create_constraint=True), nullable=False),
    sa.Column('held_reason', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status IN ('waiting', 'delivered') OR (decided_at IS NOT NULL AND decided_by_id IS NOT NULL)", name=op.f('ck_messages_decision_has_actor')),
    sa.CheckConstraint("status NOT IN ('returned', 'rejected') OR decision_reason IS NOT NULL", name=op.f('ck_messages_refusal_has_reason')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_messages_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_messages_decided_by_id_users')),
    sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], name=op.f('fk_messages_written_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_status'), ['status'], unique=False)
        batch_op.create_index('ix_messages_status_direction', ['status', 'direction'], unique=False)



def downgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_status_direction')
        batch_op.drop_index(batch_op.f('ix_messages_status'))
        batch_op.drop_index(batch_op.f('ix_messages_application_id'))

    op.drop_table('messages')
    with op.batch_alter_table('releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_releases_prison_id'))
        batch_op.drop_index(batch_op.f('ix_releases_candidate_id'))

    op.drop_table('releases')
    with op.batch_alter_table('readiness_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_readiness_entries_candidate_id'))

    op.drop_table('readiness_entries')
    with op.batch_alter_table('platform_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_consents_candidate_id'))

    op.drop_table('platform_consents')
    with op.batch_alter_table('kiosk_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_requests_device_id'))
        batch_op.drop_index(batch_op.f('ix_kiosk_requests_candidate_id'))

    op.drop_table('kiosk_requests')
    op.drop_table('custody_details')
    with op.batch_alter_table('claim_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_codes_candidate_id'))

    op.drop_table('claim_codes')
    with op.batch_alter_table('kiosk_devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_devices_prison_id'))

    op.drop_table('kiosk_devices')
    for name in ('message_status', 'message_direction', 'readiness_level',
                 'release_date_certainty'):
        sa.Enum(name=name).drop(op.get_bind(), checkfirst=True)
