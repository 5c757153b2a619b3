"""Reading an admin page's form as a browser would submit it, for tests that post it back."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data = {}
        self.select = None
        self.select_values = []
        self.textarea = None
        self.text = []

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = self.form_id is None or attrs.get("id") == self.form_id
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.add(name, attrs.get("value", "on"))
                return
            self.add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self.select, self.select_values = name, []
            self.multiple = "multiple" in attrs
        elif tag == "option" and self.select and "selected" in attrs:
            self.select_values.append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select:
            if self.select_values:
                for value in self.select_values:
                    self.add(self.select, value)
            elif not self.multiple:
                self.add(self.select, "")
            self.select = None
        elif tag == "textarea" and self.textarea:
            # A browser drops the newline that directly follows <textarea>.
            self.add(self.textarea, "".join(self.text).removeprefix("\n"))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def form_data(response, form_id=None):
    """The values a browser would post from the page's form (`form_id`, or every form)."""
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    return {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}


def change_form_data(response):
    """The values of an admin change (or history) page's form, as a browser posts them."""
    data = form_data(response)
    data.pop("csrfmiddlewaretoken", None)
    return {name: value for name, value in data.items() if "__prefix__" not in name}
