"""Data for the course: synthetic tasks made by seeded generators and corpora found offline.

Nothing here downloads anything; every task is generated from a seed, and text corpora come
from files that every Python installation ships. Import from the submodules:

- ``tokens``: the (N, T) layout of token ids and their time-major one-hot inputs.
- ``corpus``: standard-library source as a character corpus.
- ``order``, ``positions``: chapter 1's order task and chapter 3's pattern tagging.
- ``temporal_xor``, ``one_to_many``, ``negation``, ``transduction``: chapter 5's tasks
  (``transduction``'s copy pairs are chapter 10's).
- ``latching``: chapter 6's long-term dependency task.
- ``adding``: the adding problem of chapters 7 and 8.
- ``lookup``: a toy lookup by content, for the attention exercise (11).
- ``waveform``: a waveform of several time scales to generate from no input (chapter 11).
"""
