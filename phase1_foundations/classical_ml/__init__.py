"""Classical ML estimators from scratch (kNN, linear, logistic, CART, k-means, naive Bayes)."""
