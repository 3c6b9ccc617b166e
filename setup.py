"""Build of the compiled modules, :mod:`sim.state.fefo_core` (the stock's buckets),
:mod:`sim.state.ledger_core` (the ledger's state changes), :mod:`sim.processes.issue_core`
(a hospital's commonest issue) and :mod:`sim.core.draws_core` (scalar draws on NumPy's C
samplers, linked from NumPy's ``libnpyrandom``); everything else is in pyproject.toml.

The modules are optional: without Cython (or NumPy) at build time, or where the C compiler
fails, the package installs without them and runs its pure-Python paths (the same results,
slower).
"""

from pathlib import Path

from setuptools import Extension, setup


def _extensions() -> list[Extension]:
    """The four modules, each optional; none without Cython or NumPy."""
    try:
        import numpy as np
        from Cython.Build import cythonize
    except ImportError:  # a build without isolation that lacks them: pure Python
        return []
    numpy_dir = Path(np.get_include()).parents[1]  # site-packages/numpy
    arrays = {  # NumPy's C interface: its headers
        "include_dirs": [np.get_include()],
        "define_macros": [("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
    }
    draws = {  # and NumPy's C samplers: the static libraries that hold them
        **arrays,
        "library_dirs": [str(numpy_dir / "random" / "lib"), str(numpy_dir / "_core" / "lib")],
        "libraries": ["npyrandom", "npymath"],
    }
    modules = {
        "sim.state.fefo_core": arrays,
        "sim.state.ledger_core": {},
        "sim.processes.issue_core": {},
        "sim.core.draws_core": draws,
    }
    extensions = cythonize(
        [Extension(m, [m.replace(".", "/") + ".pyx"], **kw) for m, kw in modules.items()],
        language_level=3,
        quiet=True,
    )
    for extension in extensions:  # set after cythonize, which does not keep it
        extension.optional = True  # a failed compile warns and leaves the Python paths
    return extensions


setup(ext_modules=_extensions())
