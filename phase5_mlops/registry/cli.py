"""Command line of the registry: register, promote, rollback, list, history, resolve, check.

    python -m phase5_mlops.registry promote penguins --reason "beats v3 on the holdout"
    python -m phase5_mlops.registry rollback penguins --reason "p99 latency doubled"

The store is `--tracking-uri`, else `MLFLOW_TRACKING_URI`, else `.cache/mlflow.db`.
"""

from __future__ import annotations

import argparse
import json
import sys

from phase5_mlops.registry.model_registry import RegistryError, TabularRegistry


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree (one sub-command per registry operation)."""
    parser = argparse.ArgumentParser(prog="python -m phase5_mlops.registry")
    parser.add_argument("--tracking-uri", default=None, help="MLflow store (sqlite or postgresql)")
    parser.add_argument("--artifact-root", default=None, help="where new versions' files go")
    parser.add_argument("--actor", default=None, help="who is recorded in the alias history")
    sub = parser.add_subparsers(dest="command", required=True)
    reg = sub.add_parser("register", help="log an artifact folder as the new challenger")
    reg.add_argument("artifact_dir")
    reg.add_argument("--name", default="penguins")
    reg.add_argument("--reason", default="registered from the command line")
    promote = sub.add_parser("promote", help="make the challenger (or --version) champion")
    promote.add_argument("name")
    promote.add_argument("--version", default=None)
    promote.add_argument("--reason", default="promoted from the command line")
    rollback = sub.add_parser("rollback", help="return champion to the previous champion")
    rollback.add_argument("name")
    rollback.add_argument("--reason", default="rollback from the command line")
    for command, text in (
        ("list", "versions and aliases"),
        ("history", "alias history"),
        ("check", "history consistent with aliases"),
    ):
        p = sub.add_parser(command, help=text)
        p.add_argument("name")
        p.add_argument("--json", action="store_true")
    resolve = sub.add_parser("resolve", help="the version an alias points at")
    resolve.add_argument("name")
    resolve.add_argument("--alias", default="champion")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one registry command; exit status 1 with a message when it cannot be done."""
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    name = args.name if hasattr(args, "name") else "penguins"
    registry = TabularRegistry(name, uri=args.tracking_uri, artifacts=args.artifact_root)
    try:
        if args.command == "register":
            version = registry.register(args.artifact_dir, reason=args.reason, actor=args.actor)
            print(f"{name} version {version} registered as challenger")
        elif args.command == "promote":
            version = registry.promote(args.version, reason=args.reason, actor=args.actor)
            print(f"{name}@champion -> version {version}")
        elif args.command == "rollback":
            version = registry.rollback(reason=args.reason, actor=args.actor)
            print(f"{name}@champion rolled back to version {version}")
        elif args.command == "resolve":
            print(registry.resolve(args.alias))
        elif args.command == "list":
            _print_versions(registry, args.json)
        elif args.command == "history":
            _print_history(registry, args.json)
        elif args.command == "check":
            problems = registry.history_problems()
            print(json.dumps(problems) if args.json else ("\n".join(problems) or "consistent"))
            return 1 if problems else 0
    except RegistryError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def _print_versions(registry: TabularRegistry, as_json: bool) -> None:
    rows = registry.versions()
    if as_json:
        print(json.dumps([r.__dict__ for r in rows], indent=2))
        return
    print(f"{'version':>7}  {'aliases':<20} {'model':<12} balanced_accuracy")
    for r in rows:
        aliases = ",".join(r.aliases)
        print(f"{r.version:>7}  {aliases:<20} {r.model_version:<12} {r.balanced_accuracy}")


def _print_history(registry: TabularRegistry, as_json: bool) -> None:
    events = registry.history()
    if as_json:
        print(json.dumps([e.__dict__ for e in events], indent=2))
        return
    for e in events:
        print(
            f"{e.at}  {e.alias:<10} {e.previous or '-':>3} -> {e.version or '-':<3} "
            f"{e.action:<8} by {e.actor}: {e.reason}"
        )
