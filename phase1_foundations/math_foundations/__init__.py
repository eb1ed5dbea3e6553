"""Autograd, optimisers and PCA from scratch, proven equal to torch and scikit-learn."""
