"""Build hook for compiled extensions; all metadata lives in pyproject.toml."""

from setuptools import setup

ext_modules: list = []

setup(ext_modules=ext_modules)
