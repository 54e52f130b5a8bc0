"""ipsa.engine: model, loading, graph, facts, inference adapter, assessment pipeline and CLI."""
