"""The county bureau's side of the exchange: many schools' batches gathered in one database.

The county database is an ordinary register (same models, same migrations; PostgreSQL for a
county, SQLite is fine for a trial) opened with ``open_register(data_dir, database_url=URL)``.
What a school register does not have — the schools' registered keys, the batches received, who
owns which record, the decisions entered at the county — lives in a few county-only tables
(:mod:`zunyi_trainer.county.state`).

* :mod:`~zunyi_trainer.county.keys`: ``county keys add | list``;
* :mod:`~zunyi_trainer.county.ingest`: verify a batch as ``batch verify`` does, check its place
  in the school's chain, merge it in one transaction;
* :mod:`~zunyi_trainer.county.decisions`: decisions on submitted classes, and the return file;
* :mod:`~zunyi_trainer.county.report`: the county report (xlsx or PDF).
"""
