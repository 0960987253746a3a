"""The one compiled part of the project; everything else is declared in pyproject.toml.

``pipeline/load/_charboxes.c`` (CPython API only, no PDFium headers) is the PDF reader's
per-character box loop, ~40x cheaper than one ctypes call per character. It is optional: where
it cannot be compiled the reader makes the same calls through ctypes and gets the same boxes,
only slower. Declared here rather than in ``[tool.setuptools] ext-modules``, which setuptools
still calls experimental.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[Extension("pipeline.load._charboxes", ["pipeline/load/_charboxes.c"], optional=True)],
)
