"""Build of the compiled modules, :mod:`sim.state.fefo_core` (the stock's buckets),
:mod:`sim.state.ledger_core` (the ledger's state changes) and
:mod:`sim.processes.issue_core` (a hospital's commonest issue); everything else is in
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
    modules = ("sim.state.fefo_core", "sim.state.ledger_core", "sim.processes.issue_core")
    extensions = cythonize(
        [Extension(m, [m.replace(".", "/") + ".pyx"]) for m in modules],
        language_level=3,
        quiet=True,
    )
    for extension in extensions:  # set after cythonize, which does not keep it
        extension.optional = True  # a failed compile warns and leaves the Python paths

setup(ext_modules=extensions)
