"""outcome reports kept once worked out

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 19:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'report_snapshots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.Column('built_at', sa.DateTime(), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_snapshots')),
        sa.UniqueConstraint('key', name=op.f('uq_report_snapshots_key')),
    )


def downgrade():
    op.drop_table('report_snapshots')
