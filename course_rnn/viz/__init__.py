"""Figures and interactive explorers for the course, all drawn in one style.

Every figure in the book is made by a function in this package, so the chapters stay
consistent and every picture can be regenerated. Import from the submodules, e.g.
``from course_rnn.viz.style import PALETTE``.

Needs matplotlib (the ``book`` extra); explorers also need ipywidgets in Jupyter.
"""
