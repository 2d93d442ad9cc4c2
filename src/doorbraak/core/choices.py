"""Vocabulary shared by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Funder(models.TextChoices):
    """Who bears a cost: the law/funder (financier, wet)."""

    WMO = "wmo", _("Wmo 2015 (gemeente)")
    JEUGDWET = "jeugdwet", _("Jeugdwet (gemeente)")
    PARTICIPATIEWET = "participatiewet", _("Participatiewet (gemeente)")
    WLZ = "wlz", _("Wet langdurige zorg (Wlz)")
    ZVW = "zvw", _("Zorgverzekeringswet (Zvw)")
    JUSTICE = "justice", _("Justitie")
    HOUSING_CORPORATION = "housing_corporation", _("Woningcorporatie")
    INSURER = "insurer", _("Zorgverzekeraar (aanvullend)")
    HOUSEHOLD = "household", _("Huishouden zelf")
    OTHER = "other", _("Anders")
    # --- issue 12: the national set of funders (appended: learning keeps a bit per value in this order) ---
    SCHOOL = "school", _("Samenwerkingsverband passend onderwijs / school")
    BIJZONDERE_BIJSTAND = "bijzondere_bijstand", _("Bijzondere bijstand (Participatiewet, gemeente)")
    OPVANG = "opvang", _("Maatschappelijke opvang (centrumgemeente)")
    BESCHERMD_WONEN = "beschermd_wonen", _("Beschermd wonen (centrumgemeente)")
    UWV = "uwv", _("UWV")
    ZORGKANTOOR = "zorgkantoor", _("Zorgkantoor (Wlz)")
    RIJK = "rijk", _("Rijk")
    OWN_NETWORK = "own_network", _("Eigen netwerk")
