"""pytest-alembic's built-in checks on PostgreSQL (tests/test_migrations.py runs them on SQLite).

Runs when ``ZUNYI_TRAINER_TEST_POSTGRES`` names a server (``.ci/run`` starts one); each test gets
an empty database of its own.
"""

from __future__ import annotations

import pytest
from pytest_alembic.tests import (  # noqa: F401  (collected as tests of this module)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)

from tests.conftest import NO_POSTGRES, POSTGRES_SERVER
from zunyi_trainer import db as register_db
from zunyi_trainer.db import make_engine

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not POSTGRES_SERVER, reason=NO_POSTGRES)]


@pytest.fixture
def alembic_config():
    return register_db.alembic_config()


@pytest.fixture
def alembic_engine(postgres_server):
    name = postgres_server.create("alembic")
    engine = make_engine(postgres_server.url_for(name))
    yield engine
    engine.dispose()
    postgres_server.drop(name)
