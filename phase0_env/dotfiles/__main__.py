import sys

if len(sys.argv) > 1:  # `python -m phase0_env.dotfiles install|uninstall ...`
    from .cli import main as cli_main

    raise SystemExit(cli_main())

from .demo import main

main()
