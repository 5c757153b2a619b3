from django import forms
from django.utils.translation import gettext_lazy as _

from cpec_tracker.site.alerts.following import FEED_URL_MAX_LENGTH
from cpec_tracker.site.alerts.models import Frequency


class SubscribeForm(forms.Form):
    """The "Email me when this changes" form of the follow controls."""

    email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        error_messages={"required": _("Enter your email address.")},
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.EACH_CHANGE
    )
    # The followed page's feed (its `follow_feed.url`), which names what is followed.
    feed = forms.CharField(max_length=FEED_URL_MAX_LENGTH, widget=forms.HiddenInput)


class FrequencyForm(forms.Form):
    subscription = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    frequency = forms.ChoiceField(choices=Frequency.choices)
