"""verl hook for rlcurate's video rows: keep each video's fps for Qwen2.5-VL.

Stock verl (RLHFDataset.__getitem__) turns a row's ``videos`` entries into frames with
qwen-vl-utils and calls the Hugging Face processor without ``fps``, so Qwen2.5-VL's
processor assumes 2 frames per second and its time axis (``second_per_grid_ts``, used by
the M-RoPE position ids) is wrong for every video rlcurate sampled at another rate
(videos whose frame count was capped by max_frames, or any --fps other than 2).

Use it as verl's custom dataset class:

    data.custom_cls.path=examples/verl/rlcurate_verl.py
    data.custom_cls.name=RLCurateDataset

The logic is in pure functions (video_fps, second_per_grid_ts, video_tokens, FPSProcessor)
that need neither verl nor a GPU; RLCurateDataset exists only when verl is importable.
"""

import math

# Qwen2.5-VL's processor defaults: 2 frames per temporal patch, 14-pixel patches merged
# 2x2 into one token.
TEMPORAL_PATCH_SIZE = 2
PIXELS_PER_TOKEN = 28 * 28


def video_fps(videos):
    """Return the sample rate (frames per second of video) of each entry of a row's
    ``videos`` column: ``sample_fps`` (qwen-vl-utils 0.0.14), else ``fps`` (0.0.10).
    rlcurate writes both with the same value. An entry without a finite positive rate
    raises ValueError: guessing 2.0 is the bug this hook exists to avoid."""
    out = []
    for i, entry in enumerate(videos or []):
        rate = entry.get("sample_fps")
        if rate is None:
            rate = entry.get("fps")
        try:
            rate = float(rate)
        except (TypeError, ValueError):
            raise ValueError("videos[%d]: no fps or sample_fps" % i) from None
        if not math.isfinite(rate) or rate <= 0:
            raise ValueError("videos[%d]: fps %r is not a positive number" % (i, rate))
        out.append(rate)
    return out


def second_per_grid_ts(fps, temporal_patch_size=TEMPORAL_PATCH_SIZE):
    """Seconds of video per temporal grid step for each rate in fps, as Qwen2.5-VL's
    processor computes it from its ``fps`` argument (temporal_patch_size / fps)."""
    return [temporal_patch_size / rate for rate in fps]


def video_tokens(entry):
    """Tokens Qwen2.5-VL gives one ``videos`` entry of pre-sampled frames: one per 28x28
    pixels of resized_height x resized_width per pair of frames (an odd count is padded
    to a pair, as qwen-vl-utils does)."""
    frames = len(entry.get("video") or [])
    pairs = (frames + TEMPORAL_PATCH_SIZE - 1) // TEMPORAL_PATCH_SIZE
    return pairs * (int(entry["resized_height"]) * int(entry["resized_width"]) // PIXELS_PER_TOKEN)


class FPSProcessor:
    """Wrap a Hugging Face processor so that a call with videos and no ``fps`` gets the
    row's rates; every other attribute is the wrapped processor's."""

    def __init__(self, processor, fps):
        self._processor = processor
        self._fps = list(fps)

    def __call__(self, *args, **kwargs):
        if kwargs.get("videos") is not None and "fps" not in kwargs and self._fps:
            kwargs["fps"] = self._fps if len(self._fps) > 1 else self._fps[0]
        return self._processor(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._processor, name)


def with_fps(base):
    """Return a subclass of base (verl's RLHFDataset, or anything with ``dataframe``,
    ``video_key``, ``processor`` and ``__getitem__``) whose items are built with the
    row's video rates passed to the processor."""

    class Dataset(base):
        def __getitem__(self, item):
            processor = getattr(self, "processor", None)
            row = self.dataframe[item]
            videos = row.get(getattr(self, "video_key", "videos")) if hasattr(row, "get") else None
            if processor is None or not videos:
                return super().__getitem__(item)
            self.processor = FPSProcessor(processor, video_fps(videos))
            try:
                return super().__getitem__(item)
            finally:
                self.processor = processor

    Dataset.__name__ = "RLCurate" + base.__name__
    return Dataset


try:  # verl is only needed on the training machine.
    from verl.utils.dataset.rl_dataset import RLHFDataset
except ImportError:  # pragma: no cover - tests run without verl
    RLHFDataset = None

if RLHFDataset is not None:
    RLCurateDataset = with_fps(RLHFDataset)
