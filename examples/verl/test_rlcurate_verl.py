"""Tests of rlcurate_verl on rlcurate's own rows (Debian python3, numpy, PIL; no verl).

Run by internal/export's TestVerlAdapter, which writes verl rows converted by the
export package, with real frame files, to the JSONL file named by RLCURATE_VERL_ROWS."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

import rlcurate_verl  # noqa: E402


def load_rows():
    with open(os.environ["RLCURATE_VERL_ROWS"], encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class RecordingProcessor:
    """A stand-in for the Hugging Face processor: records its keyword arguments."""

    image_processor = "the wrapped processor's"

    def __init__(self):
        self.calls = []

    def __call__(self, *args, **kwargs):
        self.calls.append(kwargs)
        return kwargs


class FakeRLHFDataset:
    """What verl's RLHFDataset does with a row, reduced: load the frames, call the processor."""

    def __init__(self, rows, processor):
        self.dataframe = rows
        self.video_key = "videos"
        self.processor = processor

    def __getitem__(self, item):
        row = self.dataframe[item]
        videos = [np.stack([np.asarray(Image.open(p).convert("RGB")) for p in v["video"]]) for v in row[self.video_key]]
        return self.processor(text=["prompt"], videos=videos, return_tensors="pt")


class AdapterTest(unittest.TestCase):
    def setUp(self):
        self.rows = load_rows()
        self.assertGreater(len(self.rows), 0)

    def test_fps_reaches_processor(self):
        proc = RecordingProcessor()
        ds = rlcurate_verl.with_fps(FakeRLHFDataset)(self.rows, proc)
        for i, row in enumerate(self.rows):
            kwargs = ds[i]
            self.assertEqual(kwargs["fps"], row["videos"][0]["fps"])
            self.assertEqual(rlcurate_verl.second_per_grid_ts([kwargs["fps"]]), [2 / row["videos"][0]["fps"]])
            self.assertIs(ds.processor, proc, "the processor is restored after the item")
            self.assertEqual(kwargs["videos"][0].shape[0], len(row["videos"][0]["video"]))

    def test_stock_path_drops_fps(self):
        proc = RecordingProcessor()
        kwargs = FakeRLHFDataset(self.rows, proc)[0]
        self.assertNotIn("fps", kwargs)

    def test_frames_and_tokens(self):
        for row in self.rows:
            entry = row["videos"][0]
            self.assertEqual(entry["fps"], entry["sample_fps"])
            for p in entry["video"]:
                self.assertTrue(os.path.isabs(p), p)
                with Image.open(p) as im:
                    self.assertEqual(im.size, (entry["resized_width"], entry["resized_height"]))
            want = len(entry["video"]) // 2 * (entry["resized_width"] // 28) * (entry["resized_height"] // 28)
            self.assertEqual(rlcurate_verl.video_tokens(entry), want)

    def test_explicit_fps_and_no_video_untouched(self):
        proc = RecordingProcessor()
        wrapped = rlcurate_verl.FPSProcessor(proc, [0.5])
        self.assertEqual(wrapped(text=["t"], videos=[1], fps=3.0)["fps"], 3.0)
        self.assertNotIn("fps", wrapped(text=["t"]))
        self.assertEqual(wrapped.image_processor, "the wrapped processor's")

    def test_bad_fps_is_an_error(self):
        for entry in ({"video": ["a"]}, {"video": ["a"], "fps": 0}, {"video": ["a"], "fps": "x"}, {"video": ["a"], "fps": float("nan")}):
            with self.assertRaises(ValueError):
                rlcurate_verl.video_fps([entry])


if __name__ == "__main__":
    unittest.main()
