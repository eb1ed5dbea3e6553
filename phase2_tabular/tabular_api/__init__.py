"""Tabular model API: train -> persist (model card) -> serve with FastAPI, monitored.

Importable API for later phases: `train.train(...) -> Path`, `artifact.load_artifact(path)`,
`app.create_app(settings)`.
"""
