"""Our hybrid retriever as a LangChain `BaseRetriever`, for use in other people's chains.

from qa_service.answer.langchain_adapter import WisdomRetriever
retriever = WisdomRetriever(pipeline=build_pipeline(get_settings()), k=5)
docs = retriever.invoke("How is IMNM treated?")
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from qa_service.pipeline import Pipeline


class WisdomRetriever(BaseRetriever):
    """The pipeline's hybrid retrieval as a LangChain retriever: the `k` best passages as
    `Document`s, with their page's metadata, score and index version."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    pipeline: Pipeline
    k: int = 5

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        retrieval, version = self.pipeline.retrieve(query, self.k)
        return [
            Document(
                page_content=hit.chunk.text,
                id=hit.chunk.chunk_id,
                metadata={
                    "doc_id": hit.chunk.doc_id,
                    "title": hit.chunk.title,
                    "section": hit.chunk.section,
                    "url": hit.chunk.url,
                    "reviewed": hit.chunk.reviewed,
                    "score": hit.score,
                    "index_version": version,
                },
            )
            for hit in retrieval.hits
        ]
