"""The desk's own words in the configured language (``[locale] language``: fr or nl).

The answers themselves come from ``services.desk``; this is what the desk says around them:
the menu, the prompts and their hints, yes and no. The shortcut letters of the menu stay the
same in every language (an operator's fingers learn them once).
"""

from __future__ import annotations

LANGUAGES = ("fr", "nl")

_WORDS: dict[str, dict[str, str]] = {
    "menu": {
        "fr": "Que demande l'appelant ?",
        "nl": "Wat vraagt de beller?",
    },
    "menu_hint": {
        "fr": "(flèches ou première lettre, puis Entrée)",
        "nl": "(pijltjes of eerste letter, dan Enter)",
    },
    "m_insured": {
        "fr": "Assuré ?         cette personne est-elle couverte à une date",
        "nl": "Verzekerd?       is deze persoon gedekt op een datum",
    },
    "m_reimbursement": {
        "fr": "Remboursement    combien revient-il pour une prestation",
        "nl": "Terugbetaling    hoeveel komt er terug voor een prestatie",
    },
    "m_code": {
        "fr": "Code             qu'est-ce que ce code de la nomenclature",
        "nl": "Code             wat is deze nomenclatuurcode",
    },
    "m_decision": {
        "fr": "Décision         qu'a décidé une commission au sujet de ...",
        "nl": "Beslissing       wat besliste een commissie over ...",
    },
    "m_indemnity": {
        "fr": "Indemnité        combien pendant une maladie ou un repos de maternité",
        "nl": "Uitkering        hoeveel tijdens ziekte of moederschapsrust",
    },
    "m_quit": {"fr": "Quitter", "nl": "Stoppen"},
    "niss": {
        "fr": "NISS de la personne",
        "nl": "INSZ van de persoon",
    },
    "niss_last": {
        "fr": "(Entrée = {last}; ou mutualité/n° de membre, ex. 300/1234567)",
        "nl": "(Enter = {last}; of ziekenfonds/lidnummer, bv. 300/1234567)",
    },
    "niss_last_optional": {
        "fr": "(Entrée = {last}, - = aucun; ou mutualité/n° de membre)",
        "nl": "(Enter = {last}, - = geen; of ziekenfonds/lidnummer)",
    },
    "niss_optional": {
        "fr": "(Entrée = aucun, situation donnée à la main; ou mutualité/n° de membre)",
        "nl": "(Enter = geen, situatie met de hand; of ziekenfonds/lidnummer)",
    },
    "niss_required": {
        "fr": "(11 chiffres, ou mutualité/n° de membre, ex. 300/1234567)",
        "nl": "(11 cijfers, of ziekenfonds/lidnummer, bv. 300/1234567)",
    },
    "date": {"fr": "Date", "nl": "Datum"},
    "date_care": {"fr": "Date des soins", "nl": "Datum van de zorg"},
    "date_tariff": {"fr": "Tarif à quelle date", "nl": "Tarief op welke datum"},
    "date_hint": {
        "fr": "(Entrée = aujourd'hui {today}; ou 2026-03-02, 2/3/2026)",
        "nl": "(Enter = vandaag {today}; of 2026-03-02, 2/3/2026)",
    },
    "regime": {"fr": "Régime du patient :", "nl": "Regeling van de patiënt:"},
    "r_ordinary": {"fr": "ordinaire", "nl": "gewoon"},
    "r_preferential": {"fr": "préférentiel (BIM)", "nl": "voorkeur (VT)"},
    "dmg": {
        "fr": "Le patient a-t-il un DMG (dossier médical global) ?",
        "nl": "Heeft de patiënt een GMD (globaal medisch dossier)?",
    },
    "yes_no": {"fr": "(o/n)", "nl": "(j/n)"},
    "age": {"fr": "Âge du patient", "nl": "Leeftijd van de patiënt"},
    "age_hint": {"fr": "(Entrée si inconnu)", "nl": "(Enter indien onbekend)"},
    "code": {
        "fr": "Code (chiffres ou mots, Tab pour choisir) :",
        "nl": "Code (cijfers of woorden, Tab om te kiezen):",
    },
    "provider": {"fr": "Le prestataire est :", "nl": "De zorgverlener is:"},
    "p_conventioned": {
        "fr": "conventionné (demande le tarif officiel)",
        "nl": "geconventioneerd (vraagt het officiële tarief)",
    },
    "p_partially": {"fr": "partiellement conventionné", "nl": "gedeeltelijk geconventioneerd"},
    "p_non": {
        "fr": "non conventionné (peut demander plus)",
        "nl": "niet geconventioneerd (mag meer vragen)",
    },
    "p_register": {
        "fr": "le chercher dans le registre (numéro INAMI)",
        "nl": "opzoeken in het register (RIZIV-nummer)",
    },
    "nihii": {"fr": "Numéro INAMI du prestataire", "nl": "RIZIV-nummer van de zorgverlener"},
    "nihii_hint": {"fr": "(Entrée = passer)", "nl": "(Enter = overslaan)"},
    "time": {"fr": "Heure des soins", "nl": "Tijdstip van de zorg"},
    "time_hint": {"fr": "(HH:MM; Entrée = inconnue)", "nl": "(UU:MM; Enter = onbekend)"},
    "charged": {"fr": "Montant demandé", "nl": "Gevraagd bedrag"},
    "charged_hint": {
        "fr": "(31,81 ou 31.81; Entrée = le tarif officiel)",
        "nl": "(31,81 of 31.81; Enter = het officiële tarief)",
    },
    "about": {"fr": "À propos de quoi", "nl": "Waarover"},
    "about_hint": {
        "fr": "(des mots comme kiné, un code comme 560011, ou CASS 2026/001)",
        "nl": "(woorden zoals kiné, een code zoals 560011, of CASS 2026/001)",
    },
    "sorry": {"fr": "Désolé — {message}", "nl": "Sorry — {message}"},
    "cancelled": {
        "fr": "(question annulée — retour au menu)",
        "nl": "(vraag geannuleerd — terug naar het menu)",
    },
    "goodbye": {"fr": "Au revoir.", "nl": "Tot ziens."},
    "log_pending": {
        "fr": "(base occupée : la consultation sera journalisée dès que possible)",
        "nl": "(databank bezet: de raadpleging wordt zo snel mogelijk gelogd)",
    },
    "event": {"fr": "Que s'est-il passé ?", "nl": "Wat is er gebeurd?"},
    "e_illness": {"fr": "maladie (incapacité de travail)", "nl": "ziekte (arbeidsongeschiktheid)"},
    "e_maternity": {"fr": "repos de maternité", "nl": "moederschapsrust"},
    "since": {"fr": "Depuis quand", "nl": "Sinds wanneer"},
    "since_hint": {
        "fr": "(Entrée = comme enregistré, ou aujourd'hui pour une maternité; 2/3/2026)",
        "nl": "(Enter = zoals geregistreerd, of vandaag voor moederschap; 2/3/2026)",
    },
    "wage": {"fr": "Salaire mensuel brut", "nl": "Bruto maandloon"},
    "wage_hint": {
        "fr": "(3000 ou 3 000,00; Entrée = comme enregistré)",
        "nl": "(3000 of 3 000,00; Enter = zoals geregistreerd)",
    },
    "scheme": {"fr": "La personne est :", "nl": "De persoon is:"},
    "s_employee": {"fr": "salarié", "nl": "werknemer"},
    "s_unemployed": {"fr": "chômeur", "nl": "werkloze"},
    "s_self": {"fr": "indépendant", "nl": "zelfstandige"},
    "situation": {"fr": "Situation familiale :", "nl": "Gezinssituatie:"},
    "f_family": {"fr": "avec charge de famille", "nl": "met gezinslast"},
    "f_isolated": {"fr": "isolé (vit seul)", "nl": "alleenstaand"},
    "f_cohabitant": {"fr": "cohabitant", "nl": "samenwonend"},
}

# Yes and no in the languages a desk hears: `o`ui, `j`a, `y`es; `n`on, `n`ee, `n`o.
YES_KEYS = ("y", "o", "j")
NO_KEYS = ("n",)


def word(language: str, key: str, **values: str) -> str:
    """The desk's text *key* in *language* (French when the language is not fr or nl)."""
    texts = _WORDS[key]
    text = texts.get(language) or texts["fr"]
    return text.format(**values) if values else text


__all__ = ["LANGUAGES", "NO_KEYS", "YES_KEYS", "word"]
