"""`make attack`: a repeatable attack suite against every service of the repository.

Each service runs as a real process on 127.0.0.1 and meets schemathesis (all checks), a
catalogue of bad inputs, the metrics-cardinality and rate-limit bypass probes, batch
poisoning (serving), a ReDoS word (rag_service, security), kill -9 during writes (rag_service)
and of an upstream (deploy router), and 16- and 64-client load runs. Entry point:
`python -m phase5_mlops.security.attack --profile short|full`.
"""
