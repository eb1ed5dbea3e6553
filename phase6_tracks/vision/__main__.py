import sys

from .demo import main

main(quick="--quick" in sys.argv[1:])
