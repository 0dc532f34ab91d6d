"""English: how a shop assistant asks in English, and how an English customer answers.

One table per job, the same names in every language's module (:mod:`converse.speech`).
"""

from __future__ import annotations

# Question kinds a scenario may give answers for (scenario.answers), most specific first;
# each with the ways a question of that kind is worded (any of them matches).
WORDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("did_you_mean", (
        r"\bdid you mean\b", r"\bdo you mean\b", r"\bdid you want to\b",
        r"\bwere you (asking|looking)\b", r"\bis (that|this) what you meant\b",
        r"\bwhich of these\b",
    )),
    ("confirm_identity", (
        r"\bam i (speaking|talking|chatting) (with|to)\b", r"\bis (this|that) you\b",
        r"\bconfirm (that )?(you are|it'?s you|your identity)\b",
    )),
    # "Just to be sure: do you want me to change how we contact you?" asks yes or no to a
    # deed, whatever its words name (a channel, an e-mail, a quote): the customer checks it.
    ("confirm", (
        r"^(just to be sure: )?(do you want|would you like) me to\b",
        r"^(just to be sure: )?(shall|should) i\b",
    )),
    ("address", (r"\b(postal|new|home|delivery|street) address\b",)),
    ("postcode", (r"\bpost ?code\b", r"\bzip ?code\b", r"\bpostal code\b")),
    ("identify", (
        r"\bcustomer number\b", r"\baccount number\b", r"\bfind your account\b",
        r"\bidentify you\b", r"\blook (you|your account) up\b", r"\bwhich account\b",
    )),
    ("email", (r"\be-?mail\b",)),
    ("phone", (
        r"\bphone\b", r"\bmobile\b", r"\bnumber (can|should|may) (we|i) (call|reach|text)\b",
    )),
    ("name", (
        r"\byour (full )?name\b", r"\bwho am i (speaking|talking|chatting) (with|to)\b",
        r"\bfirst name\b", r"\blast name\b", r"\bsurname\b", r"\bwhat should i call you\b",
    )),
    ("company", (r"\bcompany\b", r"\bbusiness name\b", r"\borgani[sz]ation\b", r"\bfirm\b")),
    ("address", (r"\baddress\b", r"\bstreet\b", r"\bwhere do you live\b")),
    ("product", (
        r"\bwhich (product|model|one|laptop|monitor|printer|phone|item)s?\b", r"\bwhat product\b",
        r"\bwhat are you (interested|looking)\b", r"\bwhich .* interest",
        r"\bwhat would you like to (order|buy|get a quote for)\b",
    )),
    ("quantity", (r"\bhow many\b", r"\bquantit(y|ies)\b", r"\bnumber of (units|items|pieces)\b")),
    ("timeframe", (
        r"\bwhen (are|do|would) you (plan|think|expect|hope|intend|want)\w* to (buy|order)",
        r"\btime ?frame\b", r"\bhow soon\b", r"\bwhen .* (buying|purchase)\b",
    )),
    ("date", (
        r"\bwhen\b.*\b(deliver\w*|need|receive|arrive)\b", r"\bdelivery date\b",
        r"\bwhat date\b", r"\bwhich date\b", r"\bby when\b", r"\bwhat day\b",
    )),
    ("budget", (r"\bbudget\b", r"\bhow much .* (spend|pay)\b", r"\bprice range\b")),
    ("channel", (
        r"\b(which|what|how) .*\b(channel|contact you|reach you|get in touch)\b",
        r"\bby (phone|sms|e-?mail|text)\b.*\bor\b",
    )),
    ("contact_time", (
        r"\bwhat time\b", r"\bwhich time\b", r"\bbest time\b", r"\btime of day\b",
        r"\bmornings?\b.*\bor\b", r"\bwhen (should|can|may) we (call|contact|reach)\b",
    )),
    ("details", (
        r"\bwhat happened\b", r"\btell me more\b", r"\bwhat went wrong\b", r"\bdescribe\b",
        r"\bwhat'?s (wrong|the (problem|issue|matter))\b", r"\bwhat is (it|this) about\b",
        r"\bmore details?\b", r"\byour (feedback|comment|opinion)\b",
        r"\bwhat would you like to (say|tell|share)\b",
    )),
    # "Thanks. What would you like me to do with that?": the deed for what the customer said.
    ("action", (
        r"\bwhat (would you like|do you want) me to do\b", r"\bwhat (shall|should) i do with\b",
    )),
    ("anything_else", (
        r"\banything else\b", r"\bsomething else\b", r"\belse (i|we) can\b", r"\belse can i\b",
        r"\bcan i help (you )?with anything\b",
    )),
    ("open", (
        r"\bhow can i help\b", r"\bwhat can i do for you\b", r"\bhow may i help\b",
        r"\bwhat (can|may) i help\b", r"\bwhat brings you\b", r"\bhow can i assist\b",
    )),
    ("confirm", (
        r"\b(shall|should|can|may) i (place|create|book|send|go|put|make|save|record|change)",
        r"\bgo ahead\b", r"\bis (that|this|everything) (right|correct|ok|okay)\b",
        r"\bare you sure\b", r"\bconfirm\b", r"\bplace (it|the order|this order)\b",
        r"\b(ok|okay|right|correct)\s*\?", r"\bwould you like me to\b",
    )),
    ("offer", (
        r"\bwould you like\b", r"\bdo you want\b", r"\b(shall|should|can|may) i\b",
        r"\binterested in\b", r"\b(add|also|as well|too|recommend|suggest|bundle)\b",
    )),
)  # fmt: skip

# "How can we reach you? An e-mail address or a phone number is fine.": the line after the
# question says what answer it wants, an address (not "by e-mail").
WANTS_ADDRESS = r"\be-?mail address\b.*\b(phone|mobile)\b|\b(phone|mobile) number\b.*\be-?mail\b"

REQUEST = (
    r"\b(please|kindly)\b.*\b(type|give|enter|tell|send|share|provide|say|write|choose|pick|confirm)\b"
    r"|^(type|give|enter|tell|send|share|provide|choose|pick|confirm)\b|\b(what|which)'?s? your\b"
)

# What a yes would have the bot do, from the words any assistant would use; the first that
# matches wins ("turn your quote into an order" is accepting a quote, not a new order).
DEEDS: tuple[tuple[str, str], ...] = (
    ("cancel", r"\bcancel"),
    ("accept_quote", r"\bturn\b.*\binto an order\b|\b(accept|confirm)\b.*\b(quote|offer)\b"),
    ("reject_quote", r"\b(reject|decline|turn down|refuse)\b.*\b(quote|offer)\b"),
    ("do_not_contact", r"\boff (our|the|your) (mailing )?lists?\b|\bstop contacting\b"
                       r"|\bnever contact\b|\bdo not contact\b|\bno longer contact\b"),
    ("preference", r"\bhow (and when )?(we|to) contact\b|\bwhen (we|to) (contact|call)\b"
                   r"|\bcontact preferences?\b|\bopt (you )?(out|in)\b|\bunsubscribe\b"),
    ("contact", r"\bcontact details\b|\b(change|update)\b.*\b(e-?mail|phone|address|details)\b"),
    ("account", r"\b(open|create)\b.*\baccount\b"),
    ("quote", r"\bquote\b"),
    ("order", r"\border\b|\bplace it\b|\bbuy\b"),
    ("complaint", r"\bcomplaint\b"),
    ("feedback", r"\bfeedback\b"),
    ("handoff", r"\b(adviser|advisor|agent|colleague|person|human)\b"),
    ("lead", r"\bkeep you (informed|posted)\b|\bget back to you\b|\bfollow (it )?up\b"),
)  # fmt: skip

# The buttons that say what a goal is (a "Did you mean one of these?" menu), by goal.
GOAL_BUTTONS: dict[str, str] = {
    "order": r"\b(place|make) an order\b|\blet'?s order\b|\border it\b|^buy\b",
    "quote": r"\b(get|request|ask for) a quote\b",
    "accept_quote": r"\border it\b|\baccept\b|\border from my quote\b",
    "reject_quote": r"\bdecline\b|\breject\b|^my quotes?$",
    "complaint": r"\bcomplain",
    "feedback": r"\bfeedback\b",
    "handoff": r"\b(talk|speak) to (a|an|someone)\b|\b(person|human|adviser|advisor|agent)\b",
    "account": r"\b(open|create) an account\b|\bnew customer\b",
    "contact": r"\b(update|change) my (contact )?details\b",
    "order_status": r"\bwhere is my order\b|\border status\b|\btrack\b",
    "quote_status": r"^my quotes?$|\bquote status\b|\bstatus of my quote\b",
    "product_info": r"\bproduct information\b|\bour products\b",
}

# Several ways of answering each kind of question; {fact} is the persona's.
DEFAULT_ANSWERS: dict[str, tuple[str, ...]] = {
    "email": ("{email}", "it's {email}", "sure: {email}"),
    "postcode": ("{postcode}", "my postcode is {postcode}", "it's {postcode}"),
    "confirm_identity": ("yes", "yes that's me", "yep, that's me"),
    "name": ("{first_name} {last_name}", "my name is {first_name} {last_name}", "I'm {name}"),
    "phone": ("{phone}", "my number is {phone}", "it's {phone}"),
    "company": ("{company}", "the company is {company}", "it's for {company}"),
    "address": ("{street}, {postcode} {city}", "{street} in {city}", "{street}, {city}"),
    "quantity": ("1", "just one", "one please"),
    "date": ("as soon as possible", "asap please", "whenever, no rush"),
    "timeframe": ("in the next couple of months", "not sure yet, maybe in spring", "soon-ish"),
    "budget": ("around 1000 euros", "not more than 1500", "about 1000 euros"),
    "confirm": ("yes", "yes please", "yes, go ahead"),
    "offer": ("no thanks", "no, just that", "not for now, thanks"),
    "wrong": ("no, that's not what I asked for", "no that's wrong", "no, not like that"),
    # Asked to say yes to a deed its goal is not ("Shall I place it?" to someone declining).
    "refuse": ("no, that's not what I want", "no, I don't want that", "no, not that"),
    # It has what it came for: asked "anything else?", it says so (and then leaves).
    "done": ("no, that's all, thanks", "no thanks, that's everything", "that's all, bye"),
    "did_you_mean": ("yes", "yes that's it", "yeah"),
    "channel": ("by e-mail", "e-mail is best", "email please"),
    "contact_time": ("in the mornings", "mornings are best", "before noon"),
}
# How each way of identifying oneself answers "which account are you?".
IDENTIFY: dict[str, tuple[str, ...]] = {
    "email": ("{email}", "my email is {email}", "it's {email}"),
    "customer_number": (
        "{customer_number}",
        "my customer number is {customer_number}",
        "customer no {customer_number}",
    ),
    "phone": ("{phone}", "my phone number is {phone}", "try my mobile, {phone}"),
    "name": ("{name}", "I'm {name}", "{name}, I live in {city}"),
}
# A new person asked for its account has none: it says so.
NO_ACCOUNT = ("I'm not a customer yet", "i don't have an account", "I have no account with you")

# "I've recorded it", "is placed": the bot says it did something.
DONE = (
    r"\bi'?ve (recorded|noted|passed|taken|changed|updated|saved|registered|added|logged)\b"
    r"|\bis (placed|recorded|noted)\b|\bhas been (recorded|noted|placed|updated)\b"
)
# The bot says goodbye.
FAREWELL = r"\b(bye|goodbye|have a (nice|good|great) (day|evening|weekend)|take care)\b"

# "What would you like me to do with that?": the deed the customer came for, by goal.
DEED_ANSWERS: dict[str, tuple[str, ...]] = {
    "reject_quote": ("I want to reject my quote", "decline my quote please", "turn my quote down"),
    "accept_quote": ("I want to accept my quote", "order my quote please", "accept the quote"),
    "cancel": ("cancel my order please", "I want to cancel my order", "cancel it"),
    "order": ("I'd like to order that", "place an order please", "order it please"),
    "quote": ("I'd like a quote for that", "prepare a quote please", "a quote please"),
    "contact": ("update my contact details", "change my details please", "change my details"),
    "preference": ("change how you contact me", "note how to contact me", "my contact preferences"),
    "do_not_contact": ("stop contacting me", "take me off your lists", "no more messages please"),
    "complaint": ("I want to make a complaint", "it's a complaint", "I'm complaining"),
    "handoff": ("I want to talk to a person", "put me through to someone", "a human please"),
    "account": ("open an account for me", "I want to open an account", "new account please"),
}
# Its wish in plain words, said once when the bot missed it. Never the products by their
# catalog names: "the cheaper one" restated as "1 Nova 14" would do the bot's work for it
# (what a reference, an accessory "for my printer" or "one of each" means is what those
# scenarios test), so a customer misunderstood about products says its own line again.
PLAIN_WISHES: dict[str, tuple[str, ...]] = {
    "reject_quote": (
        "I want to reject my quote {open_quote}.",
        "i decline quote {open_quote}",
        "Please reject quote {open_quote}.",
    ),
    "accept_quote": (
        "I want to accept my quote {open_quote}.",
        "i accept quote {open_quote}",
        "Please turn quote {open_quote} into an order.",
    ),
    "cancel": (
        "I want to cancel my order {open_order}.",
        "cancel order {open_order} pls",
        "Please cancel my order {open_order}.",
    ),
    "handoff": (
        "I want to talk to a person, please.",
        "can i speak to a human",
        "Please put me through to an adviser.",
    ),
    "complaint": ("I want to make a complaint.", "i want to complain", "This is a complaint."),
}

# The ranges a budget menu's buttons name ("Under 1000 euros", "1000 to 1500 euros").
RANGE = (
    r"\b(?P<below>under|below|less than|up to) (?P<a>\d+)"
    r"|\b(?P<above>over|above|more than) (?P<b>\d+)"
    r"|\b(?:between )?(?P<lo>\d+) ?(?:to|-|and) ?(?P<hi>\d+)"
)
# A which/what question with a button per answer is a menu ("Which detail would you like to
# update?"), unless it asks what the customer meant.
MENU = r"(which|what)\b"
NOT_MENU = r"\bmean\b"
# An offer to order or buy ("Would you like to order the Nova 14?").
BUY = r"\b(order|buy)"
# Yes to an offer, with the accessories it wants too: "yes, with the Éclipse Laptop Bag".
WITH_THE = "yes, with the {listed}"
AND_THE = " and the "
# No to a deed its goal is not, and what it came to say instead.
NO_THEN = "no, {move}"
