"""The course's models and experiments, built from the backends' layers.

A character-level language model (``char_model``), sequence classifiers and the minibatch loop
that trains them (``classifier``), per-step taggers (``taggers``) and the measurement of how far
back a gradient reaches (``gradient_flow``). They import the backends and the data, never the
reverse. Import from the submodules.
"""
