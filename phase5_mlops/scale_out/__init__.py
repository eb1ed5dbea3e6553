"""Scale-out: Ray tuning and batch inference, Redis Streams for the prediction log, tracing."""
