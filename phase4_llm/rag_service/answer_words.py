"""Word lists for `answer_span`: title words, organisation words, the nouns that name an
answer type in "which X" questions, and the few synonyms news questions paraphrase with."""

# ruff: noqa: SIM905

CONNECTORS = frozenset("of de van von der la du the and & for".split())
LEAD = frozenset(
    "The A An But And He She It They We I In On At For This That His Her Its Their Mr Mrs Ms "
    "Dr Sir However Meanwhile Last Next".split()
)
TITLES = frozenset(
    "US UK Ambassador Minister Secretary Treasury Inspector Detective Chancellor President "
    "Prime Chief Executive Director Professor Prof Lord Lady Judge Coach Manager Captain "
    "Schools Home Foreign Health Education Culture Shadow Sgt Superintendent Constable".split()
)
ORG_WORDS = frozenset(
    "Bank Group plc Plc Corp Corporation Inc Ltd Police Society Authority Games Council "
    "Commission Party Association Union Agency Office Ministry Department Board Institute "
    "University School College Airlines Airways Motors Records Studios Pictures Channel FC "
    "United Rovers Athletic Club Federation Trust Foundation Service Services Partners "
    "Capital Securities Telecom Communications Holdings International Network Television "
    "Radio News Times Post Journal Magazine Organisation Organization Fund Exchange Court".split()
)
PERSON_TYPES = (
    "actor actress player politician economist analyst minister boss singer director manager "
    "coach chairman chief executive presenter star author writer leader secretary spokesman "
    "spokeswoman founder captain striker goalkeeper winger batsman artist judge detective "
    "official executive guitarist constable officer president governor friend assistant "
    "figure economist chancellor mp commissioner athlete frontbencher campaigner journalist "
    "midfielder prop full-back centre fly-half defender forward democrat"
).split()
ORG_TYPES = (
    "bank company firm club team broadcaster regulator party body group society organisation "
    "organization newspaper channel airline carrier network agency union university "
    "manufacturer maker retailer operator label studio insurer lender council watchdog "
    "charity station publisher force magazine paper broadcasters bookmaker side court"
).split()
# Question words that carry no content ("which seeds go into bread": only seeds, bread).
QSTOP = frozenset(
    "go goes went into onto about after before than then there also can may so up out over "
    "just now much many far long often old get got make made take took name called according "
    "roughly exactly currently".split()
)
STOP_NOUN = frozenset(
    "is was are were did does do will has had would could said made of to in for".split()
)
PLACE_TYPES = ("city country town village state county region nation island venue capital").split()
TYPE_NOUNS = frozenset(PERSON_TYPES + ORG_TYPES + PLACE_TYPES)
# A few paraphrases news questions use for the article's words; each maps to one stem.
SYNONYMS = {
    **dict.fromkeys("staff employees employs employ employed workers workforce".split(), "staff"),
    **dict.fromkeys("runs run boss head heads chief".split(), "boss"),
    **dict.fromkeys("shut closure closing close closed".split(), "clos"),
    **dict.fromkeys("bought buy buys purchase acquired".split(), "buy"),
    **dict.fromkeys("drop dropped fell fall falls lost lose slid".split(), "fall"),
    **dict.fromkeys("rose rise rises climbed gained jumped up".split(), "rise"),
    **dict.fromkeys("pay pays paid paying".split(), "pay"),
    **dict.fromkeys("sell sells sold selling".split(), "sell"),
    **dict.fromkeys("win wins won winning".split(), "win"),
    **dict.fromkeys("reach reaches reached reaching".split(), "reach"),
}
