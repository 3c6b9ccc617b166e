"""Build of the compiled modules, :mod:`sim.state.fefo_core` (the stock's buckets) and
:mod:`sim.state.ledger_core` (the ledger's state changes); everything else is in
pyproject.toml.

The modules are optional: without Cython at build time, or where the C compiler fails, the
package installs without them and runs its pure-Python paths (the same results, slower).
"""

from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:  # no Cython (a build without isolation that lacks it): pure Python
    extensions = []
else:
    modules = ("fefo_core", "ledger_core")
    extensions = cythonize(
        [Extension(f"sim.state.{m}", [f"sim/state/{m}.pyx"]) for m in modules],
        language_level=3,
        quiet=True,
    )
    for extension in extensions:  # set after cythonize, which does not keep it
        extension.optional = True  # a failed compile warns and leaves the Python paths

setup(ext_modules=extensions)
