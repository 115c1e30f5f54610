"""verl custom reward function that asks rlcurate's reward service (`runner serve`).

Standard library only. In the verl config:

    custom_reward_function.path=examples/clients/verl_reward.py
    custom_reward_function.name=compute_score

Environment: RLCURATE_REWARD_URL (default http://127.0.0.1:8000), RLCURATE_MUSEG_MODE
(compat or strict, default compat), RLCURATE_REWARD_TIMEOUT (seconds, default 180),
RLCURATE_REWARD_ATTEMPTS (default 5). A 503 (judge outage) or a connection error is
retried; after the last attempt, or on a 4xx, an exception stops the step: a failed
reward is never turned into a number. Every attempt of one call carries the same
request_id, so a retry after a lost answer is not recorded twice in the schedule.
"""

import json
import os
import time
import urllib.error
import urllib.request
import uuid

URL = os.environ.get("RLCURATE_REWARD_URL", "http://127.0.0.1:8000").rstrip("/")
TIMEOUT = float(os.environ.get("RLCURATE_REWARD_TIMEOUT", "180"))
ATTEMPTS = int(os.environ.get("RLCURATE_REWARD_ATTEMPTS", "5"))


class RewardError(RuntimeError):
    """The service refused the request (4xx) or stayed unavailable."""


def _plain(v):
    """Turns the numpy arrays and scalars a Parquet row arrives as into Python values."""
    if hasattr(v, "tolist"):
        return _plain(v.tolist())
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def label_for(data_source, ground_truth, extra_info=None):
    """Builds the service's label from a verl row's ground truth (see docs/trainers.md)."""
    gt = _plain(ground_truth)
    if isinstance(gt, str):
        gt = json.loads(gt)
    extra = _plain(extra_info) or {}
    if data_source == "museg" or "solution" in gt:
        return {
            "branch": "museg",
            "solution": [[float(s), float(e)] for s, e in gt["solution"]],
            "phase": int(gt["phase"]),
            "mode": os.environ.get("RLCURATE_MUSEG_MODE", "compat"),
        }
    if data_source == "writing" or "id" in gt:
        label = {"branch": "writing", "sample_id": str(gt["id"])}
        if extra.get("split") not in (None, "train"):
            label["validation"] = True  # scored, never moves the schedule
        return label
    raise ValueError("no rlcurate label for data_source %r" % (data_source,))


def get_rewards(queries, labels, prompts=None):
    """POSTs one batch to /get_reward and returns the decoded answer."""
    body = {
        "query": list(queries),
        "labels": [l if isinstance(l, str) else json.dumps(l) for l in labels],
        "request_id": uuid.uuid4().hex,  # the same for every attempt below
    }
    if prompts is not None:
        body["prompts"] = list(prompts)
    data = json.dumps(body).encode("utf-8")
    last = None
    for attempt in range(ATTEMPTS):
        req = urllib.request.Request(URL + "/get_reward", data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as e:
            reason = e.read().decode("utf-8", "replace")
            if e.code != 503:
                raise RewardError("reward service answered %d: %s" % (e.code, reason))
            last = "503: %s" % reason
            delay = float(e.headers.get("Retry-After") or 1)
        except (urllib.error.URLError, OSError) as e:
            last = str(e)
            delay = 1.0
        if attempt + 1 < ATTEMPTS:
            time.sleep(delay)
    raise RewardError("reward service unavailable after %d attempts: %s" % (ATTEMPTS, last))


def compute_score(data_source, solution_str, ground_truth, extra_info=None):
    """verl's reward hook: the reward of one response, with the 0-1 score logged."""
    label = label_for(data_source, ground_truth, extra_info)
    out = get_rewards([solution_str], [label])
    return {"score": out["rewards"][0], "scaled": out["scores"][0]}
