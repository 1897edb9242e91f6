"""Entry point: ``python -m safetycheck`` and the ``safetycheck`` console script."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the CLI; answer ``--version`` before the CLI framework loads.

    Why: ``--version`` is called by scripts and CI often; importing Typer and Rich costs
    several times Python's own start-up.
    """
    if sys.argv[1:] == ["--version"]:
        from safetycheck import __version__

        sys.stdout.write(f"safetycheck {__version__}\n")
        return
    from safetycheck.cli import run_app

    run_app()


if __name__ == "__main__":
    main()
