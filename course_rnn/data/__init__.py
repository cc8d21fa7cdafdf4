"""Data for the course: synthetic tasks made by seeded generators and corpora found offline.

Nothing here downloads anything; every task is generated from a seed, and text corpora come
from files that every Python installation ships. Import from the submodules.
"""
