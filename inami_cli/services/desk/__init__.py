"""Support desk answers (``inami desk``): one plain sentence, the reasons, the details.

Staff on the phone ask five things: is this person insured, how much comes back for this
act, what is this code, what did a committee decide about something, how much will I get
during an illness or a maternity rest. Each answer here is built only from the public
functions of the area services (``insurability``, ``reimbursement``, ``nomenclature``,
``committees``, ``indemnities``): this package adds the wording and the look-ups a person
needs (completion choices, a forgiving search of decisions), never a rule of its own.
Nothing is written; the caller may keep the answer in the consultation log
(``DeskAnswer.as_record``).

This package is the public face; by sub-topic: ``_answer`` (the answer's parts and the
shared wording), one module per question (``_insured``, ``_reimbursement``, ``_code``,
``_decision``, ``_indemnity``) and ``_choices`` (the codes offered and matched when
prompting for one).
"""

from __future__ import annotations

from inami_cli.services.desk._answer import (
    QUESTIONS,
    DeskAnswer,
    Table,
    euros,
    insurer_words,
    patient_words,
    period_text,
    profile_words,
)
from inami_cli.services.desk._choices import (
    CodeChoice,
    code_category,
    code_choices,
    match_choices,
    resolve_code,
)
from inami_cli.services.desk._code import code_answer
from inami_cli.services.desk._decision import decision_answer
from inami_cli.services.desk._indemnity import EVENTS, indemnity_answer
from inami_cli.services.desk._insured import insured_answer, insured_sentence
from inami_cli.services.desk._reimbursement import (
    explanation_words,
    reimbursement_answer,
    reimbursement_sentence,
)

__all__ = [
    "EVENTS",
    "QUESTIONS",
    "CodeChoice",
    "DeskAnswer",
    "Table",
    "code_answer",
    "code_category",
    "code_choices",
    "decision_answer",
    "euros",
    "explanation_words",
    "indemnity_answer",
    "insured_answer",
    "insured_sentence",
    "insurer_words",
    "match_choices",
    "patient_words",
    "period_text",
    "profile_words",
    "reimbursement_answer",
    "reimbursement_sentence",
    "resolve_code",
]
