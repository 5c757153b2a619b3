"""The form renderer: Django's, with the commonest widgets written out in Python.

Django renders a <select> by including one template per <option>; a list page's filter form
(sectors, provinces, statuses, themes, orderings) spent more time there than in everything
else the page does. These functions give the very markup Django's widget templates give
(`django/forms/widgets/select.html`, `select_option.html`, `input.html`, `attrs.html`), so
the admin and the pages look and behave as before; any other widget uses its template.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape


def attributes(attrs):
    """` name="value"` for each attribute, as `attrs.html` writes them (True: the bare name,
    False: left out)."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def option_html(option):
    value = conditional_escape(str(option["value"]))
    label = conditional_escape(option["label"])
    return f'<option value="{value}"{attributes(option["attrs"])}>{label}</option>'


def select_html(widget):
    html = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                return None
            # The option template's file ends with a newline, kept by the include.
            html.append(f"\n  {option_html(option)}\n")
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


def input_html(widget):
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    name = conditional_escape(widget["name"])
    type_ = conditional_escape(widget["type"])
    return f'<input type="{type_}" name="{name}"{shown}{attributes(widget["attrs"])}>'


WRITTEN_OUT = {
    "django/forms/widgets/select.html": select_html,
    "django/forms/widgets/text.html": input_html,
    "django/forms/widgets/number.html": input_html,
    "django/forms/widgets/search.html": input_html,
}


class WidgetRenderer(DjangoTemplates):
    """Django's template renderer, with WRITTEN_OUT's widgets rendered without templates."""

    def render(self, template_name, context, request=None):
        write = WRITTEN_OUT.get(template_name)
        html = write(context["widget"]) if write is not None else None
        if html is None:
            return super().render(template_name, context, request=request)
        return html
