"""French: how a French shop assistant asks, and how a French customer answers.

The same tables as :mod:`converse.speech_en`, written from how questions are
put in a French shop or on its chat ("Quel est votre code postal ?", "Est-ce
bien vous, Pierre Moreau ?", "Dois-je valider la commande ?"), not from the
bot's responses. Patterns read folded text (no case, no accents:
:func:`converse.questions.fold`); the customer's texts are written as French
customers write, accents or not.
"""

from __future__ import annotations

# "Do you want": vous, in every form a question takes it ("voulez-vous", "vous souhaitez").
_YOU_WANT = r"(voulez-vous|souhaitez-vous|vous voulez|vous souhaitez|desirez-vous|aimeriez-vous)"
_SURE = r"(juste pour (etre sure?|confirmer|verifier) ?: )?"

# Question kinds a scenario may give answers for, most specific first; each with its wordings.
WORDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("did_you_mean", (
        r"\b(voulez|vouliez)-vous dire\b", r"\bvous voulez dire\b", r"\bvous vouliez dire\b",
        r"\bs'agit-il (de|d')\b", r"\b(lequel|laquelle|lesquels|lesquelles) de ces\b",
        r"\bparmi (ces|les) (choix|propositions|options)\b", r"\bc'est bien ce que vous\b",
        r"\bvous (cherchiez|demandiez|parliez)\b",
    )),
    ("confirm_identity", (
        r"\best-ce (bien )?vous\b", r"\bc'est (bien )?vous\b", r"\bvous etes bien\b",
        r"\b(je parle|je m'adresse|j'echange|je discute) (bien )?(avec|a)\b",
        r"\bconfirme[rz]?(-vous)? (etre|votre identite|que vous etes)\b",
    )),
    # "Juste pour être sûr : voulez-vous que je change votre façon d'être contacté ?" asks yes
    # or no to a deed, whatever its words name: the customer checks it.
    ("confirm", (
        rf"^{_SURE}{_YOU_WANT} que (je|nous|l'on|on)\b",
        rf"^{_SURE}(dois-je|est-ce que je dois)\b",
        rf"^{_SURE}je (la|le|les|l') (passe|valide|enregistre|envoie)\b",
    )),
    # "Par téléphone, par SMS ou par e-mail ?" names a phone but asks a channel.
    ("channel", (
        r"\bpar (telephone|sms|e-?mail|mail|courriel)\b.*\bou (par )?"
        r"(telephone|sms|e-?mail|mail)\b",
    )),
    ("address", (
        r"\badresse (postale|de livraison|de domicile|du domicile|de facturation)\b",
        r"\bnouvelle adresse\b(?! (e-?mail|mail|electronique|courriel))",
    )),
    ("postcode", (r"\bcode postal\b", r"\bcp\b")),
    ("identify", (
        r"\bnumero (de )?client\b", r"\bn° client\b", r"\bnumero de compte\b",
        r"\bretrouver (votre|ton) (compte|dossier|fiche)\b", r"\bvous identifier\b",
        r"\bquel compte\b", r"\bvous (etes|etiez) deja client\b",
    )),
    ("email", (r"\be-?mail\b", r"\bcourriel\b", r"\badresse (electronique|mail)\b", r"\bmail\b")),
    ("phone", (
        r"\btelephone\b", r"\bportable\b", r"\bmobile\b", r"\b(num|numero) de tel\b", r"\btel\b",
        r"\ba quel numero\b",
    )),
    ("name", (
        r"\bvotre (nom|prenom)\b", r"\bnom complet\b", r"\bprenom\b", r"\bnom de famille\b",
        r"\ba qui ai-je l'honneur\b", r"\bcomment vous appelez-vous\b", r"\bvous vous appelez\b",
        r"\bavec qui (je parle|ai-je le plaisir)\b",
    )),
    ("company", (
        r"\bentreprise\b", r"\bsociete\b", r"\braison sociale\b", r"\borganisation\b",
        r"\bstructure\b", r"\betablissement\b",
    )),
    ("address", (
        r"\badresse\b(?! (e-?mail|mail|electronique|courriel))", r"\brue\b",
        r"\bou habitez-vous\b", r"\bou (faut-il|doit-on|devons-nous) (vous )?livrer\b",
    )),
    ("product", (
        r"\b(quel|quelle|quels|quelles) (produit|modele|article|ordinateur|ecran|moniteur|"
        r"imprimante|appareil|pc)s?\b",
        r"\b(lequel|laquelle)\b", r"\bqu'est-ce qui vous interesse\b",
        rf"\b(que|qu'est-ce que) {_YOU_WANT} (commander|acheter)\b",
        r"\bqu'aimeriez-vous (commander|acheter)\b", r"\bpour quel(le)? (produit|article)\b",
    )),
    ("quantity", (
        r"\bcombien\b(?! de temps)(?!.*\b(budget|depenser|payer|mettre|investir|coute|couter|"
        r"prix)\b)",
        r"\bquantites?\b", r"\bnombre (d'unites|d'exemplaires|de pieces|de postes)\b",
    )),
    ("timeframe", (
        r"\bquand (pensez|comptez|envisagez|prevoyez|souhaitez|voulez)-vous (acheter|commander|"
        r"vous equiper|passer commande|faire (l'|votre )?achat)",
        r"\bdans quels? delais?\b", r"\becheance\b", r"\ba quel horizon\b",
        r"\bquand\b.*\b(achat|acheter)\b",
    )),
    ("date", (
        r"\bquand\b.*\b(livr\w*|recevoir|besoin)\b", r"\bdate de livraison\b",
        r"\b(quelle|a quelle) date\b", r"\bpour quand\b", r"\bquel jour\b",
    )),
    ("budget", (
        r"\bbudget\b", r"\bcombien\b.*\b(depenser|mettre|investir|payer)\b",
        r"\b(fourchette|gamme) de prix\b",
    )),
    ("channel", (
        r"\b(quel|par quel|comment)\b.*\b(canal|moyen|vous contacter|vous joindre|"
        r"vous recontacter|prendre contact)\b",
        r"\bpar (telephone|sms|e-?mail|mail|courriel)\b.*\bou\b",
    )),
    ("contact_time", (
        r"\bquelle heure\b", r"\ba quel moment\b", r"\bmeilleur moment\b",
        r"\bmoment de la journee\b",
        r"\bmatin\w*\b.*\bou\b", r"\bcreneau\b",
        r"\bquand (pouvons-nous|peut-on|pourrons-nous) vous (appeler|contacter|joindre)\b",
    )),
    ("details", (
        r"\bque s'est-il passe\b", r"\bdites-m'en (plus|davantage)\b", r"\bracontez\b",
        r"\bqu'est-ce qui (ne va pas|s'est passe|n'a pas)\b", r"\bquel est le (probleme|souci)\b",
        r"\bdecri(re|vez)\b", r"\bplus de (details|precisions)\b", r"\bprecisez\b",
        r"\b(votre|vos) (avis|commentaires?|remarques?|retours?)\b", r"\bde quoi s'agit-il\b",
        r"\bqu'aimeriez-vous (nous )?(dire|partager)\b", r"\bc'est a quel sujet\b",
    )),
    # "Merci. Que voulez-vous que je fasse de cela ?": the deed for what the customer said.
    ("action", (
        rf"\b(que|qu'est-ce que) {_YOU_WANT} que je (fasse|en fasse)\b",
        r"\bqu'aimeriez-vous que je fasse\b", r"\bque (dois|puis)-je (en )?faire\b",
    )),
    ("anything_else", (
        r"\bautre chose\b", r"\bd'autre\b", r"\bencore quelque chose\b", r"\bautre question\b",
    )),
    ("open", (
        r"\bcomment (puis|pourrais)-je vous (aider|etre utile)\b",
        r"\bque puis-je (faire )?pour vous\b",
        r"\ben quoi puis-je vous (aider|etre utile)\b", r"\bqu'est-ce qui vous amene\b",
        r"\bque puis-je faire pour vous\b",
    )),
    ("confirm", (
        r"\b(dois|puis)-je (la |le |les |l')?(passer|valider|creer|enregistrer|envoyer|modifier|"
        r"changer|confirmer|noter|faire|reserver|mettre)",
        r"\bon y va\b", r"\b(est-ce|c'est) (bien )?(correct|exact|juste|bon)\b",
        r"\bc'est bien (ca|cela)\b", r"\betes-vous (sur|sure|certaine?)\b", r"\bconfirm",
        r"\bvalide[rz]?\b", r"\bpasser (la|cette|votre) commande\b",
        r"\b(ok|d'accord|correct|exact)\s*\?", rf"\b{_YOU_WANT} que je\b",
    )),
    ("offer", (
        rf"\b{_YOU_WANT}\b", r"\b(dois|puis)-je\b", r"\bvous interesse",
        r"\b(ajouter|aussi|egalement|recommand\w*|suggere\w*|propose\w*)\b",
    )),
)  # fmt: skip

# "Comment pouvons-nous vous joindre ? Une adresse e-mail ou un numéro de téléphone suffit.":
# the line after the question says it wants an address (not "par e-mail").
WANTS_ADDRESS = (
    r"\badresse e-?mail\b.*\b(telephone|portable|mobile)\b"
    r"|\b(telephone|portable|mobile)\b.*\b(adresse e-?mail|e-?mail)\b"
)
# A request that is a question without its question mark: "Merci d'indiquer votre code postal."
REQUEST = (
    r"\b(merci de|merci d'|veuillez|pourriez-vous|pouvez-vous|svp|s'il vous plait)\b.*\b(indiquer|"
    r"donner|saisir|taper|entrer|communiquer|preciser|envoyer|choisir|confirmer|ecrire)\b"
    r"|^(indiquez|donnez|saisissez|tapez|entrez|communiquez|precisez|envoyez|choisissez|"
    r"confirmez|ecrivez)\b|\bquel(le)? est votre\b"
)

# What a yes would have the bot do; the first that matches wins ("transformer votre devis en
# commande" is accepting a quote, not a new order).
DEEDS: tuple[tuple[str, str], ...] = (
    ("cancel", r"\bannul"),
    ("accept_quote", r"\btransform\w*\b.*\ben commande\b"
                     r"|\b(accept|valid|confirm)\w*\b.*\b(devis|offre)\b"),
    ("reject_quote", r"\b(refus|rejet|declin)\w*\b.*\b(devis|offre)\b"),
    ("do_not_contact", r"\b(retir|supprim|desinscri|ray)\w*\b.*\b(listes?|fichiers?)\b"
                       r"|\bne plus (jamais )?(vous )?(contacter|solliciter|recontacter)\b"
                       r"|\b(plus|aucun) (aucun )?contact\b"
                       r"|\bne jamais vous (contacter|recontacter)\b"),
    ("preference", r"\b(comment|quand) (nous )?(vous )?(contact\w*|joindre|appeler)\b"
                   r"|\b(facon|maniere) (dont|de) .*\bcontact"
                   r"|\bpreferences? de contact\b|\bdesabonn|\bdesinscri|\bconsentement\b"),
    ("contact", r"\bcoordonnees\b"
                r"|\b(modifi|chang|mett\w* a jour|mise a jour|remplac|enregistr)\w*\b"
                r".*\b(e-?mail|mail|telephone|numero|adresse|coordonnees)\b"),
    ("account", r"\b(ouvr|cre)\w*\b.*\bcompte\b"),
    ("quote", r"\bdevis\b"),
    ("order", r"\bcommand|\bachat\b|\bachet"),
    ("complaint", r"\breclamation\b|\bplainte\b"),
    ("feedback", r"\b(avis|retour|commentaire|remarque)s?\b"),
    ("handoff", r"\b(conseill\w*|agent|collegue|interlocut\w*|humain|personne|quelqu'un)\b"),
    ("lead", r"\b(tenir|tiendrons|tiens) (au courant|informe)|\b(revenir|reviendr\w*) vers vous\b"
             r"|\brecontact\w*\b|\bsuivi\b"),
)  # fmt: skip

# The buttons that say what a goal is (a "Vouliez-vous dire... ?" menu), by goal.
GOAL_BUTTONS: dict[str, str] = {
    "order": r"\b(passer|faire) (une )?commande\b|\bcommander\b|^acheter\b",
    "quote": r"\b(demander|obtenir|faire) un devis\b|^(un )?devis$",
    "accept_quote": r"\bcommander\b|\baccepter\b|\bvalider\b",
    "reject_quote": r"\brefuser\b|\bdecliner\b|\brejeter\b|^mes? devis$",
    "complaint": r"\breclam|\bplainte\b|\bplaindre\b",
    "feedback": r"\bavis\b|\bretour\b|\bcommentaire",
    "handoff": r"\b(parler|discuter) (a|avec) (un|une|quelqu'un)\b"
    r"|\b(conseiller|conseillere|humain|agent)\b",
    "account": r"\b(ouvrir|creer) un compte\b|\bnouveau client\b",
    "contact": r"\b(modifier|changer|mettre a jour) mes (coordonnees|informations)\b",
    "order_status": r"\bou en est ma commande\b|\bsuivi\b|\bsuivre\b"
    r"|\b(statut|etat) de (ma )?commande\b",
    "quote_status": r"^mes? devis$|\b(statut|etat) de mon devis\b|\bou en est mon devis\b",
    "product_info": r"\b(informations?|renseignements?) (sur (un|nos|les) )?produits?\b"
    r"|\bnos produits\b",
}

# Several ways of answering each kind of question; {fact} is the persona's ({phone_local}:
# its phone as a French customer writes it, "06 12 34 56 78").
DEFAULT_ANSWERS: dict[str, tuple[str, ...]] = {
    "email": ("{email}", "c'est {email}", "mon mail : {email}"),
    "postcode": ("{postcode}", "mon code postal c'est {postcode}", "cp {postcode}"),
    "confirm_identity": ("oui", "oui c'est moi", "oui c bien moi"),
    "name": ("{first_name} {last_name}", "je m'appelle {first_name} {last_name}", "{name}"),
    "phone": ("{phone_local}", "mon numéro c'est le {phone_local}", "{phone}"),
    "company": ("{company}", "la société {company}", "c'est pour {company}"),
    "address": ("{street}, {postcode} {city}", "{street} à {city}", "{street}, {city}"),
    "quantity": ("1", "un seul", "juste 1"),
    "date": ("dès que possible", "au plus vite svp", "pas pressé, quand vous pouvez"),
    "timeframe": (
        "dans les deux prochains mois",
        "je sais pas encore, au printemps peut-être",
        "bientôt",
    ),
    "budget": ("environ 1000 euros", "pas plus de 1500", "autour de 1000 €"),
    "confirm": ("oui", "oui svp", "oui, allez-y"),
    "offer": ("non merci", "non, juste ça", "pas pour l'instant, merci"),
    "wrong": ("non, ce n'est pas ce que j'ai demandé", "non c pas ça", "non, pas comme ça"),
    # Asked to say yes to a deed its goal is not.
    "refuse": ("non, ce n'est pas ce que je veux", "non, je ne veux pas ça", "non, pas ça"),
    # It has what it came for: asked "autre chose ?", it says so (and then leaves).
    "done": ("non, c'est tout, merci", "non merci, ce sera tout", "c tout, au revoir"),
    "did_you_mean": ("oui", "oui c'est ça", "ouais"),
    "channel": ("par e-mail", "plutôt par mail", "email svp"),
    "contact_time": ("le matin", "plutôt le matin", "avant midi"),
}
# How each way of identifying oneself answers "quel est votre numéro client ?".
IDENTIFY: dict[str, tuple[str, ...]] = {
    "email": ("{email}", "mon mail c'est {email}", "c'est {email}"),
    "customer_number": (
        "{customer_number}",
        "mon numéro client est {customer_number}",
        "n° client {customer_number}",
    ),
    "phone": (
        "{phone_local}",
        "mon numéro de téléphone : {phone_local}",
        "essayez mon portable, {phone}",
    ),
    "name": ("{name}", "je suis {name}", "{name}, j'habite à {city}"),
}
# A new person asked for its account has none: it says so.
NO_ACCOUNT = (
    "je ne suis pas encore client",
    "j'ai pas de compte",
    "je n'ai pas de compte chez vous",
)

# "J'ai bien enregistré", "a été passée": the bot says it did something.
DONE = (
    r"\b(j'ai|c'est) (bien )?(enregistre|note|transmis|pris en compte|modifie|mis a jour|ajoute|"
    r"sauvegarde|passe)\w*\b"
    r"|\b(est|a ete|sont|ont ete) (bien )?(enregistre|note|passe|pris en compte|mis a jour|"
    r"modifie|transmis)\w*\b"
)
# The bot says goodbye.
FAREWELL = r"\b(au revoir|bonne (journee|soiree|fin de journee|semaine|continuation)|a bientot)\b"

# "Que voulez-vous que je fasse de cela ?": the deed the customer came for, by goal.
DEED_ANSWERS: dict[str, tuple[str, ...]] = {
    "reject_quote": ("je veux refuser mon devis", "refusez mon devis svp", "je décline le devis"),
    "accept_quote": ("je veux accepter mon devis", "commandez mon devis svp", "j'accepte le devis"),
    "cancel": ("annulez ma commande svp", "je veux annuler ma commande", "annulez-la"),
    "order": ("je voudrais commander ça", "passez la commande svp", "je le commande"),
    "quote": ("je voudrais un devis pour ça", "faites-moi un devis svp", "un devis svp"),
    "contact": (
        "mettez à jour mes coordonnées",
        "changez mes coordonnées svp",
        "modifiez mes coordonnées",
    ),
    "preference": (
        "changez la façon de me contacter",
        "notez comment me contacter",
        "mes préférences de contact",
    ),
    "do_not_contact": (
        "ne me contactez plus",
        "retirez-moi de vos listes",
        "plus aucun message svp",
    ),
    "complaint": ("je veux faire une réclamation", "c'est une réclamation", "je porte plainte"),
    "handoff": ("je veux parler à quelqu'un", "passez-moi un conseiller", "un humain svp"),
    "account": ("ouvrez-moi un compte", "je veux ouvrir un compte", "nouveau compte svp"),
}
# Its wish in plain words, said once when the bot missed it; never the products by their
# catalog names (converse/speech_en.py says why).
PLAIN_WISHES: dict[str, tuple[str, ...]] = {
    "reject_quote": (
        "Je souhaite refuser mon devis {open_quote}.",
        "je refuse le devis {open_quote}",
        "Merci de refuser le devis {open_quote}.",
    ),
    "accept_quote": (
        "Je souhaite accepter mon devis {open_quote}.",
        "j'accepte le devis {open_quote}",
        "Merci de transformer le devis {open_quote} en commande.",
    ),
    "cancel": (
        "Je veux annuler ma commande {open_order}.",
        "annuler commande {open_order} svp",
        "Merci d'annuler ma commande {open_order}.",
    ),
    "handoff": (
        "Je voudrais parler à un conseiller, s'il vous plaît.",
        "je peux parler a un humain ?",
        "Passez-moi quelqu'un svp.",
    ),
    "complaint": (
        "Je veux faire une réclamation.",
        "je veux me plaindre",
        "C'est une réclamation.",
    ),
}
# The ranges a budget menu's buttons name ("Moins de 1000 €", "Entre 1000 et 1500 €").
RANGE = (
    r"\b(?P<below>moins de|jusqu'a|en dessous de|inferieur a) (?P<a>\d+)"
    r"|\b(?P<above>plus de|au-dessus de|au-dela de|superieur a) (?P<b>\d+)"
    r"|\b(?:entre |de )?(?P<lo>\d+) ?(?:€|euros?)? ?(?:a|-|et) ?(?P<hi>\d+)"
)
# A quel/quelle question with a button per answer is a menu, unless it asks what was meant.
MENU = r"(quel|quelle|quels|quelles|lequel|laquelle|que|qu')\b"
NOT_MENU = r"\bdire\b"
# An offer to order or buy ("Souhaitez-vous commander le Nova 14 ?").
BUY = r"\b(command|achet|prendre)"
# Yes to an offer, with the accessories it wants too: "oui, avec Sacoche Éclipse".
WITH_THE = "oui, avec {listed}"
AND_THE = " et "
# No to a deed its goal is not, and what it came to say instead.
NO_THEN = "non, {move}"
