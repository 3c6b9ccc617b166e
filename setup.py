"""Build of the one compiled module, :mod:`sim.state.fefo_core` (everything else is in
pyproject.toml).

The module is optional: without Cython at build time, or where the C compiler fails, the
package installs without it and :mod:`sim.state.stock` runs its pure-Python buckets (the
same results, slower).
"""

from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:  # no Cython (a build without isolation that lacks it): pure Python
    extensions = []
else:
    core = Extension("sim.state.fefo_core", ["sim/state/fefo_core.pyx"], optional=True)
    extensions = cythonize([core], language_level=3, quiet=True)

setup(ext_modules=extensions)
