"""`python -m psc_roadmap` runs the `psc` command."""

from psc_roadmap.cli import main

main()
