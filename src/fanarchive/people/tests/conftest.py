from fanarchive.works.tests.factories import fresh_cache  # noqa: F401  (autouse fixture)
