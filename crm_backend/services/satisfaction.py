"""Customer satisfaction (CSAT): one question at a contact's end, a score from 1 to 5.

When the question is asked (:func:`survey_refusal` says why not):

- at the end of an inbound contact only: after the customer told the bot
  goodbye (or "nothing else"), or after an agent closed a handed-off web chat
  or SMS conversation (:func:`ask_after_agent`). A contact that ended without one (the customer
  left or hung up mid-way, the session expired) is never surveyed: nobody is
  chased with a question after they walked away;
- once per interaction: ``satisfaction_asked_at`` is kept even when no answer
  came, and a second goodbye asks nothing;
- never on our own calls (an outbound campaign contact is not a service the
  customer asked for), never to an account or number marked do-not-contact,
  never on a channel the account or number opted out of (an SMS "STOP"
  number gets no text at all), and never after the customer complained in
  the same contact: an upset customer gets an adviser, not a rating scale.

How an answer is read (:func:`read_rating`): a score from 1 to 5 as people
give it ("5", "five", "4/5", "4 stars", "I'd give it a 4", "★★★★"), or
a word whose meaning is clear ("great" 5, "good" 4, "bad" 2, "terrible"
1). Lukewarm words ("ok", "meh", "fine", "not bad") are no score: the bot
asks once more for the closest number rather than guess. What follows the
score is the customer's comment, kept on the interaction (never logged).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import InteractionNotFound, InvalidContactData, InvalidRequest, InvalidStatusChange
from ..models import ContactChannel, HandoffReason, Interaction
from ..text import normalize_phone
from ..uow import UnitOfWork
from . import consent
from .conversation import get_interaction
from .dates import now_or

LOWEST, HIGHEST = 1, 5
# A score of 4 or 5 counts as satisfied (the usual CSAT definition).
SATISFIED_FROM = 4
MAX_COMMENT_CHARS = 1000

# Why no question is asked (survey_refusal).
OUTBOUND = "outbound contact"
ASKED_ALREADY = "asked already"
UPSET = "the customer complained"
DO_NOT_CONTACT = consent.DO_NOT_CONTACT
OPTED_OUT = consent.OPTED_OUT

# Where the bot can still ask after an agent closed a handed-off conversation: a
# call was put through to the agents' line, the bot is no longer on it.
AFTER_AGENT_CHANNELS = frozenset({"web", "sms"})
# The doors' channels as consent knows them; a web chat has no channel consent.
_CONSENT_CHANNELS = {"voice": ContactChannel.PHONE, "sms": ContactChannel.SMS}

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
# Longest first, so "very good" wins over "good" and "not great" over "great".
_WORDS = sorted(
    {
        **dict.fromkeys(
            ("excellent", "great", "perfect", "amazing", "fantastic", "brilliant", "superb",
             "outstanding", "awesome", "wonderful", "very good", "really good", "very helpful",
             "really helpful", "loved it"),
            5,
        ),
        **dict.fromkeys(("good", "helpful", "nice", "pretty good", "quite good"), 4),
        **dict.fromkeys(
            ("bad", "poor", "not good", "not great", "not helpful", "unhelpful",
             "disappointing", "not very good", "not very helpful"),
            2,
        ),
        **dict.fromkeys(
            ("terrible", "awful", "horrible", "very bad", "really bad", "useless", "the worst",
             "appalling", "rubbish", "very poor"),
            1,
        ),
    }.items(),
    key=lambda item: -len(item[0]),
)  # fmt: skip
# Said before the score: "I'd give it a 4", "it was great", "really good".
_LEAD_IN = re.compile(
    r"^(?:(?:i'?d|i would|i)\s+(?:give|rate|say)(?:\s+(?:it|you|that|this|the bot))?"
    r"(?:\s+an?)?\s+|(?:it|that|this|you)(?:'s|'re| was| is| were| have been)\s+|"
    r"(?:rating|score)\s*:?\s*|an?\s+|maybe\s+|honestly\s+|really\s+|absolutely\s+|just\s+)+"
)
_SCORE = re.compile(
    r"(?P<n>[1-5]|one|two|three|four|five)(?![\d.,]\d)(?!\d)"
    r"(?P<scale>\s*(?:/|out of|of)\s*(?P<of>\d+|five|ten))?"
    r"(?:\s*(?:stars?|\*|⭐)(?=\W|$))?(?!\w)"
)
_STARS = re.compile(r"(?P<s>[★⭐]{1,5})(?![★⭐])")
_SEPARATORS = " \t\n,.;:!-\u2013\u2014/)("
# Politeness after a score is no comment.
_NO_COMMENT = frozenset(
    {"", "thanks", "thank you", "thx", "cheers", "bye", "goodbye", "thanks bye", "ta"}
)
_REFUSALS = frozenset(
    {"no", "no thanks", "no thank you", "nope", "skip", "pass", "not now", "no time",
     "rather not", "i'd rather not", "i would rather not", "bye", "goodbye", "no bye",
     "leave me alone", "don't want to", "i don't want to"}
)  # fmt: skip


@dataclass(frozen=True)
class Rating:
    """A customer's answer read as a score from 1 to 5, and what they added."""

    score: int
    comment: str | None = None


def read_rating(text: str) -> Rating | None:
    """The score and comment in a customer's answer, or None where it gives no clear score."""
    said = text.strip()
    lowered = said.lower()
    lead = _LEAD_IN.match(lowered)
    start = lead.end() if lead else 0
    score, end = _score_at(lowered, start)
    if score is None:
        return None
    return Rating(score=score, comment=_comment(said[end:]))


def is_refusal(text: str) -> bool:
    """Whether the answer declines the survey ("no thanks", "skip"): then it is not asked again."""
    words = re.sub(r"[^\w' ]+", " ", text.lower()).split()
    return " ".join(words) in _REFUSALS


def _score_at(lowered: str, start: int) -> tuple[int | None, int]:
    """The score said at ``start`` of the lower-cased text, and where it ends."""
    rest = lowered[start:]
    stars = _STARS.match(rest)
    if stars:
        return len(stars["s"]), start + stars.end()
    number = _SCORE.match(rest)
    if number:
        scale = number["of"]
        if scale is not None and scale not in ("5", "five"):
            return None, start  # "4/10": another scale, not forced into ours
        value, after = number["n"], rest[number.end() :]
        if not value.isdigit() and re.match(r" +[a-z]", after):
            return None, start  # "one more thing": a number word that starts a sentence
        return (int(value) if value.isdigit() else _NUMBER_WORDS[value]), start + number.end()
    for words, score in _WORDS:
        if rest.startswith(words) and not rest[len(words) : len(words) + 1].isalnum():
            return score, start + len(words)
    return None, start


def _comment(rest: str) -> str | None:
    comment = rest.strip(_SEPARATORS).strip()
    if comment.lower().strip(_SEPARATORS) in _NO_COMMENT:
        return None
    return comment[:MAX_COMMENT_CHARS]


def survey_refusal(
    uow: UnitOfWork,
    *,
    interaction_id: int,
    channel: str,
    phone: str | None = None,
    upset: bool = False,
) -> str | None:
    """Why the satisfaction question must not be asked at the end of this contact, or None.

    Args:
        channel: the door (web, sms, voice): an opt-out of that channel refuses.
        phone: the caller's or texter's trusted number, checked like the account.
        upset: the customer complained in this contact.

    Raises:
        InteractionNotFound: no interaction has that id.
    """
    interaction = get_interaction(uow, interaction_id=interaction_id)
    if interaction.direction != "inbound":
        return OUTBOUND
    if interaction.satisfaction_asked_at is not None:
        return ASKED_ALREADY
    if upset:
        return UPSET
    wanted = _CONSENT_CHANNELS.get(channel)
    reasons: list[str | None] = []
    if interaction.account is not None:
        if interaction.account.do_not_contact:
            return DO_NOT_CONTACT
        if wanted is not None:
            reasons.append(consent.contact_refusal(interaction.account, channel=wanted))
    if phone and wanted is not None:
        try:
            number: str | None = normalize_phone(phone)
        except InvalidContactData:
            number = None  # no number to check: the account's word stands
        if number is not None:
            reasons.append(
                consent.number_refusal(uow, phone=number, channel=wanted, marketing=False)
            )
    for reason in (DO_NOT_CONTACT, OPTED_OUT):
        if reason in reasons:
            return reason
    return None


def ask_after_agent(uow: UnitOfWork, *, handoff_id: int, now: dt.datetime | None = None) -> bool:
    """Whether to ask after an agent closed this handoff's conversation; if so, marked asked.

    Asked on the web chat and by SMS only, with the same rule as after a
    goodbye to the bot; a complaint's handoff is not asked.
    """
    handoff = uow.handoffs.get(handoff_id)
    if (
        handoff is None
        or handoff.interaction_id is None
        or handoff.channel not in AFTER_AGENT_CHANNELS
    ):
        return False
    refusal = survey_refusal(
        uow,
        interaction_id=handoff.interaction_id,
        channel=handoff.channel,
        phone=handoff.reply_to,
        upset=handoff.reason == HandoffReason.COMPLAINT,
    )
    if refusal is not None:
        return False
    mark_asked(uow, interaction_id=handoff.interaction_id, now=now)
    return True


def mark_asked(
    uow: UnitOfWork, *, interaction_id: int, now: dt.datetime | None = None
) -> Interaction:
    """Record that the question was asked on this interaction (it will not be asked again).

    Raises:
        InteractionNotFound: no interaction has that id.
        InvalidStatusChange: it was asked already.
    """
    interaction = get_interaction(uow, interaction_id=interaction_id)
    if interaction.satisfaction_asked_at is not None:
        raise InvalidStatusChange(entity="satisfaction survey", current="asked", requested="asked")
    interaction.satisfaction_asked_at = now_or(now)
    uow.flush()
    return interaction


def record_rating(
    uow: UnitOfWork,
    *,
    interaction_id: int,
    score: int,
    comment: str | None = None,
    now: dt.datetime | None = None,
) -> Interaction:
    """Keep the customer's score (1 to 5) and comment on the interaction they rated.

    Raises:
        InteractionNotFound: no interaction has that id.
        InvalidRequest: a score outside 1 to 5.
        InvalidStatusChange: the question was not asked, or was answered already.
    """
    if not LOWEST <= score <= HIGHEST:
        raise InvalidRequest(f"a satisfaction score is {LOWEST} to {HIGHEST}, not {score}")
    interaction = get_interaction(uow, interaction_id=interaction_id)
    if interaction.satisfaction_asked_at is None:
        raise InvalidStatusChange(
            entity="satisfaction survey", current="not asked", requested="answered"
        )
    if interaction.satisfaction_score is not None:
        raise InvalidStatusChange(
            entity="satisfaction survey", current="answered", requested="answered"
        )
    words = (comment or "").strip()
    interaction.satisfaction_score = score
    interaction.satisfaction_comment = words[:MAX_COMMENT_CHARS] or None
    interaction.satisfaction_answered_at = max(now_or(now), interaction.satisfaction_asked_at)
    uow.flush()
    return interaction


def record_answer(
    uow: UnitOfWork,
    *,
    conversation_id: str,
    score: int,
    comment: str | None = None,
    now: dt.datetime | None = None,
) -> Interaction:
    """Keep the answer on the conversation's latest interaction, the one that was asked.

    Raises:
        InteractionNotFound: the conversation has no interaction waiting for an answer.
        InvalidRequest: a score outside 1 to 5.
    """
    found = uow.interactions.list_by(conversation_id=conversation_id.strip(), limit=1)
    asked = next(
        (i for i in found if i.satisfaction_asked_at is not None and i.satisfaction_score is None),
        None,
    )
    if asked is None:
        raise InteractionNotFound(key=conversation_id)
    return record_rating(uow, interaction_id=asked.id, score=score, comment=comment, now=now)
