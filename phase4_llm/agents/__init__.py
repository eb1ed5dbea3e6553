"""Safe tool use: a validated tool registry, a limited sandbox and a budgeted agent loop."""
