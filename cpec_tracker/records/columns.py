"""Properties computed from a few of their model's columns, declared once for both readers.

An instance reads `record.alias_list` as a property; a reader of columns (the /data/ build's
detail plan, `cpec_tracker.api.detailplan`) reads the same value from the columns it names
(`aliases`), with the same function, without making the instance.
"""


class ColumnProperty(property):
    """A read-only property whose value is `compute(*values of columns)`; a column may be a
    related row's (`official__name`: None when there is no related row)."""

    def __init__(self, compute, columns):
        self.compute = compute
        self.columns = columns
        super().__init__(
            lambda instance: compute(*(column_value(instance, name) for name in columns)),
            doc=compute.__doc__,
        )


def column_value(instance, path):
    """An instance's column, or a related row's along a `__` path."""
    value = instance
    for name in path.split("__"):
        if value is None:
            return None
        value = getattr(value, name)
    return value


def column_property(*columns):
    """Decorate `compute(*column values)` into a property of the model reading those columns."""

    def decorate(compute):
        return ColumnProperty(compute, columns)

    return decorate
