"""Questions to the knowledge base: retrieve, decide, answer with sources; live content reload.

Others use: ``KnowledgeFeature`` (``answers``), ``Knowledge``/``load_knowledge`` (``loading``),
``LiveKnowledge``/``ContentReloader`` (``live``) and the ports in ``ports``.
"""
