"""The console in French and English: the language a person asked for (``?lang=``, kept in the
session), else the browser's first of the two, else French; and the French of every text."""

from flask import g, request, session

LANGUAGES = ("fr", "en")

FRENCH = {
    "Compliance console": "Console de conformité",
    "Skip to content": "Aller au contenu",
    "Overview": "Vue d'ensemble",
    "Audit log": "Journal d'audit",
    "Users": "Utilisateurs",
    "Log out": "Se déconnecter",
    "Log in": "Se connecter",
    "E-mail": "Adresse e-mail",
    "Password": "Mot de passe",
    "Wrong e-mail or password.": "Adresse e-mail ou mot de passe incorrect.",
    "Too many failed attempts; try again later.": "Trop d'échecs ; réessayez plus tard.",
    "Your session has expired; please log in again.": "Votre session a expiré ; reconnectez-vous.",
    "The form has expired or was not sent by this page; please try again.": (
        "Le formulaire a expiré ou ne vient pas de cette page ; réessayez."
    ),
    "Language": "Langue",
    ":": " :",  # French puts a (narrow) space before a colon
    "Signed in as": "Connecté en tant que",
    "Site": "Site",
    "Sites": "Sites",
    "Decisions (30 days)": "Décisions (30 jours)",
    "Consent rate (30 days)": "Taux de consentement (30 jours)",
    "Current revision": "Révision en cours",
    "Last scan": "Dernier scan",
    "no scan yet": "aucun scan pour l'instant",
    "Consent rate: the share of decisions that accepted every category.": (
        "Taux de consentement : part des décisions qui acceptent toutes les catégories."
    ),
    "No site is open to you.": "Aucun site ne vous est ouvert.",
    "Analytics": "Statistiques",
    "Inventory": "Inventaire",
    "From": "Du",
    "To": "Au",
    "Show": "Afficher",
    "Banner shown": "Bannière affichée",
    "Accept all": "Tout accepté",
    "Refuse all": "Tout refusé",
    "Custom": "Personnalisé",
    "Withdrawn": "Retiré",
    "Date": "Date",
    "Total": "Total",
    "Decisions": "Décisions",
    "Consent rate": "Taux de consentement",
    "Decisions per day": "Décisions par jour",
    "Opt-in rate per category": "Taux d'acceptation par catégorie",
    "Category": "Catégorie",
    "Granted": "Acceptée",
    "Refused": "Refusée",
    "Opt-in rate": "Taux d'acceptation",
    "Per revision": "Par révision",
    "Revision": "Révision",
    "current": "en cours",
    "Figures per day": "Chiffres par jour",
    "Download the days as CSV": "Télécharger les jours en CSV",
    "Find a visitor's proof": "Retrouver la preuve d'un visiteur",
    "Visitor id": "Identifiant du visiteur",
    "Find": "Rechercher",
    "Export the proofs": "Exporter les preuves",
    "Format": "Format",
    "Export": "Exporter",
    "Proof of consent": "Preuve de consentement",
    "Visitor": "Visiteur",
    "Current decision": "Décision en cours",
    "No current decision (none was made, or it expired).": (
        "Aucune décision en cours (aucune n'a été prise, ou elle a expiré)."
    ),
    "History": "Historique",
    "No decision is recorded for this visitor.": "Aucune décision n'est enregistrée pour ce visiteur.",
    "Decided at": "Décidé le",
    "Expires at": "Expire le",
    "Action": "Action",
    "Source": "Source",
    "Language of the banner": "Langue de la bannière",
    "Choices": "Choix",
    "Services": "Services",
    "Text version": "Version des textes",
    "What the visitor was shown": "Ce que le visiteur a vu",
    "Not archived.": "Non archivé.",
    "Categories": "Catégories",
    "Cookies and storage": "Cookies et stockage",
    "Name": "Nom",
    "Kind": "Type",
    "Retention": "Durée de conservation",
    "Provider": "Prestataire",
    "required": "obligatoire",
    "exempt": "exemptée",
    "Declarations": "Déclarations",
    "Revisions": "Révisions",
    "First seen": "Vue pour la première fois",
    "What changed": "Ce qui a changé",
    "first revision recorded": "première révision enregistrée",
    "content not archived": "contenu non archivé",
    "added": "ajouté",
    "removed": "retiré",
    "changed": "modifié",
    "When": "Quand",
    "Who": "Qui",
    "What": "Quoi",
    "Details": "Détails",
    "Role": "Rôle",
    "every site": "tous les sites",
    "Created": "Créé le",
    "Add a user": "Ajouter un utilisateur",
    "Add": "Ajouter",
    "Remove": "Supprimer",
    "Sites (comma-separated, empty for every site)": "Sites (séparés par des virgules, vide pour tous)",
    "This field is required.": "Ce champ est obligatoire.",
    "Not a valid date.": "Date invalide.",
    "must not be before 'from'": "ne doit pas précéder la date de début",
    "must be a date, YYYY-MM-DD": "doit être une date, AAAA-MM-JJ",
    "must be 16 to 64 characters among A-Z, a-z, 0-9, '-' and '_'": (
        "doit compter 16 à 64 caractères parmi A-Z, a-z, 0-9, « - » et « _ »"
    ),
    "Page not found, or not open to you.": "Page introuvable, ou qui ne vous est pas ouverte.",
    "You may not do this.": "Vous n'avez pas le droit de faire cela.",
    "yes": "oui",
    "no": "non",
    "login": "connexion",
    "login_failed": "échec de connexion",
    "logout": "déconnexion",
    "visitor_lookup": "consultation d'un visiteur",
    "proof_export": "export des preuves",
    "stats_export": "export des statistiques",
    "user_add": "ajout d'un utilisateur",
    "user_remove": "suppression d'un utilisateur",
    "Chart: decisions per day, stacked by outcome": "Graphique : décisions par jour, empilées par résultat",
    "Chart: opt-in rate per category": "Graphique : taux d'acceptation par catégorie",
    "The same figures are in the table below.": "Les mêmes chiffres sont dans le tableau ci-dessous.",
}


def language():
    """The console's language for this request."""
    wanted = request.args.get("lang")
    if wanted in LANGUAGES:
        session["lang"] = wanted
        return wanted
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(LANGUAGES, default="fr")


def gettext(text):
    return FRENCH.get(text, text) if g.get("lang", "fr") == "fr" else text
