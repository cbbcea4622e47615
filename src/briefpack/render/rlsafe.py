"""Import reportlab with its configuration fixed by briefpack, not by the user's environment.

reportlab reads RL_* environment variables, a reportlab_settings.py on the import path and
~/.reportlab_settings when it is first imported; any of them can re-enable expression evaluation or
URL fetching, or change the bytes of every PDF. briefpack hides all three during that first import.
"""

from __future__ import annotations

import os
import sys


def _import_clean() -> None:
    saved_env = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("RL_")}
    saved_env.update({k: os.environ.pop(k) for k in ("USERPROFILE", "HOMEDRIVE", "HOMEPATH") if k in os.environ})
    saved_home = os.environ.get("HOME")
    saved_module: object = sys.modules.get("reportlab_settings", False)
    os.environ["HOME"] = os.path.join(os.sep, "nonexistent-briefpack-home")
    sys.modules["reportlab_settings"] = None  # type: ignore[assignment]  # makes the import fail
    try:
        import reportlab.rl_config  # noqa: F401
    finally:
        os.environ.update(saved_env)
        if saved_home is None:
            os.environ.pop("HOME", None)
        else:
            os.environ["HOME"] = saved_home
        if saved_module is False:
            del sys.modules["reportlab_settings"]
        else:
            sys.modules["reportlab_settings"] = saved_module  # type: ignore[assignment]


if "reportlab.rl_config" not in sys.modules:
    _import_clean()

from reportlab import rl_config  # noqa: E402

rl_config.invariant = 1
rl_config.trustedHosts = None
rl_config.toColorCanUse = "rl_extended_literal_eval"
rl_config.warnOnMissingFontGlyphs = 0
rl_config.pageCompression = 1
rl_config.useA85 = 0  # binary streams: smaller files, and no slow ASCII85 encoding
