"""All settings, from environment variables prefixed WISDOM_ or a .env file.

Most are flat (`WISDOM_INDEX_DIR`); the knobs of retrieval, of the extractive answer, of abstention
and of the safety triage are nested groups, one variable per knob with `__` between group and name
(`WISDOM_RETRIEVAL__RRF_K=60`, `WISDOM_GENERATION__MAX_WORDS=180`,
`WISDOM_ABSTENTION__MIN_SIMILARITY=0.45`, `WISDOM_TRIAGE__URGENT_WITHOUT_SIGN=0.85`).

The abstention knobs were flat once (`WISDOM_ABSTAIN_MIN_SIMILARITY` …): an old name in the
environment or .env is an error naming its new one (RENAMED), never silently ignored."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from ingest import BUNDLED_MODEL, ChunkingConfig, IngestConfig
from qa_service.answer.abstention import AbstentionConfig
from qa_service.answer.generate import GeneratorConfig
from qa_service.answer.retrieval_config import RetrievalConfig
from qa_service.triage.config import TriageConfig

REPO = Path(__file__).resolve().parents[1]


RENAMED: dict[str, tuple[str, str]] = {
    "abstain_min_similarity": ("abstention", "min_similarity"),
    "abstain_min_sentence_score": ("abstention", "min_sentence_score"),
    "abstain_on_unknown_terms": ("abstention", "on_unknown_terms"),
    "abstain_min_confidence": ("abstention", "min_confidence"),
    "abstain_model_min_documents": ("abstention", "model_min_documents"),
}
"""Settings that moved into a group: old field name → (group, name). `WISDOM_<OLD>` is refused."""


def _renamed(old: str) -> str:
    group, name = RENAMED[old]
    return f"WISDOM_{old.upper()} was renamed WISDOM_{group.upper()}__{name.upper()}"


class _RenamedInEnvironment(PydanticBaseSettingsSource):
    """The old names of RENAMED settings set in the environment, by old field name, for
    `Settings._refuse_renamed` to report (.env extras reach it without help: extra="ignore" drops
    them only after validation)."""

    def __init__(self, settings_cls: type[BaseSettings], env: PydanticBaseSettingsSource):
        super().__init__(settings_cls)
        self.env_vars = env.env_vars if isinstance(env, EnvSettingsSource) else {}

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        present = {name.lower(): value for name, value in self.env_vars.items()}
        return {old: present[f"wisdom_{old}"] for old in RENAMED if f"wisdom_{old}" in present}


def settings_problem(exc: ValidationError) -> str:
    """A Settings ValidationError as one line naming each bad variable (`WISDOM_PORT: Input should
    be a valid integer ...`), without the values (a secret must not reach a terminal or a log)."""
    problems = []
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        loc = [str(part) for part in error["loc"]]
        message = error["msg"].removeprefix("Value error, ")
        if not loc:
            problems.append(message)
            continue
        field = Settings.model_fields.get(loc[0])
        grouped = len(loc) > 1 and field is not None and _is_group(field)
        variable = "WISDOM_" + "__".join(loc[:2] if grouped else loc[:1]).upper()
        problems.append(f"{variable}: {message}")
    return "; ".join(problems)


def _is_group(field: FieldInfo) -> bool:
    return isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)


def _cache_dir() -> Path:
    # XDG_CACHE_HOME is the one variable read without the WISDOM_ prefix: the desktop standard.
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "alike-wisdom" / "onnx"


class Settings(BaseSettings):
    """Alike Wisdom settings. Each field is `WISDOM_<NAME>` in the environment; a field of a group
    is `WISDOM_<GROUP>__<NAME>`."""

    model_config = SettingsConfigDict(
        env_prefix="WISDOM_",
        env_file=".env",
        extra="ignore",
        env_nested_delimiter="__",
        hide_input_in_errors=True,  # an error must not print the settings (the admin token)
    )

    index_dir: Path = Field(Path("index"), description="Folder holding the index versions and CURRENT.")
    corpus_paths: list[Path] = Field(
        [Path("corpus")],
        description="What `wisdom ingest` reads when no path is given (JSON list).",
    )
    embedding_model: str = Field(
        BUNDLED_MODEL,
        description="Sentence-transformers model: the bundled name, or a local folder. Never downloaded.",
    )
    embedding_dtype: Literal["auto", "fp32", "bf16", "int8"] = Field(
        "auto",
        description="auto: the fastest of int8 (ONNX Runtime), fp32 and bf16 (torch) on this CPU among "
        "those that keep retrieval quality, measured once (a few seconds) and cached in "
        "WISDOM_ONNX_CACHE; a name forces that dtype. Ingest and serve with the same dtype: "
        "changing it rebuilds the index.",
    )
    onnx_cache: Path = Field(
        default_factory=_cache_dir,
        description="Exported ONNX graphs and the measured embedding path (default: "
        "$XDG_CACHE_HOME/alike-wisdom/onnx, else ~/.cache/alike-wisdom/onnx).",
        json_schema_extra={"shown_default": "~/.cache/alike-wisdom/onnx"},
    )
    embedding_backend: Literal["auto", "torch", "onnx"] = Field(
        "auto",
        description="Run the model in ONNX Runtime (auto: for fp32 and int8; exported once from the same "
        "weights, checked against torch) or in torch.",
    )
    embedding_batch_size: int = Field(
        32,
        ge=1,
        le=512,
        description="Chunks per model call at ingest in torch (bf16, or fp32 without ONNX Runtime).",
    )
    chunk_tokens: int = Field(
        200, ge=32, le=512, description="Word pieces per chunk, title/section header included."
    )
    faiss_kind: Literal["flat", "hnsw"] = Field(
        "flat", description="Exact inner product (flat) or HNSW for large corpora."
    )
    eval_medquad_dir: Path = Field(
        REPO.parent / "shared" / "data" / "medquad",
        description="The MedQuAD data (corpus.jsonl, question sets) the MedQuAD eval suites and "
        "benchmarks read; ../shared/data/medquad beside the repository by default.",
    )
    max_document_mb: float = Field(
        5.0, gt=0, description="Largest single document (or JSONL row) ingest accepts, in MB."
    )
    retrieval: RetrievalConfig = Field(
        default_factory=RetrievalConfig,
        description="Hybrid retrieval: fusion of the dense and BM25 rankings, priors, de-duplication.",
    )
    generation: GeneratorConfig = Field(
        default_factory=GeneratorConfig,
        description="The extractive answer: how sentences are scored and chosen.",
    )
    abstention: AbstentionConfig = Field(
        default_factory=AbstentionConfig,
        description="When to abstain: the similarity floors and the calibrated abstention model.",
    )
    triage: TriageConfig = Field(
        default_factory=TriageConfig,
        description="The safety triage's similarity bars and the classifier's bar for a message "
        "naming no warning sign (the classifier's other thresholds are fitted with it).",
    )
    index_poll_seconds: float = Field(
        2.0, ge=0, description="How often the service checks CURRENT for a newly published version."
    )
    emergency_number: str = Field("911", description="Emergency number in urgent-care messages.")
    crisis_line: str = Field("988", description="Suicide & crisis line in urgent-care messages.")
    poison_line: str = Field("1-800-222-1222", description="Poison control line for overdoses.")
    service_threads: int = Field(1, ge=1, le=64, description="Torch threads the service uses per process.")
    max_body_bytes: int = Field(64_000, ge=1024, description="Largest request body the API accepts.")
    generator: Literal["extractive", "llm"] = Field(
        "extractive", description="Extractive (verbatim sentences) or an LLM via LangChain, verified."
    )
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint for the LLM generator (vLLM, Ollama, llama.cpp …)."
    )
    llm_model: str = Field("gpt-4o-mini", description="Model name sent to the LLM endpoint.")
    llm_api_key: SecretStr = Field(
        SecretStr(""), description="API key for the LLM endpoint, if it needs one."
    )
    llm_timeout_s: float = Field(20.0, gt=0, description="Seconds before the LLM generator falls back.")
    admin_token: SecretStr = Field(
        SecretStr(""),
        description="Bearer token for /v1/admin/*; the admin endpoints are off while it is empty.",
    )
    rate_limit_per_minute: int = Field(
        60, ge=0, description="Requests a minute each client address may make to /v1/* (0: no limit)."
    )
    rate_limit_burst: int = Field(20, ge=1, description="Requests a client may make at once before pacing.")
    cors_allow_origins: list[str] = Field(
        [], description="Origins allowed to call the API from a browser (JSON list); none by default."
    )
    log_questions: bool = Field(
        False,
        description="Write patients' questions to the logs and keep them with their feedback. Off: "
        "neither the logs nor the feedback database hold any question text.",
    )
    feedback_db: Path = Field(
        Path("feedback.sqlite3"),
        description="SQLite file where ratings from POST /v1/feedback are kept (created when the "
        "service starts); `wisdom feedback report` reads it.",
    )
    log_format: Literal["json", "text"] = Field("json", description="Log lines as JSON objects or text.")
    workers: int = Field(1, ge=1, le=64, description="Worker processes for `wisdom serve`.")
    host: str = Field("127.0.0.1", description="Address `wisdom serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `wisdom serve` listens on.")

    @model_validator(mode="before")
    @classmethod
    def _refuse_renamed(cls, data: Any) -> Any:
        """An old name (RENAMED) in the environment, .env or the arguments is an error, not ignored."""
        if isinstance(data, dict):
            found = [_renamed(old) for old in RENAMED if old in data]
            if found:
                it = "it" if len(found) == 1 else "them"
                raise ValueError(f"{', '.join(found)}; rename {it} in your environment or .env file")
        return data

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The usual sources, plus the old names of renamed settings found in the environment."""
        renamed = _RenamedInEnvironment(settings_cls, env_settings)
        return init_settings, env_settings, dotenv_settings, file_secret_settings, renamed

    def ingest_config(self, *, strict: bool = False, rebuild: bool = False) -> IngestConfig:
        """The ingest configuration these settings describe, with `strict` and `rebuild` as given."""
        return IngestConfig(
            index_dir=self.index_dir,
            chunking=ChunkingConfig(max_tokens=self.chunk_tokens),
            faiss_kind=self.faiss_kind,
            strict=strict,
            rebuild=rebuild,
            max_document_bytes=int(self.max_document_mb * 1_000_000),
        )


@lru_cache
def get_settings() -> Settings:
    """Read once; tests call `get_settings.cache_clear()` or build `Settings(...)` directly."""
    return Settings()
