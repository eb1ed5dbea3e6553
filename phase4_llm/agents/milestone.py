from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase4_llm.agents",
    title="Tool use done safely: validated tools, a sandbox and a budgeted ReAct loop",
    claim="schema-checked tool calls, timeouts, retries only for idempotent tools, a sandbox "
    "that stops fork bombs, runaway loops, memory/file bombs and network use, and an agent "
    "loop that ignores instructions arriving in tool output",
    reference="behaviour checks (jsonschema for argument validation)",
    demo="phase4_llm.agents.demo:main",
    parity="phase4_llm.agents.parity:checks",
    bench="phase4_llm.agents.bench:run",
    requirements=("jsonschema", "httpx"),
)
