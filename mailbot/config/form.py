"""The campaign's form, from the config: a form file named by path, else a shipped form id."""

from __future__ import annotations

from mailbot.config.model import CampaignConfig
from mailbot.forms import Form, load_form, load_form_file


def campaign_form(campaign: CampaignConfig) -> Form:
    """The form this campaign's reports are read, summed and answered with."""
    if campaign.form_file is not None:
        return load_form_file(campaign.form_file)
    return load_form(campaign.form)
