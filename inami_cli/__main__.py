"""Allow ``python -m inami_cli``."""

from inami_cli.cli.app import main

if __name__ == "__main__":
    main()
