"""parses.failed and parses.warned, and the tracker's covering indexes

The tracker reads, per receipt of the season, the current parse's form and
whether it failed or warned; with these two flags and the two indexes it
reads the indexes alone, never a parse's row with its record (SQLite keeps
columns after the record on overflow pages).

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('parses') as batch:
        batch.add_column(sa.Column('failed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column('warned', sa.Boolean(), server_default=sa.false(), nullable=False))
    # JSON null and SQL NULL both mean none; the JSON as text, as both databases give it
    op.execute("UPDATE parses SET failed = (error IS NOT NULL AND CAST(error AS TEXT) <> 'null'), "
               "warned = (warnings IS NOT NULL AND CAST(warnings AS TEXT) NOT IN ('null', '[]'))")
    op.create_index('ix_parses_tracker', 'parses', ['sha256', 'current', 'form', 'failed', 'warned'])
    op.create_index('ix_receipts_tracker', 'receipts', ['season_id', 'received_at', 'id', 'office_id', 'sha256'])


def downgrade() -> None:
    op.drop_index('ix_receipts_tracker', table_name='receipts')
    op.drop_index('ix_parses_tracker', table_name='parses')
    with op.batch_alter_table('parses') as batch:
        batch.drop_column('warned')
        batch.drop_column('failed')
