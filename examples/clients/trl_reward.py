"""TRL GRPOTrainer reward function that asks rlcurate's reward service.

The dataset needs the `label` column of rlcurate's Parquet shards; TRL passes every
column other than `prompt` as a keyword list:

    import sys; sys.path.insert(0, "examples/clients")
    from trl_reward import rlcurate_reward
    trainer = GRPOTrainer(..., reward_funcs=[rlcurate_reward])

Standard library only; the HTTP call and its retries are verl_reward.get_rewards.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from verl_reward import get_rewards  # noqa: E402


def _text(completion):
    """A completion is a string, or (conversational datasets) a list of messages."""
    if isinstance(completion, str):
        return completion
    return completion[-1]["content"]


def rlcurate_reward(prompts, completions, label, **kwargs):
    """Rewards of a batch of completions, one service request for the whole batch."""
    out = get_rewards([_text(c) for c in completions], list(label))
    return out["rewards"]
