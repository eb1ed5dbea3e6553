from .demo import cli

cli()
