"""The one prompt-injection screen of the project: instruction-like spans in untrusted text.

Untrusted text (retrieved documents, tool output, user queries that try to take over) is data,
never instructions. This module only *finds* the spans; each caller decides what to do with
them: the RAG service refuses such queries and cuts such sentences out of documents, the agent
redacts them from tool output, and phase 5's security service reports them. Keeping one list
means a pattern added for one attack protects every entry point.

Patterns run on two views of the text, so obfuscation meets the same patterns:
1. `normalise`: NFKC (fullwidth and styled letters fold to ASCII) without zero-width
   characters and soft hyphens; chat-markup tokens such as `<|im_start|>` are still visible;
2. `matching_view`: view 1 with HTML entities decoded, tags opened up (the text of hidden
   elements, comments and `alt` attributes is matched like any other), hyphens inside words
   and spaced-out letters joined ("ig-nore", "I g n o r e"), then the confusable skeleton
   (Cyrillic/Greek look-alikes to Latin, `confusables.py`).
The second, semantic check (similarity to labelled attack phrasings) is `semantic_screen.py`.
Every pattern is linear-time on hostile input (bounded gaps, no nested unbounded runs); the
tests prove it under a CPU limit.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable

from phase4_llm.common.confusables import skeleton
from phase4_llm.common.regex_gate import finditer_gated, literal_gate

_TARGETS = (
    r"(instructions?|prompts?|rules|guidelines|context|above|directions|directives|"
    r"constraints|orders|configuration|guidance|commands|setup|polic(y|ies)|safeguards|filters)"
)
_AI = r"(ai|assistant|model|chatbot|bot|llm|dan|terminal|hacker|admin\w*|root)"
INJECTION_PATTERNS = [
    # Override: an order to drop what came before. Weaker verbs ("abandon draft guidelines"
    # is news) need a pointer to the earlier text: your/previous/above...
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b" + _TARGETS,
    r"\b(skip|discard|drop|abandon|neglect|erase|wipe|countermand|overrule|supersedes?|"
    r"set aside|pay no attention to|throw away)\b(.{0,30}\b(your|previous|prior|earlier|"
    r"preceding|original|initial|all)\b.{0,30}\b"
    + _TARGETS
    + r"|.{0,40}\b"
    + _TARGETS
    + r"\s+(above|before))",
    r"\b(do not|don't|never|stop)\s+(obey(ing)?|follow(ing)?|listen(ing)? to)\b.{0,30}"
    r"\b(system|developer|operator|instructions?|rules|orders|guidelines)",
    r"\b(your|the previous|prior|earlier|original)\s+(instructions|rules|guidelines|directions|"
    r"directives|constraints|orders|prompt)\b.{0,25}\b(no longer apply|are (now )?(void|cancel+ed|"
    r"lifted|suspended|invalid|outdated)|have been (updated|cancel+ed|lifted|changed|revoked))",
    # Persona hijack.
    r"\byou are now\b|\bfrom now on\b,?[ \t]{1,3}(.{0,40}\byour?\b.{0,20}\b(will|must|are|only|"
    r"obey|follow|act|respond|answer|goal)\b|(answer|reply|respond|say|always|only|obey|act|"
    r"ignore|print|output|call)\b)",
    r"\b(act|behave|respond)\s+as\s+(an?\s+|my\s+|your\s+)?(\w+\s+)?" + _AI + r"\b",
    r"\bpretend\s+(to be|you are|you're)\s+(an?\s+|my\s+)?(\w+\s+)?" + _AI + r"\b",
    r"\bjailbr(eak|oken)\b|\bDAN mode\b|\b(developer|unrestricted|maintenance|god) mode\b",
    r"\b(ai|model|assistant|bot|chatbot)\b.{0,30}\b(without|with no|no)\s+(any\s+)?"
    r"(restrictions|limits|filters|rules|policy|safety)",
    # Exfiltration: show the prompt, keys, secrets.
    # (the object must be the model's: "reveal their password" and "translate signals into
    # instructions" are news)
    r"\b(reveal|leak|show|print|repeat|dump|expose|echo|quote|copy|paste|share|translate|list|"
    r"output|include|tell|give|write out)\b(\s+(me|us))?\s+(.{0,20}\s)?(your|the|any|all)\s+"
    r"(.{0,20}\s)?(prompt|instructions?|api[ _-]?keys?|secrets?|password|credentials|canary|"
    r"(developer|system|initial|hidden) message)",
    r"\byour\s+(system|developer|hidden|secret|initial|original|internal|confidential)\s+"
    r"(prompt|instructions?|message|rules|guidelines|notes)",
    r"\b(respond|reply|answer)\w*\b.{0,30}\b(only|exclusively)\s+(with|by|the word)\b",
    r"\b(say|print|output|repeat)\b.{0,20}\b(pwned|hacked|i have been)",
    r"\b(do not|don't|never)\s+(tell|inform|mention|cite|reveal)\b.{0,15}"
    r"\b(the user|anyone|this|them)\b",
    r"\b(new|updated|real|actual|true)\s+(system\s+)?(task|instructions?|rules?|orders)\s*[:\-]",
    # Chat markup and inline role turns.
    r"^[ \t]*(system|assistant|developer|user|human)[ \t]*:",  # not \s*: "\n"*n is quadratic
    # inline turn: after a sentence end or markup, not prose ("the heart of the system: in")
    r"(^|[.!?>\])-][ \t]{0,3})(system|assistant|developer)[ \t]{0,2}:[ \t]",
    r"\bhuman[ \t]{0,2}:.{0,80}\bai[ \t]{0,2}:",
    r"<\|?\s{0,3}(im_start|im_end|system|endoftext|assistant)\s{0,3}\|?>|\[/?INST\]|<</?SYS>>",
    r"\[(system|inst)\]|#{2,}[ \t]{0,3}(system|instruction)[ \t]{0,3}:|</?(context|system)>",
    r"\bnote to (the )?(ai|assistant|model|llm|chatbot)\b",
    r"\b(break|bypass|ignore|step outside|set)\b.{0,20}\byour\b.{0,20}\b(rules|policies|"
    r"guidelines|boundaries|limits|restrictions)",
    # Aimed at agents: orders to call a tool, tool-call JSON smuggled into data, and markdown
    # images whose URL carries data out (rendering the image sends the request).
    r"\byou (must|should|will) (now )?(call|run|execute|use|invoke)\b",
    r"\b(call|use|invoke|run|execute)\s+(the|your)\s+[\w-]{1,40}\s+(tool|function|api|command)\b",
    r"!\[[^\[\]]{0,100}\]\(https?://[^()\s]{1,300}[?&]\w{1,30}=",
    r"\"(tool|function|name)\"\s{0,3}:\s{0,3}\"\w{1,64}\"\s{0,3},\s{0,3}\"(arguments|args)\"",
    # Other languages: override, persona and exfiltration in de, fr, es, it, pt, nl, pl, ru, zh.
    r"\b(ignorier\w*|vergiss|missachte\w*)\b.{0,40}(anweisung|regeln|vorgaben|befehle)",
    r"\bdu bist (jetzt|nun)\b|\bab sofort\b.{0,30}\b(befolgst|gehorchst)\b|"
    r"\b(gib|verrate|zeig\w*)\b.{0,30}(systemprompt|passwort|api-schlüssel|anweisungen)",
    r"\b(ignore|oublie|ne tiens pas compte)\b.{0,40}\b(instructions?|règles|consignes)|"
    r"\btu es maintenant\b|\bà partir de maintenant, tu\b|"
    r"\b(révèle|affiche|répète|donne)\b.{0,40}\b(mot de passe|prompt|instructions|clé api)",
    r"\b(ignora|olvida|no hagas caso)\b.{0,40}\b(instrucciones|reglas|indicaciones)|"
    r"\bahora eres\b|\ba partir de ahora solo\b|"
    r"\b(revela|muestra|repite|dame)\b.{0,40}\b(contraseña|prompt|instrucciones|clave)",
    r"\b(ignora|dimentica|non considerare)\b.{0,40}\b(istruzioni|regole|indicazioni)|"
    r"\bora sei\b|\bd'ora in poi\b|"
    r"\b(rivela|mostrami|ripeti)\b.{0,40}\b(password|prompt|istruzioni)",
    r"\b(ignore|esqueça|desconsidere)\b.{0,40}\b(instruções|regras|orientações)|"
    r"\bagora você é\b|\ba partir de agora você\b|"
    r"\b(revele|mostre|repita)\b.{0,40}\b(senha|prompt|instruções)",
    r"\b(negeer|vergeet)\b.{0,40}\b(instructies|regels)|\bje bent nu\b|"
    r"\bherhaal\b.{0,40}\binstructies|\b(zignoruj|zapomnij)\b.{0,40}\b(instrukcje|zasad)|"
    r"\bjesteś teraz\b|\bpowtórz\b.{0,40}\binstrukcje",
    r"(игнорируй|забудь|не обращай внимания)\b.{0,40}(инструкц|правил|указани)|"
    r"\bтеперь ты\b|\bс этого момента ты\b|(повтори|покажи|выведи).{0,40}(инструкц|промпт|пароль)",
    r"(忽略|忘记).{0,10}(指令|指示|规则)|你现在是|从现在开始.{0,5}你只|"
    r"(重复|显示|告诉我).{0,10}(系统提示|密码|指令)",
]
_COMPILED = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in INJECTION_PATTERNS]
# The literals each pattern's matches must contain: a text without them skips the pattern
# (most news text meets only a few of the 35 patterns' literals), with the same result.
_GATES = [literal_gate(p, re.IGNORECASE | re.MULTILINE) for p in INJECTION_PATTERNS]
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
_TAG_EDGE = re.compile(r"<!--|-->|[<>]")
_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_SPACED_LETTERS = re.compile(r"(?<!\w)(?:[^\W\d_] ){3,}[^\W\d_](?!\w)")
_SPACES = re.compile(r"[ \t]+")
SENTENCE_GAP = re.compile(r"(?<=[.!?])\s+")


def normalise(text: str) -> str:
    """NFKC and without zero-width characters or soft hyphens (the text callers keep)."""
    return _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))


def matching_view(text: str) -> str:
    """What the patterns see besides `normalise(text)`: markup opened, words re-joined, skeleton.

    `matching_view("<b>ig-nore</b> Рrior") == " b ignore /b Prior"`.
    """
    view = normalise(html.unescape(normalise(text)))  # entities may spell zero-width chars
    view = _TAG_EDGE.sub(" ", view)
    view = _WORD_HYPHEN.sub("", view)
    view = _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), view)
    return skeleton(_SPACES.sub(" ", view))


def injection_matches(text: str) -> list[str]:
    """The instruction-like spans found in `text` (in either view)."""
    plain = normalise(text)
    found = [m.group(0) for m in finditer_gated(_COMPILED, _GATES, plain)]
    view = matching_view(text)
    if view != plain:
        found += [
            m.group(0) for m in finditer_gated(_COMPILED, _GATES, view) if m.group(0) not in found
        ]
    return found


def redact_injections(text: str, replacement: str) -> tuple[str, list[str]]:
    """`text` (normalised) with every instruction-like span replaced; and the spans found.

    Spans visible in the normalised text are replaced in place; a sentence that only its
    matching view reveals (look-alikes, hidden markup) is replaced whole.
    """
    cleaned = normalise(text)
    found: list[str] = []
    for pattern in _COMPILED:
        hits = [m.group(0) for m in pattern.finditer(cleaned)]
        if hits:
            found.extend(hits)
            cleaned = pattern.sub(replacement, cleaned)
    lines = []
    for line in cleaned.split("\n"):
        parts = SENTENCE_GAP.split(line)
        for i, sentence in enumerate(parts):
            hidden = [m for m in injection_matches(sentence) if m not in found]
            if hidden:
                found.extend(hidden)
                parts[i] = replacement
        lines.append(" ".join(parts))
    return "\n".join(lines), found


def strip_injections(
    text: str, semantic: Callable[[list[str]], list[bool]] | None = None
) -> tuple[str, bool]:
    """`text` (normalised) without the sentences that carry an instruction; and whether any did.

    `semantic`, when given, flags sentences too (one call with every sentence, e.g.
    `SemanticScreen.flags`), so paraphrases the patterns miss are cut as well.
    """
    clean = normalise(text)
    if semantic is None and not injection_matches(clean):
        return clean, False
    lines = [SENTENCE_GAP.split(line) for line in clean.split("\n")]
    sentences = [s for parts in lines for s in parts]
    flags = [bool(injection_matches(s)) for s in sentences]
    if semantic is not None and sentences:
        flags = [p or bool(q) for p, q in zip(flags, semantic(sentences), strict=True)]
    kept, i = [], 0
    for parts in lines:
        kept.append(" ".join(s for j, s in enumerate(parts) if not flags[i + j]))
        i += len(parts)
    return "\n".join(kept), any(flags)
