"""outcomes by prison at application, and data rights

Each application keeps the prison the person was in when they applied or were nominated, so a
prison's outcome figures survive the person's release or transfer. Existing rows are filled
from the history already held: the prison they left at their first transfer after applying, else
the prison that released them after applying, else the prison they are in now.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 17:05:00.000000

"""
import contextlib

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


BACKFILL = """
UPDATE applications SET prison_at_application_id = COALESCE(
    (SELECT t.from_prison_id FROM prison_transfers t
      WHERE t.candidate_id = applications.candidate_id AND t.moved_on > applications.created_at
      ORDER BY t.moved_on, t.id LIMIT 1),
    (SELECT r.prison_id FROM releases r
      WHERE r.candidate_id = applications.candidate_id AND r.released_on > applications.created_at
      ORDER BY r.released_on, r.id LIMIT 1),
    (SELECT c.prison_id FROM candidates c
      WHERE c.id = applications.candidate_id AND c.status = 'in_custody'))
"""


@contextlib.contextmanager
def _table_rebuilt_safely():
    """SQLite changes a column's foreign keys by rebuilding the table (batch mode), and with
    foreign keys on, dropping the old copy would delete every row that cascades from it
    (application events, interviews, offers). So foreign keys are off while it runs; the pragma
    takes effect only outside a transaction."""
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        op.execute('COMMIT')
        op.execute('PRAGMA foreign_keys=OFF')
        op.execute('BEGIN')
    yield
    if sqlite:
        op.execute('COMMIT')
        op.execute('PRAGMA foreign_keys=ON')
        op.execute('BEGIN')


def upgrade():
    with _table_rebuilt_safely(), op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prison_at_application_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_applications_prison_at_application_id'),
                              ['prison_at_application_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_applications_prison_at_application_id_prisons'),
                                    'prisons', ['prison_at_application_id'], ['id'],
                                    ondelete='RESTRICT')
    op.execute(BACKFILL)


def downgrade():
    with _table_rebuilt_safely(), op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_applications_prison_at_application_id_prisons'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_applications_prison_at_application_id'))
        batch_op.drop_column('prison_at_application_id')
