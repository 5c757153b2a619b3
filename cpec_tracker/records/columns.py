"""Properties computed from a few of their model's columns, declared once for both readers.

An instance reads `record.alias_list` as a property; a reader of columns (the /data/ build's
detail plan, `cpec_tracker.api.detailplan`) reads the same value from the columns it names
(`aliases`), with the same function, without making the instance.
"""

from django.utils.translation import get_language


class ColumnProperty(property):
    """A read-only property whose value is `compute(*values of columns)`; a column may be a
    related row's (`official__name`: None when there is no related row). One `in_language`
    takes the active language last, so a reader of many rows looks it up once."""

    def __init__(self, compute, columns, in_language):
        self.compute = compute
        self.columns = columns
        self.in_language = in_language

        def read(instance):
            values = [column_value(instance, name) for name in columns]
            return compute(*values, *([get_language()] if in_language else []))

        super().__init__(read, doc=compute.__doc__)


def column_value(instance, path):
    """An instance's column, or a related row's along a `__` path."""
    value = instance
    for name in path.split("__"):
        if value is None:
            return None
        value = getattr(value, name)
    return value


def column_property(*columns, in_language=False):
    """Decorate `compute(*column values)` (`compute(*column values, language)` when
    `in_language`) into a property of the model reading those columns."""

    def decorate(compute):
        return ColumnProperty(compute, columns, in_language)

    return decorate
