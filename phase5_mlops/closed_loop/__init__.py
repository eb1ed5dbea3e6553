"""The closed MLOps loop: drift -> retrain -> gate -> register -> canary -> promote or roll back."""
