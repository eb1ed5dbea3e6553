import sys

# No arguments: the demo (the milestone contract); otherwise the pipeline's command line
# (`python -m phase5_mlops.retraining_pipeline run --day 3`).
if len(sys.argv) > 1:
    from .cli import main as cli_main

    raise SystemExit(cli_main())

from .demo import main

main()
