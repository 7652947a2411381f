import sys

from cara_fed.cli import main

sys.exit(main())
