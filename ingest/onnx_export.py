"""The model's transformer as an ONNX Runtime session: exported once from the same weights with
attention and layer norms fused, optionally quantised to int8, cached on disk, and checked against
torch before it is used.

<cache_dir>/                     Settings.onnx_cache_dir (default ~/.cache/alike-wisdom/onnx)
  <model>-<key>.onnx             fp32 graph; key = weights digest + torch, transformers and
                                 onnxruntime versions + input names
  <model>-<key>-int8.onnx        the same graph, weights int8 per channel
  embedding-path-<key>.json      the embedding path `auto` measured on this CPU (ingest/dtype_probe.py)
"""

from __future__ import annotations

import copy
import hashlib
import logging
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ingest.vectors import pooled, torch_forward, weights_sha256

ONNX_TOLERANCE = 1e-4
"""Largest difference from torch's token vectors the exported graph may show on the probe texts."""
INT8_MIN_COSINE = 0.97
"""Smallest cosine between an int8 text vector and torch's fp32 one on the probe texts."""
PROBE = ["IMNM", "Muscle weakness in the hips and shoulders, with a high CK (creatine kinase) level."]
"""Texts the export is traced with and checked on."""

log = logging.getLogger("wisdom.embedding")


def default_cache_dir() -> Path:
    """~/.cache/alike-wisdom/onnx: where graphs are kept when no folder is passed in."""
    return Path.home() / ".cache" / "alike-wisdom" / "onnx"


@dataclass(frozen=True)
class TorchModel:
    """The loaded model an export starts from: its tokenizer and transformer (fp32)."""

    path: str
    tokenizer: Any
    model: Any


def session(source: TorchModel, cache_dir: Path, quantized: bool = False) -> Any:
    """A checked ONNX Runtime session for the transformer, exported on first use. Each call runs on
    the calling thread; parallelism comes from running calls side by side. A damaged cached file is
    exported again, once."""
    import onnxruntime as ort

    try:
        return _checked_session(ort, exported_graph(source, cache_dir, quantized=quantized), source)
    except Exception as exc:
        log.warning("exported model unusable (%s): exporting it again", exc)
        graph = exported_graph(source, cache_dir, fresh=True, quantized=quantized)
        return _checked_session(ort, graph, source)


def _checked_session(ort: Any, graph: Path, source: TorchModel) -> Any:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    result = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
    probe = dict(source.tokenizer(PROBE, padding=True, return_tensors="np"))
    feeds = {i.name: probe[i.name].astype(np.int64) for i in result.get_inputs()}
    got = result.run(None, feeds)[0]
    want = torch_forward(source.model, probe)
    mask = probe["attention_mask"][..., None]
    if graph.name.endswith("-int8.onnx"):
        # Quantised weights move every token vector a little; what must hold is the text vector.
        cosines = np.sum(pooled(got, mask) * pooled(want, mask), axis=1)
        if not float(cosines.min()) >= INT8_MIN_COSINE:
            raise ValueError(f"the int8 graph's vectors are off (cosine {float(cosines.min()):.3f})")
        return result
    difference = float(np.abs((got - want) * mask).max())
    if not difference <= ONNX_TOLERANCE:
        raise ValueError(f"the exported graph differs from torch by {difference:.2g}")
    return result


def exported_graph(source: TorchModel, cache_dir: Path, fresh: bool = False, quantized: bool = False) -> Path:
    """The transformer exported to ONNX with attention fused; cached by weights and library versions.
    `quantized`: the same graph with its weights in int8 (per channel), activations quantised on
    the fly."""
    import onnxruntime
    import torch
    import transformers
    from onnxruntime.transformers.optimizer import optimize_model

    sample = dict(source.tokenizer(PROBE, padding=True, return_tensors="pt"))
    names = sorted(sample)
    versions = [weights_sha256(source.path), torch.__version__, transformers.__version__]
    key = hashlib.sha256("|".join([*versions, onnxruntime.__version__, *names]).encode()).hexdigest()[:24]
    target = cache_dir / f"{Path(source.path).name}-{key}{'-int8' if quantized else ''}.onnx"
    if target.is_file() and not fresh:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    if quantized:
        return _quantized(exported_graph(source, cache_dir), target)
    model = copy.deepcopy(source.model).float()
    model.set_attn_implementation("eager")  # the attention pattern ONNX Runtime's optimizer fuses

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors: Any) -> Any:
            return self.model(**dict(zip(names, tensors, strict=True))).last_hidden_state

    work = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        raw, fused = work / "raw.onnx", work / "fused.onnx"
        axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")  # tracer notes about Python control flow in the model
            torch.onnx.export(
                Hidden(),
                tuple(sample[n] for n in names),
                str(raw),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        logging.getLogger("onnxruntime.transformers").setLevel(logging.ERROR)
        config = model.config
        optimized = optimize_model(
            str(raw),
            model_type="bert",
            num_heads=int(getattr(config, "num_attention_heads", 0)),
            hidden_size=int(getattr(config, "hidden_size", 0)),
            opt_level=1,
        )
        optimized.save_model_to_file(str(fused))
        os.replace(fused, target)  # processes exporting at once each publish a whole file
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _quantized(graph: Path, target: Path) -> Path:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    work = Path(tempfile.mkdtemp(prefix=".quantize-", dir=target.parent))
    try:
        out = work / "int8.onnx"
        quantize_dynamic(
            graph,
            out,
            weight_type=QuantType.QInt8,
            per_channel=True,  # per-tensor scales cost ~0.05 of cosine on this model; per channel ~0.007
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},  # for the fused operators
        )
        os.replace(out, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target
