"""Alembic environment: runs newsbot's migrations on the URL or connection it is given.

``newsbot init`` passes its own connection in ``config.attributes["connection"]``; plain
``alembic`` invocations use ``sqlalchemy.url`` (set from the newsbot config by ``store.py``).
"""

from alembic import context
from sqlalchemy import engine_from_config, pool

from newsbot.models import Base
from newsbot.scale.schema import alembic_include_name

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_name=alembic_include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_with(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=alembic_include_name,  # procrastinate's tables are its own
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        run_with(conn)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
