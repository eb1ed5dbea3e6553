import sys

# No arguments: the demo (the milestone contract); otherwise the registry CLI
# (`python -m phase5_mlops.registry rollback penguins`).
if len(sys.argv) > 1:
    from .cli import main as cli_main

    raise SystemExit(cli_main())

from .demo import main

main()
