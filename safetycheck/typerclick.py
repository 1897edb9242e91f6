"""The one door to Typer's vendored Click (``typer._click``): its exceptions and help formatter.

Why: Typer 0.26 vendors Click as a private module. The CLI catches its exceptions and the
Chinese help replaces a few of its functions; keeping every use here means a Typer release
that moves it breaks one import, which ``tests/test_typerclick.py`` turns into a loud failure.
"""

from __future__ import annotations

from typer import _click, _completion_shared
from typer._click import decorators, exceptions, formatting

UsageError = exceptions.UsageError
ClickException = exceptions.ClickException



def detect_shell() -> str | None:
    """The shell this process runs under (Typer's detection), or None."""
    return _completion_shared._get_shell_name()


def install_completion(shell: str, prog_name: str) -> str:
    """Install Typer's completion script for ``shell``; return the file it wrote."""
    complete_var = f"_{prog_name.replace('-', '_').upper()}_COMPLETE"
    installers = {"bash": _completion_shared.install_bash, "zsh": _completion_shared.install_zsh,
                  "fish": _completion_shared.install_fish, "powershell": _completion_shared.install_powershell,
                  "pwsh": _completion_shared.install_powershell}
    return str(installers[shell](prog_name=prog_name, complete_var=complete_var, shell=shell))


def completion_script(shell: str, prog_name: str) -> str:
    """Typer's completion script for ``shell``."""
    complete_var = f"_{prog_name.replace('-', '_').upper()}_COMPLETE"
    return _completion_shared.get_completion_script(prog_name=prog_name, complete_var=complete_var, shell=shell)


COMPLETION_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")

__all__ = ["COMPLETION_SHELLS", "ClickException", "UsageError", "_click", "completion_script", "decorators",
           "detect_shell", "formatting", "install_completion"]
