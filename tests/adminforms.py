"""Build the POST data of a Django admin change form, as a browser would."""

from django.forms.models import BaseModelFormSet


def _field_data(form, data):
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        widget_value = field.widget.format_value(value) if value is not None else ""
        if isinstance(value, list | tuple):
            data[key] = [str(v.pk if hasattr(v, "pk") else v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif hasattr(value, "pk"):
            data[key] = str(value.pk)
        elif hasattr(value, "name") and hasattr(value, "url"):
            continue  # a file field keeps its current file when not sent
        elif value is None:
            data[key] = ""
        else:
            data[key] = widget_value if isinstance(widget_value, str) else str(value)


def change_form_data(response):
    """Return the POST data that submits the change form unchanged."""
    data = {}
    _field_data(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            _field_data(form, data)
        assert isinstance(formset, BaseModelFormSet)
    return data
