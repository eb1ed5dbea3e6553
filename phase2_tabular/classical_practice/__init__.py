"""Classical ML practice on real tables: leak-free CV, model selection, imbalance,
calibration, interpretation and a paired comparison of models."""
