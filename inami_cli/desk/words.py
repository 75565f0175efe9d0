"""The desk's own words in the configured language (``[locale] language``: fr or nl).

The answers themselves come from ``services.desk``; this is what the desk says around them:
the menu, the prompts and their hints, yes and no. The shortcut letters of the menu stay the
same in every language (an operator's fingers learn them once).
"""

from __future__ import annotations

LANGUAGES = ("fr", "nl")

# Each key's text in the order of LANGUAGES: (French, Dutch).
_WORDS: dict[str, tuple[str, str]] = {
    "menu": ("Que demande l'appelant ?", "Wat vraagt de beller?"),
    "menu_hint": (
        "(flèches ou première lettre, puis Entrée)",
        "(pijltjes of eerste letter, dan Enter)",
    ),
    "m_insured": (
        "Assuré ?         cette personne est-elle couverte à une date",
        "Verzekerd?       is deze persoon gedekt op een datum",
    ),
    "m_reimbursement": (
        "Remboursement    combien revient-il pour une prestation",
        "Terugbetaling    hoeveel komt er terug voor een prestatie",
    ),
    "m_code": (
        "Code             qu'est-ce que ce code de la nomenclature",
        "Code             wat is deze nomenclatuurcode",
    ),
    "m_decision": (
        "Décision         qu'a décidé une commission au sujet de ...",
        "Beslissing       wat besliste een commissie over ...",
    ),
    "m_indemnity": (
        "Indemnité        combien pendant une maladie ou un repos de maternité",
        "Uitkering        hoeveel tijdens ziekte of moederschapsrust",
    ),
    "m_quit": ("Quitter", "Stoppen"),
    "niss": ("NISS de la personne", "INSZ van de persoon"),
    "niss_last": (
        "(Entrée = {last}; ou mutualité/n° de membre, ex. 300/1234567)",
        "(Enter = {last}; of ziekenfonds/lidnummer, bv. 300/1234567)",
    ),
    "niss_last_optional": (
        "(Entrée = {last}, - = aucun; ou mutualité/n° de membre)",
        "(Enter = {last}, - = geen; of ziekenfonds/lidnummer)",
    ),
    "niss_optional": (
        "(Entrée = aucun, situation donnée à la main; ou mutualité/n° de membre)",
        "(Enter = geen, situatie met de hand; of ziekenfonds/lidnummer)",
    ),
    "niss_required": (
        "(11 chiffres, ou mutualité/n° de membre, ex. 300/1234567)",
        "(11 cijfers, of ziekenfonds/lidnummer, bv. 300/1234567)",
    ),
    "date": ("Date", "Datum"),
    "date_care": ("Date des soins", "Datum van de zorg"),
    "date_tariff": ("Tarif à quelle date", "Tarief op welke datum"),
    "date_hint": (
        "(Entrée = aujourd'hui {today}; ou 2026-03-02, 2/3/2026)",
        "(Enter = vandaag {today}; of 2026-03-02, 2/3/2026)",
    ),
    "regime": ("Régime du patient :", "Regeling van de patiënt:"),
    "r_ordinary": ("ordinaire", "gewoon"),
    "r_preferential": ("préférentiel (BIM)", "voorkeur (VT)"),
    "dmg": (
        "Le patient a-t-il un DMG (dossier médical global) ?",
        "Heeft de patiënt een GMD (globaal medisch dossier)?",
    ),
    "yes_no": ("(o/n)", "(j/n)"),
    "age": ("Âge du patient", "Leeftijd van de patiënt"),
    "age_hint": ("(Entrée si inconnu)", "(Enter indien onbekend)"),
    "code": (
        "Code (chiffres ou mots, Tab pour choisir) :",
        "Code (cijfers of woorden, Tab om te kiezen):",
    ),
    "provider": ("Le prestataire est :", "De zorgverlener is:"),
    "p_conventioned": (
        "conventionné (demande le tarif officiel)",
        "geconventioneerd (vraagt het officiële tarief)",
    ),
    "p_partially": ("partiellement conventionné", "gedeeltelijk geconventioneerd"),
    "p_non": ("non conventionné (peut demander plus)", "niet geconventioneerd (mag meer vragen)"),
    "p_register": (
        "le chercher dans le registre (numéro INAMI)",
        "opzoeken in het register (RIZIV-nummer)",
    ),
    "nihii": ("Numéro INAMI du prestataire", "RIZIV-nummer van de zorgverlener"),
    "nihii_hint": ("(Entrée = passer)", "(Enter = overslaan)"),
    "time": ("Heure des soins", "Tijdstip van de zorg"),
    "time_hint": ("(HH:MM; Entrée = inconnue)", "(UU:MM; Enter = onbekend)"),
    "charged": ("Montant demandé", "Gevraagd bedrag"),
    "charged_hint": (
        "(31,81 ou 31.81; Entrée = le tarif officiel)",
        "(31,81 of 31.81; Enter = het officiële tarief)",
    ),
    "about": ("À propos de quoi", "Waarover"),
    "about_hint": (
        "(des mots comme kiné, un code comme 560011, ou CASS 2026/001)",
        "(woorden zoals kiné, een code zoals 560011, of CASS 2026/001)",
    ),
    "sorry": ("Désolé — {message}", "Sorry — {message}"),
    "cancelled": (
        "(question annulée — retour au menu)",
        "(vraag geannuleerd — terug naar het menu)",
    ),
    "goodbye": ("Au revoir.", "Tot ziens."),
    "log_pending": (
        "(base occupée : la consultation sera journalisée dès que possible)",
        "(databank bezet: de raadpleging wordt zo snel mogelijk gelogd)",
    ),
    "event": ("Que s'est-il passé ?", "Wat is er gebeurd?"),
    "e_illness": ("maladie (incapacité de travail)", "ziekte (arbeidsongeschiktheid)"),
    "e_maternity": ("repos de maternité", "moederschapsrust"),
    "since": ("Depuis quand", "Sinds wanneer"),
    "since_hint": (
        "(Entrée = comme enregistré, ou aujourd'hui pour une maternité; 2/3/2026)",
        "(Enter = zoals geregistreerd, of vandaag voor moederschap; 2/3/2026)",
    ),
    "wage": ("Salaire mensuel brut", "Bruto maandloon"),
    "wage_hint": (
        "(3000 ou 3 000,00; Entrée = comme enregistré)",
        "(3000 of 3 000,00; Enter = zoals geregistreerd)",
    ),
    "scheme": ("La personne est :", "De persoon is:"),
    "s_employee": ("salarié", "werknemer"),
    "s_unemployed": ("chômeur", "werkloze"),
    "s_self": ("indépendant", "zelfstandige"),
    "situation": ("Situation familiale :", "Gezinssituatie:"),
    "f_family": ("avec charge de famille", "met gezinslast"),
    "f_isolated": ("isolé (vit seul)", "alleenstaand"),
    "f_cohabitant": ("cohabitant", "samenwonend"),
}

# Yes and no in the languages a desk hears: `o`ui, `j`a, `y`es; `n`on, `n`ee, `n`o.
YES_KEYS = ("y", "o", "j")
NO_KEYS = ("n",)


def word(language: str, key: str, **values: str) -> str:
    """The desk's text *key* in *language* (French when the language is not fr or nl)."""
    french, dutch = _WORDS[key]
    text = dutch if language == "nl" else french
    return text.format(**values) if values else text


__all__ = ["LANGUAGES", "NO_KEYS", "YES_KEYS", "word"]
