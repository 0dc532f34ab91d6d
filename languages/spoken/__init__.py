"""Spoken forms: what a speech recogniser writes, made into what the bot reads.

A caller says "my customer number is C as in Charlie one zero zero zero zero
one"; the recogniser writes it as words. :func:`normalise` turns it into the
form a typing customer would use ("C-100001"), before the NLU, for every
phone door and language. Plain Python, no Rasa import: both environments may
use it.

What it writes, in English and French (one table each: ``words_en.py``,
``words_fr.py``), in this order:

1. e-mail addresses said aloud, lowercase: "marie dot curie at example dot
   com", "jean tiret du bas dupont arobase free point fr" (``emails.py``: only
   around an "at" followed by a domain that ends in a top-level domain);
2. customer, order and quote numbers: "see one zero zero zero zero one",
   "C for Charlie ...", "S O zero zero zero one two three", "C comme Charles
   ...", "c100001" are C-100001, SO-000123 (``codes.py``: letters right before
   exactly six digits);
3. numbers, in figures (``numbers.py``, which says what is one digit string, a
   price, a time or separate quantities, and which number words stay words):
   "three thousand" 3000, "six nine zero zero two" 69002, "zéro six
   quatre-vingt-dix-huit ..." 0698..., "for twelve ninety-nine" 12.99, "douze
   euros quatre-vingt-dix-neuf" 12.99, "double six" 66, "3,000" 3000, "3 000"
   (French) 3000; "two bags and one battery" stays two quantities, and "no
   one", "one of my friends", "I'll take one", "un devis" stay words.

What it does not do: it corrects no misheard word but the homophones of
digits ("oh", "for", "to", "too", "won", "ate", where only a digit fits),
guesses no letter a recogniser did not write, and reads no dates, ordinals,
fractions or "a dozen", and French pairs said without their hyphens read as one
number ("soixante douze" is 72, not 60 and 12). Text already written as the bot
reads it (typed chat: "C-100001", "marie.curie@example.com", "1,299.00 €",
"12/12/2026", "3:30", "I'd like 2 bags") comes back unchanged, and so does
every character no rule converts (spacing, case, punctuation). A language it
has no table for comes back unchanged. It never raises, and its time is linear in the text.
"""

from __future__ import annotations

from . import codes, emails, numbers
from .atoms import atomise
from .context import Context
from .phrases import runs
from .table import Spoken
from .tokens import apply, tokenise
from .words_en import EN
from .words_fr import FR

TABLES: dict[str, Spoken] = {table.code: table for table in (EN, FR)}


def normalise(text: str, language: str, *, expecting: str | None = None) -> str:
    """``text`` as the bot reads it; ``expecting`` is the question asked (a form's slot), if any.

    ``language`` is the conversation's ("en", "fr"; "fr-FR" reads as "fr").
    ``expecting`` only makes readings that depend on the question safer (a run
    of number words is a postcode when a postcode is asked); everything also
    works without it.
    """
    table = TABLES.get(language.split("-")[0].split("_")[0].lower())
    if table is None or not text.strip():
        return text
    ctx = Context(tokenise(text), table, expecting)
    edits = emails.find(ctx)
    edits += codes.written(ctx)
    atoms = atomise(
        ctx.tokens,
        table.lexicon,
        table.fillers,
        comma_groups=table.comma_groups,
        claimed=ctx.claimed,
    )
    edits += numbers.read(runs(atoms, ctx), atoms, ctx)
    return codes.keyed_customer_number(apply(text, edits), expecting)
