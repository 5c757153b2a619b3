"""The versions the page cache is keyed on, kept by database triggers."""

from django.db import models


class DataVersion(models.Model):
    """One row whose value changes on every write to a tracker table; it keys the page cache.

    Database triggers (installed by `cpec_tracker.caching.dataversion`) set a new random value on
    every insert, update and delete, so bulk operations, raw SQL and imports cannot bypass it.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"data version {self.value}"


class TableVersion(models.Model):
    """One row per tracker table whose value changes on every write to that table.

    The same triggers that change the data version keep these, so the page cache can key a
    page on the tables it read alone: a save to a meeting leaves the project pages warm.
    """

    table = models.CharField(max_length=100, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.table} version {self.value}"
