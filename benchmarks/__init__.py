"""Speed of the course's recurrent layers against torch.nn, as ratios measured in one run."""
