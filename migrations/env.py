"""Alembic environment of the register.

The app runs migrations through ``zunyi_trainer.db.upgrade``, which hands in a connection that is
already inside a transaction with foreign keys off; this file only configures the context. Batch
mode is on so that SQLite tables can be altered (rebuilt) like any other database's.
"""

from alembic import context
from sqlalchemy.engine import Engine

from zunyi_trainer.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or "sqlite://",
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from zunyi_trainer.db import make_engine

        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("no connection or sqlalchemy.url given to the migrations")
        engine = make_engine(url)
        with engine.begin() as conn:
            _run(conn)
        engine.dispose()
    elif isinstance(connection, Engine):  # pytest-alembic hands in an engine
        with connection.begin() as conn:
            _run(conn)
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
