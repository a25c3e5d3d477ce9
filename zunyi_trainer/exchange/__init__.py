"""Exchange with the county: signed, verifiable export batches and the county's return files.

``export`` writes a batch (a zipped BagIt bag signed with the school's Ed25519 key, see
``signing``); ``verify`` checks one as the county would, before extracting anything;
``county_return`` files the county's decisions and acknowledgements in one transaction. The
formats are documented, with their JSON Schemas, in ``docs/exchange.md`` and ``schemas``.
"""
