"""The course's models and experiments, built from the backends' layers.

A character-level language model (``char_model``) and its runs over several seeds
(``char_experiments``), sequence classifiers and the minibatch loop that trains them
(``classifier``), per-step taggers (``taggers``), the measurement of how far back a gradient
reaches (``gradient_flow``) and the parameter counts of shared and unshared networks
(``parameter_counts``). They import the backends and the data, never the reverse. Import from
the submodules.
"""
