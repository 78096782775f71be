"""indexes for a PEL's lists at scale: day release waiting, and a prison's caseload

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 20:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_interviews_rotl_waiting', 'interviews', ['rotl_status', 'status'])
    op.create_index('ix_candidates_prison_caseload', 'candidates',
                    ['prison_id', 'status', 'release_date'])


def downgrade():
    op.drop_index('ix_candidates_prison_caseload', table_name='candidates')
    op.drop_index('ix_interviews_rotl_waiting', table_name='interviews')
